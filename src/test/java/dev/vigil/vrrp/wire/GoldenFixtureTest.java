package dev.vigil.vrrp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every advert fixture captured from keepalived 2.2.7: decodes, verifies, re-encodes to the same
 * bytes (VRRP payload and whole frame), and agrees with the independently decoded {@code .json}.
 */
class GoldenFixtureTest {
    static final List<String> ADVERTS = Fixtures.ADVERTS;

    @ParameterizedTest
    @FieldSource("ADVERTS")
    void hexDumpAndPcapHoldTheSameFrame(String name) {
        assertThat(Fixtures.pcapFrame(name)).isEqualTo(Fixtures.hex(name));
    }

    @ParameterizedTest
    @FieldSource("ADVERTS")
    void frameDecodesWithKeepalivedChecksumAndReencodesByteExact(String name) {
        byte[] bytes = Fixtures.hex(name);
        VrrpFrameDecodeResult.Ok ok = decodeOk(bytes);

        VrrpChecksumVariant expected = ok.frame().packet().version() == 2
                ? VrrpChecksumVariant.MESSAGE_ONLY : VrrpChecksumVariant.PSEUDO_HEADER;
        assertThat(ok.checksumVariant()).isEqualTo(expected);
        assertThat(Fixtures.toHex(VrrpFrames.encode(ok.frame()))).isEqualTo(Fixtures.toHex(bytes));
        assertThat(VrrpFrames.encode(ok.frame(), ok.checksumVariant())).isEqualTo(bytes);
    }

    @ParameterizedTest
    @FieldSource("ADVERTS")
    void payloadDecodesAndReencodesByteExact(String name) {
        byte[] bytes = Fixtures.hex(name);
        IpHeader ip = decodeOk(bytes).frame().ipHeader();
        byte[] payload = FrameSurgery.of(bytes).payload();

        VrrpDecodeResult result = VrrpCodec.decode(payload, ip.source(), ip.destination());

        assertThat(result).isInstanceOf(VrrpDecodeResult.Ok.class);
        VrrpPacket packet = ((VrrpDecodeResult.Ok) result).packet();
        assertThat(packet).isEqualTo(decodeOk(bytes).frame().packet());
        assertThat(Fixtures.toHex(VrrpCodec.encode(packet, ip.source(), ip.destination())))
                .isEqualTo(Fixtures.toHex(payload));
    }

    @ParameterizedTest
    @FieldSource("ADVERTS")
    void fieldsMatchTheJsonMetadata(String name) {
        Map<String, Object> json = Fixtures.json(name);
        VrrpFrame frame = decodeOk(Fixtures.hex(name)).frame();
        VrrpPacket p = frame.packet();

        assertThat(frame.destinationMac()).hasToString((String) json.get("eth_dst"));
        assertThat(frame.sourceMac()).hasToString((String) json.get("eth_src"));
        assertThat(frame.ipHeader() instanceof Ipv6Header ? "0x86dd" : "0x800").isEqualTo((String) json.get("ethertype"));
        if (frame.ipHeader() instanceof Ipv4Header h) {
            assertThat(h.tos()).isEqualTo(Integer.decode((String) json.get("ip_tos")));
            assertThat(20 + p.encodedLength()).isEqualTo((Integer) json.get("ip_totlen"));
            assertThat(h.identification()).isEqualTo((Integer) json.get("ip_id"));
            assertThat(h.dontFragment()).isFalse();
            assertThat((String) json.get("ip_flags_frag")).isEqualTo("0x0");
            assertThat(h.ttl()).isEqualTo((Integer) json.get("ip_ttl"));
            assertThat(VrrpCodec.IP_PROTOCOL_VRRP).isEqualTo((Integer) json.get("ip_proto"));
            assertThat(h.source().getHostAddress()).isEqualTo((String) json.get("ip_src"));
            assertThat(h.destination().getHostAddress()).isEqualTo((String) json.get("ip_dst"));
        } else {
            Ipv6Header h = (Ipv6Header) frame.ipHeader();
            assertThat(h.hopLimit()).isEqualTo((Integer) json.get("ip6_hlim"));
            assertThat(rawHex(h.source())).isEqualTo((String) json.get("ip_src"));
            assertThat(rawHex(h.destination())).isEqualTo((String) json.get("ip_dst"));
        }
        assertThat(p.encodedLength()).isEqualTo((Integer) json.get("vrrp_len"));
        assertThat(p.version()).isEqualTo((Integer) json.get("version"));
        assertThat(p.type()).isEqualTo((Integer) json.get("type"));
        assertThat(p.vrid()).isEqualTo((Integer) json.get("vrid"));
        assertThat(p.priority()).isEqualTo((Integer) json.get("priority"));
        assertThat(p.count()).isEqualTo((Integer) json.get("count"));
        assertThat(String.format("0x%x", p.checksum())).isEqualTo((String) json.get("checksum"));
        assertThat(p.addresses().stream().map(GoldenFixtureTest::jsonAddress).collect(Collectors.toList()))
                .isEqualTo(json.get("addrs"));
        if (p.version() == 2) {
            assertThat(p.authType().code()).isEqualTo((Integer) json.get("auth_type"));
            assertThat(p.advertInterval()).isEqualTo((Integer) json.get("adver_int_s"));
            assertThat(HexFormat.of().formatHex(p.authData().bytes())).isEqualTo((String) json.get("auth_data"));
            assertThat(p.password().orElseThrow().reveal()).isEqualTo((String) json.get("auth_ascii"));
        } else {
            assertThat(p.advertInterval()).isEqualTo((Integer) json.get("max_adver_int_cs"));
            byte[] payload = FrameSurgery.of(Fixtures.hex(name)).payload();
            assertThat((payload[4] & 0xf0) >>> 4).isEqualTo((Integer) json.get("rsvd"));
        }
    }

    /**
     * The {@code .json} files record which checksum rules the captured bytes satisfy, as computed
     * by the lab's Python tool; the codec must reach the same verdict for every rule recorded.
     */
    @ParameterizedTest
    @FieldSource("ADVERTS")
    void checksumVerdictsMatchTheJsonMetadata(String name) {
        Map<String, Object> json = Fixtures.json(name);
        byte[] bytes = Fixtures.hex(name);
        IpHeader ip = decodeOk(bytes).frame().ipHeader();
        byte[] payload = FrameSurgery.of(bytes).payload();
        int version = payload[0] >>> 4;
        int checked = 0;

        if (json.containsKey("checksum_ok_plain")) {
            VrrpReceivePolicy plainOnly = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.MESSAGE_ONLY));
            InetAddress s = ip.source();
            InetAddress d = ip.destination();
            boolean ok = version == 2
                    ? VrrpCodec.decode(payload, s, d).isOk()
                    : VrrpCodec.decode(payload, s, d, plainOnly).isOk();
            assertThat(ok).as("checksum_ok_plain").isEqualTo((Boolean) json.get("checksum_ok_plain"));
            checked++;
        }
        VrrpReceivePolicy pseudoOnly = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.PSEUDO_HEADER));
        if (json.containsKey("checksum_ok_with_ipv4_pseudo")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), ip.destination(), pseudoOnly).isOk())
                    .as("checksum_ok_with_ipv4_pseudo").isEqualTo((Boolean) json.get("checksum_ok_with_ipv4_pseudo"));
            checked++;
        }
        if (json.containsKey("checksum_ok_with_pseudo_dst_224.0.0.18")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), VrrpCodec.IPV4_GROUP, pseudoOnly).isOk())
                    .as("checksum_ok_with_pseudo_dst_224.0.0.18")
                    .isEqualTo((Boolean) json.get("checksum_ok_with_pseudo_dst_224.0.0.18"));
            checked++;
        }
        if (json.containsKey("checksum_ok_with_ipv6_pseudo")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), ip.destination()).isOk())
                    .as("checksum_ok_with_ipv6_pseudo").isEqualTo((Boolean) json.get("checksum_ok_with_ipv6_pseudo"));
            checked++;
        }
        assertThat(checked).as("checksum verdicts recorded in " + name + ".json").isPositive();
    }

    @Test
    void everyFixtureHasMetadata() {
        for (String name : ADVERTS) {
            assertThat((Integer) Fixtures.json(name).get("vrid")).as(name).isBetween(1, 255);
        }
    }

    static VrrpFrameDecodeResult.Ok decodeOk(byte[] bytes) {
        VrrpFrameDecodeResult result = VrrpFrames.decode(bytes);
        assertThat(result).isInstanceOf(VrrpFrameDecodeResult.Ok.class);
        return (VrrpFrameDecodeResult.Ok) result;
    }

    private static String jsonAddress(InetAddress a) {
        return a instanceof Inet6Address ? rawHex(a) : a.getHostAddress();
    }

    private static String rawHex(InetAddress a) {
        return HexFormat.of().formatHex(a.getAddress());
    }
}
