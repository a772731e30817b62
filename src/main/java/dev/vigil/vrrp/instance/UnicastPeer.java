package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One {@code unicast_peer} entry: {@code IP [min_ttl N] [max_ttl N]}. The TTL range is checked only
 * with {@code check_unicast_src} (keepalived.md §1.4, check 11).
 */
public record UnicastPeer(InetAddress address, int minTtl, int maxTtl) {

    public UnicastPeer {
        Objects.requireNonNull(address);
        if (minTtl < 0 || maxTtl > 255 || minTtl > maxTtl) throw new IllegalArgumentException("TTL range must be within 0..255");
    }

    /** A peer with no TTL restriction. */
    public static UnicastPeer of(InetAddress address) {
        return new UnicastPeer(address, 0, 255);
    }
}
