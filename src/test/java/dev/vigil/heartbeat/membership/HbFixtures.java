package dev.vigil.heartbeat.membership;

import dev.vigil.config.Secret;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.AuthMethod;
import dev.vigil.heartbeat.wire.DecodeResult;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbField;
import dev.vigil.heartbeat.wire.HbMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real heartbeat 3.0.6 captures in {@code src/test/resources/heartbeat-fixtures} (README there):
 * single packets and whole pcaps, decoded with the project's codec under the key they were signed
 * with ({@code auth 1 / 1 sha1 s3cr3t-hb-test-key}).
 */
public final class HbFixtures {
    public static final String SHA1_KEY = "s3cr3t-hb-test-key";
    /** hb_uuid of the captured nodes, as carried in their {@code srcuuid}. */
    public static final UUID NODEA_UUID = message("01-status-init.bin").srcUuid().orElseThrow();
    public static final UUID NODEB_UUID = message("04-reqnodes.bin").srcUuid().orElseThrow();

    private HbFixtures() {}

    public static HbCodec codec() {
        return new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret(SHA1_KEY))));
    }

    public static byte[] bytes(String path) {
        try (InputStream in = HbFixtures.class.getResourceAsStream("/heartbeat-fixtures/" + path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture packet, verified and decoded (it still carries its inner {@code auth} field). */
    public static HbMessage message(String fixture) {
        DecodeResult r = codec().decode(bytes(fixture));
        if (!(r instanceof Decoded d)) throw new IllegalStateException(fixture + ": " + r);
        return d.message();
    }

    /** The fixture as a Vigil message would be before signing: without {@code auth}. */
    public static HbMessage unsigned(String fixture) {
        return message(fixture).withoutAuth();
    }

    /** Field names in order, without {@code auth}. */
    public static List<String> fieldNames(HbMessage m) {
        List<String> names = new ArrayList<>();
        for (HbField f : m.fields()) {
            if (!f.name().equals(HbMessage.AUTH)) names.add(f.name());
        }
        return names;
    }

    /** One heartbeat datagram of a capture. */
    public record Captured(double seconds, String sourceIp, HbMessage message) {}

    /** Every heartbeat datagram of a pcap in {@code pcap/}, decoded, with its capture time. */
    public static List<Captured> capture(String name) {
        ByteBuffer f = ByteBuffer.wrap(bytes("pcap/" + name + ".pcap")).order(ByteOrder.LITTLE_ENDIAN);
        if (f.getInt(0) != 0xa1b2c3d4) throw new IllegalStateException("not a little-endian pcap");
        HbCodec codec = codec();
        List<Captured> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= f.limit()) {
            long sec = f.getInt(pos) & 0xFFFFFFFFL;
            long usec = f.getInt(pos + 4) & 0xFFFFFFFFL;
            int caplen = f.getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + caplen;
            ByteBuffer e = ByteBuffer.wrap(f.array(), frame, caplen).slice().order(ByteOrder.BIG_ENDIAN);
            if (caplen < 42 || e.getShort(12) != 0x0800) continue;
            int ihl = (e.get(14) & 0x0F) * 4;
            if (e.get(14 + 9) != 17) continue;
            int udp = 14 + ihl;
            int sport = e.getShort(udp) & 0xFFFF;
            int dport = e.getShort(udp + 2) & 0xFFFF;
            if (sport != 694 && dport != 694) continue;
            int len = (e.getShort(udp + 4) & 0xFFFF) - 8;
            byte[] payload = new byte[len];
            e.get(udp + 8, payload);
            String src = (e.get(26) & 0xFF) + "." + (e.get(27) & 0xFF) + "." + (e.get(28) & 0xFF) + "." + (e.get(29) & 0xFF);
            if (codec.decode(payload) instanceof Decoded d) out.add(new Captured(sec + usec / 1e6, src, d.message()));
        }
        return out;
    }
}
