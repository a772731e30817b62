package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.WireBytes.ETHERNET_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV6;
import static dev.vigil.vrrp.wire.WireBytes.IPV6_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.u16;
import static dev.vigil.vrrp.wire.WireBytes.u8;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/** Builds and parses the unsolicited Neighbour Advertisements a new master sends for its IPv6 VIPs. */
public final class NeighborAdvertFrames {
    /** ff02::1, all nodes (RFC 4861 §7.2.6: unsolicited NAs go there). */
    public static final Inet6Address ALL_NODES = WireBytes.ipv6Literal(0xff02, 0, 0, 0, 0, 0, 0, 1);
    public static final MacAddress ALL_NODES_MAC = MacAddress.ipv6Multicast(ALL_NODES);

    static final int IP_PROTOCOL_ICMPV6 = 58;
    static final int ICMPV6_NEIGHBOR_ADVERT = 136;
    private static final int NA_FIXED_LENGTH = 24;
    private static final int OPTION_TARGET_LINK_LAYER = 2;
    private static final int NDP_HOP_LIMIT = 255;
    private static final long FLAG_ROUTER = 0x8000_0000L;
    private static final long FLAG_SOLICITED = 0x4000_0000L;
    private static final long FLAG_OVERRIDE = 0x2000_0000L;

    private NeighborAdvertFrames() {
    }

    /**
     * An unsolicited NA as keepalived 2.2.7 sends it for an IPv6 VIP (fixture
     * {@code unsolicited-na-ipv6-vip}, keepalived.md §1.5): from the VIP itself to ff02::1,
     * traffic class 0, flow label 0, hop limit 255, flags <b>O only</b> (RFC 5798 §6.4.2 would
     * also set R; keepalived does not), target = the VIP, TLLA option = the interface MAC.
     */
    public static NeighborAdvertFrame unsolicited(MacAddress senderMac, Inet6Address vip) {
        return new NeighborAdvertFrame(ALL_NODES_MAC, senderMac, 0, 0, NDP_HOP_LIMIT, vip, ALL_NODES, false, false, true,
                vip, Optional.of(senderMac));
    }

    public static byte[] encode(NeighborAdvertFrame na) {
        int icmpLength = NA_FIXED_LENGTH + (na.targetLinkLayerAddress().isPresent() ? 8 : 0);
        byte[] out = new byte[ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + icmpLength];
        na.destinationMac().writeTo(out, 0);
        na.sourceMac().writeTo(out, 6);
        WireBytes.put16(out, 12, ETHERTYPE_IPV6);
        int ip = ETHERNET_HEADER_LENGTH;
        WireBytes.put32(out, ip, (6L << 28) | ((long) na.trafficClass() << 20) | na.flowLabel());
        WireBytes.put16(out, ip + 4, icmpLength);
        out[ip + 6] = (byte) IP_PROTOCOL_ICMPV6;
        out[ip + 7] = (byte) na.hopLimit();
        WireBytes.putAddress(out, ip + 8, na.source());
        WireBytes.putAddress(out, ip + 24, na.destination());
        int icmp = ip + IPV6_HEADER_LENGTH;
        out[icmp] = (byte) ICMPV6_NEIGHBOR_ADVERT;
        long flags = (na.router() ? FLAG_ROUTER : 0) | (na.solicited() ? FLAG_SOLICITED : 0)
                | (na.override() ? FLAG_OVERRIDE : 0);
        WireBytes.put32(out, icmp + 4, flags);
        WireBytes.putAddress(out, icmp + 8, na.target());
        if (na.targetLinkLayerAddress().isPresent()) {
            out[icmp + 24] = (byte) OPTION_TARGET_LINK_LAYER;
            out[icmp + 25] = 1; // in units of 8 bytes
            na.targetLinkLayerAddress().get().writeTo(out, icmp + 26);
        }
        WireBytes.put16(out, icmp + 2, icmpv6Checksum(out, ip, icmp, icmpLength));
        return out;
    }

    /** RFC 4443 §2.3: the RFC 2460 pseudo-header with next header 58, then the ICMPv6 message. */
    private static int icmpv6Checksum(byte[] f, int ip, int icmp, int icmpLength) {
        long sum = InternetChecksum.add(0, f, ip + 8, 32);
        sum = InternetChecksum.addWord(sum, icmpLength >>> 16);
        sum = InternetChecksum.addWord(sum, icmpLength);
        sum = InternetChecksum.addWord(sum, IP_PROTOCOL_ICMPV6);
        return InternetChecksum.finish(InternetChecksum.add(sum, f, icmp, icmpLength));
    }

    /** Parses and validates an NA as a receiving host would (RFC 4861 §7.1.2). */
    public static NeighborFrameDecodeResult<NeighborAdvertFrame> decode(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length < ETHERNET_HEADER_LENGTH) {
            return invalid(NeighborFrameRejectReason.FRAME_TOO_SHORT, frame.length + " bytes");
        }
        int ethertype = u16(frame, 12);
        if (ethertype != ETHERTYPE_IPV6) {
            return invalid(NeighborFrameRejectReason.UNSUPPORTED_ETHERTYPE, String.format("ethertype 0x%04x", ethertype));
        }
        int ip = ETHERNET_HEADER_LENGTH;
        int available = frame.length - ip;
        if (available < IPV6_HEADER_LENGTH) {
            return invalid(NeighborFrameRejectReason.IP_HEADER_TRUNCATED, available + " bytes after the Ethernet header");
        }
        long firstWord = WireBytes.u32(frame, ip);
        if ((firstWord >>> 28) != 6) {
            return invalid(NeighborFrameRejectReason.IP_HEADER_MALFORMED, "IP version " + (firstWord >>> 28));
        }
        int payloadLength = u16(frame, ip + 4);
        if (payloadLength > available - IPV6_HEADER_LENGTH) {
            return invalid(NeighborFrameRejectReason.IP_LENGTH_MISMATCH, "payload length " + payloadLength + " but "
                    + (available - IPV6_HEADER_LENGTH) + " bytes in the frame");
        }
        int nextHeader = u8(frame, ip + 6);
        if (nextHeader != IP_PROTOCOL_ICMPV6) {
            return invalid(NeighborFrameRejectReason.NOT_ICMPV6, "next header " + nextHeader);
        }
        int icmp = ip + IPV6_HEADER_LENGTH;
        if (payloadLength < 1) {
            return invalid(NeighborFrameRejectReason.ICMPV6_TRUNCATED, "empty ICMPv6 message");
        }
        int icmpType = u8(frame, icmp);
        if (icmpType != ICMPV6_NEIGHBOR_ADVERT) {
            return invalid(NeighborFrameRejectReason.NOT_NEIGHBOR_ADVERT, "ICMPv6 type " + icmpType);
        }
        if (payloadLength < NA_FIXED_LENGTH) {
            return invalid(NeighborFrameRejectReason.ICMPV6_TRUNCATED, "NA of " + payloadLength + " bytes");
        }
        int hopLimit = u8(frame, ip + 7);
        if (hopLimit != NDP_HOP_LIMIT) {
            return invalid(NeighborFrameRejectReason.WRONG_HOP_LIMIT, "hop limit " + hopLimit);
        }
        if (icmpv6Checksum(frame, ip, icmp, payloadLength) != 0) {
            return invalid(NeighborFrameRejectReason.BAD_ICMPV6_CHECKSUM,
                    String.format("ICMPv6 checksum 0x%04x is wrong", u16(frame, icmp + 2)));
        }
        int code = u8(frame, icmp + 1);
        if (code != 0) {
            return invalid(NeighborFrameRejectReason.INVALID_ICMPV6_CODE, "code " + code);
        }
        Inet6Address destination = WireBytes.ipv6(frame, ip + 24);
        Inet6Address target = WireBytes.ipv6(frame, icmp + 8);
        if (target.isMulticastAddress()) {
            return invalid(NeighborFrameRejectReason.MULTICAST_TARGET, "target " + target.getHostAddress());
        }
        long flags = WireBytes.u32(frame, icmp + 4);
        boolean solicited = (flags & FLAG_SOLICITED) != 0;
        if (solicited && destination.isMulticastAddress()) {
            return invalid(NeighborFrameRejectReason.SOLICITED_TO_MULTICAST, "S flag set, destination "
                    + destination.getHostAddress());
        }
        Optional<MacAddress> tlla = Optional.empty();
        int pos = icmp + NA_FIXED_LENGTH;
        int end = icmp + payloadLength;
        while (pos < end) {
            if (end - pos < 2) {
                return invalid(NeighborFrameRejectReason.INVALID_OPTION, "option header cut off");
            }
            int optionType = u8(frame, pos);
            int optionLength = u8(frame, pos + 1) * 8;
            if (optionLength == 0 || pos + optionLength > end) {
                return invalid(NeighborFrameRejectReason.INVALID_OPTION, "option " + optionType + " of length "
                        + optionLength + " with " + (end - pos) + " bytes left");
            }
            if (optionType == OPTION_TARGET_LINK_LAYER && optionLength >= 8 && tlla.isEmpty()) {
                tlla = Optional.of(MacAddress.read(frame, pos + 2));
            }
            pos += optionLength;
        }
        return new NeighborFrameDecodeResult.Ok<>(new NeighborAdvertFrame(MacAddress.read(frame, 0),
                MacAddress.read(frame, 6), (int) (firstWord >>> 20) & 0xff, (int) firstWord & 0xfffff, hopLimit,
                WireBytes.ipv6(frame, ip + 8), destination, (flags & FLAG_ROUTER) != 0, solicited,
                (flags & FLAG_OVERRIDE) != 0, target, tlla));
    }

    private static NeighborFrameDecodeResult<NeighborAdvertFrame> invalid(NeighborFrameRejectReason reason,
                                                                          String detail) {
        return new NeighborFrameDecodeResult.Invalid<>(reason, detail);
    }
}
