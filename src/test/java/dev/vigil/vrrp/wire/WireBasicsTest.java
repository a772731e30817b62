package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces under the codecs: checksum arithmetic, MAC addresses, pcap reading, packet invariants. */
class WireBasicsTest {

    /** The worked example of RFC 1071 §3: words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d. */
    @Test
    void internetChecksumMatchesTheRfc1071Example() {
        byte[] data = Fixtures.hexBytes("0001f203f4f5f6f7");

        assertThat(InternetChecksum.compute(data, 0, data.length)).isEqualTo(0x220d);
        long inParts = InternetChecksum.add(InternetChecksum.add(0, data, 0, 4), data, 4, 4);
        assertThat(InternetChecksum.finish(inParts)).isEqualTo(0x220d);
    }

    @Test
    void internetChecksumPadsAnOddTailWithZero() {
        assertThat(InternetChecksum.compute(Fixtures.hexBytes("0102 03"), 0, 3))
                .isEqualTo(InternetChecksum.compute(Fixtures.hexBytes("0102 0300"), 0, 4));
    }

    @Test
    void ipv4HeaderChecksumOfACapturedAdvertVerifies() {
        byte[] frame = Fixtures.hex("v2-authpass-advert");

        assertThat(InternetChecksum.compute(frame, 14, 20)).isZero();
    }

    @Test
    void macAddressesParseFormatAndMapMulticastGroups() {
        assertThat(MacAddress.parse("02-00-0A-E8-00-01")).isEqualTo(Fixtures.NODE_A_MAC).hasToString("02:00:0a:e8:00:01");
        assertThat(MacAddress.of(Fixtures.NODE_A_MAC.bytes())).isEqualTo(Fixtures.NODE_A_MAC);
        assertThat(VrrpFrames.IPV4_GROUP_MAC).hasToString("01:00:5e:00:00:12");
        assertThat(VrrpFrames.IPV6_GROUP_MAC).hasToString("33:33:00:00:00:12");
        // keepalived.md §4.2 ran groups 239.232.0.1–3; the top bit of the second octet is dropped.
        assertThat(MacAddress.ipv4Multicast((Inet4Address) ip("239.232.0.1"))).hasToString("01:00:5e:68:00:01");
        assertThat(MacAddress.ipv6Multicast((Inet6Address) ip("ff02::1:ff00:62"))).hasToString("33:33:ff:00:00:62");
        assertThat(VrrpFrames.IPV4_GROUP_MAC.isMulticast()).isTrue();
        assertThat(Fixtures.NODE_A_MAC.isMulticast()).isFalse();
        assertThatThrownBy(() -> MacAddress.parse("02:00:0a:e8:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.vrrpIpv4VirtualMac(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.ipv4Multicast((Inet4Address) ip("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pcapTimestampsMatchTheHexDumpHeaders() {
        PcapFile.Packet p = Fixtures.capture("v2").packets().get(0);

        // v2-authpass-advert.hex: "captured on br0 at 1795553742.590236"
        assertThat(p.timestamp()).isEqualTo(Instant.ofEpochSecond(1795553742L, 590_236_000L));
        assertThat(p.data()).isEqualTo(Fixtures.hex("v2-authpass-advert"));
        assertThat(p.originalLength()).isEqualTo(54);
    }

    @Test
    void pcapReaderHandlesBigEndianAndNanosecondFiles() throws Exception {
        byte[] frame = Fixtures.hex("v3-unicast-advert");
        byte[] file = pcap(ByteOrder.BIG_ENDIAN, 0xa1b23c4d, 1_000L, 123_456_789L, frame);

        PcapFile pcap = PcapFile.parse(file);

        assertThat(pcap.linkType()).isEqualTo(PcapFile.LINKTYPE_ETHERNET);
        assertThat(pcap.packets()).hasSize(1);
        assertThat(pcap.packets().get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_000L, 123_456_789L));
        assertThat(pcap.packets().get(0).data()).isEqualTo(frame);
    }

    @Test
    void pcapReaderRejectsWhatIsNotClassicPcap() {
        byte[] frame = Fixtures.hex("v3-unicast-advert");
        byte[] good = pcap(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1L, 2L, frame);
        byte[] pcapng = good.clone();
        ByteBuffer.wrap(pcapng).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x0a0d0d0a);

        assertThatThrownBy(() -> PcapFile.parse(new byte[10])).isInstanceOf(PcapFile.FormatException.class);
        assertThatThrownBy(() -> PcapFile.parse(pcapng)).isInstanceOf(PcapFile.FormatException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> PcapFile.parse(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(PcapFile.FormatException.class).hasMessageContaining("past the end");
        assertThatThrownBy(() -> PcapFile.parse(java.util.Arrays.copyOf(good, 24 + 7)))
                .isInstanceOf(PcapFile.FormatException.class).hasMessageContaining("cut off");
    }

    @Test
    void packetInvariantsAreEnforcedAtConstruction() {
        Secret zeros = new Secret(new byte[8]);
        List<InetAddress> one = List.of(ip("10.0.0.1"));

        assertThatThrownBy(() -> new VrrpPacket(4, 1, 1, 100, 1, VrrpAuthType.NONE, zeros, 1, 0, one))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new VrrpPacket(2, 1, 0, 100, 1, VrrpAuthType.NONE, zeros, 1, 0, one))
                .hasMessageContaining("VRID");
        assertThatThrownBy(() -> new VrrpPacket(2, 1, 1, 100, 2, VrrpAuthType.NONE, zeros, 1, 0, one))
                .hasMessageContaining("count");
        assertThatThrownBy(() -> new VrrpPacket(2, 1, 1, 100, 1, VrrpAuthType.NONE, new Secret(new byte[7]), 1, 0, one))
                .hasMessageContaining("8 bytes");
        assertThatThrownBy(() -> VrrpPacket.v2(1, 100, 1, List.of())).hasMessageContaining("1..255 addresses");
        assertThatThrownBy(() -> VrrpPacket.v3(1, 100, 100, List.of(ip("10.0.0.1"), ip("fe80::1"))))
                .hasMessageContaining("one address family");
        assertThatThrownBy(() -> new VrrpPacket(2, 1, 1, 100, 1, VrrpAuthType.NONE, zeros, 1, 0, List.of(ip("fe80::1"))))
                .hasMessageContaining("IPv4 only");
        assertThatThrownBy(() -> new VrrpPacket(3, 1, 1, 100, 1, VrrpAuthType.PASS, new Secret(new byte[0]), 1, 0, one))
                .hasMessageContaining("no authentication");
    }

    @Test
    void encoderRefusesChecksumRulesThatDoNotExistForTheVersion() {
        VrrpPacket v2 = VrrpPacket.v2(1, 100, 1, List.of((Inet4Address) ip("10.0.0.1")));
        VrrpPacket v6 = VrrpPacket.v3(1, 100, 100, List.of(ip("fe80::1")));

        assertThatThrownBy(() -> VrrpCodec.encode(v2, ip("10.0.0.2"), VrrpCodec.IPV4_GROUP, VrrpChecksumVariant.PSEUDO_HEADER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.encode(v6, ip("fe80::2"), VrrpCodec.IPV6_GROUP, VrrpChecksumVariant.MESSAGE_ONLY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.encode(v6, ip("10.0.0.2"), VrrpCodec.IPV4_GROUP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.decode(new byte[8], ip("10.0.0.2"), VrrpCodec.IPV6_GROUP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAdvertisementTypesCanBeBuiltForTestsAndAreRejectedOnReceive() {
        VrrpPacket advert = VrrpPacket.v3(7, 100, 100, List.of(ip("10.0.0.1")));
        byte[] wire = VrrpCodec.encode(advert.withType(2), ip("10.0.0.2"), VrrpCodec.IPV4_GROUP);

        assertThat(wire[0]).isEqualTo((byte) 0x32);
        assertThat(KeepalivedQuirksTest.reason(VrrpCodec.decode(wire, ip("10.0.0.2"), VrrpCodec.IPV4_GROUP)))
                .isEqualTo(VrrpRejectReason.INVALID_TYPE);
    }

    @Test
    void ipv4MappedAddressesStayIpv6ThroughARoundTrip() {
        InetAddress mapped = WireBytes.ipv6(Fixtures.hexBytes("00000000000000000000ffff0ae80064"), 0);
        VrrpPacket p = VrrpPacket.v3(9, 100, 100, List.of(ip("fe80::9"), mapped));
        byte[] wire = VrrpCodec.encode(p, ip("fe80::1"), VrrpCodec.IPV6_GROUP);

        VrrpDecodeResult r = VrrpCodec.decode(wire, ip("fe80::1"), VrrpCodec.IPV6_GROUP);

        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(((VrrpDecodeResult.Ok) r).packet().addresses().get(1)).isInstanceOf(Inet6Address.class).isEqualTo(mapped);
    }

    private static byte[] pcap(ByteOrder order, int magic, long seconds, long fraction, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt((int) seconds).putInt((int) fraction).putInt(frame.length).putInt(frame.length).put(frame);
        return b.array();
    }
}
