package dev.vigil.vrrp.wire;

import java.net.InetAddress;

/**
 * The IP header fields of a VRRP frame that are not implied by the payload. Lengths, protocol
 * and the IPv4 header checksum are always derived when encoding and verified when decoding.
 */
public sealed interface IpHeader permits Ipv4Header, Ipv6Header {
    InetAddress source();

    InetAddress destination();

    /** IPv4 TTL or IPv6 hop limit. */
    int ttlOrHopLimit();
}
