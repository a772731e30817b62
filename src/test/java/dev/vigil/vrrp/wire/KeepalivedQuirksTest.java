package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One named test per keepalived 2.2.7 behaviour recorded in keepalived.md §1, checked against captures. */
class KeepalivedQuirksTest {
    private static final Inet4Address NODE_A = (Inet4Address) ip("10.232.0.1");
    private static final Inet4Address NODE_B = (Inet4Address) ip("10.232.0.2");
    private static final Secret FIXTURE_PASSWORD = new Secret("s3cr3tpw");

    @Test
    void v3Ipv4UnicastChecksumCoversThePeerAddressNotTheGroup() {
        byte[] payload = FrameSurgery.of(Fixtures.hex("v3-unicast-advert")).payload();
        VrrpReceivePolicy realDestinationOnly =
                VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.PSEUDO_HEADER));

        assertThat(VrrpCodec.decode(payload, NODE_A, NODE_B, realDestinationOnly))
                .isEqualTo(new VrrpDecodeResult.Ok(decodeOk(payload, NODE_A, NODE_B).packet(),
                        VrrpChecksumVariant.PSEUDO_HEADER));
        assertThat(reason(VrrpCodec.decode(payload, NODE_A, VrrpCodec.IPV4_GROUP, realDestinationOnly)))
                .isEqualTo(VrrpRejectReason.BAD_CHECKSUM);
        assertThat(reason(VrrpCodec.decode(payload, NODE_A, NODE_B,
                VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.MESSAGE_ONLY)))))
                .isEqualTo(VrrpRejectReason.BAD_CHECKSUM);
    }

    @Test
    void v3Ipv4MulticastChecksumIncludesThePseudoHeader() {
        byte[] payload = FrameSurgery.of(Fixtures.hex("v3-ipv4-advert")).payload();
        VrrpPacket packet = decodeOk(payload, NODE_A, VrrpCodec.IPV4_GROUP).packet();

        assertThat(packet.checksum()).isEqualTo(0x36aa);
        assertThat(VrrpCodec.checksum(packet, NODE_A, VrrpCodec.IPV4_GROUP, VrrpChecksumVariant.PSEUDO_HEADER))
                .isEqualTo(0x36aa);
        assertThat(VrrpCodec.checksum(packet, NODE_A, VrrpCodec.IPV4_GROUP, VrrpChecksumVariant.MESSAGE_ONLY))
                .isNotEqualTo(0x36aa);
    }

    /** keepalived before 1.3.6 put 224.0.0.18 in the unicast pseudo-header; 2.2.7 detects and accepts it. */
    @Test
    void legacyUnicastChecksumIsAcceptedAndReportedSoTheSenderCanFollow() {
        VrrpPacket packet = decodeOk(FrameSurgery.of(Fixtures.hex("v3-unicast-advert")).payload(), NODE_A, NODE_B).packet();
        byte[] legacy = VrrpCodec.encode(packet, NODE_A, NODE_B, VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST);

        assertThat(VrrpCodec.decode(legacy, NODE_A, NODE_B))
                .isEqualTo(new VrrpDecodeResult.Ok(packet.withChecksum(u16(legacy, 6)),
                        VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST));
        assertThat(u16(legacy, 6)).isEqualTo(
                VrrpCodec.checksum(packet, NODE_A, VrrpCodec.IPV4_GROUP, VrrpChecksumVariant.PSEUDO_HEADER));
        assertThat(reason(VrrpCodec.decode(legacy, NODE_A, NODE_B,
                VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.PSEUDO_HEADER)))))
                .isEqualTo(VrrpRejectReason.BAD_CHECKSUM);
    }

    /** The lab's "nopseudo" injection: keepalived 2.2.7 logged "Invalid VRRPv3 checksum" (keepalived.md §1.3). */
    @Test
    void v3WithoutPseudoHeaderIsRejectedByDefaultAndAcceptedOnlyWhenAskedFor() {
        VrrpPacket packet = VrrpPacket.v3(52, 200, 10, List.of(ip("10.232.0.100")));
        InetAddress intruder = ip("10.232.0.3");
        byte[] ciscoStyle = VrrpCodec.encode(packet, intruder, VrrpCodec.IPV4_GROUP, VrrpChecksumVariant.MESSAGE_ONLY);

        assertThat(reason(VrrpCodec.decode(ciscoStyle, intruder, VrrpCodec.IPV4_GROUP))).isEqualTo(VrrpRejectReason.BAD_CHECKSUM);
        VrrpDecodeResult lenient = VrrpCodec.decode(ciscoStyle, intruder, VrrpCodec.IPV4_GROUP, VrrpReceivePolicy.DEFAULT
                .acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.PSEUDO_HEADER, VrrpChecksumVariant.MESSAGE_ONLY)));
        assertThat(lenient).isInstanceOf(VrrpDecodeResult.Ok.class);
        assertThat(((VrrpDecodeResult.Ok) lenient).checksumVariant()).isEqualTo(VrrpChecksumVariant.MESSAGE_ONLY);
    }

    @Test
    void v2ChecksumCoversTheMessageOnlySoTheIpAddressesDoNotMatter() {
        byte[] payload = FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).payload();

        assertThat(decodeOk(payload, NODE_B, ip("192.0.2.7")).packet())
                .isEqualTo(decodeOk(payload, NODE_A, VrrpCodec.IPV4_GROUP).packet());
        assertThat(VrrpCodec.decode(payload, NODE_B, NODE_A).isOk()).isTrue();
    }

    @Test
    void v2AuthPassAdvertMatchesTheResearchBytes() {
        VrrpPacket packet = VrrpPacket.v2WithPassword(51, 150, 1, FIXTURE_PASSWORD, List.of((Inet4Address) ip("10.232.0.100")));

        assertThat(Fixtures.toHex(VrrpCodec.encode(packet, NODE_A, VrrpCodec.IPV4_GROUP)))
                .isEqualTo("213396010101c1ec0ae800647333637233747077");
    }

    @Test
    void ipTotalLengthNotFrameLengthDecidesWhereTheMessageEnds() {
        for (String name : Fixtures.ADVERTS) {
            byte[] exact = Fixtures.hex(name);
            // Real Ethernet pads to 60 bytes (plus FCS); padding content is unspecified, so use junk.
            byte[] padded = FrameSurgery.of(exact).padTo(Math.max(60, exact.length + 4), 0xa5).bytes();

            VrrpFrameDecodeResult.Ok ok = GoldenFixtureTest.decodeOk(padded);
            assertThat(ok.frame()).as(name).isEqualTo(GoldenFixtureTest.decodeOk(exact).frame());
            assertThat(VrrpFrames.encode(ok.frame())).as(name).isEqualTo(exact);
        }
    }

    @Test
    void paddingLeftOnTheMessageIsALengthErrorAsInKeepalived() {
        byte[] frame = Fixtures.hex("v3-unicast-advert");
        byte[] payloadWithPadding = FrameSurgery.of(frame).padTo(60, 0).bytes();
        byte[] tail = java.util.Arrays.copyOfRange(payloadWithPadding, FrameSurgery.ETH + 20, 60);

        VrrpDecodeResult result = VrrpCodec.decode(tail, NODE_A, NODE_B);

        assertThat(reason(result)).isEqualTo(VrrpRejectReason.LENGTH_MISMATCH);
        assertThat(((VrrpDecodeResult.Invalid) result).detail()).contains("too long");
        assertThat(VrrpRejectReason.LENGTH_MISMATCH.keepalivedCounter()).contains("packet_len_err");
    }

    @Test
    void priorityZeroShutdownAdvertIsAValidAdvertDifferingOnlyInPriority() {
        VrrpPacket v2Stop = GoldenFixtureTest.decodeOk(Fixtures.hex("v2-authpass-prio0-shutdown")).frame().packet();
        VrrpPacket v3Stop = GoldenFixtureTest.decodeOk(Fixtures.hex("v3-ipv4-prio0-shutdown")).frame().packet();

        assertThat(v2Stop.isShutdown()).isTrue();
        assertThat(v3Stop.isShutdown()).isTrue();
        assertThat(VrrpCodec.encode(v2Stop.withPriority(150), NODE_A, VrrpCodec.IPV4_GROUP))
                .isEqualTo(FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).payload());
        assertThat(VrrpCodec.encode(v3Stop.withPriority(150), NODE_A, VrrpCodec.IPV4_GROUP))
                .isEqualTo(FrameSurgery.of(Fixtures.hex("v3-ipv4-advert")).payload());
    }

    @Test
    void sourceMacIsTheInterfaceMacAndAnyIsAccepted() {
        VrrpFrame frame = GoldenFixtureTest.decodeOk(Fixtures.hex("v2-authpass-advert")).frame();

        assertThat(frame.sourceMac()).isEqualTo(Fixtures.NODE_A_MAC);
        assertThat(frame.sourceMac()).isNotEqualTo(MacAddress.vrrpIpv4VirtualMac(51));
        assertThat(MacAddress.vrrpIpv4VirtualMac(51)).hasToString("00:00:5e:00:01:33");
        assertThat(MacAddress.vrrpIpv6VirtualMac(62)).hasToString("00:00:5e:00:02:3e");

        VrrpFrame fromVmac = new VrrpFrame(frame.destinationMac(), MacAddress.vrrpIpv4VirtualMac(51), frame.ipHeader(),
                frame.packet());
        assertThat(GoldenFixtureTest.decodeOk(VrrpFrames.encode(fromVmac)).frame()).isEqualTo(fromVmac);
    }

    @Test
    void keepalivedEnvelopeDefaultsRebuildTheCapturedFrames() {
        Secret unipass = new Secret("unipass8");
        VrrpPacket v2 = VrrpPacket.v2WithPassword(51, 150, 1, FIXTURE_PASSWORD, List.of((Inet4Address) ip("10.232.0.100")));
        VrrpPacket v2Unicast = VrrpPacket.v2WithPassword(54, 150, 1, unipass, List.of((Inet4Address) ip("10.232.0.111")));
        VrrpPacket v3 = VrrpPacket.v3(52, 150, 10, List.of(ip("10.232.0.100"), ip("10.232.0.101")));
        VrrpPacket v3Unicast = VrrpPacket.v3(53, 150, 100, List.of(ip("10.232.0.110")));
        VrrpPacket v3Ipv6 = VrrpPacket.v3(62, 150, 100, List.of(ip("fe80::62"), ip("fd00:232::62")));

        assertThat(VrrpFrames.encode(VrrpFrames.multicastIpv4(Fixtures.NODE_A_MAC, NODE_A, 1, v2)))
                .isEqualTo(Fixtures.hex("v2-authpass-advert"));
        assertThat(VrrpFrames.encode(VrrpFrames.multicastIpv4(Fixtures.NODE_A_MAC, NODE_A, 36, v2.withPriority(0))))
                .isEqualTo(Fixtures.hex("v2-authpass-prio0-shutdown"));
        assertThat(VrrpFrames.encode(VrrpFrames.unicastIpv4(Fixtures.NODE_A_MAC, Fixtures.NODE_B_MAC, NODE_A, NODE_B, 1,
                v2Unicast))).isEqualTo(Fixtures.hex("v2-unicast-authpass-advert"));
        assertThat(VrrpFrames.encode(VrrpFrames.multicastIpv4(Fixtures.NODE_A_MAC, NODE_A, 1, v3)))
                .isEqualTo(Fixtures.hex("v3-ipv4-advert"));
        assertThat(VrrpFrames.encode(VrrpFrames.multicastIpv4(Fixtures.NODE_A_MAC, NODE_A, 58, v3.withPriority(0))))
                .isEqualTo(Fixtures.hex("v3-ipv4-prio0-shutdown"));
        assertThat(VrrpFrames.encode(VrrpFrames.unicastIpv4(Fixtures.NODE_A_MAC, Fixtures.NODE_B_MAC, NODE_A, NODE_B, 1,
                v3Unicast))).isEqualTo(Fixtures.hex("v3-unicast-advert"));
        assertThat(VrrpFrames.encode(VrrpFrames.multicastIpv6(Fixtures.NODE_A_MAC, (Inet6Address) ip("fe80::aff:fee8:1"),
                0x85cba, v3Ipv6))).isEqualTo(Fixtures.hex("v3-ipv6-advert"));
    }

    @Test
    void ipv6AdvertCarriesTrafficClassC0AndTheKernelFlowLabel() {
        Ipv6Header h = (Ipv6Header) GoldenFixtureTest.decodeOk(Fixtures.hex("v3-ipv6-advert")).frame().ipHeader();

        assertThat(h.trafficClass()).isEqualTo(0xc0);
        assertThat(h.flowLabel()).isEqualTo(0x85cba);
        assertThat(h.hopLimit()).isEqualTo(255);
        assertThat(h.destination()).isEqualTo(VrrpCodec.IPV6_GROUP);
    }

    @Test
    void ipv6AdvertListsTheLinkLocalVipFirst() {
        VrrpPacket p = GoldenFixtureTest.decodeOk(Fixtures.hex("v3-ipv6-advert")).frame().packet();

        assertThat(p.addresses().get(0).isLinkLocalAddress()).isTrue();
        assertThat(p.advertIntervalDuration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void unicastAdvertIsNotHeldToTtl255() {
        byte[] ttl64 = FrameSurgery.of(Fixtures.hex("v3-unicast-advert")).setIp(8, 64).fixIpChecksum().bytes();

        VrrpFrameDecodeResult.Ok ok = GoldenFixtureTest.decodeOk(ttl64);
        assertThat(ok.frame().ipHeader().ttlOrHopLimit()).isEqualTo(64);
        assertThat(VrrpFrames.decode(ttl64, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.UNICAST)).isOk())
                .isTrue();
        assertThat(reason(VrrpFrames.decode(ttl64, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.MULTICAST))))
                .isEqualTo(VrrpRejectReason.WRONG_TTL);
    }

    @Test
    void multicastAdvertMustArriveWithTtl255() {
        byte[] ttl64 = FrameSurgery.of(Fixtures.hex("v3-ipv4-advert")).setIp(8, 64).fixIpChecksum().bytes();
        byte[] hop254 = FrameSurgery.of(Fixtures.hex("v3-ipv6-advert")).setIp(7, 254).bytes();

        VrrpFrameDecodeResult result = VrrpFrames.decode(ttl64);
        assertThat(reason(result)).isEqualTo(VrrpRejectReason.WRONG_TTL);
        assertThat(((VrrpFrameDecodeResult.Invalid) result).detail()).isEqualTo("invalid TTL/HL. Received 64 and expect 255");
        assertThat(reason(VrrpFrames.decode(hop254))).isEqualTo(VrrpRejectReason.WRONG_TTL);
        assertThat(VrrpRejectReason.WRONG_TTL.keepalivedCounter()).contains("ip_ttl_err");
    }

    @Test
    void instanceModeMustMatchTheDestination() {
        assertThat(reason(VrrpFrames.decode(Fixtures.hex("v3-unicast-advert"),
                VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.MULTICAST))))
                .isEqualTo(VrrpRejectReason.UNEXPECTED_UNICAST);
        assertThat(reason(VrrpFrames.decode(Fixtures.hex("v3-ipv4-advert"),
                VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.UNICAST))))
                .isEqualTo(VrrpRejectReason.UNEXPECTED_MULTICAST);
        assertThat(VrrpRejectReason.UNEXPECTED_UNICAST.keepalivedCounter()).contains("addr_list_err");
    }

    @Test
    void passwordIsTruncatedToEightBytesAndNulPadded() {
        assertThat(VrrpPacket.authDataForPassword(new Secret("s3cr3tpw-and-more")).bytes())
                .isEqualTo("s3cr3tpw".getBytes());
        assertThat(VrrpPacket.authDataForPassword(new Secret("abc")).bytes())
                .isEqualTo(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0});
        VrrpPacket longPassword = VrrpPacket.v2WithPassword(51, 150, 1, new Secret("s3cr3tpw-and-more"),
                List.of((Inet4Address) ip("10.232.0.100")));
        assertThat(VrrpCodec.encode(longPassword, NODE_A, VrrpCodec.IPV4_GROUP))
                .isEqualTo(FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).payload());
        assertThat(VrrpPacket.v2WithPassword(51, 150, 1, new Secret("abc"), List.of(NODE_A)).password().orElseThrow())
                .isEqualTo(new Secret("abc"));
    }

    @Test
    void authenticationIsCheckedAgainstTheInstanceLikeKeepalived() {
        byte[] frame = Fixtures.hex("v2-authpass-advert");
        VrrpReceivePolicy v2 = VrrpReceivePolicy.DEFAULT.expectVersion(2);

        assertThat(VrrpFrames.decode(frame, v2.expectAuthentication(VrrpReceivePolicy.Authentication.password(FIXTURE_PASSWORD)))
                .isOk()).isTrue();
        VrrpFrameDecodeResult wrong = VrrpFrames.decode(frame,
                v2.expectAuthentication(VrrpReceivePolicy.Authentication.password(new Secret("wrongpw1"))));
        assertThat(reason(wrong)).isEqualTo(VrrpRejectReason.AUTH_FAILURE);
        assertThat(((VrrpFrameDecodeResult.Invalid) wrong).detail()).isEqualTo("received an invalid passwd!");
        VrrpFrameDecodeResult none = VrrpFrames.decode(frame, v2.expectAuthentication(VrrpReceivePolicy.Authentication.none()));
        assertThat(reason(none)).isEqualTo(VrrpRejectReason.AUTH_TYPE_MISMATCH);
        assertThat(((VrrpFrameDecodeResult.Invalid) none).detail()).isEqualTo("received a 1 auth, expecting 0!");
        assertThat(reason(VrrpFrames.decode(Fixtures.hex("v3-ipv4-advert"), v2)))
                .isEqualTo(VrrpRejectReason.VERSION_MISMATCH);
    }

    /** keepalived drops a v2 interval mismatch without a counter; it needs the instance's interval, so the FSM decides. */
    @Test
    void advertIntervalMismatchIsNotRejectedByTheCodec() {
        byte[] twoSeconds = FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).setVrrp(5, 2).fixVrrpChecksum().bytes();

        VrrpFrameDecodeResult.Ok ok = GoldenFixtureTest.decodeOk(twoSeconds);
        assertThat(ok.frame().packet().advertInterval()).isEqualTo(2);
        assertThat(ok.frame().packet().advertIntervalDuration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void v3ReservedBitsAreIgnoredOnReceiveAndSentAsZero() {
        byte[] original = Fixtures.hex("v3-ipv4-advert");
        byte[] reserved = FrameSurgery.of(original).setVrrp(4, 0xa0).fixVrrpChecksum().bytes();

        VrrpFrameDecodeResult.Ok ok = GoldenFixtureTest.decodeOk(reserved);
        assertThat(ok.frame().packet().advertInterval()).isEqualTo(10);
        assertThat(FrameSurgery.of(VrrpFrames.encode(ok.frame())).payload()[4]).isZero();
        assertThat(VrrpFrames.encode(ok.frame())).isEqualTo(original);
    }

    @Test
    void v3IntervalIsTwelveBitsOfCentiseconds() {
        VrrpPacket slowest = VrrpPacket.v3(1, 100, 4095, List.of(ip("192.0.2.1")));
        byte[] wire = VrrpCodec.encode(slowest, NODE_A, VrrpCodec.IPV4_GROUP);

        assertThat(wire[4]).isEqualTo((byte) 0x0f);
        assertThat(wire[5]).isEqualTo((byte) 0xff);
        assertThat(decodeOk(wire, NODE_A, VrrpCodec.IPV4_GROUP).packet().advertIntervalDuration())
                .isEqualTo(Duration.ofMillis(40_950));
        assertThatThrownBy(() -> VrrpPacket.v3(1, 100, 4096, List.of(ip("192.0.2.1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advertMustListEveryConfiguredVipInAnyOrder() {
        byte[] frame = Fixtures.hex("v3-ipv4-advert");
        VrrpReceivePolicy p = VrrpReceivePolicy.DEFAULT;

        assertThat(VrrpFrames.decode(frame, p.expectAddresses(Set.of(ip("10.232.0.101"), ip("10.232.0.100")))).isOk())
                .isTrue();
        assertThat(reason(VrrpFrames.decode(frame, p.expectAddresses(Set.of(ip("10.232.0.100"))))))
                .isEqualTo(VrrpRejectReason.ADDRESS_COUNT_MISMATCH);
        assertThat(reason(VrrpFrames.decode(frame, p.expectAddresses(Set.of(ip("10.232.0.100"), ip("10.232.0.102"))))))
                .isEqualTo(VrrpRejectReason.ADDRESS_LIST_MISMATCH);
    }

    @Test
    void ahIsTypedNotSilentlyAccepted() {
        byte[] ahInIpHeader = FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).setIp(9, 51).fixIpChecksum().bytes();
        byte[] ahAuthType = FrameSurgery.of(Fixtures.hex("v2-authpass-advert")).setVrrp(4, 2).fixVrrpChecksum().bytes();

        assertThat(reason(VrrpFrames.decode(ahInIpHeader))).isEqualTo(VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED);
        assertThat(reason(VrrpFrames.decode(ahAuthType))).isEqualTo(VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED);
        assertThatThrownBy(() -> new VrrpPacket(2, 1, 1, 100, 1, VrrpAuthType.AH, new Secret(new byte[8]), 1, 0,
                List.of(NODE_A))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsNeverAppearInToStrings() {
        byte[] frame = Fixtures.hex("v2-authpass-advert");
        VrrpReceivePolicy policy = VrrpReceivePolicy.DEFAULT
                .expectAuthentication(VrrpReceivePolicy.Authentication.password(new Secret("wrongpw1")));

        List<Object> printable = List.of(GoldenFixtureTest.decodeOk(frame), GoldenFixtureTest.decodeOk(frame).frame(),
                GoldenFixtureTest.decodeOk(frame).frame().packet(), VrrpFrames.decode(frame, policy), policy,
                VrrpPacket.authDataForPassword(FIXTURE_PASSWORD));
        for (Object o : printable) {
            assertThat(o.toString()).doesNotContain("s3cr3tpw").doesNotContain("wrongpw1")
                    .doesNotContain("7333637233747077");
        }
        assertThat(GoldenFixtureTest.decodeOk(frame).frame().packet().toString()).contains("auth=PASS(********)");
    }

    private static VrrpDecodeResult.Ok decodeOk(byte[] payload, InetAddress source, InetAddress destination) {
        VrrpDecodeResult result = VrrpCodec.decode(payload, source, destination);
        assertThat(result).isInstanceOf(VrrpDecodeResult.Ok.class);
        return (VrrpDecodeResult.Ok) result;
    }

    static VrrpRejectReason reason(VrrpDecodeResult result) {
        assertThat(result).isInstanceOf(VrrpDecodeResult.Invalid.class);
        return ((VrrpDecodeResult.Invalid) result).reason();
    }

    static VrrpRejectReason reason(VrrpFrameDecodeResult result) {
        assertThat(result).isInstanceOf(VrrpFrameDecodeResult.Invalid.class);
        return ((VrrpFrameDecodeResult.Invalid) result).reason();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
