package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.HbClusterNode;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auto_failback off} with the preferred node joining late, on real processes: nodeb starts
 * alone and takes nodea's group (nodea is dead to it after initdead), then nodea starts. heartbeat
 * 3.0.6 leaves the group where it is (heartbeat.md; {@code ResourceManager} only fails back with
 * {@code auto_failback on}), and so must Vigil, whichever daemon the late node runs. The resource
 * manager and simulation tests hold the rule ({@code ClusterScenarioTest},
 * {@code SimHeartbeatClusterTest}.lateJoinerWithAutoFailbackOffGetsNothingBack); this one is the
 * namespace run that an earlier session once saw give the group back.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatLateJoinerInteropTest {
    static final String KEYS = "auth 1\n1 sha1 late-joiner-key\n";

    static String haCf() {
        return FailoverScenarios.haCf("nodea", "nodeb").replace("auto_failback on", "auto_failback off");
    }

    @Test
    void vigilLateJoinerWithAutoFailbackOffGetsNothingBack(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.19.1/24");
            String nsB = net.host("b", "10.240.19.2/24");
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                run(net, a, b, nsA, nsB, "10.240.19.100");
            }
        }
    }

    @Test
    void realHeartbeatLateJoinerWithAutoFailbackOffGetsNothingBackFromVigil(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.20.1/24");
            String nsB = net.host("b", "10.240.20.2/24");
            try (RealHeartbeatNode a = new RealHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                run(net, a, b, nsA, nsB, "10.240.20.100");
            }
        }
    }

    static void run(Netns net, HbClusterNode a, HbClusterNode b, String nsA, String nsB, String vip) throws Exception {
        String hr = FailoverScenarios.haresources("nodea", vip);
        a.configure(haCf(), hr, KEYS);
        b.configure(haCf(), hr, KEYS);
        Supplier<String> logs = () -> "\n---- nodea:\n" + tail(a.log()) + "\n---- nodeb:\n" + tail(b.log());
        try (AddressSampler sampler = new AddressSampler(vip, Map.of("nodea", nsA, "nodeb", nsB))) {
            long t0 = System.nanoTime();
            b.start();
            sampler.awaitExactly(Set.of("nodeb"), t0, Duration.ofSeconds(45));
            long joined = System.nanoTime();
            a.start();
            FailoverScenarios.awaitStatus(a, "nodeb", "active", logs);
            FailoverScenarios.awaitStatus(b, "nodea", "active", logs);
            // past nodea's initdead (2 s) and heartbeat's fixed RQSTDELAY (10 s) before it would ask for its group
            Thread.sleep(16_000);
            System.out.printf("late joiner %s, auto_failback off: %s%n", a.getClass().getSimpleName(), sampler.describe(joined));
            assertThat(sampler.samples().stream().filter(s -> s.nanos() >= joined))
                    .as("the address stays on nodeb after nodea joins: " + sampler.describe(joined) + logs.get())
                    .allMatch(s -> s.holders().equals(Set.of("nodeb")));
        }
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }
}
