package dev.vigil.transport.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.function.Consumer;
import org.pcap4j.core.PcapHandle;

/**
 * Reads a non-blocking libpcap handle straight from its capture ring with {@code pcap_next_ex}, bound
 * by JNA direct mapping.
 *
 * <p>Why not pcap4j's own calls: its {@code loop}/{@code dispatch} deliver every frame through a JNA
 * callback, and {@code dispatch} even builds a new native callback trampoline per call (an
 * {@code mmap} and {@code mprotect} each time, seen with strace); {@code getNextRawPacket} allocates
 * a JNA {@code Structure} per frame. Here a frame costs one direct call and one copy.
 *
 * <p>The handle stays pcap4j's (it opened, configured and filtered it and will close it); only its
 * {@code pcap_t *} is borrowed, read from pcap4j's private field once.
 */
final class PcapReceiveRing {
    /** Offset of {@code caplen} in {@code struct pcap_pkthdr} on LP64: after a 16-byte {@code struct timeval}. */
    private static final int CAPLEN_OFFSET = 16;

    /** Before any read has found the ring empty, a capture stamp older than this is not believed. */
    private static final long MAX_BELIEVED_AGE_NANOS = 1_000_000_000L;

    private final Pointer pcap;
    private final int fd;
    /**
     * Out-parameters of {@code pcap_next_ex} (the header pointer at 0, the data pointer at 8) in native
     * memory: a Java {@code long[]} would be copied in and out through JNI on every call, with a
     * malloc and free each time (perf showed them as 9 % of a backup's samples). Only the draining
     * thread touches them.
     */
    private final Memory out = new Memory(16);
    private final Pointer headerOut = out;
    private final Pointer dataOut = out.share(8);
    /** {@code struct tpacket_stats_v3}: packets, drops, freeze count (three unsigned ints), and its length. */
    private final Memory stats = new Memory(12);
    private final Memory statsLength = new Memory(4);
    /** Drops since the open: the kernel's count restarts at each read of it. */
    private long dropsSoFar;
    private long packetsSoFar;
    private boolean statsUnavailable;
    private long errors;
    private volatile long lastEpochMicros;
    private volatile long lastCaptureNanos;
    private volatile long drainNanos;
    /**
     * When a read last found the ring empty ({@link System#nanoTime}): every frame read since was
     * captured after it, whatever its stamp says. The stamps are wall-clock time, converted at the
     * read; a clock stepped while frames wait (a reader that leaves a quiet backup's ring unread
     * for a Master_Down interval, seconds at advert_int 1) would otherwise make them look older than
     * they are, and an advert that looks older ends its backup's wait early.
     */
    private long emptyAtNanos;
    private boolean seenEmpty;

    private PcapReceiveRing(Pointer pcap, int fd) {
        this.pcap = pcap;
        this.fd = fd;
    }

    static PcapReceiveRing of(PcapHandle handle) {
        Pointer p = PcapNative.pcapOf(handle);
        int fd = PcapNative.Direct.pcap_get_selectable_fd(p);
        if (fd < 0) throw new IllegalStateException("the capture has no selectable file descriptor");
        return new PcapReceiveRing(p, fd);
    }

    int selectableFd() {
        return fd;
    }

    /** The capture time of the frame last read, microseconds since the epoch (the kernel's stamp). */
    long lastEpochMicros() {
        return lastEpochMicros;
    }

    /**
     * The capture time of the frame last read on the {@link System#nanoTime} axis: the kernel's stamp
     * moved by the wall clock's offset at the drain, and never later than the drain itself.
     */
    long lastCaptureNanos() {
        return lastCaptureNanos;
    }

    /** When the current read of the ring began, on the {@link System#nanoTime} axis. */
    long drainNanos() {
        return drainNanos;
    }

    long errors() {
        return errors;
    }

    /**
     * Frames the kernel dropped because the ring was full since the open, or -1 when it cannot say.
     * One {@code getsockopt(PACKET_STATISTICS)} on the capture socket, read directly: libpcap's
     * {@code pcap_stats} makes the same call and then opens and reads two files under
     * {@code /sys/class/net/DEV/statistics} for the interface's own drops, which nothing here uses
     * (six system calls per look, seen with strace on a quiet backup). Nothing else reads the
     * socket's statistics, which the kernel resets at each read, so the sum here is the whole count.
     */
    long drops() {
        if (statsUnavailable) return -1;
        statsLength.setInt(0, 12);
        if (PcapNative.Libc.getsockopt(fd, PcapNative.SOL_PACKET, PcapNative.PACKET_STATISTICS, stats, statsLength) != 0) {
            statsUnavailable = true;
            return -1;
        }
        packetsSoFar += stats.getInt(0) & 0xffffffffL;
        dropsSoFar += stats.getInt(4) & 0xffffffffL;
        return dropsSoFar;
    }

    /** Frames the kernel accepted into the ring since the open (its filter passed them), or -1 when it cannot say. */
    long kernelPackets() {
        return drops() < 0 ? -1 : packetsSoFar;
    }

    int drain(int max, Consumer<byte[]> receiver) {
        int n = 0;
        long monoNow = 0;
        long wallToMono = 0;
        while (n < max) {
            int rc = PcapNative.Direct.pcap_next_ex(pcap, headerOut, dataOut);
            if (rc == 1) {
                if (n == 0) {
                    java.time.Instant wall = java.time.Instant.now();
                    monoNow = System.nanoTime();
                    wallToMono = monoNow - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
                    drainNanos = monoNow;
                }
                Pointer h = new Pointer(out.getLong(0));
                long micros = h.getLong(0) * 1_000_000 + h.getLong(8);
                lastEpochMicros = micros;
                long captured = micros * 1000 + wallToMono;
                long earliest = seenEmpty ? emptyAtNanos : monoNow - MAX_BELIEVED_AGE_NANOS;
                lastCaptureNanos = captured > monoNow ? monoNow : Math.max(captured, earliest);
                int caplen = h.getInt(CAPLEN_OFFSET);
                byte[] frame = new Pointer(out.getLong(8)).getByteArray(0, caplen);
                n++;
                receiver.accept(frame);
            } else if (rc == 0) {
                // non-blocking: nothing waiting. Frames read later arrived after now (taken after the
                // empty answer, so a frame that raced it is at worst stamped a little too late)
                emptyAtNanos = System.nanoTime();
                seenEmpty = true;
                return n;
            } else {
                errors++; // -1 error (interface gone), -2 break: the owner sees the link's counters stop
                return n;
            }
        }
        return n;
    }
}
