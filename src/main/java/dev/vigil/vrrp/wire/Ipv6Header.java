package dev.vigil.vrrp.wire;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * IPv6 header fields of a VRRP frame. Extension headers are not supported (VRRP adverts carry
 * none).
 *
 * @param trafficClass keepalived's adverts carry 0xC0; its neighbour advertisements 0
 * @param flowLabel    the Linux kernel fills a per-socket hash when auto flow labels are on (the
 *                     capture shows 0x85cba from one node, 0xf5639 from another); keep what was
 *                     received, send 0 (RFC 6437 permits it) unless imitating a socket
 * @param hopLimit     255 (RFC 5798 §5.1.2.3)
 */
public record Ipv6Header(int trafficClass, int flowLabel, int hopLimit, Inet6Address source,
                         Inet6Address destination) implements IpHeader {
    public static final int KEEPALIVED_TRAFFIC_CLASS = 0xc0;

    public Ipv6Header {
        if (trafficClass < 0 || trafficClass > 0xff || flowLabel < 0 || flowLabel > 0xfffff || hopLimit < 0
                || hopLimit > 0xff) {
            throw new IllegalArgumentException("IPv6 field out of range: tc=" + trafficClass + " flow=" + flowLabel
                    + " hlim=" + hopLimit);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** The header keepalived 2.2.7 sends an advert with: traffic class 0xC0, hop limit 255. */
    public static Ipv6Header keepalived(Inet6Address source, Inet6Address destination, int flowLabel) {
        return new Ipv6Header(KEEPALIVED_TRAFFIC_CLASS, flowLabel, VrrpCodec.REQUIRED_TTL, source, destination);
    }

    @Override
    public int ttlOrHopLimit() {
        return hopLimit;
    }

    @Override
    public String toString() {
        return "Ipv6Header[" + source.getHostAddress() + " > " + destination.getHostAddress()
                + String.format(" tc=0x%02x flow=0x%05x hlim=%d]", trafficClass, flowLabel, hopLimit);
    }
}
