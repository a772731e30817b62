package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vigil.config.Secret;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged, truncated and foreign input: each case must come back as one specific typed
 * rejection, never an exception. Each case damages a real keepalived capture in one place and
 * repairs the checksums it does not mean to test, so the expected reason is the only defect.
 */
class HostileInputTest {
    static final List<String> ADVERTS = Fixtures.ADVERTS;
    private static final InetAddress A = ip("10.232.0.1");
    private static final InetAddress B = ip("10.232.0.2");
    private static final InetAddress GROUP = VrrpCodec.IPV4_GROUP;

    record Case(String name, VrrpRejectReason expected, Supplier<Object> decode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                frame("no Ethernet header", VrrpRejectReason.FRAME_TOO_SHORT, new byte[13]),
                frame("empty frame", VrrpRejectReason.FRAME_TOO_SHORT, new byte[0]),
                frame("gratuitous ARP given to the VRRP decoder", VrrpRejectReason.UNSUPPORTED_ETHERTYPE,
                        Fixtures.hex("garp-ipv4-vip")),
                frame("IPv4 header cut off", VrrpRejectReason.IP_HEADER_TRUNCATED,
                        surgery("v2-authpass-advert").truncate(14 + 19).bytes()),
                frame("IPv6 header cut off", VrrpRejectReason.IP_HEADER_TRUNCATED,
                        surgery("v3-ipv6-advert").truncate(14 + 39).bytes()),
                frame("IHL 4", VrrpRejectReason.IP_HEADER_MALFORMED,
                        surgery("v2-authpass-advert").setIp(0, 0x44).bytes()),
                frame("IPv6 ethertype with version 4", VrrpRejectReason.IP_HEADER_MALFORMED,
                        surgery("v3-ipv6-advert").setIp(0, 0x4c).bytes()),
                frame("IPv4 header checksum off by one", VrrpRejectReason.BAD_IP_HEADER_CHECKSUM,
                        surgery("v3-ipv4-advert").setIp(11, 0xae).bytes()),
                frame("frame one byte shorter than ip_tot_len", VrrpRejectReason.IP_LENGTH_MISMATCH,
                        surgery("v3-unicast-advert").truncate(45).bytes()),
                frame("ip_tot_len smaller than the IP header", VrrpRejectReason.IP_LENGTH_MISMATCH,
                        surgery("v3-ipv4-advert").setIpWord(2, 16).fixIpChecksum().bytes()),
                frame("IPv6 payload length beyond the frame", VrrpRejectReason.IP_LENGTH_MISMATCH,
                        surgery("v3-ipv6-advert").setIpWord(4, 41).bytes()),
                frame("IPv4 more-fragments flag", VrrpRejectReason.IP_FRAGMENT,
                        surgery("v2-authpass-advert").setIpWord(6, 0x2000).fixIpChecksum().bytes()),
                frame("IPv4 fragment offset", VrrpRejectReason.IP_FRAGMENT,
                        surgery("v2-authpass-advert").setIpWord(6, 0x0001).fixIpChecksum().bytes()),
                frame("IPv4 protocol UDP", VrrpRejectReason.NOT_VRRP,
                        surgery("v2-authpass-advert").setIp(9, 17).fixIpChecksum().bytes()),
                frame("IPv6 neighbour advertisement given to the VRRP decoder", VrrpRejectReason.NOT_VRRP,
                        Fixtures.hex("unsolicited-na-ipv6-vip")),
                frame("IPv4 multicast source", VrrpRejectReason.INVALID_SOURCE_ADDRESS,
                        surgery("v2-authpass-advert").setIp(12, 239).fixIpChecksum().bytes()),
                frame("IPv4 source 255.255.255.255", VrrpRejectReason.INVALID_SOURCE_ADDRESS, surgery("v2-authpass-advert")
                        .setIp(12, 255).setIp(13, 255).setIp(14, 255).setIp(15, 255).fixIpChecksum().bytes()),
                frame("IPv6 multicast source", VrrpRejectReason.INVALID_SOURCE_ADDRESS,
                        surgery("v3-ipv6-advert").setIp(8, 0xff).fixVrrpChecksum().bytes()),
                frame("multicast TTL 64", VrrpRejectReason.WRONG_TTL,
                        surgery("v2-authpass-advert").setIp(8, 64).fixIpChecksum().bytes()),
                frame("multicast hop limit 1", VrrpRejectReason.WRONG_TTL, surgery("v3-ipv6-advert").setIp(7, 1).bytes()),
                payload("empty message", VrrpRejectReason.EMPTY, new byte[0]),
                payload("7-byte message", VrrpRejectReason.TOO_SHORT, Arrays.copyOf(vrrp("v3-ipv4-advert"), 7)),
                payload("version 4", VrrpRejectReason.UNSUPPORTED_VERSION,
                        surgery("v3-ipv4-advert").setVrrp(0, 0x41).fixVrrpChecksum().payload()),
                payload("version 0", VrrpRejectReason.UNSUPPORTED_VERSION,
                        surgery("v3-ipv4-advert").setVrrp(0, 0x01).payload()),
                payloadOver("VRRPv2 over IPv6", VrrpRejectReason.UNSUPPORTED_VERSION, vrrp("v2-authpass-advert"),
                        ip("fe80::1"), VrrpCodec.IPV6_GROUP, VrrpReceivePolicy.DEFAULT),
                payloadOver("v3 advert to a v2 instance", VrrpRejectReason.VERSION_MISMATCH, vrrp("v3-ipv4-advert"), A,
                        GROUP, VrrpReceivePolicy.DEFAULT.expectVersion(2)),
                payload("VRID 0", VrrpRejectReason.INVALID_VRID,
                        surgery("v2-authpass-advert").setVrrp(1, 0).fixVrrpChecksum().payload()),
                payload("count one higher than the addresses sent", VrrpRejectReason.LENGTH_MISMATCH,
                        surgery("v3-ipv4-advert").setVrrp(3, 3).fixVrrpChecksum().payload()),
                payload("count one lower than the addresses sent", VrrpRejectReason.LENGTH_MISMATCH,
                        surgery("v3-ipv4-advert").setVrrp(3, 1).fixVrrpChecksum().payload()),
                payload("v2 message without its auth data", VrrpRejectReason.LENGTH_MISMATCH,
                        Arrays.copyOf(vrrp("v2-authpass-advert"), 12)),
                payload("auth type 3", VrrpRejectReason.INVALID_AUTH_TYPE,
                        surgery("v2-authpass-advert").setVrrp(4, 3).fixVrrpChecksum().payload()),
                payload("auth type 2 (AH) inside protocol 112", VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED,
                        surgery("v2-authpass-advert").setVrrp(4, 2).fixVrrpChecksum().payload()),
                frame("IP protocol 51 (AH)", VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED,
                        surgery("v2-authpass-advert").setIp(9, 51).fixIpChecksum().bytes()),
                payloadOver("auth none to a PASS instance", VrrpRejectReason.AUTH_TYPE_MISMATCH,
                        surgery("v2-authpass-advert").setVrrp(4, 0).fixVrrpChecksum().payload(), A, GROUP,
                        VrrpReceivePolicy.DEFAULT.expectAuthentication(
                                VrrpReceivePolicy.Authentication.password(new Secret("s3cr3tpw")))),
                payloadOver("wrong password", VrrpRejectReason.AUTH_FAILURE, vrrp("v2-authpass-advert"), A, GROUP,
                        VrrpReceivePolicy.DEFAULT.expectAuthentication(
                                VrrpReceivePolicy.Authentication.password(new Secret("s3cr3tpx")))),
                payload("type 2", VrrpRejectReason.INVALID_TYPE,
                        surgery("v3-ipv4-advert").setVrrp(0, 0x32).fixVrrpChecksum().payload()),
                payload("type 0", VrrpRejectReason.INVALID_TYPE,
                        surgery("v2-authpass-advert").setVrrp(0, 0x20).fixVrrpChecksum().payload()),
                payload("count 0 with a consistent length", VrrpRejectReason.NO_ADDRESSES, noAddressV2()),
                payloadOver("three VIPs configured, two advertised", VrrpRejectReason.ADDRESS_COUNT_MISMATCH,
                        vrrp("v3-ipv4-advert"), A, GROUP, VrrpReceivePolicy.DEFAULT.expectAddresses(
                                Set.of(ip("10.232.0.100"), ip("10.232.0.101"), ip("10.232.0.102")))),
                payloadOver("foreign VIP", VrrpRejectReason.ADDRESS_LIST_MISMATCH, vrrp("v3-ipv4-advert"), A, GROUP,
                        VrrpReceivePolicy.DEFAULT.expectAddresses(Set.of(ip("10.232.0.100"), ip("10.232.0.200")))),
                payload("v2 checksum with one bit flipped", VrrpRejectReason.BAD_CHECKSUM,
                        surgery("v2-authpass-advert").setVrrp(7, 0xed).payload()),
                payload("v2 VIP changed, checksum not updated", VrrpRejectReason.BAD_CHECKSUM,
                        surgery("v2-authpass-advert").setVrrp(11, 0x65).payload()),
                frame("v3 IPv6 checksum wrong", VrrpRejectReason.BAD_CHECKSUM,
                        surgery("v3-ipv6-advert").setVrrp(7, 0).bytes()),
                payloadOver("unicast advert to a multicast instance", VrrpRejectReason.UNEXPECTED_UNICAST,
                        vrrp("v3-unicast-advert"), A, B, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.MULTICAST)),
                payloadOver("multicast advert to a unicast instance", VrrpRejectReason.UNEXPECTED_MULTICAST,
                        vrrp("v3-ipv4-advert"), A, GROUP, VrrpReceivePolicy.DEFAULT.expectTransport(VrrpTransport.UNICAST)),
                payload("ASCII text", VrrpRejectReason.UNSUPPORTED_VERSION, "hello, world".getBytes()),
                frame("64 bytes of 0xff", VrrpRejectReason.UNSUPPORTED_ETHERTYPE, filled(64, 0xff)),
                frame("64 zero bytes", VrrpRejectReason.UNSUPPORTED_ETHERTYPE, filled(64, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileInputIsASpecificTypedRejection(Case c) {
        Object result = c.decode().get();

        VrrpRejectReason actual = result instanceof VrrpFrameDecodeResult.Invalid f ? f.reason()
                : result instanceof VrrpDecodeResult.Invalid p ? p.reason() : null;
        assertThat(actual).as("%s gave %s", c.name(), result).isEqualTo(c.expected());
    }

    @Test
    void everyRejectReasonHasAHostileCase() {
        Set<VrrpRejectReason> covered = cases().stream().map(Case::expected)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(VrrpRejectReason.class)));

        assertThat(EnumSet.complementOf(EnumSet.copyOf(covered))).isEmpty();
    }

    /** A frame cut at every length is rejected for the layer it stops in, and never throws. */
    @ParameterizedTest
    @FieldSource("ADVERTS")
    void everyTruncationIsRejectedForTheLayerItStopsIn(String name) {
        byte[] frame = Fixtures.hex(name);
        int ipHeader = FrameSurgery.of(frame).ipHeaderLength();
        for (int length = 0; length < frame.length; length++) {
            byte[] cut = Arrays.copyOf(frame, length);
            VrrpRejectReason expected = length < 14 ? VrrpRejectReason.FRAME_TOO_SHORT
                    : length < 14 + ipHeader ? VrrpRejectReason.IP_HEADER_TRUNCATED
                    : VrrpRejectReason.IP_LENGTH_MISMATCH;

            assertThat(KeepalivedQuirksTest.reason(VrrpFrames.decode(cut))).as("%s cut to %d", name, length)
                    .isEqualTo(expected);
        }
    }

    /** The same for the bare VRRP message, as an IPv6 raw socket would hand it over. */
    @ParameterizedTest
    @FieldSource("ADVERTS")
    void everyTruncatedMessageIsALengthError(String name) {
        FrameSurgery s = surgery(name);
        IpHeader ip = GoldenFixtureTest.decodeOk(s.bytes()).frame().ipHeader();
        byte[] payload = s.payload();
        for (int length = 0; length < payload.length; length++) {
            VrrpDecodeResult r = VrrpCodec.decode(Arrays.copyOf(payload, length), ip.source(), ip.destination());
            VrrpRejectReason expected = length == 0 ? VrrpRejectReason.EMPTY
                    : length < 8 ? VrrpRejectReason.TOO_SHORT : VrrpRejectReason.LENGTH_MISMATCH;

            assertThat(KeepalivedQuirksTest.reason(r)).as("%s message cut to %d", name, length).isEqualTo(expected);
            assertThat(r).extracting(x -> ((VrrpDecodeResult.Invalid) x).reason().keepalivedCounter())
                    .isEqualTo(java.util.Optional.of("packet_len_err"));
        }
    }

    @Test
    void anyInputAtAnyOffsetDecodesWithoutThrowing() {
        byte[] buf = Fixtures.hex("v3-ipv6-advert");
        for (int off = 0; off <= buf.length; off++) {
            for (int len = 0; off + len <= buf.length; len++) {
                int o = off;
                int l = len;
                assertThatCode(() -> VrrpCodec.decode(buf, o, l, A, GROUP, 255, VrrpReceivePolicy.DEFAULT))
                        .doesNotThrowAnyException();
                assertThatCode(() -> VrrpCodec.decode(buf, o, l, ip("fe80::1"), VrrpCodec.IPV6_GROUP, 255,
                        VrrpReceivePolicy.DEFAULT)).doesNotThrowAnyException();
            }
        }
    }

    private static Case frame(String name, VrrpRejectReason expected, byte[] frame) {
        return new Case(name, expected, () -> VrrpFrames.decode(frame));
    }

    private static Case payload(String name, VrrpRejectReason expected, byte[] message) {
        return new Case(name, expected, () -> VrrpCodec.decode(message, A, GROUP));
    }

    private static Case payloadOver(String name, VrrpRejectReason expected, byte[] message, InetAddress source,
                                    InetAddress destination, VrrpReceivePolicy policy) {
        return new Case(name, expected, () -> VrrpCodec.decode(message, source, destination, policy));
    }

    private static FrameSurgery surgery(String fixture) {
        return FrameSurgery.of(Fixtures.hex(fixture));
    }

    private static byte[] vrrp(String fixture) {
        return surgery(fixture).payload();
    }

    /** A 16-byte v2 message (header + auth data) that claims and carries no addresses, with a valid checksum. */
    private static byte[] noAddressV2() {
        byte[] m = Fixtures.hexBytes("21 33 96 00 00 01 00 00 00 00 00 00 00 00 00 00");
        int c = InternetChecksum.compute(m, 0, m.length);
        m[6] = (byte) (c >>> 8);
        m[7] = (byte) c;
        return m;
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
