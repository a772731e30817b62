package dev.vigil.vrrp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the codecs over generated input; about 1000 tries in all so that the default
 * build stays quick ({@link VrrpWireFuzzTest} runs the same checks at length).
 */
class VrrpWirePropertiesTest {
    private static final VrrpReceivePolicy ANY_CHECKSUM =
            VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.values()));
    private static final InetAddress V4_SOURCE = Fixtures.ip("10.232.0.1");
    private static final InetAddress V6_SOURCE = Fixtures.ip("fe80::1");

    @Property(tries = 250)
    void randomBytesNeverThrow(@ForAll("randomBytes") byte[] bytes) {
        decodeEverywhere(bytes);
    }

    // Edge cases (length 0, first fixture, …) would crowd out the random damage; the explicit
    // truncation tests cover them.
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedCapturesNeverThrowAndWhatIsAcceptedIsCanonical(@ForAll("mutatedFixtures") byte[] bytes) {
        decodeEverywhere(bytes);
        Statistics.label("VRRP frame outcome").collect(outcome(VrrpFrames.decode(bytes, ANY_CHECKSUM)));
        if (VrrpFrames.decode(bytes, ANY_CHECKSUM) instanceof VrrpFrameDecodeResult.Ok ok) {
            assertReencodesCanonically(ok);
        }
        if (ArpFrames.decode(bytes) instanceof NeighborFrameDecodeResult.Ok<ArpFrame> ok) {
            assertThat(ArpFrames.decode(ArpFrames.encode(ok.frame()))).isEqualTo(ok);
        }
        if (NeighborAdvertFrames.decode(bytes) instanceof NeighborFrameDecodeResult.Ok<NeighborAdvertFrame> ok) {
            assertThat(NeighborAdvertFrames.decode(NeighborAdvertFrames.encode(ok.frame()))).isEqualTo(ok);
        }
    }

    @Property(tries = 150)
    void validPacketsRoundTrip(@ForAll("samples") WireArbitraries.Sample s) {
        Statistics.label("version, family, rule")
                .collect("v" + s.packet().version(), s.packet().isIpv6() ? "IPv6" : "IPv4", s.variant());
        byte[] wire = VrrpCodec.encode(s.packet(), s.source(), s.destination(), s.variant());

        VrrpDecodeResult result = VrrpCodec.decode(wire, s.source(), s.destination(), ANY_CHECKSUM);

        assertThat(result).isInstanceOf(VrrpDecodeResult.Ok.class);
        VrrpDecodeResult.Ok ok = (VrrpDecodeResult.Ok) result;
        assertThat(ok.packet()).isEqualTo(s.packet().withChecksum(((wire[6] & 0xff) << 8) | (wire[7] & 0xff)));
        assertThat(wire).hasSize(s.packet().encodedLength());
        assertThat(VrrpCodec.encode(ok.packet(), s.source(), s.destination(), ok.checksumVariant())).isEqualTo(wire);
    }

    @Property(tries = 100)
    void validFramesRoundTrip(@ForAll("frames") VrrpFrame frame) {
        byte[] wire = VrrpFrames.encode(frame);

        VrrpFrameDecodeResult result = VrrpFrames.decode(wire);

        assertThat(result).isInstanceOf(VrrpFrameDecodeResult.Ok.class);
        VrrpFrame decoded = ((VrrpFrameDecodeResult.Ok) result).frame();
        assertThat(decoded.packet().withChecksum(0)).isEqualTo(frame.packet());
        assertThat(decoded.ipHeader()).isEqualTo(frame.ipHeader());
        assertThat(VrrpFrames.encode(decoded)).isEqualTo(wire);
    }

    /**
     * Any single-bit error in a message is caught: a ones-complement sum changes by ±2^k for
     * one flipped bit, never by a multiple of 0xffff, and the structural checks see the rest.
     */
    @Property(tries = 200)
    void singleBitErrorsAreNeverAccepted(@ForAll("samples") WireArbitraries.Sample s,
                                         @ForAll @IntRange(min = 0, max = 100_000) int bitSeed) {
        byte[] wire = VrrpCodec.encode(s.packet(), s.source(), s.destination(), s.variant());
        int bit = bitSeed % (wire.length * 8);
        wire[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        VrrpReceivePolicy onlyTheSendersRule = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(s.variant()));

        assertThat(VrrpCodec.decode(wire, s.source(), s.destination(), onlyTheSendersRule))
                .isInstanceOf(VrrpDecodeResult.Invalid.class);
    }

    /**
     * Re-encoding what was accepted gives a frame that decodes to the same content. The bytes may
     * differ from the input where the input held what the model drops on purpose (v3 reserved
     * bits, IPv4 options and reserved flag, Ethernet padding), and then so does the checksum;
     * after one round the encoding is a fixed point.
     */
    static void assertReencodesCanonically(VrrpFrameDecodeResult.Ok ok) {
        byte[] again = VrrpFrames.encode(ok.frame(), ok.checksumVariant());
        VrrpFrameDecodeResult second = VrrpFrames.decode(again, ANY_CHECKSUM);

        assertThat(second).isInstanceOf(VrrpFrameDecodeResult.Ok.class);
        VrrpFrame reread = ((VrrpFrameDecodeResult.Ok) second).frame();
        assertThat(withoutChecksum(reread)).isEqualTo(withoutChecksum(ok.frame()));
        assertThat(VrrpFrames.encode(reread, ((VrrpFrameDecodeResult.Ok) second).checksumVariant())).isEqualTo(again);
    }

    private static VrrpFrame withoutChecksum(VrrpFrame f) {
        return new VrrpFrame(f.destinationMac(), f.sourceMac(), f.ipHeader(), f.packet().withChecksum(0));
    }

    private static String outcome(VrrpFrameDecodeResult r) {
        return r instanceof VrrpFrameDecodeResult.Invalid bad ? bad.reason().name() : "OK";
    }

    static void decodeEverywhere(byte[] bytes) {
        assertThat(VrrpFrames.decode(bytes)).isNotNull();
        assertThat(VrrpFrames.decode(bytes, ANY_CHECKSUM.expectVersion(2))).isNotNull();
        assertThat(VrrpCodec.decode(bytes, V4_SOURCE, VrrpCodec.IPV4_GROUP)).isNotNull();
        assertThat(VrrpCodec.decode(bytes, V6_SOURCE, VrrpCodec.IPV6_GROUP)).isNotNull();
        assertThat(ArpFrames.decode(bytes)).isNotNull();
        assertThat(NeighborAdvertFrames.decode(bytes)).isNotNull();
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return WireArbitraries.randomBytes();
    }

    @Provide
    Arbitrary<byte[]> mutatedFixtures() {
        return WireArbitraries.mutatedFixtures();
    }

    @Provide
    Arbitrary<WireArbitraries.Sample> samples() {
        return WireArbitraries.samples();
    }

    @Provide
    Arbitrary<VrrpFrame> frames() {
        return WireArbitraries.frames();
    }
}
