package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Addresses, settings and adverts shared by the tests. */
final class Fixtures {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long US = 1_000L;

    static final InetAddress MCAST = ip("224.0.0.18");
    static final InetAddress VIP = ip("10.232.0.100");
    static final InetAddress LOCAL = ip("10.232.0.1");
    static final InetAddress PEER = ip("10.232.0.2");
    static final InetAddress PEER_HIGH = ip("10.232.0.200");

    private Fixtures() {
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** v2, VRID 51, 1 s, one VIP, primary 10.232.0.1: the lab's VI_1 (keepalived.md §3). */
    static VrrpInstanceSettings.Builder v2(int priority) {
        return VrrpInstanceSettings.builder("VI_1", 51, LOCAL).priority(priority).virtualAddress(VIP);
    }

    /** v3 IPv4 at the given interval (centiseconds). */
    static VrrpInstanceSettings.Builder v3(int priority, int centis) {
        return VrrpInstanceSettings.builder("VI_3", 52, LOCAL).version(3).priority(priority)
                .advertIntervalCentis(centis).virtualAddress(VIP);
    }

    /** A well-formed advert matching {@link #v2}. */
    static ReceivedAdvert v2Advert(InetAddress source, int priority) {
        return ReceivedAdvert.wellFormed(source, MCAST, 2, 51, priority, 1, List.of(VIP));
    }

    /** A well-formed advert matching {@link #v3}, with the given advertised interval. */
    static ReceivedAdvert v3Advert(InetAddress source, int priority, int centis) {
        return ReceivedAdvert.wellFormed(source, MCAST, 3, 52, priority, centis, List.of(VIP));
    }

    /** A copy with the codec's checksum verdict negative: the keepalived.md §1.4 starvation packet. */
    static ReceivedAdvert badChecksum(ReceivedAdvert a) {
        return new ReceivedAdvert(a.source(), a.destination(), a.ttl(), a.version(), a.type(), a.vrid(), a.priority(),
                a.addressCount(), a.advertInterval(), a.authType(), a.authData(), a.addresses(), true, false);
    }
}
