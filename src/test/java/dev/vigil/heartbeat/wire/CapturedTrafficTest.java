package dev.vigil.heartbeat.wire;

import static dev.vigil.heartbeat.wire.Fixtures.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every heartbeat datagram of the research captures (two real 3.0.6 nodes, plus a fake node in
 * cap8): decoded, verified and re-encoded byte for byte.
 */
class CapturedTrafficTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "cap1-startup, authkeys, 441",
        "cap2-standby, authkeys, 114",
        "cap3-takeover, authkeys, 110",
        "cap5-rejoin-failback, authkeys, 109",
        "cap6-loss, authkeys, 122",
        "cap10-ucast-mcast, authkeys, 120",
        "cap-kill1-k1d5, authkeys, 18",
        "cap-kill1-k200d1, authkeys, 66",
        "cap9-md5, authkeys-md5, 93",
        "cap9-crc, authkeys-crc, 93",
    })
    void everyPacketOfARealClusterVerifiesAndReEncodesByteExact(String capture, String authkeys, int packets) {
        HbCodec codec = new HbCodec(Fixtures.authkeys(authkeys));
        List<byte[]> payloads = heartbeatPayloads(capture);

        assertThat(payloads).hasSize(packets);
        for (byte[] p : payloads) {
            DecodeResult r = codec.decode(p);
            assertThat(r).as(latin1(p)).isInstanceOf(Decoded.class);
            Decoded d = (Decoded) r;
            assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
            assertThat(latin1(codec.encodeNetstring(d.message()))).isEqualTo(latin1(p));
        }
    }

    /** cap8: the fake node sent both formats, some of them with a wrong key (research §1.2 "Interop check"). */
    @Test
    void fakeNodeTrafficIsAcceptedExactlyWhereItsKeyWasRight() {
        HbCodec codec = Fixtures.sha1Codec();
        Map<WireFormat, Integer> accepted = new EnumMap<>(WireFormat.class);
        List<Rejected> rejected = new ArrayList<>();
        for (byte[] p : heartbeatPayloads("cap8-fakenode")) {
            DecodeResult r = codec.decode(p);
            if (r instanceof Decoded d) {
                accepted.merge(d.format(), 1, Integer::sum);
                byte[] again = d.format() == WireFormat.CLASSIC ? codec.encodeClassicDatagram(d.message()) : codec.encodeNetstring(d.message());
                assertThat(latin1(again)).isEqualTo(latin1(p));
            } else {
                rejected.add((Rejected) r);
            }
        }

        assertThat(accepted).containsEntry(WireFormat.NETSTRING, 68 + 12).containsEntry(WireFormat.CLASSIC, 15);
        assertThat(rejected).hasSize(5).allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
            assertThat(r.detail()).contains("nodeb");
        });
    }

    /** UDP payloads to or from port 694 in a little-endian Ethernet pcap. */
    static List<byte[]> heartbeatPayloads(String capture) {
        ByteBuffer f = ByteBuffer.wrap(Fixtures.bytes("pcap/" + capture + ".pcap")).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(f.getInt(0)).as("classic little-endian pcap").isEqualTo(0xa1b2c3d4);
        assertThat(f.getInt(20)).as("Ethernet link type").isEqualTo(1);
        List<byte[]> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= f.limit()) {
            int caplen = f.getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + caplen;
            ByteBuffer e = ByteBuffer.wrap(f.array(), frame, caplen).slice().order(ByteOrder.BIG_ENDIAN);
            if (caplen < 42 || e.getShort(12) != 0x0800) continue;
            int ihl = (e.get(14) & 0x0F) * 4;
            if (e.get(14 + 9) != 17 || (e.getShort(14 + 6) & 0x3FFF) != 0) continue; // UDP, not a fragment
            int udp = 14 + ihl;
            int sport = e.getShort(udp) & 0xFFFF;
            int dport = e.getShort(udp + 2) & 0xFFFF;
            int len = (e.getShort(udp + 4) & 0xFFFF) - 8;
            if (sport != 694 && dport != 694) continue;
            byte[] payload = new byte[len];
            e.get(udp + 8, payload);
            out.add(payload);
        }
        return out;
    }
}
