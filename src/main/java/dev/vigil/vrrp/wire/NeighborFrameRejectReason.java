package dev.vigil.vrrp.wire;

/** Why an ARP or Neighbour Advertisement frame was rejected. */
public enum NeighborFrameRejectReason {
    FRAME_TOO_SHORT,
    /** Not ARP (0x0806) for the ARP decoder, not IPv6 (0x86dd) for the NA decoder. */
    UNSUPPORTED_ETHERTYPE,
    /** Fewer than the 28 bytes of an Ethernet/IPv4 ARP packet. */
    ARP_TRUNCATED,
    /** Hardware type not Ethernet (1), protocol not IPv4, or address lengths not 6 and 4. */
    ARP_NOT_ETHERNET_IPV4,
    /** ARP operation neither request (1) nor reply (2). */
    UNSUPPORTED_ARP_OPERATION,
    IP_HEADER_TRUNCATED,
    IP_HEADER_MALFORMED,
    /** IPv6 payload length larger than the frame holds. */
    IP_LENGTH_MISMATCH,
    /** Next header is not ICMPv6 (58); extension headers are not walked. */
    NOT_ICMPV6,
    /** Shorter than the 24 bytes of an NA without options (RFC 4861 §7.1.2). */
    ICMPV6_TRUNCATED,
    /** ICMPv6 type other than 136, e.g. the router solicitations a booting interface sends. */
    NOT_NEIGHBOR_ADVERT,
    /** Hop limit not 255: the NA may have been forwarded (RFC 4861 §7.1.2). */
    WRONG_HOP_LIMIT,
    BAD_ICMPV6_CHECKSUM,
    /** ICMP code not 0 (RFC 4861 §7.1.2). */
    INVALID_ICMPV6_CODE,
    /** Target address is multicast (RFC 4861 §7.1.2). */
    MULTICAST_TARGET,
    /** Solicited flag set on an NA to a multicast destination (RFC 4861 §7.1.2). */
    SOLICITED_TO_MULTICAST,
    /** An option of length 0 or running past the end (RFC 4861 §7.1.2). */
    INVALID_OPTION
}
