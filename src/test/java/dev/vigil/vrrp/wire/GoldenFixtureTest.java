package dev.vigil.vrrp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
        JsonObject json = Fixtures.json(name);
        VrrpFrame frame = decodeOk(Fixtures.hex(name)).frame();
        VrrpPacket p = frame.packet();

        assertThat(frame.destinationMac()).hasToString(json.getString("eth_dst"));
        assertThat(frame.sourceMac()).hasToString(json.getString("eth_src"));
        assertThat(frame.ipHeader() instanceof Ipv6Header ? "0x86dd" : "0x800").isEqualTo(json.getString("ethertype"));
        if (frame.ipHeader() instanceof Ipv4Header h) {
            assertThat(h.tos()).isEqualTo(Integer.decode(json.getString("ip_tos")));
            assertThat(20 + p.encodedLength()).isEqualTo(json.getInteger("ip_totlen"));
            assertThat(h.identification()).isEqualTo(json.getInteger("ip_id"));
            assertThat(h.dontFragment()).isFalse();
            assertThat(json.getString("ip_flags_frag")).isEqualTo("0x0");
            assertThat(h.ttl()).isEqualTo(json.getInteger("ip_ttl"));
            assertThat(VrrpCodec.IP_PROTOCOL_VRRP).isEqualTo(json.getInteger("ip_proto"));
            assertThat(h.source().getHostAddress()).isEqualTo(json.getString("ip_src"));
            assertThat(h.destination().getHostAddress()).isEqualTo(json.getString("ip_dst"));
        } else {
            Ipv6Header h = (Ipv6Header) frame.ipHeader();
            assertThat(h.hopLimit()).isEqualTo(json.getInteger("ip6_hlim"));
            assertThat(rawHex(h.source())).isEqualTo(json.getString("ip_src"));
            assertThat(rawHex(h.destination())).isEqualTo(json.getString("ip_dst"));
        }
        assertThat(p.encodedLength()).isEqualTo(json.getInteger("vrrp_len"));
        assertThat(p.version()).isEqualTo(json.getInteger("version"));
        assertThat(p.type()).isEqualTo(json.getInteger("type"));
        assertThat(p.vrid()).isEqualTo(json.getInteger("vrid"));
        assertThat(p.priority()).isEqualTo(json.getInteger("priority"));
        assertThat(p.count()).isEqualTo(json.getInteger("count"));
        assertThat(String.format("0x%x", p.checksum())).isEqualTo(json.getString("checksum"));
        assertThat(p.addresses().stream().map(GoldenFixtureTest::jsonAddress).collect(Collectors.toList()))
                .isEqualTo(strings(json.getJsonArray("addrs")));
        if (p.version() == 2) {
            assertThat(p.authType().code()).isEqualTo(json.getInteger("auth_type"));
            assertThat(p.advertInterval()).isEqualTo(json.getInteger("adver_int_s"));
            assertThat(HexFormat.of().formatHex(p.authData().bytes())).isEqualTo(json.getString("auth_data"));
            assertThat(p.password().orElseThrow().reveal()).isEqualTo(json.getString("auth_ascii"));
        } else {
            assertThat(p.advertInterval()).isEqualTo(json.getInteger("max_adver_int_cs"));
            byte[] payload = FrameSurgery.of(Fixtures.hex(name)).payload();
            assertThat((payload[4] & 0xf0) >>> 4).isEqualTo(json.getInteger("rsvd"));
        }
    }

    /**
     * The {@code .json} files record which checksum rules the captured bytes satisfy, as computed
     * by the lab's Python tool; the codec must reach the same verdict for every rule recorded.
     */
    @ParameterizedTest
    @FieldSource("ADVERTS")
    void checksumVerdictsMatchTheJsonMetadata(String name) {
        JsonObject json = Fixtures.json(name);
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
            assertThat(ok).as("checksum_ok_plain").isEqualTo(json.getBoolean("checksum_ok_plain"));
            checked++;
        }
        VrrpReceivePolicy pseudoOnly = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.PSEUDO_HEADER));
        if (json.containsKey("checksum_ok_with_ipv4_pseudo")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), ip.destination(), pseudoOnly).isOk())
                    .as("checksum_ok_with_ipv4_pseudo").isEqualTo(json.getBoolean("checksum_ok_with_ipv4_pseudo"));
            checked++;
        }
        if (json.containsKey("checksum_ok_with_pseudo_dst_224.0.0.18")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), VrrpCodec.IPV4_GROUP, pseudoOnly).isOk())
                    .as("checksum_ok_with_pseudo_dst_224.0.0.18")
                    .isEqualTo(json.getBoolean("checksum_ok_with_pseudo_dst_224.0.0.18"));
            checked++;
        }
        if (json.containsKey("checksum_ok_with_ipv6_pseudo")) {
            assertThat(VrrpCodec.decode(payload, ip.source(), ip.destination()).isOk())
                    .as("checksum_ok_with_ipv6_pseudo").isEqualTo(json.getBoolean("checksum_ok_with_ipv6_pseudo"));
            checked++;
        }
        assertThat(checked).as("checksum verdicts recorded in " + name + ".json").isPositive();
    }

    @Test
    void everyFixtureHasMetadata() {
        for (String name : ADVERTS) {
            assertThat(Fixtures.json(name).getInteger("vrid")).as(name).isBetween(1, 255);
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

    private static List<String> strings(JsonArray array) {
        return IntStream.range(0, array.size()).mapToObj(array::getString).collect(Collectors.toList());
    }
}
