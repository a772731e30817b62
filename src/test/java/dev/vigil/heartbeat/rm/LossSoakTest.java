package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.ClusterScenarioTest.A;
import static dev.vigil.heartbeat.rm.ClusterScenarioTest.B;
import static dev.vigil.heartbeat.rm.ClusterScenarioTest.VIP_A;
import static dev.vigil.heartbeat.rm.ClusterScenarioTest.VIP_B;
import static dev.vigil.heartbeat.rm.SimCluster.MS;
import static dev.vigil.heartbeat.rm.SimCluster.SEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Minutes of virtual time on a lossy medium at keepalive 1 s / deadtime 5 s (the research
 * testbed's loss test used 40 %: research heartbeat.md §2 "Loss test"). ACKs and retransmission
 * must keep the resource layer's messages coming in order; a false death needs five heartbeats in
 * a row lost, so it happens at 40 % and must not at 10 %.
 */
class LossSoakTest {
    private static final long SOAK = 300 * SEC;

    record Outcome(int sent, List<Long> delivered, long falseDeaths, long partitionReturns) {}

    private static Outcome soak(long seed, double loss) {
        SimCluster c = ClusterScenarioTest.running(seed, AutoFailback.ON);
        SimCluster.Node a = c.node(A);
        SimCluster.Node b = c.node(B);
        List<Long> delivered = new ArrayList<>();
        b.onDeliver = m -> {
            if (m.type().orElse("").equals("x-probe")) delivered.add(m.decimal("n").getAsLong());
        };
        long deathsBefore = a.countLog("is dead") + b.countLog("is dead");
        // Every crossing passes nodea's port once, so this is the loss rate in both directions.
        a.ports.get("hb0").setLoss(loss);
        long start = c.now();
        int[] n = {0};
        Runnable[] probe = new Runnable[1];
        probe[0] = () -> {
            if (c.now() - start >= SOAK) return;
            a.send(HbMessage.builder().add("t", "x-probe").addDecimal("n", ++n[0]).build());
            c.scheduler.schedule(200 * MS, probe[0]);
        };
        c.scheduler.schedule(0, probe[0]);
        c.runUntil(start + SOAK);
        long falseDeaths = a.countLog("is dead") + b.countLog("is dead") - deathsBefore;
        long returns = a.countLog("returning after partition") + b.countLog("returning after partition");

        // then the medium heals and the cluster must settle with every group on exactly one node
        a.ports.get("hb0").setLoss(0);
        c.runUntil(start + SOAK + 60 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).as(c.dumpLogs()).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(B);
        System.out.printf("loss %.0f%%: %d probes sent, %d delivered, %d false deaths, %d partition returns%n", loss * 100, n[0],
                delivered.size(), falseDeaths, returns);
        return new Outcome(n[0], delivered, falseDeaths, returns);
    }

    @Test
    void atTenPercentLossNothingIsFalselyDeclaredDeadAndEveryMessageArrivesInOrder() {
        Outcome o = soak(21, 0.10);
        assertThat(o.falseDeaths()).isZero();
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= o.sent(); i++) expected.add(i);
        assertThat(o.delivered()).isEqualTo(expected);
    }

    @Test
    void atFortyPercentLossRetransmissionStillDeliversInOrderAndFalseDeathsAreCounted() {
        Outcome o = soak(22, 0.40);
        // In order, never twice; what is lost is only what a false death cut off.
        assertThat(o.delivered()).isSorted().doesNotHaveDuplicates();
        if (o.falseDeaths() == 0) {
            assertThat(o.delivered()).hasSize(o.sent());
        } else {
            assertThat(o.delivered().size()).isGreaterThan(o.sent() * 8 / 10);
        }
        // 0.4^5 per heartbeat: about one false death every few minutes in each direction
        assertThat(o.falseDeaths()).isLessThan(12);
        assertThat(o.partitionReturns()).isEqualTo(o.falseDeaths());
    }
}
