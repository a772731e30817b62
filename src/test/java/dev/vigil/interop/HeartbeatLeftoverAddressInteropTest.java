package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with kill -9 leaves its IPaddr2 address on the interface. When it is started again
 * while the peer holds the group, it must drop that address before joining, or both answer for it
 * until a failback (the namespace campaign measured 6.6 s of double holding). keepalived does the
 * same for stale VIPs at start-up.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatLeftoverAddressInteropTest {
    static final String VIP = "10.240.9.100";

    @Test
    void aRestartedNodeReleasesTheAddressItsPredecessorLeftBehind(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.9.1/24");
            // what kill -9 of a holder leaves behind
            Sh.run("ip", "-n", nsA, "addr", "add", VIP + "/24", "dev", "vg0").orThrow("ip addr add");
            String haCf = String.join("\n", "logfile /var/lib/heartbeat/ha-log", "use_logd no", "keepalive 200ms", "deadtime 1",
                    "warntime 600ms", "initdead 30", "udpport 694", "bcast vg0", "auto_failback on", "node nodea", "node nodeb",
                    "crm off", "");
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir)) {
                // nodeb's group: with initdead 30 s nodea claims nothing for the length of this test
                a.configure(haCf, "nodeb IPaddr2::" + VIP + "/24/vg0\n", "auth 1\n1 sha1 leftover-key\n").start();
                assertThat(Sh.run("ip", "-n", nsA, "-o", "addr", "show", "dev", "vg0").output()).as(a.log()).doesNotContain(VIP + "/");
                assertThat(a.log()).contains("IPaddr2::" + VIP + "/24/vg0 is up on this node before heartbeat started");
                assertThat(a.rscStatus()).as("nothing claimed during initdead").isIn("none", "transition");
            }
        }
    }
}
