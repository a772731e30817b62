package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.WireBytes.ETHERNET_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV4;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV6;
import static dev.vigil.vrrp.wire.WireBytes.IPV4_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.IPV6_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.u16;
import static dev.vigil.vrrp.wire.WireBytes.u8;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Builds and parses whole Ethernet frames carrying VRRP, as a raw-socket or pcap transport
 * needs them (keepalived.md §1.1). Pure; decoding never throws on any bytes.
 *
 * <p>On receive the IP header's length field decides where the VRRP message ends, never the
 * frame length: real Ethernet pads short frames to 60 bytes (a 46-byte v3 unicast advert gains
 * 14 padding bytes), and keepalived, which sees the datagram after the kernel has stripped the
 * padding, requires the message to be exactly as long as its count implies.
 */
public final class VrrpFrames {
    /** 01:00:5e:00:00:12, the Ethernet group for 224.0.0.18. */
    public static final MacAddress IPV4_GROUP_MAC = MacAddress.ipv4Multicast(VrrpCodec.IPV4_GROUP);
    /** 33:33:00:00:00:12, the Ethernet group for ff02::12. */
    public static final MacAddress IPV6_GROUP_MAC = MacAddress.ipv6Multicast(VrrpCodec.IPV6_GROUP);

    private static final int IP_PROTOCOL_AH = 51;
    private static final int IPV4_FLAG_DF = 0x4000;
    private static final int IPV4_FLAG_MF = 0x2000;
    private static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;

    private VrrpFrames() {
    }

    /** A multicast IPv4 advert (v2 or v3) as keepalived sends it from {@code source} on an interface with {@code sourceMac}. */
    public static VrrpFrame multicastIpv4(MacAddress sourceMac, Inet4Address source, int ipIdentification,
                                          VrrpPacket packet) {
        return new VrrpFrame(IPV4_GROUP_MAC, sourceMac,
                Ipv4Header.keepalived(source, VrrpCodec.IPV4_GROUP, ipIdentification), packet);
    }

    /** A unicast IPv4 advert to one {@code unicast_peer}; keepalived sends one copy per peer. */
    public static VrrpFrame unicastIpv4(MacAddress sourceMac, MacAddress peerMac, Inet4Address source,
                                        Inet4Address peer, int ipIdentification, VrrpPacket packet) {
        return new VrrpFrame(peerMac, sourceMac, Ipv4Header.keepalived(source, peer, ipIdentification), packet);
    }

    /** A multicast IPv6 (v3) advert from the interface's link-local address (RFC 5798 §5.1.2.1). */
    public static VrrpFrame multicastIpv6(MacAddress sourceMac, Inet6Address linkLocalSource, int flowLabel,
                                          VrrpPacket packet) {
        return new VrrpFrame(IPV6_GROUP_MAC, sourceMac,
                Ipv6Header.keepalived(linkLocalSource, VrrpCodec.IPV6_GROUP, flowLabel), packet);
    }

    /** A unicast IPv6 (v3) advert to one peer. */
    public static VrrpFrame unicastIpv6(MacAddress sourceMac, MacAddress peerMac, Inet6Address source,
                                        Inet6Address peer, int flowLabel, VrrpPacket packet) {
        return new VrrpFrame(peerMac, sourceMac, Ipv6Header.keepalived(source, peer, flowLabel), packet);
    }

    /** Encodes with keepalived 2.2.7's VRRP checksum rule for the packet's version. */
    public static byte[] encode(VrrpFrame frame) {
        return encode(frame, VrrpCodec.defaultChecksumVariant(frame.packet().version()));
    }

    public static byte[] encode(VrrpFrame frame, VrrpChecksumVariant variant) {
        byte[] ip = encodeIpDatagram(frame.ipHeader(), frame.packet(), variant);
        byte[] out = new byte[ETHERNET_HEADER_LENGTH + ip.length];
        frame.destinationMac().writeTo(out, 0);
        frame.sourceMac().writeTo(out, 6);
        WireBytes.put16(out, 12, frame.ipHeader() instanceof Ipv6Header ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
        System.arraycopy(ip, 0, out, ETHERNET_HEADER_LENGTH, ip.length);
        return out;
    }

    /**
     * The IP datagram alone (IP header + VRRP message), e.g. for an IPv4 raw socket with
     * {@code IP_HDRINCL}. The IPv4 header checksum is filled in, as the kernel would.
     */
    public static byte[] encodeIpDatagram(IpHeader header, VrrpPacket packet, VrrpChecksumVariant variant) {
        Objects.requireNonNull(header, "header");
        if ((header instanceof Ipv6Header) != packet.isIpv6()) {
            throw new IllegalArgumentException("the IP header and the advertised addresses must be one family");
        }
        int vrrpLength = packet.encodedLength();
        if (header instanceof Ipv4Header h) {
            byte[] out = new byte[IPV4_HEADER_LENGTH + vrrpLength];
            out[0] = 0x45;
            out[1] = (byte) h.tos();
            WireBytes.put16(out, 2, out.length);
            WireBytes.put16(out, 4, h.identification());
            WireBytes.put16(out, 6, h.dontFragment() ? IPV4_FLAG_DF : 0);
            out[8] = (byte) h.ttl();
            out[9] = (byte) VrrpCodec.IP_PROTOCOL_VRRP;
            WireBytes.putAddress(out, 12, h.source());
            WireBytes.putAddress(out, 16, h.destination());
            WireBytes.put16(out, 10, InternetChecksum.compute(out, 0, IPV4_HEADER_LENGTH));
            VrrpCodec.encodeInto(out, IPV4_HEADER_LENGTH, packet, h.source(), h.destination(), variant);
            return out;
        }
        Ipv6Header h = (Ipv6Header) header;
        byte[] out = new byte[IPV6_HEADER_LENGTH + vrrpLength];
        WireBytes.put32(out, 0, (6L << 28) | ((long) h.trafficClass() << 20) | h.flowLabel());
        WireBytes.put16(out, 4, vrrpLength);
        out[6] = (byte) VrrpCodec.IP_PROTOCOL_VRRP;
        out[7] = (byte) h.hopLimit();
        WireBytes.putAddress(out, 8, h.source());
        WireBytes.putAddress(out, 24, h.destination());
        VrrpCodec.encodeInto(out, IPV6_HEADER_LENGTH, packet, h.source(), h.destination(), variant);
        return out;
    }

    public static VrrpFrameDecodeResult decode(byte[] frame) {
        return decode(frame, VrrpReceivePolicy.DEFAULT);
    }

    /**
     * Parses an Ethernet frame and the VRRP message in it. The TTL / hop limit must be 255
     * unless the instance is unicast ({@code policy.transport()}, or when that is empty, unless
     * the destination is a unicast address), as keepalived checks it.
     */
    public static VrrpFrameDecodeResult decode(byte[] frame, VrrpReceivePolicy policy) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(policy, "policy");
        if (frame.length < ETHERNET_HEADER_LENGTH) {
            return invalid(VrrpRejectReason.FRAME_TOO_SHORT,
                    "frame of " + frame.length + " bytes has no Ethernet header");
        }
        MacAddress dstMac = MacAddress.read(frame, 0);
        MacAddress srcMac = MacAddress.read(frame, 6);
        int ethertype = u16(frame, 12);
        if (ethertype == ETHERTYPE_IPV4) {
            return decodeIpv4(frame, dstMac, srcMac, policy);
        }
        if (ethertype == ETHERTYPE_IPV6) {
            return decodeIpv6(frame, dstMac, srcMac, policy);
        }
        return invalid(VrrpRejectReason.UNSUPPORTED_ETHERTYPE, String.format("ethertype 0x%04x", ethertype));
    }

    private static VrrpFrameDecodeResult decodeIpv4(byte[] f, MacAddress dstMac, MacAddress srcMac,
                                                    VrrpReceivePolicy policy) {
        int ip = ETHERNET_HEADER_LENGTH;
        int available = f.length - ip;
        if (available < IPV4_HEADER_LENGTH) {
            return invalid(VrrpRejectReason.IP_HEADER_TRUNCATED, available + " bytes after the Ethernet header");
        }
        int version = u8(f, ip) >>> 4;
        int headerLength = (u8(f, ip) & 0x0f) * 4;
        if (version != 4 || headerLength < IPV4_HEADER_LENGTH) {
            return invalid(VrrpRejectReason.IP_HEADER_MALFORMED, "IPv4 version " + version + ", IHL " + headerLength / 4);
        }
        if (headerLength > available) {
            return invalid(VrrpRejectReason.IP_HEADER_TRUNCATED,
                    "IPv4 header of " + headerLength + " bytes, " + available + " in the frame");
        }
        if (InternetChecksum.compute(f, ip, headerLength) != 0) {
            return invalid(VrrpRejectReason.BAD_IP_HEADER_CHECKSUM,
                    String.format("IPv4 header checksum 0x%04x is wrong", u16(f, ip + 10)));
        }
        int totalLength = u16(f, ip + 2);
        if (totalLength < headerLength || totalLength > available) {
            return invalid(VrrpRejectReason.IP_LENGTH_MISMATCH,
                    "ip_tot_len " + totalLength + " but " + available + " bytes in the frame");
        }
        int flagsAndOffset = u16(f, ip + 6);
        if ((flagsAndOffset & (IPV4_FLAG_MF | IPV4_FRAGMENT_OFFSET_MASK)) != 0) {
            return invalid(VrrpRejectReason.IP_FRAGMENT, String.format("IPv4 fragment, flags/offset 0x%04x", flagsAndOffset));
        }
        int protocol = u8(f, ip + 9);
        if (protocol == IP_PROTOCOL_AH) {
            return invalid(VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED,
                    "Received AH header but auth type not AH");
        }
        if (protocol != VrrpCodec.IP_PROTOCOL_VRRP) {
            return invalid(VrrpRejectReason.NOT_VRRP, "IP protocol " + protocol);
        }
        Inet4Address source = WireBytes.ipv4(f, ip + 12);
        Inet4Address destination = WireBytes.ipv4(f, ip + 16);
        if (source.isMulticastAddress() || source.isAnyLocalAddress() || isLimitedBroadcast(source)) {
            return invalid(VrrpRejectReason.INVALID_SOURCE_ADDRESS, "source " + source.getHostAddress());
        }
        int ttl = u8(f, ip + 8);
        VrrpDecodeResult payload = VrrpCodec.decode(f, ip + headerLength, totalLength - headerLength, source,
                destination, ttl, policy);
        if (payload instanceof VrrpDecodeResult.Invalid bad) {
            return invalid(bad.reason(), bad.detail());
        }
        VrrpDecodeResult.Ok ok = (VrrpDecodeResult.Ok) payload;
        Ipv4Header header = new Ipv4Header(u8(f, ip + 1), u16(f, ip + 4), (flagsAndOffset & IPV4_FLAG_DF) != 0, ttl,
                source, destination);
        return new VrrpFrameDecodeResult.Ok(new VrrpFrame(dstMac, srcMac, header, ok.packet()), ok.checksumVariant());
    }

    private static VrrpFrameDecodeResult decodeIpv6(byte[] f, MacAddress dstMac, MacAddress srcMac,
                                                    VrrpReceivePolicy policy) {
        int ip = ETHERNET_HEADER_LENGTH;
        int available = f.length - ip;
        if (available < IPV6_HEADER_LENGTH) {
            return invalid(VrrpRejectReason.IP_HEADER_TRUNCATED, available + " bytes after the Ethernet header");
        }
        long firstWord = WireBytes.u32(f, ip);
        int version = (int) (firstWord >>> 28);
        if (version != 6) {
            return invalid(VrrpRejectReason.IP_HEADER_MALFORMED, "IPv6 ethertype but IP version " + version);
        }
        int payloadLength = u16(f, ip + 4);
        if (payloadLength > available - IPV6_HEADER_LENGTH) {
            return invalid(VrrpRejectReason.IP_LENGTH_MISMATCH, "payload length " + payloadLength + " but "
                    + (available - IPV6_HEADER_LENGTH) + " bytes in the frame");
        }
        int nextHeader = u8(f, ip + 6);
        if (nextHeader != VrrpCodec.IP_PROTOCOL_VRRP) {
            return invalid(VrrpRejectReason.NOT_VRRP,
                    "next header " + nextHeader + " (extension headers are not walked)");
        }
        Inet6Address source = WireBytes.ipv6(f, ip + 8);
        Inet6Address destination = WireBytes.ipv6(f, ip + 24);
        if (source.isMulticastAddress() || source.isAnyLocalAddress()) {
            return invalid(VrrpRejectReason.INVALID_SOURCE_ADDRESS, "source " + source.getHostAddress());
        }
        int hopLimit = u8(f, ip + 7);
        VrrpDecodeResult payload = VrrpCodec.decode(f, ip + IPV6_HEADER_LENGTH, payloadLength, source, destination,
                hopLimit, policy);
        if (payload instanceof VrrpDecodeResult.Invalid bad) {
            return invalid(bad.reason(), bad.detail());
        }
        VrrpDecodeResult.Ok ok = (VrrpDecodeResult.Ok) payload;
        Ipv6Header header = new Ipv6Header((int) (firstWord >>> 20) & 0xff, (int) firstWord & 0xfffff, hopLimit,
                source, destination);
        return new VrrpFrameDecodeResult.Ok(new VrrpFrame(dstMac, srcMac, header, ok.packet()), ok.checksumVariant());
    }

    private static boolean isLimitedBroadcast(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
    }

    private static VrrpFrameDecodeResult invalid(VrrpRejectReason reason, String detail) {
        return new VrrpFrameDecodeResult.Invalid(reason, detail);
    }
}
