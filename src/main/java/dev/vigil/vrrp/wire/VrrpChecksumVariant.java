package dev.vigil.vrrp.wire;

/**
 * Which bytes a VRRP checksum covers. RFC 5798 §5.2.8 says "pseudo-header as defined in RFC 2460
 * §8.1", which is ambiguous for IPv4, and implementations disagree (keepalived.md §1.3).
 */
public enum VrrpChecksumVariant {
    /**
     * The VRRP message alone. The VRRPv2 rule (RFC 3768 §5.3.8), and what Cisco, FRR (with an
     * option) and keepalived ≥ 2.2.8 with {@code v3_checksum_as_v2} send for VRRPv3 over IPv4.
     * keepalived 2.2.7 rejects VRRPv3 with it ("Invalid VRRPv3 checksum").
     */
    MESSAGE_ONLY,
    /**
     * VRRPv3: an IPv4 pseudo-header (src, dst, 0, 112, VRRP length) or the RFC 2460 IPv6 one in
     * front of the message, with the packet's real destination address: 224.0.0.18 for
     * multicast, <b>the peer's address for unicast</b>. keepalived 2.2.7 sends and expects this.
     */
    PSEUDO_HEADER,
    /**
     * VRRPv3 unicast over IPv4 as keepalived before 1.3.6 computed it: the pseudo-header carries
     * 224.0.0.18 although the packet goes to the peer. keepalived 2.2.7 accepts it on receive
     * from a unicast peer, logs "Setting unicast VRRPv3 checksum to old version" and from then
     * on sends it too (unless {@code old_unicast_checksum never}). keepalived uses its
     * {@code vrrp_mcast_group4} here; Vigil assumes the default 224.0.0.18.
     */
    PSEUDO_HEADER_LEGACY_UNICAST
}
