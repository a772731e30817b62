package dev.vigil.vrrp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Whole keepalived lab runs (keepalived.md §3) replayed through the codec: everything keepalived
 * sent must decode and re-encode byte for byte, and the lab's injected adverts must be sorted
 * into the same accept / reject outcomes keepalived logged for them (§1.3, §1.4).
 */
class CaptureReplayTest {
    static final List<String> CAPTURES = Fixtures.CAPTURES;
    /** 10.232.0.3 (MAC …:03) ran lab/inject.py, an independent encoder; .1 and .2 ran keepalived. */
    private static final MacAddress INJECTOR_MAC = MacAddress.parse("02:00:0a:e8:00:03");

    @ParameterizedTest
    @FieldSource("CAPTURES")
    void everyKeepalivedAdvertDecodesAndReencodesByteExact(String capture) {
        List<byte[]> adverts = vrrpFrames(capture, f -> !MacAddress.read(f, 6).equals(INJECTOR_MAC));

        assertThat(adverts).isNotEmpty();
        for (byte[] frame : adverts) {
            VrrpFrameDecodeResult.Ok ok = GoldenFixtureTest.decodeOk(frame);
            assertThat(Fixtures.toHex(VrrpFrames.encode(ok.frame(), ok.checksumVariant())))
                    .isEqualTo(Fixtures.toHex(frame));
            assertThat(ok.checksumVariant()).isEqualTo(VrrpCodec.defaultChecksumVariant(ok.frame().packet().version()));
        }
    }

    @ParameterizedTest
    @FieldSource("CAPTURES")
    void everyAcceptedFrameReencodesByteExactIncludingInjectedOnes(String capture) {
        VrrpReceivePolicy lenient = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.values()));
        for (byte[] frame : vrrpFrames(capture, f -> true)) {
            if (VrrpFrames.decode(frame, lenient) instanceof VrrpFrameDecodeResult.Ok ok) {
                assertThat(VrrpFrames.encode(ok.frame(), ok.checksumVariant())).isEqualTo(frame);
            }
        }
    }

    /** bad checksum ×20, no pseudo-header ×20, TTL 64 ×20, good ×20 (1 VIP) +20 (2 VIPs) +10 (unicast). */
    @Test
    void injectedV3AdvertsAreSortedAsKeepalivedSortedThem() {
        List<byte[]> injected = vrrpFrames("inject-v3", f -> MacAddress.read(f, 6).equals(INJECTOR_MAC));

        assertThat(outcomes(injected, VrrpReceivePolicy.DEFAULT))
                .isEqualTo(Map.of("OK", 50, "BAD_CHECKSUM", 40, "WRONG_TTL", 20));
        VrrpReceivePolicy alsoPlain = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(
                VrrpChecksumVariant.PSEUDO_HEADER, VrrpChecksumVariant.MESSAGE_ONLY));
        assertThat(outcomes(injected, alsoPlain)).isEqualTo(Map.of("OK", 70, "BAD_CHECKSUM", 20, "WRONG_TTL", 20));
    }

    /** auth none ×2, wrong password ×2, VRRPv3 ×2, interval 2 s ×2 (accepted here, dropped by the FSM), good ×3. */
    @Test
    void injectedV2AdvertsAreSortedAgainstThePassInstance() {
        List<byte[]> injected = vrrpFrames("inject-v2", f -> MacAddress.read(f, 6).equals(INJECTOR_MAC));
        VrrpReceivePolicy instance = VrrpReceivePolicy.DEFAULT.expectVersion(2)
                .expectAuthentication(VrrpReceivePolicy.Authentication.password(new Secret("s3cr3tpw")))
                .expectTransport(VrrpTransport.MULTICAST)
                .expectAddresses(Set.of(Fixtures.ip("10.232.0.100")));

        assertThat(outcomes(injected, instance)).isEqualTo(
                Map.of("OK", 5, "AUTH_TYPE_MISMATCH", 2, "AUTH_FAILURE", 2, "VERSION_MISMATCH", 2));
        List<Integer> acceptedIntervals = new ArrayList<>();
        for (byte[] f : injected) {
            if (VrrpFrames.decode(f, instance) instanceof VrrpFrameDecodeResult.Ok ok) {
                acceptedIntervals.add(ok.frame().packet().advertInterval());
            }
        }
        assertThat(acceptedIntervals).containsExactlyInAnyOrder(1, 1, 1, 2, 2);
    }

    @Test
    void unicastRunIsAcceptedByUnicastInstancesOnly() {
        List<byte[]> frames = vrrpFrames("uni", f -> true);

        assertThat(outcomes(frames, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.UNICAST)))
                .isEqualTo(Map.of("OK", 16));
        assertThat(outcomes(frames, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.MULTICAST)))
                .isEqualTo(Map.of("UNEXPECTED_UNICAST", 16));
    }

    /** keepalived numbers each instance's adverts 1, 2, 3, … (per VRID and direction). */
    @Test
    void ipIdentificationCountsUpFromOnePerInstance() {
        Map<String, List<Integer>> ids = new TreeMap<>();
        for (byte[] frame : vrrpFrames("uni", f -> true)) {
            VrrpFrame f = GoldenFixtureTest.decodeOk(frame).frame();
            Ipv4Header h = (Ipv4Header) f.ipHeader();
            ids.computeIfAbsent(h.source().getHostAddress() + "/" + f.packet().vrid(), k -> new ArrayList<>())
                    .add(h.identification());
        }

        assertThat(ids).hasSize(4).allSatisfy((instance, seq) -> assertThat(seq).containsExactly(1, 2, 3, 4));
    }

    private static Map<String, Integer> outcomes(List<byte[]> frames, VrrpReceivePolicy policy) {
        Map<String, Integer> counts = new TreeMap<>();
        for (byte[] f : frames) {
            VrrpFrameDecodeResult r = VrrpFrames.decode(f, policy);
            String key = r instanceof VrrpFrameDecodeResult.Invalid bad ? bad.reason().name() : "OK";
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /** Frames carrying IP protocol 112, selected by raw header bytes rather than by the decoder under test. */
    static List<byte[]> vrrpFrames(String capture, Predicate<byte[]> filter) {
        List<byte[]> out = new ArrayList<>();
        PcapFile pcap = Fixtures.capture(capture);
        assertThat(pcap.linkType()).isEqualTo(PcapFile.LINKTYPE_ETHERNET);
        for (PcapFile.Packet p : pcap.packets()) {
            byte[] f = p.data();
            int ethertype = (f[12] & 0xff) << 8 | (f[13] & 0xff);
            boolean vrrp = ethertype == 0x0800 && (f[14 + 9] & 0xff) == 112
                    || ethertype == 0x86dd && (f[14 + 6] & 0xff) == 112;
            if (vrrp && filter.test(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
