package dev.vigil.vrrp.wire;

import java.util.Objects;

/**
 * A whole VRRP advert as it appears on an Ethernet link: what an AF_PACKET socket sends and a
 * pcap holds.
 *
 * @param sourceMac the interface MAC in keepalived's default setup, the virtual router MAC only
 *                  with {@code use_vmac}; receivers accept any (keepalived.md §1.1)
 */
public record VrrpFrame(MacAddress destinationMac, MacAddress sourceMac, IpHeader ipHeader, VrrpPacket packet) {
    public VrrpFrame {
        Objects.requireNonNull(destinationMac, "destinationMac");
        Objects.requireNonNull(sourceMac, "sourceMac");
        Objects.requireNonNull(ipHeader, "ipHeader");
        Objects.requireNonNull(packet, "packet");
        if ((ipHeader instanceof Ipv6Header) != packet.isIpv6()) {
            throw new IllegalArgumentException("the IP header and the advertised addresses must be one family");
        }
    }
}
