package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.SimCluster.MS;
import static dev.vigil.heartbeat.rm.SimCluster.SEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.LinkStatus;
import dev.vigil.heartbeat.membership.NodeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whole clusters on virtual time, in real heartbeat bytes over the simulated network: the scenarios
 * of the research captures (cold start, kill -9, restart and failback, standby, takeover, shutdown,
 * partition) with a holder timeline kept by the simulated scripts.
 */
class ClusterScenarioTest {
    static final String A = "nodea";
    static final String B = "nodeb";
    static final ResourceGroup GROUP_A = ResourceGroup.of(A, "IPaddr2::10.231.0.100/24/hb0", "apache");
    static final ResourceGroup GROUP_B = ResourceGroup.of(B, "IPaddr2::10.231.0.200/24/hb0");
    static final String VIP_A = GROUP_A.key();
    static final String VIP_B = GROUP_B.key();

    static SimCluster twoNodes(long seed, AutoFailback mode, String... media) {
        SimCluster c = new SimCluster(seed, media);
        List<String> nodes = List.of(A, B);
        List<ResourceGroup> groups = List.of(GROUP_A, GROUP_B);
        c.add(SimCluster.membershipSettings(A, nodes, c.media), ResourceSettings.defaults(A, B, groups, mode));
        c.add(SimCluster.membershipSettings(B, nodes, c.media), ResourceSettings.defaults(B, A, groups, mode));
        return c;
    }

    /** Both started (nodeb 3.4 s after nodea, as in cap1) and settled. */
    static SimCluster running(long seed, AutoFailback mode, String... media) {
        SimCluster c = twoNodes(seed, mode, media);
        c.node(A).start();
        c.runUntil(3400 * MS);
        c.node(B).start();
        c.runUntil(30 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(B);
        return c;
    }

    static void assertNeverHeldByBoth(SimCluster c) {
        for (String r : List.of(VIP_A, "apache", VIP_B)) {
            assertThat(c.timeline.overlapNanos(r, 0, Long.MAX_VALUE)).as(r + "\n" + c.timeline + "\n" + c.dumpLogs()).isZero();
        }
    }

    @Test
    void coldStartPutsEachGroupOnItsPreferredNodeAfterRqstdelay() {
        SimCluster c = running(1, AutoFailback.ON);
        long firstUp = c.timeline.firstTimeHeldOnlyBy(VIP_A, A, 0);
        // comm up at ~3.4 s, RQSTDELAY 10 s, then status + start (1.5 s here): heartbeat measured 18 s
        assertThat(firstUp).isBetween(13 * SEC, 18 * SEC);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("local");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("local");
        assertThat(c.node(A).membership.nodeStatus(B)).contains(NodeStatus.ACTIVE);
        assertNeverHeldByBoth(c);
    }

    @Test
    void aNodeStartingAloneTakesEverythingWhenInitdeadExpires() {
        SimCluster c = twoNodes(2, AutoFailback.ON);
        c.node(A).start();
        c.runUntil(30 * SEC);
        assertThat(c.node(A).firstLogAfter("WARN: node nodeb: is dead", 0)).isEqualTo(10.0);
        assertThat(c.timeline.firstTimeHeldOnlyBy(VIP_A, A, 0)).isBetween(10 * SEC, 12 * SEC);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(A);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("all");
    }

    @Test
    void killingTheHolderMakesTheSurvivorDeclareItDeadAfterDeadtimeAndTakeOver() {
        SimCluster c = running(3, AutoFailback.ON);
        c.runUntil(40_400 * MS);
        c.node(A).crash();
        c.runUntil(60 * SEC);

        // nodea heartbeats on whole seconds; its last one went out at 40.0 s, deadtime 5 s
        assertThat(c.node(B).firstLogAfter("WARN: node nodea: is dead", 40)).isEqualTo(45.0);
        assertThat(c.node(B).sent).anySatisfy(m -> assertThat(RmDriver.summary(m)).isEqualTo("stonith node=nodea result=n_stnth"));
        assertThat(c.timeline.firstTimeHeldOnlyBy(VIP_A, B, 40 * SEC)).isBetween(45 * SEC, 48 * SEC);
        assertThat(c.timeline.holdersNow("apache")).containsExactly(B);
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("all");
        assertNeverHeldByBoth(c);
    }

    @Test
    void restartWithAutoFailbackOnMovesTheGroupBackWithoutEverRunningItTwice() {
        SimCluster c = running(4, AutoFailback.ON);
        c.runUntil(40_400 * MS);
        c.node(A).crash();
        c.runUntil(60 * SEC);
        c.node(A).restart();
        c.runUntil(90 * SEC);

        assertThat(c.node(B).log).anyMatch(l -> l.contains("Heartbeat restart on node nodea"));
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(B);
        // research: VIP back on the restarted node 4 s after it started
        assertThat(c.timeline.firstTimeHeldOnlyBy(VIP_A, A, 60 * SEC)).isBetween(60 * SEC, 66 * SEC);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("local");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("local");
        assertNeverHeldByBoth(c);
    }

    /**
     * heartbeat 3.0.6 with auto_failback off: nodea started alone took nodeb's group after initdead;
     * when nodeb joins it gets nothing back (real heartbeat, TranslatedPairElectionInteropTest).
     */
    @Test
    void lateJoinerWithAutoFailbackOffGetsNothingBack() {
        SimCluster c = twoNodes(12, AutoFailback.OFF);
        c.node(A).start();
        c.runUntil(40 * SEC);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(A);
        c.node(B).start();
        c.runUntil(90 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(A);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("all");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("none");
        assertNeverHeldByBoth(c);
    }

    @Test
    void restartWithAutoFailbackOffLeavesTheGroupOnTheSurvivor() {
        SimCluster c = running(5, AutoFailback.OFF);
        c.runUntil(40_400 * MS);
        c.node(A).crash();
        c.runUntil(60 * SEC);
        c.node(A).restart();
        c.runUntil(90 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(B);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("none");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("all");
        assertNeverHeldByBoth(c);
    }

    @Test
    void legacyModeFailsBackThroughIpRequestWhenTheNodeReturns() {
        SimCluster c = running(6, AutoFailback.LEGACY);
        c.runUntil(40_400 * MS);
        c.node(A).crash();
        c.runUntil(60 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(B);
        c.node(A).restart();
        c.runUntil(90 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.node(B).log).anyMatch(l -> l.contains("Releasing resource group: nodea"));
        assertNeverHeldByBoth(c);
    }

    @Test
    void standbyWorksFromEitherSide() {
        SimCluster c = running(7, AutoFailback.ON);
        c.node(A).standby(AdminRequest.ALL);
        c.runUntil(45 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(B);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("none");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("all");

        c.node(B).standby(AdminRequest.ALL);
        c.runUntil(60 * SEC);
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(A);
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("all");
        assertNeverHeldByBoth(c);
    }

    @Test
    void takeoverMakesThePeerGoStandby() {
        SimCluster c = running(8, AutoFailback.ON);
        c.node(B).takeover(AdminRequest.ALL);
        c.runUntil(45 * SEC);
        assertThat(c.node(A).log).anyMatch(l -> l.contains("info: Going standby [all]."));
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(B);
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("all");
        assertNeverHeldByBoth(c);
    }

    @Test
    void aGracefulShutdownHandsEverythingOverAndThePeerNeedsNoStonith() {
        SimCluster c = running(9, AutoFailback.ON);
        c.node(A).shutdown();
        c.runUntil(32 * SEC);
        assertThat(c.node(A).rm.isShutdownComplete()).isTrue();
        c.node(A).crash(); // the process exits a moment after shutdone
        c.runUntil(50 * SEC);

        assertThat(c.node(B).log).anyMatch(l -> l.contains("Received shutdown notice from 'nodea'."));
        assertThat(c.node(B).log).anyMatch(l -> l.contains("Dead node nodea gave up resources."));
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(B);
        assertNeverHeldByBoth(c);
    }

    @Test
    void aPartitionLetsBothSidesHoldEverythingAndAfterHealingEachGroupIsBackOnExactlyOneNode() {
        SimCluster c = running(10, AutoFailback.ON);
        c.network.segment("hb0").partition(Set.of(A), Set.of(B));
        c.runUntil(60 * SEC);
        // v1 has no quorum: each side thinks the other died and takes its groups
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactlyInAnyOrder(A, B);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactlyInAnyOrder(A, B);

        c.network.segment("hb0").heal();
        c.runUntil(100 * SEC);
        assertThat(c.node(A).log).anyMatch(l -> l.contains("CRIT: Cluster node nodeb returning after partition."));
        assertThat(c.node(B).log).anyMatch(l -> l.contains("CRIT: Cluster node nodea returning after partition."));
        assertThat(c.timeline.holdersNow(VIP_A)).containsExactly(A);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(B);
        // and from the end of the heal handshake on, never both
        long healed = 62 * SEC;
        assertThat(c.timeline.overlapNanos(VIP_A, healed, Long.MAX_VALUE)).isZero();
        assertThat(c.timeline.overlapNanos(VIP_B, healed, Long.MAX_VALUE)).isZero();
        assertThat(c.node(A).rm.rscStatus()).isEqualTo("local");
        assertThat(c.node(B).rm.rscStatus()).isEqualTo("local");
    }

    @Test
    void withTwoMediaCuttingOneIsALinkDeathNotANodeDeath() {
        SimCluster c = running(11, AutoFailback.ON, "hb0", "hb1");
        c.node(B).ports.get("hb1").setUp(false);
        c.runUntil(45 * SEC);
        SimCluster.Node a = c.node(A);
        assertThat(a.log).anyMatch(l -> l.contains("info: Link nodeb:hb1 dead."));
        assertThat(a.log).noneMatch(l -> l.contains("is dead"));
        assertThat(a.membership.linkStatus(B, "hb1")).contains(LinkStatus.DEAD);
        assertThat(a.membership.linkStatus(B, "hb0")).contains(LinkStatus.UP);
        assertThat(a.membership.nodeStatus(B)).contains(NodeStatus.ACTIVE);
        assertThat(c.timeline.holdersNow(VIP_B)).containsExactly(B);

        c.node(B).ports.get("hb1").setUp(true);
        c.runUntil(50 * SEC);
        assertThat(a.membership.linkStatus(B, "hb1")).contains(LinkStatus.UP);

        c.node(B).ports.get("hb0").setUp(false);
        c.node(B).ports.get("hb1").setUp(false);
        c.runUntil(60 * SEC);
        assertThat(a.membership.nodeStatus(B)).contains(NodeStatus.DEAD);
    }

    @Test
    void threeNodesSeeEachOtherDieAndRestart() {
        SimCluster c = new SimCluster(12);
        List<String> nodes = List.of("nodea", "nodeb", "nodec");
        for (String n : nodes) c.add(SimCluster.membershipSettings(n, nodes, c.media), null);
        for (String n : nodes) c.node(n).start();
        c.runUntil(10 * SEC);
        for (String n : nodes) assertThat(c.node(n).membership.localStatus()).as(n).isEqualTo(NodeStatus.ACTIVE);

        c.node("nodec").crash();
        c.runUntil(20 * SEC);
        assertThat(c.node("nodea").membership.nodeStatus("nodec")).contains(NodeStatus.DEAD);
        assertThat(c.node("nodeb").membership.nodeStatus("nodec")).contains(NodeStatus.DEAD);
        assertThat(c.node("nodea").membership.nodeStatus("nodeb")).contains(NodeStatus.ACTIVE);

        c.node("nodec").restart();
        c.runUntil(30 * SEC);
        assertThat(c.node("nodea").log).anyMatch(l -> l.contains("Heartbeat restart on node nodec"));
        assertThat(c.node("nodec").membership.localStatus()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(c.node("nodeb").membership.nodeStatus("nodec")).contains(NodeStatus.ACTIVE);
    }
}
