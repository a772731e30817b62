package dev.vigil.vrrp.wire;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/**
 * An ICMPv6 Neighbour Advertisement in an Ethernet frame (RFC 4861 §4.4). Options other than
 * the Target Link-Layer Address are skipped on decode and not re-encoded; so are the 29
 * reserved bits.
 */
public record NeighborAdvertFrame(MacAddress destinationMac, MacAddress sourceMac, int trafficClass, int flowLabel,
                                  int hopLimit, Inet6Address source, Inet6Address destination, boolean router,
                                  boolean solicited, boolean override, Inet6Address target,
                                  Optional<MacAddress> targetLinkLayerAddress) {
    public NeighborAdvertFrame {
        if (trafficClass < 0 || trafficClass > 0xff || flowLabel < 0 || flowLabel > 0xfffff || hopLimit < 0
                || hopLimit > 0xff) {
            throw new IllegalArgumentException("IPv6 field out of range");
        }
        Objects.requireNonNull(destinationMac, "destinationMac");
        Objects.requireNonNull(sourceMac, "sourceMac");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetLinkLayerAddress, "targetLinkLayerAddress");
    }

    @Override
    public String toString() {
        return "NeighborAdvertFrame[" + sourceMac + " > " + destinationMac + " " + source.getHostAddress() + " > "
                + destination.getHostAddress() + " hlim=" + hopLimit + " flags=" + (router ? "R" : "")
                + (solicited ? "S" : "") + (override ? "O" : "") + " target=" + target.getHostAddress() + " tlla="
                + targetLinkLayerAddress.map(MacAddress::toString).orElse("-") + "]";
    }
}
