package dev.vigil.vrrp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class VrrpFrameDecoderTest {
    static final List<String> CAPTURES = Fixtures.CAPTURES;

    /** Whole lab runs in capture order, injected bad frames included: every result is decoding's own. */
    @ParameterizedTest
    @FieldSource("CAPTURES")
    void everyFrameOfARealCaptureDecodesExactlyAsVrrpFramesDecodesIt(String capture) {
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        List<byte[]> frames = CaptureReplayTest.vrrpFrames(capture, f -> true);
        for (byte[] frame : frames) {
            assertThat(decoder.decode(frame)).isEqualTo(VrrpFrames.decode(frame));
        }
        // keepalived's steady adverts differ only in the IPv4 identification: most are repeats
        assertThat(decoder.repeats()).as("repeats in " + capture).isGreaterThan(frames.size() / 4);
    }

    @Test
    void aRepeatedKeepalivedAdvertCarriesItsOwnIdentification() {
        byte[] first = Fixtures.pcapFrame("v3-ipv4-advert");
        byte[] next = FrameSurgery.of(first).setIpWord(4, 0x1234).fixIpChecksum().bytes();
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        VrrpFrameDecodeResult.Ok a = (VrrpFrameDecodeResult.Ok) decoder.decode(first);
        VrrpFrameDecodeResult.Ok b = (VrrpFrameDecodeResult.Ok) decoder.decode(next);

        assertThat(decoder.repeats()).isEqualTo(1);
        assertThat(((Ipv4Header) b.frame().ipHeader()).identification()).isEqualTo(0x1234);
        assertThat(b.frame().packet()).isSameAs(a.frame().packet());
        assertThat(b).isEqualTo(VrrpFrames.decode(next));
    }

    @Test
    void aRepeatWithABrokenIpHeaderChecksumIsRejectedAsDecodingRejectsIt() {
        byte[] first = Fixtures.pcapFrame("v3-ipv4-advert");
        byte[] damaged = FrameSurgery.of(first).setIpWord(4, 0x1234).bytes(); // identification changed, checksum not
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        decoder.decode(first);

        VrrpFrameDecodeResult r = decoder.decode(damaged);
        assertThat(r).isInstanceOf(VrrpFrameDecodeResult.Invalid.class).isEqualTo(VrrpFrames.decode(damaged));
        assertThat(((VrrpFrameDecodeResult.Invalid) r).reason()).isEqualTo(VrrpRejectReason.BAD_IP_HEADER_CHECKSUM);
        assertThat(decoder.repeats()).isZero();
    }

    @Test
    void aChangedPriorityIsDecodedAgainAndABadVrrpChecksumStillRejected() {
        byte[] first = Fixtures.pcapFrame("v3-ipv4-advert");
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        decoder.decode(first);

        byte[] unrepaired = FrameSurgery.of(first).setVrrp(2, 0).bytes();
        assertThat(decoder.decode(unrepaired)).isEqualTo(VrrpFrames.decode(unrepaired))
                .isInstanceOf(VrrpFrameDecodeResult.Invalid.class);
        byte[] priorityZero = FrameSurgery.of(first).setVrrp(2, 0).fixVrrpChecksum().bytes();
        VrrpFrameDecodeResult.Ok ok = (VrrpFrameDecodeResult.Ok) decoder.decode(priorityZero);
        assertThat(ok.frame().packet().priority()).isZero();
        assertThat(decoder.repeats()).isZero();
    }

    @Test
    void anIpv6AdvertRepeatsOnlyWhenEveryByteIsTheSame() {
        byte[] first = Fixtures.pcapFrame("v3-ipv6-advert");
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        VrrpFrameDecodeResult.Ok a = (VrrpFrameDecodeResult.Ok) decoder.decode(first);
        assertThat(decoder.decode(first.clone())).isSameAs(a);
        byte[] otherFlow = FrameSurgery.of(first).set(14 + 3, 0x42).bytes();
        assertThat(decoder.decode(otherFlow)).isEqualTo(VrrpFrames.decode(otherFlow));
        assertThat(decoder.repeats()).isEqualTo(1);
    }

    @Test
    void framesTooShortToNameAVridAreDecodedAndRejectedAsUsual() {
        VrrpFrameDecoder decoder = new VrrpFrameDecoder();
        for (int n = 0; n < 40; n++) {
            byte[] cut = java.util.Arrays.copyOf(Fixtures.pcapFrame("v3-ipv4-advert"), n);
            assertThat(decoder.decode(cut)).isEqualTo(VrrpFrames.decode(cut));
        }
    }
}
