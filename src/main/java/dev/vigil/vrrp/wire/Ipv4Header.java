package dev.vigil.vrrp.wire;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * IPv4 header fields of a VRRP frame. IP options are not kept: keepalived sends none, and a
 * received header with options (IHL &gt; 5) decodes but re-encodes without them.
 *
 * @param tos            keepalived sends 0xC0 (Internet network control)
 * @param identification keepalived numbers each instance's adverts 1, 2, 3, … from its start
 *                       (observed per VRID and per process; it restarts at 1 after a restart)
 * @param dontFragment   keepalived leaves DF clear
 * @param ttl            255 (RFC 3768 §5.2.3); keepalived's {@code unicast_ttl} defaults to 255 too
 */
public record Ipv4Header(int tos, int identification, boolean dontFragment, int ttl, Inet4Address source,
                         Inet4Address destination) implements IpHeader {
    public static final int KEEPALIVED_TOS = 0xc0;

    public Ipv4Header {
        if (tos < 0 || tos > 0xff || identification < 0 || identification > 0xffff || ttl < 0 || ttl > 0xff) {
            throw new IllegalArgumentException("IPv4 field out of range: tos=" + tos + " id=" + identification
                    + " ttl=" + ttl);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** The header keepalived 2.2.7 builds for an advert: TOS 0xC0, DF clear, TTL 255. */
    public static Ipv4Header keepalived(Inet4Address source, Inet4Address destination, int identification) {
        return new Ipv4Header(KEEPALIVED_TOS, identification, false, VrrpCodec.REQUIRED_TTL, source, destination);
    }

    @Override
    public int ttlOrHopLimit() {
        return ttl;
    }

    @Override
    public String toString() {
        return "Ipv4Header[" + source.getHostAddress() + " > " + destination.getHostAddress()
                + String.format(" tos=0x%02x id=%d%s ttl=%d]", tos, identification, dontFragment ? " DF" : "", ttl);
    }
}
