package dev.vigil.vrrp.wire;

/**
 * How an instance exchanges adverts. keepalived makes an instance unicast by giving it
 * {@code unicast_peer}s; it then skips the TTL check and rejects multicast adverts, and a
 * multicast instance rejects unicast ones (both counted as {@code addr_list_err}).
 */
public enum VrrpTransport {
    MULTICAST,
    UNICAST
}
