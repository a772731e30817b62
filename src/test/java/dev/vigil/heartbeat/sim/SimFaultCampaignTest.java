package dev.vigil.heartbeat.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.HeartbeatNode;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.sim.CampaignChecks;
import dev.vigil.sim.CampaignSummary;
import dev.vigil.sim.HolderTimeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random fault sequences on a simulated pair (kills, restarts, clean stops, partitions, loss),
 * then every fault is repaired: the cluster must settle with exactly one holder, the preferred
 * node when auto_failback is on. A failing seed replays exactly; {@code -Dvigil.campaign.dump=SEED}
 * prints its journal, {@code -Dvigil.campaign.seeds=2000} widens the run (2000 seeds pass, ~30 s).
 *
 * <p>After the run it prints the same summary line as the VRRP campaign ({@link CampaignSummary}):
 * faults per kind, violations, the worst outage while a node was up, the worst double-holder window
 * outside partitions and loss, and the worst split (heartbeat v1 has no quorum: a partition gives
 * both sides the group, research heartbeat.md).
 */
class SimFaultCampaignTest {
    static final String A = "nodea";
    static final String B = "nodeb";
    static final String VIP = "IPaddr2::10.0.0.100/24/eth0";

    static final CampaignSummary SUMMARY = new CampaignSummary("heartbeat", "-Dvigil.campaign.dump=SEED");

    @AfterAll
    static void printSummary() {
        System.out.println(SUMMARY.line());
        SUMMARY.violations().stream().limit(30).forEach(v -> System.out.println("CAMPAIGN violation " + v));
    }

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
        SUMMARY.seed(seed);
        long settledAt = c.now();
        // spans the checks excuse: the LAN split or lossy (double holders), both nodes down (outages)
        List<HolderTimeline.Window> netImpaired = new ArrayList<>();
        List<HolderTimeline.Window> allDown = new ArrayList<>();
        long[] impairedSince = {-1};
        long[] allDownSince = {-1};
        java.util.Map<String, Boolean> up = new java.util.HashMap<>(java.util.Map.of(A, true, B, true));
        Runnable track = () -> {
            boolean none = !up.get(A) && !up.get(B);
            if (none && allDownSince[0] < 0) allDownSince[0] = c.now();
            if (!none && allDownSince[0] >= 0) {
                allDown.add(new HolderTimeline.Window(allDownSince[0], c.now()));
                allDownSince[0] = -1;
            }
        };
        for (int i = 0; i < 8; i++) {
            String n = r.nextBoolean() ? A : B;
            String step;
            switch (r.nextInt(6)) {
                case 0 -> {
                    step = "kill " + n;
                    SUMMARY.fault("kill");
                    c.kill(n);
                    up.put(n, false);
                }
                case 1 -> {
                    step = "stop " + n;
                    SUMMARY.fault("stop");
                    c.stop(n);
                    up.put(n, false);
                }
                case 2 -> {
                    step = "partition";
                    SUMMARY.fault("partition");
                    c.partition(Set.of(A), Set.of(B));
                    if (impairedSince[0] < 0) impairedSince[0] = c.now();
                }
                case 3 -> {
                    step = "heal";
                    c.heal();
                }
                case 4 -> {
                    step = "loss " + n;
                    SUMMARY.fault("loss");
                    c.setLoss(n, 0.3);
                    if (impairedSince[0] < 0) impairedSince[0] = c.now();
                }
                default -> {
                    step = "start " + n;
                    startIfDown(c, n);
                    up.put(n, true);
                }
            }
            track.run();
            steps.add(String.format(java.util.Locale.ROOT, "%.3f %s", c.now() / 1e9, step));
            c.runFor(Duration.ofMillis(500 + r.nextInt(8000)));
        }
        // repair everything
        c.heal().setLoss(A, 0).setLoss(B, 0);
        if (impairedSince[0] >= 0) netImpaired.add(new HolderTimeline.Window(impairedSince[0], c.now()));
        c.runFor(Duration.ofSeconds(5));
        // a clean stop waits for resource work in flight (heartbeat's "Shutdown delayed"); let it finish first
        for (int i = 0; i < 60 && (stopping(c, A) || stopping(c, B)); i++) c.runFor(Duration.ofSeconds(1));
        startIfDown(c, A);
        startIfDown(c, B);
        up.put(A, true);
        up.put(B, true);
        track.run();
        c.runFor(Duration.ofSeconds(60));
        // heartbeat v1 bounds its double holders by nothing but deadtime and the takeover dance: report, and
        // hold to the settled invariants below
        CampaignChecks.WindowCheck dh = CampaignChecks.doubleHolders(c.timeline(), VIP, settledAt, c.now(), Long.MAX_VALUE, netImpaired);
        CampaignChecks.WindowCheck out = CampaignChecks.outages(c.timeline(), VIP, settledAt, c.now(), Long.MAX_VALUE, allDown);
        SUMMARY.doubleHolder(seed, dh.worstUnexcusedNanos());
        SUMMARY.split(seed, dh.worstNanos());
        SUMMARY.outage(seed, out.worstUnexcusedNanos());
        if (seed == Long.getLong("vigil.campaign.dump", -1)) {
            c.journal().forEach(e -> System.out.println("JOURNAL " + e));
            System.out.println("JOURNAL end " + c.node(A).resourceState() + " / " + c.node(B).resourceState());
        }
        String holderNow = c.timeline().holders(VIP).size() == 1 ? c.timeline().holders(VIP).get(0) : null;
        String otherNow = A.equals(holderNow) ? B : A;
        long settledFrom = c.now() - Duration.ofSeconds(30).toNanos();
        List<String> problems = new ArrayList<>();
        if (holderNow == null) problems.add("holders " + c.timeline().holders(VIP) + " once settled");
        else {
            if (mode == AutoFailback.ON && !holderNow.equals(A)) problems.add("auto_failback on but " + holderNow + " holds");
            if (!c.running(holderNow).equals(Set.of(VIP, "apache"))) problems.add(holderNow + " runs " + c.running(holderNow));
            if (!c.running(otherNow).isEmpty()) problems.add(otherNow + " runs " + c.running(otherNow));
        }
        if (c.node(A).rscStatus().equals("transition") || c.node(B).rscStatus().equals("transition")) problems.add("still in transition");
        if (c.timeline().doubleHolderNanos(VIP, settledFrom, c.now()) > 0) problems.add("double holder once settled");
        problems.forEach(p -> SUMMARY.violation(seed, p + " " + mode + " steps " + steps));
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
