package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Gratuitous ARP and unsolicited NA, byte-exact with what keepalived 2.2.7 sent (keepalived.md §1.5). */
class NeighborFramesTest {

    @Test
    void gratuitousArpMatchesTheCapture() {
        byte[] captured = Fixtures.hex("garp-ipv4-vip");
        ArpFrame garp = ArpFrames.gratuitous(Fixtures.NODE_A_MAC, (Inet4Address) ip("10.232.0.100"));

        assertThat(Fixtures.pcapFrame("garp-ipv4-vip")).isEqualTo(captured);
        assertThat(Fixtures.toHex(ArpFrames.encode(garp))).isEqualTo(Fixtures.toHex(captured));
        assertThat(arpOk(captured)).isEqualTo(garp);
    }

    @Test
    void gratuitousArpIsABroadcastRequestNamingTheVipTwice() {
        ArpFrame garp = arpOk(Fixtures.hex("garp-ipv4-vip"));

        assertThat(garp.operation()).isEqualTo(ArpFrame.OPERATION_REQUEST);
        assertThat(garp.destinationMac()).isEqualTo(MacAddress.BROADCAST);
        assertThat(garp.targetHardwareAddress()).isEqualTo(MacAddress.BROADCAST);
        assertThat(garp.senderHardwareAddress()).isEqualTo(Fixtures.NODE_A_MAC).isEqualTo(garp.sourceMac());
        assertThat(garp.senderProtocolAddress()).isEqualTo(ip("10.232.0.100")).isEqualTo(garp.targetProtocolAddress());
        assertThat(garp.isGratuitous()).isTrue();
    }

    @Test
    void unsolicitedNeighborAdvertMatchesTheCapture() {
        byte[] captured = Fixtures.hex("unsolicited-na-ipv6-vip");
        NeighborAdvertFrame na = NeighborAdvertFrames.unsolicited(Fixtures.NODE_A_MAC, (Inet6Address) ip("fe80::62"));

        assertThat(Fixtures.pcapFrame("unsolicited-na-ipv6-vip")).isEqualTo(captured);
        assertThat(Fixtures.toHex(NeighborAdvertFrames.encode(na))).isEqualTo(Fixtures.toHex(captured));
        assertThat(naOk(captured)).isEqualTo(na);
    }

    /** keepalived sets O only; RFC 5798 §6.4.2 would set R as well. */
    @Test
    void unsolicitedNeighborAdvertCarriesOverrideOnlyAndTheInterfaceMac() {
        NeighborAdvertFrame na = naOk(Fixtures.hex("unsolicited-na-ipv6-vip"));

        assertThat(na.override()).isTrue();
        assertThat(na.router()).isFalse();
        assertThat(na.solicited()).isFalse();
        assertThat(na.source()).isEqualTo(na.target()).isEqualTo(ip("fe80::62"));
        assertThat(na.destination()).isEqualTo(NeighborAdvertFrames.ALL_NODES);
        assertThat(na.destinationMac()).hasToString("33:33:00:00:00:01");
        assertThat(na.hopLimit()).isEqualTo(255);
        assertThat(na.trafficClass()).isZero();
        assertThat(na.targetLinkLayerAddress()).contains(Fixtures.NODE_A_MAC);
    }

    @Test
    void everyArpInTheCapturesDecodesAndReencodesAndKeepalivedsAreGratuitous() {
        List<byte[]> arps = framesOfEthertype(0x0806);
        int gratuitous = 0;

        assertThat(arps).hasSizeGreaterThan(50);
        for (byte[] f : arps) {
            ArpFrame arp = arpOk(f);
            assertThat(ArpFrames.encode(arp)).isEqualTo(f);
            if (arp.isGratuitous()) {
                gratuitous++;
                assertThat(arp).isEqualTo(ArpFrames.gratuitous(arp.sourceMac(), arp.senderProtocolAddress()));
            }
        }
        assertThat(gratuitous).isLessThan(arps.size());
    }

    @Test
    void kernelArpTrafficIsNotMistakenForGratuitous() {
        byte[] reply = Fixtures.hexBytes("02000ae8000302000ae800010806000108000604000202000ae800010ae8000102000ae800030ae80003");
        byte[] request = Fixtures.hexBytes("ffffffffffff02000ae800030806000108000604000102000ae800030ae800030000000000000ae80001");

        assertThat(arpOk(reply).operation()).isEqualTo(ArpFrame.OPERATION_REPLY);
        assertThat(arpOk(reply).isGratuitous()).isFalse();
        assertThat(arpOk(request).isGratuitous()).isFalse();
    }

    @Test
    void everyNeighborAdvertInTheCapturesIsKeepalivedsUnsolicitedForm() {
        List<byte[]> icmpv6 = framesOfEthertype(0x86dd).stream().filter(f -> (f[14 + 6] & 0xff) == 58).toList();
        int advertisements = 0;

        for (byte[] f : icmpv6) {
            NeighborFrameDecodeResult<NeighborAdvertFrame> r = NeighborAdvertFrames.decode(f);
            if ((f[54] & 0xff) == 136) {
                advertisements++;
                NeighborAdvertFrame na = ((NeighborFrameDecodeResult.Ok<NeighborAdvertFrame>) r).frame();
                assertThat(NeighborAdvertFrames.encode(na)).isEqualTo(f);
                assertThat(na).isEqualTo(NeighborAdvertFrames.unsolicited(na.sourceMac(), na.target()));
            } else {
                assertThat(reason(r)).isEqualTo(NeighborFrameRejectReason.NOT_NEIGHBOR_ADVERT);
            }
        }
        assertThat(advertisements).isEqualTo(16);
        assertThat(icmpv6.size()).isGreaterThan(advertisements);
    }

    @Test
    void arpPaddedToTheEthernetMinimumStillDecodes() {
        byte[] padded = FrameSurgery.of(Fixtures.hex("garp-ipv4-vip")).padTo(60, 0x5a).bytes();

        assertThat(arpOk(padded)).isEqualTo(arpOk(Fixtures.hex("garp-ipv4-vip")));
    }

    @Test
    void hostileArpFramesAreTypedRejections() {
        byte[] garp = Fixtures.hex("garp-ipv4-vip");

        assertThat(reason(ArpFrames.decode(new byte[5]))).isEqualTo(NeighborFrameRejectReason.FRAME_TOO_SHORT);
        assertThat(reason(ArpFrames.decode(Fixtures.hex("v2-authpass-advert"))))
                .isEqualTo(NeighborFrameRejectReason.UNSUPPORTED_ETHERTYPE);
        assertThat(reason(ArpFrames.decode(FrameSurgery.of(garp).truncate(41).bytes())))
                .isEqualTo(NeighborFrameRejectReason.ARP_TRUNCATED);
        assertThat(reason(ArpFrames.decode(FrameSurgery.of(garp).set(15, 6).bytes())))
                .isEqualTo(NeighborFrameRejectReason.ARP_NOT_ETHERNET_IPV4);
        assertThat(reason(ArpFrames.decode(FrameSurgery.of(garp).set(18, 8).bytes())))
                .isEqualTo(NeighborFrameRejectReason.ARP_NOT_ETHERNET_IPV4);
        assertThat(reason(ArpFrames.decode(FrameSurgery.of(garp).set(21, 3).bytes())))
                .isEqualTo(NeighborFrameRejectReason.UNSUPPORTED_ARP_OPERATION);
    }

    @Test
    void hostileNeighborAdvertsAreTypedRejections() {
        byte[] na = Fixtures.hex("unsolicited-na-ipv6-vip");
        int icmp = 14 + 40;
        Function<FrameSurgery, NeighborFrameRejectReason> decode = s -> reason(NeighborAdvertFrames.decode(s.bytes()));

        assertThat(decode.apply(FrameSurgery.of(na).truncate(13))).isEqualTo(NeighborFrameRejectReason.FRAME_TOO_SHORT);
        assertThat(reason(NeighborAdvertFrames.decode(Fixtures.hex("garp-ipv4-vip"))))
                .isEqualTo(NeighborFrameRejectReason.UNSUPPORTED_ETHERTYPE);
        assertThat(decode.apply(FrameSurgery.of(na).truncate(50))).isEqualTo(NeighborFrameRejectReason.IP_HEADER_TRUNCATED);
        assertThat(decode.apply(FrameSurgery.of(na).set(14, 0x40))).isEqualTo(NeighborFrameRejectReason.IP_HEADER_MALFORMED);
        assertThat(decode.apply(FrameSurgery.of(na).truncate(85))).isEqualTo(NeighborFrameRejectReason.IP_LENGTH_MISMATCH);
        assertThat(reason(NeighborAdvertFrames.decode(Fixtures.hex("v3-ipv6-advert"))))
                .isEqualTo(NeighborFrameRejectReason.NOT_ICMPV6);
        assertThat(decode.apply(FrameSurgery.of(na).setIpWord(4, 16).truncate(14 + 40 + 16)))
                .isEqualTo(NeighborFrameRejectReason.ICMPV6_TRUNCATED);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp, 135).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.NOT_NEIGHBOR_ADVERT);
        assertThat(decode.apply(FrameSurgery.of(na).setIp(7, 64))).isEqualTo(NeighborFrameRejectReason.WRONG_HOP_LIMIT);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 3, 0xf2))).isEqualTo(NeighborFrameRejectReason.BAD_ICMPV6_CHECKSUM);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 1, 1).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.INVALID_ICMPV6_CODE);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 8, 0xff).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.MULTICAST_TARGET);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 4, 0x60).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.SOLICITED_TO_MULTICAST);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 25, 0).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.INVALID_OPTION);
        assertThat(decode.apply(FrameSurgery.of(na).set(icmp + 25, 2).fixIcmpv6Checksum()))
                .isEqualTo(NeighborFrameRejectReason.INVALID_OPTION);
    }

    @Test
    void neighborAdvertWithoutOptionsHasNoLinkLayerAddress() {
        byte[] bare = FrameSurgery.of(Fixtures.hex("unsolicited-na-ipv6-vip")).setIpWord(4, 24).truncate(14 + 40 + 24)
                .fixIcmpv6Checksum().bytes();

        NeighborAdvertFrame na = naOk(bare);
        assertThat(na.targetLinkLayerAddress()).isEqualTo(Optional.empty());
        assertThat(NeighborAdvertFrames.encode(na)).isEqualTo(bare);
    }

    private static List<byte[]> framesOfEthertype(int ethertype) {
        List<byte[]> out = new ArrayList<>();
        for (String capture : Fixtures.CAPTURES) {
            for (PcapFile.Packet p : Fixtures.capture(capture).packets()) {
                byte[] f = p.data();
                if (((f[12] & 0xff) << 8 | (f[13] & 0xff)) == ethertype) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static ArpFrame arpOk(byte[] frame) {
        NeighborFrameDecodeResult<ArpFrame> r = ArpFrames.decode(frame);
        assertThat(r).isInstanceOf(NeighborFrameDecodeResult.Ok.class);
        return ((NeighborFrameDecodeResult.Ok<ArpFrame>) r).frame();
    }

    private static NeighborAdvertFrame naOk(byte[] frame) {
        NeighborFrameDecodeResult<NeighborAdvertFrame> r = NeighborAdvertFrames.decode(frame);
        assertThat(r).as("%s", r).isInstanceOf(NeighborFrameDecodeResult.Ok.class);
        return ((NeighborFrameDecodeResult.Ok<NeighborAdvertFrame>) r).frame();
    }

    private static NeighborFrameRejectReason reason(NeighborFrameDecodeResult<?> r) {
        assertThat(r).as("%s", r).isInstanceOf(NeighborFrameDecodeResult.Invalid.class);
        return ((NeighborFrameDecodeResult.Invalid<?>) r).reason();
    }
}
