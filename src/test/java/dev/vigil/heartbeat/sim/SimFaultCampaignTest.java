package dev.vigil.heartbeat.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.HeartbeatNode;
import dev.vigil.heartbeat.rm.AutoFailback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random fault sequences on a simulated pair (kills, restarts, clean stops, partitions, loss),
 * then every fault is repaired: the cluster must settle with exactly one holder, the preferred
 * node when auto_failback is on. A failing seed replays exactly; {@code -Dvigil.campaign.dump=SEED}
 * prints its journal, {@code -Dvigil.campaign.seeds=2000} widens the run (2000 seeds pass, ~30 s).
 */
class SimFaultCampaignTest {
    static final String A = "nodea";
    static final String B = "nodeb";
    static final String VIP = "IPaddr2::10.0.0.100/24/eth0";

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, Long.getLong("vigil.campaign.seeds", 200));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void afterAnyFaultsAreRepairedExactlyOneNodeHoldsTheGroup(long seed) {
        Random r = new Random(seed);
        AutoFailback mode = seed % 2 == 0 ? AutoFailback.ON : AutoFailback.OFF;
        SimHeartbeatCluster c = SimHeartbeatCluster.builder().nodes(A, B).timings(Duration.ofMillis(200), Duration.ofSeconds(1))
                .initdead(Duration.ofSeconds(2)).autoFailback(mode).group(A, VIP, "apache").seed(seed).build().start();
        c.runFor(Duration.ofSeconds(15));
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String n = r.nextBoolean() ? A : B;
            String step;
            switch (r.nextInt(6)) {
                case 0 -> {
                    step = "kill " + n;
                    c.kill(n);
                }
                case 1 -> {
                    step = "stop " + n;
                    c.stop(n);
                }
                case 2 -> {
                    step = "partition";
                    c.partition(Set.of(A), Set.of(B));
                }
                case 3 -> {
                    step = "heal";
                    c.heal();
                }
                case 4 -> {
                    step = "loss " + n;
                    c.setLoss(n, 0.3);
                }
                default -> {
                    step = "start " + n;
                    startIfDown(c, n);
                }
            }
            steps.add(String.format(java.util.Locale.ROOT, "%.3f %s", c.now() / 1e9, step));
            c.runFor(Duration.ofMillis(500 + r.nextInt(8000)));
        }
        // repair everything
        c.heal().setLoss(A, 0).setLoss(B, 0);
        c.runFor(Duration.ofSeconds(5));
        // a clean stop waits for resource work in flight (heartbeat's "Shutdown delayed"); let it finish first
        for (int i = 0; i < 60 && (stopping(c, A) || stopping(c, B)); i++) c.runFor(Duration.ofSeconds(1));
        startIfDown(c, A);
        startIfDown(c, B);
        c.runFor(Duration.ofSeconds(60));
        if (seed == Long.getLong("vigil.campaign.dump", -1)) {
            c.journal().forEach(e -> System.out.println("JOURNAL " + e));
            System.out.println("JOURNAL end " + c.node(A).resourceState() + " / " + c.node(B).resourceState());
        }
        String why = "seed " + seed + " " + mode + " [" + c.node(A).resourceState() + " / " + c.node(B).resourceState() + "] steps " + steps + " holdings " + c.timeline().holds(VIP);
        assertThat(c.timeline().holders(VIP)).as(why).hasSize(1);
        if (mode == AutoFailback.ON) assertThat(c.timeline().holders(VIP)).as(why).containsExactly(A);
        String holder = c.timeline().holders(VIP).get(0);
        assertThat(c.running(holder)).as(why).containsExactlyInAnyOrder(VIP, "apache");
        String other = holder.equals(A) ? B : A;
        assertThat(c.running(other)).as(why).isEmpty();
        assertThat(c.node(A).rscStatus()).as(why).isNotEqualTo("transition");
        assertThat(c.node(B).rscStatus()).as(why).isNotEqualTo("transition");
        long settled = c.now() - Duration.ofSeconds(30).toNanos();
        assertThat(c.timeline().doubleHolderNanos(VIP, settled, c.now())).as(why).isZero();
    }

    static boolean stopping(SimHeartbeatCluster c, String n) {
        return c.node(n) != null && c.node(n).lifecycle() == HeartbeatNode.Lifecycle.STOPPING;
    }

    static void startIfDown(SimHeartbeatCluster c, String n) {
        HeartbeatNode node = c.node(n);
        if (node == null || node.lifecycle() == HeartbeatNode.Lifecycle.HALTED || node.lifecycle() == HeartbeatNode.Lifecycle.STOPPED) {
            c.start(n);
        }
    }
}
