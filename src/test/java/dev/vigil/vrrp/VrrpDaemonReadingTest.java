package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the VRRP daemon reads each device: filter, hold-off and how long a quiet backup leaves its ring. */
class VrrpDaemonReadingTest {

    static final long MS = 1_000_000L;
    static final InetAddress A = VrrpRouterTest.ip("10.232.0.1");
    static final InetAddress VIP = VrrpRouterTest.ip("10.232.0.100");

    /** {@code n} instances at {@code centis} on eth0. */
    static VrrpNodeConfig instances(int n, int centis) {
        List<VrrpInstanceSpec> specs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            specs.add(VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_" + i, i, A).version(3).advertIntervalCentis(centis)
                    .virtualAddress(VIP).build(), "eth0"));
        }
        return VrrpNodeConfig.of(specs);
    }

    @Test
    void longestUnreadTimeIsAQuarterOfTheRingAtTwiceTheAdvertRate() {
        // 100 instances at 0.1 s: 1 000 adverts a second, counted twice; a quarter of 1 024 frames is 128 ms
        assertThat(VrrpDaemon.longestUnreadNanos(instances(100, 10), "eth0", 1024)).isEqualTo(128 * MS);
        // 255 at 0.1 s: 50 ms; one at 0.1 s would be 12.8 s: held at the limit
        assertThat(VrrpDaemon.longestUnreadNanos(instances(255, 10), "eth0", 1024)).isBetween(50 * MS, 51 * MS);
        assertThat(VrrpDaemon.longestUnreadNanos(instances(1, 10), "eth0", 1024)).isEqualTo(VrrpDaemon.LONGEST_UNREAD_LIMIT_NANOS);
        // 255 at 0.01 s: 5 ms; never shorter than the hold-off of a batching reader (0.5 ms at 0.01 s)
        assertThat(VrrpDaemon.longestUnreadNanos(instances(255, 1), "eth0", 1024)).isBetween(5 * MS, 5_100_000L);
        assertThat(VrrpDaemon.longestUnreadNanos(instances(255, 1), "eth0", 16)).isEqualTo(VrrpDaemon.readHoldOffNanos(instances(255, 1), "eth0"));
        // a device with addresses only
        assertThat(VrrpDaemon.longestUnreadNanos(instances(3, 10), "eth1", 1024)).isEqualTo(VrrpDaemon.LONGEST_UNREAD_LIMIT_NANOS);
    }

    /**
     * With the kernel advert watch the ring holds only what got past it (other senders: as many
     * again as the instances), and no Master_Down depends on the read: a quarter of the ring at the
     * instances' own rate, up to 10 s.
     */
    @Test
    void aWatchedQuietReaderReadsItsRingForTheOtherSendersAlone() {
        assertThat(VrrpDaemon.longestUnreadWatchedNanos(instances(1, 10), "eth0", 1024)).isEqualTo(VrrpDaemon.LONGEST_UNREAD_WATCHED_LIMIT_NANOS);
        assertThat(VrrpDaemon.longestUnreadWatchedNanos(instances(100, 10), "eth0", 1024)).isEqualTo(256 * MS);
        assertThat(VrrpDaemon.longestUnreadWatchedNanos(instances(255, 1), "eth0", 16)).isEqualTo(VrrpDaemon.readHoldOffNanos(instances(255, 1), "eth0"));
        assertThat(VrrpDaemon.longestUnreadWatchedNanos(instances(3, 10), "eth1", 1024)).isEqualTo(VrrpDaemon.LONGEST_UNREAD_WATCHED_LIMIT_NANOS);
    }

    /** ARP is only read where unicast peers' MAC addresses are learnt from it: elsewhere it would only fill the ring. */
    @Test
    void arpIsCapturedOnlyOnDevicesWithUnicastPeers() {
        VrrpNodeConfig multicast = instances(2, 100);
        VrrpNodeConfig unicast = VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_U", 9, A)
                .virtualAddress(VIP).unicastPeer(UnicastPeer.of(VrrpRouterTest.ip("10.232.0.2"))).build(), "eth0")));
        assertThat(VrrpDaemon.unicastOn(multicast, "eth0")).isFalse();
        assertThat(VrrpDaemon.unicastOn(unicast, "eth0")).isTrue();
        assertThat(VrrpDaemon.unicastOn(unicast, "eth1")).isFalse();
        assertThat(VrrpDaemon.BPF_FILTER).isEqualTo(VrrpDaemon.BPF_FILTER_NO_ARP + " or arp");
    }
}
