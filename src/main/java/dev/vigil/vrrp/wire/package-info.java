/**
 * VRRP on the wire, byte-exact with keepalived 2.2.7 (RFC 3768 VRRPv2, RFC 5798 VRRPv3).
 *
 * <ul>
 *   <li>{@link dev.vigil.vrrp.wire.VrrpPacket} / {@link dev.vigil.vrrp.wire.VrrpCodec}: the VRRP
 *       message and its checksum rules ({@link dev.vigil.vrrp.wire.VrrpChecksumVariant}).</li>
 *   <li>{@link dev.vigil.vrrp.wire.VrrpFrame} / {@link dev.vigil.vrrp.wire.VrrpFrames}: the
 *       Ethernet + IPv4/IPv6 envelope.</li>
 *   <li>{@link dev.vigil.vrrp.wire.ArpFrames} / {@link dev.vigil.vrrp.wire.NeighborAdvertFrames}:
 *       gratuitous ARP and unsolicited NA for VIPs.</li>
 *   <li>{@link dev.vigil.vrrp.wire.PcapFile}: classic pcap reader for replaying captures.</li>
 * </ul>
 *
 * <p>Everything here is pure. Decoders never throw on received bytes; they return sealed result
 * types whose rejection reasons map to keepalived's receive counters
 * ({@link dev.vigil.vrrp.wire.VrrpRejectReason#keepalivedCounter()}). Instance-level checks
 * that keepalived makes against its configuration (version, auth, VIP list, unicast vs
 * multicast) are driven by a {@link dev.vigil.vrrp.wire.VrrpReceivePolicy}; the advert interval
 * and priority logic belong to the state machine.
 */
package dev.vigil.vrrp.wire;
