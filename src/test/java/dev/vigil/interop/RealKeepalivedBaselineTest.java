package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.testing.RealKeepalived;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real keepalived nodes: proves the harness before Vigil is put next to keepalived. */
@Tag("netns")
@Tag("interop")
class RealKeepalivedBaselineTest {

    static String config(String id, int priority) {
        return """
                global_defs {
                    router_id %s
                    vrrp_garp_master_delay 1
                    vrrp_garp_master_repeat 1
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface vg0
                    virtual_router_id 51
                    priority %d
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        10.240.6.100/24 dev vg0
                    }
                }
                """.formatted(id, priority);
    }

    @Test
    void higherPriorityBecomesMasterAndKill9MovesTheAddress(@TempDir Path dir) throws Exception {
        RealKeepalived.assumeAvailable();
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.6.1/24");
            String b = net.host("b", "10.240.6.2/24");
            try (RealKeepalived ka = new RealKeepalived(net, a, "a", dir).start(config("ka", 150));
                 RealKeepalived kb = new RealKeepalived(net, b, "b", dir).start(config("kb", 100))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() < deadline && !net.addresses(a, "vg0").contains("10.240.6.100")) Thread.sleep(50);
                assertThat(net.addresses(a, "vg0")).as(ka.log()).contains("10.240.6.100");
                assertThat(net.addresses(b, "vg0")).doesNotContain("10.240.6.100");
                ka.kill9();
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && !net.addresses(b, "vg0").contains("10.240.6.100")) Thread.sleep(20);
                assertThat(net.addresses(b, "vg0")).as(kb.log()).contains("10.240.6.100");
            }
        }
    }
}
