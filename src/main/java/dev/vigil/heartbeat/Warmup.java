package dev.vigil.heartbeat;

import dev.vigil.heartbeat.rm.AdminRequest;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.sim.SimHeartbeatCluster;
import java.time.Duration;

/**
 * Runs the node's code once on a simulated pair before the daemon starts, off the event loop. A
 * cold JVM spends hundreds of milliseconds loading and compiling the codec, membership and
 * resource-manager paths the first time they run; on the event loop that happens at the worst
 * moment, the first takeover (Vert.x logged the loop blocked for 186 ms there). The simulation
 * walks those same paths: join, standby, a death and takeover, a restart and failback.
 */
final class Warmup {
    private Warmup() {
    }

    static void run() {
        SimHeartbeatCluster c = SimHeartbeatCluster.builder().nodes("warm-a", "warm-b")
                .timings(Duration.ofMillis(200), Duration.ofSeconds(1)).initdead(Duration.ofSeconds(2))
                .autoFailback(AutoFailback.ON).group("warm-a", "IPaddr2::192.0.2.1/24/eth0").build();
        c.start().runFor(Duration.ofSeconds(15));
        c.node("warm-a").requestStandby(AdminRequest.ALL);
        c.runFor(Duration.ofSeconds(3));
        c.kill("warm-b").runFor(Duration.ofSeconds(3));
        c.start("warm-b").runFor(Duration.ofSeconds(15));
    }
}
