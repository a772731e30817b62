package dev.vigil.vrrp.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads classic libpcap files (what {@code tcpdump -w} writes): either byte order, microsecond
 * or nanosecond timestamps. pcapng is not supported. For replaying captures through the codecs
 * in tests, the simulator and tools.
 */
public final class PcapFile {
    /** LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int GLOBAL_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;

    private final int linkType;
    private final List<Packet> packets;

    private PcapFile(int linkType, List<Packet> packets) {
        this.linkType = linkType;
        this.packets = List.copyOf(packets);
    }

    /** One captured packet; {@code originalLength} exceeds {@code data().length} when the snap length cut it. */
    public static final class Packet {
        private final Instant timestamp;
        private final int originalLength;
        private final byte[] data;

        Packet(Instant timestamp, int originalLength, byte[] data) {
            this.timestamp = timestamp;
            this.originalLength = originalLength;
            this.data = data;
        }

        public Instant timestamp() {
            return timestamp;
        }

        public int originalLength() {
            return originalLength;
        }

        public byte[] data() {
            return data.clone();
        }

        @Override
        public String toString() {
            return "Packet[" + timestamp + " " + data.length + "/" + originalLength + " bytes]";
        }
    }

    /** Thrown for anything that is not a well-formed classic pcap file. */
    public static final class FormatException extends IOException {
        FormatException(String message) {
            super(message);
        }
    }

    public static PcapFile read(Path path) throws IOException {
        return parse(Files.readAllBytes(path));
    }

    public static PcapFile parse(byte[] content) throws FormatException {
        if (content.length < GLOBAL_HEADER_LENGTH) {
            throw new FormatException("no pcap global header (" + content.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            buf.order(ByteOrder.BIG_ENDIAN);
            magic = buf.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new FormatException(String.format("not a classic pcap file (magic 0x%08x)", buf.getInt(0)));
            }
        }
        boolean nanos = magic == MAGIC_NANOS;
        int linkType = buf.getInt(20);
        List<Packet> packets = new ArrayList<>();
        int pos = GLOBAL_HEADER_LENGTH;
        while (pos < content.length) {
            if (content.length - pos < RECORD_HEADER_LENGTH) {
                throw new FormatException("record header cut off at byte " + pos);
            }
            long seconds = Integer.toUnsignedLong(buf.getInt(pos));
            long fraction = Integer.toUnsignedLong(buf.getInt(pos + 4));
            long included = Integer.toUnsignedLong(buf.getInt(pos + 8));
            int original = buf.getInt(pos + 12);
            pos += RECORD_HEADER_LENGTH;
            if (included > content.length - pos) {
                throw new FormatException("record of " + included + " bytes runs past the end at byte " + pos);
            }
            Instant ts = Instant.ofEpochSecond(seconds, nanos ? fraction : fraction * 1000);
            packets.add(new Packet(ts, original, Arrays.copyOfRange(content, pos, pos + (int) included)));
            pos += (int) included;
        }
        return new PcapFile(linkType, packets);
    }

    public int linkType() {
        return linkType;
    }

    public List<Packet> packets() {
        return packets;
    }
}
