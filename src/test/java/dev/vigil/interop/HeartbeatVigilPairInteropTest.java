package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Vigil nodes alone, as real processes in namespaces, through every interop scenario (issue 3, case 7). */
@Tag("netns")
@Tag("interop")
class HeartbeatVigilPairInteropTest {
    static final String VIP = "10.240.8.100";

    @Test
    void twoVigilNodesJoinStandbyFailOverAndFailBack(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.8.1/24");
            String nsB = net.host("b", "10.240.8.2/24");
            String keys = "auth 1\n1 sha1 vigil-pair-key\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                FailoverScenarios.Timings t = FailoverScenarios.run(net, a, b, VIP, Duration.ofSeconds(2));
                System.out.println("Vigil pair: " + t);
                assertThat(a.log()).contains("node nodeb: is dead").contains("Status update for node nodeb: status active");
                assertThat(b.log()).contains("node nodea: is dead");
            }
        }
    }
}
