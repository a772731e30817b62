package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's interop cases 1-5: a real heartbeat 3.0.6 node A (preferred in haresources) and a Vigil
 * node B in one cluster, each in its own namespace, asserted from outside.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatMixedPairInteropTest {
    static final String VIP = "10.240.7.100";

    @Test
    void realHeartbeatAndVigilJoinStandbyFailOverAndFailBack(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.7.1/24");
            String nsB = net.host("b", "10.240.7.2/24");
            String keys = "auth 1\n1 sha1 s3cr3t-hb-test-key\n";
            try (RealHeartbeatNode a = new RealHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                // A real node needs deadtime plus its IPaddr2 script (about 2 s, research §3) to take over.
                FailoverScenarios.Timings t = FailoverScenarios.run(net, a, b, VIP, Duration.ofSeconds(6));
                System.out.println("real heartbeat A + Vigil B: " + t);
                assertThat(b.log()).contains("node nodea: is dead").contains("Status update for node nodea: status active");
                assertThat(a.log()).contains("node nodeb: is dead");
                assertThat(b.log()).doesNotContain("Rejected packet");
            }
        }
    }

    /** The same scenarios with the roles swapped: Vigil is the preferred node, real heartbeat hands its group back. */
    @Test
    void vigilPreferredNodeAndRealHeartbeatPeerFailOverAndFailBack(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.14.1/24");
            String nsB = net.host("b", "10.240.14.2/24");
            String vip = "10.240.14.100";
            String keys = "auth 1\n1 sha1 s3cr3t-hb-test-key\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 RealHeartbeatNode b = new RealHeartbeatNode(net, nsB, "nodeb", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", vip), keys);
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", vip), keys);
                FailoverScenarios.Timings t = FailoverScenarios.run(net, a, b, vip, Duration.ofSeconds(2));
                System.out.println("Vigil A + real heartbeat B: " + t);
                assertThat(a.log()).contains("node nodeb: is dead").doesNotContain("Rejected packet");
                assertThat(b.log()).contains("node nodea: is dead");
            }
        }
    }
}
