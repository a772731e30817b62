package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.NetlinkLinkEvents;
import dev.vigil.core.Scheduler;
import dev.vigil.testing.Netns;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Link changes come from the kernel's RTMGRP_LINK notifications, as keepalived's netlink monitor
 * gets them. The watcher here is given a one-minute poll period: a change reported within two
 * seconds can only have come from the event socket.
 */
@Tag("netns")
class LinkWatcherNetnsTest {

    /** Runs tasks at once on the caller's thread: the watcher's hand-over to "the loop". */
    static final Scheduler DIRECT = new Scheduler() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Timer schedule(long delayNanos, Runnable task) {
            task.run();
            return () -> { };
        }
    };

    @Test
    void aLinkTakenDownAndUpIsReportedFromKernelEventsNotByPolling() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.21.1/24");
            LinkedBlockingQueue<String> changes = new LinkedBlockingQueue<>();
            LinkWatcher w = net.callIn(a, () -> {
                Optional<NetlinkLinkEvents> ev = NetlinkLinkEvents.open(500);
                assertThat(ev).as("netlink link events open").isPresent();
                // sysfs as the namespace sees it (a thread that joined the namespace still sees the host's /sys;
                // the daemon runs under `ip netns exec`, which mounts the namespace's own)
                java.util.function.Predicate<String> sysfs = dev -> net.exec(a, "cat", "/sys/class/net/" + dev + "/operstate")
                        .output().trim().matches("up|unknown");
                return new LinkWatcher(List.of("vg0"), sysfs, DIRECT,
                        (dev, up) -> changes.add(dev + " " + (up ? "up" : "down")), 60_000, ev);
            });
            try {
                assertThat(w.eventDriven()).isTrue();
                assertThat(net.callIn(a, w::readAll)).containsEntry("vg0", true);
                net.callIn(a, () -> {
                    w.start();
                    return null;
                });
                long t0 = System.nanoTime();
                net.exec(a, "ip", "link", "set", "vg0", "down");
                assertThat(changes.poll(2, TimeUnit.SECONDS)).isEqualTo("vg0 down");
                long down = System.nanoTime() - t0;
                net.exec(a, "ip", "link", "set", "vg0", "up");
                // a veth comes back up once its peer (on the bridge) is up: at once here
                assertThat(changes.poll(2, TimeUnit.SECONDS)).isEqualTo("vg0 up");
                System.out.printf("link down reported %d ms after `ip link set down` (poll period 60 s)%n", down / 1_000_000);
                // other interfaces' changes and repeats of the same state are not reported
                net.exec(a, "ip", "link", "add", "vx0", "type", "veth", "peer", "name", "vx1");
                net.exec(a, "ip", "link", "set", "vx0", "up");
                net.exec(a, "ip", "link", "set", "vg0", "mtu", "1400");
                assertThat(changes.poll(500, TimeUnit.MILLISECONDS)).isNull();
            } finally {
                w.close();
            }
        }
    }
}
