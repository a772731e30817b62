package dev.vigil.heartbeat.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.sim.HolderTimeline;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The daemon's {@code HeartbeatNode} on virtual time, two nodes talking real signed packets: the
 * failure cases the lab and the fault campaign play.
 */
class SimHeartbeatClusterTest {
    static final String A = "nodea";
    static final String B = "nodeb";
    static final String VIP = "IPaddr2::10.0.0.100/24/eth0";
    static final long SEC = 1_000_000_000L;
    static final long MS = 1_000_000L;

    static SimHeartbeatCluster.Builder pair(AutoFailback mode) {
        return SimHeartbeatCluster.builder().nodes(A, B).timings(Duration.ofMillis(200), Duration.ofSeconds(1))
                .initdead(Duration.ofSeconds(2)).autoFailback(mode).group(A, VIP, "apache");
    }

    static SimHeartbeatCluster settled(SimHeartbeatCluster.Builder b) {
        SimHeartbeatCluster c = b.build().start();
        c.runFor(Duration.ofSeconds(20));
        return c;
    }

    /**
     * heartbeat 3.0.6, auto_failback off: a node joining late gets none of its groups back from the
     * node that took them after initdead (real heartbeat in TranslatedPairElectionInteropTest).
     */
    @Test
    void lateJoinerWithAutoFailbackOffGetsNothingBack() {
        SimHeartbeatCluster c = SimHeartbeatCluster.builder().nodes(A, B).timings(Duration.ofMillis(200), Duration.ofSeconds(1))
                .initdead(Duration.ofSeconds(2)).autoFailback(AutoFailback.OFF).group(A, VIP, "apache")
                .group(B, "IPaddr2::10.0.0.201/24/eth0").build();
        c.start(A);
        c.runFor(Duration.ofSeconds(15));
        for (String g : c.groups()) assertThat(c.timeline().holders(g)).as(g).containsExactly(A);
        c.start(B);
        c.runFor(Duration.ofSeconds(30));
        for (String g : c.groups()) assertThat(c.timeline().holders(g)).as(g + "\n" + c.journal()).containsExactly(A);
    }

    @Test
    void bothNodesBecomeActiveAndOnlyThePreferredNodeHoldsTheGroup() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON));
        assertThat(c.node(A).nodeStatus(B)).contains(NodeStatus.ACTIVE);
        assertThat(c.node(B).nodeStatus(A)).contains(NodeStatus.ACTIVE);
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.running(A)).containsExactlyInAnyOrder(VIP, "apache");
        assertThat(c.running(B)).isEmpty();
        assertThat(c.node(A).rscStatus()).isEqualTo("local");
        assertThat(c.node(B).groups().get(0).holder()).contains(A);
        assertThat(c.timeline().doubleHolderNanos(VIP, 0, c.now())).isZero();
        assertThat(c.node(A).messagesSentByType()).containsKeys("status", "starting", "resource");
    }

    @Test
    void killingTheHolderMovesTheGroupWithinDeadtimeAndAutoFailbackBringsItHome() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON));
        long killedAt = c.now();
        c.kill(A).runFor(Duration.ofSeconds(5));
        long takenAt = c.timeline().firstHeldBy(VIP, B, killedAt).orElseThrow();
        // dead after deadtime since the last heartbeat (at most one keepalive before the kill), then 2 operations of 10 ms
        assertThat(takenAt - killedAt).isBetween(800 * MS, 1100 * MS);
        assertThat(c.node(B).nodeStatus(A)).contains(NodeStatus.DEAD);
        assertThat(c.node(B).events()).anyMatch(e -> e.text().equals("node nodea: is dead"));
        long detectedAt = c.firstEvent(B, "node nodea: is dead", killedAt).orElseThrow();
        assertThat(takenAt - detectedAt).isBetween(20 * MS, 30 * MS); // status, then start: 10 ms each
        assertThat(c.timeline().outages(VIP, killedAt, c.now()))
                .containsExactly(new HolderTimeline.Window(killedAt, takenAt));
        assertThat(c.timeline().outageNanos(VIP, killedAt, c.now())).isEqualTo(takenAt - killedAt);

        long restartedAt = c.now();
        c.start(A).runFor(Duration.ofSeconds(30));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.timeline().doubleHolderNanos(VIP, restartedAt, c.now())).isZero();
        assertThat(c.node(A).generation()).isGreaterThan(c.node(B).generation() - 10).isGreaterThan(0);
    }

    @Test
    void withAutoFailbackOffTheGroupStaysWithTheSurvivor() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.OFF));
        c.kill(A).runFor(Duration.ofSeconds(5)).start(A).runFor(Duration.ofSeconds(30));
        assertThat(c.timeline().holders(VIP)).containsExactly(B);
        assertThat(c.node(A).nodeStatus(B)).contains(NodeStatus.ACTIVE);
    }

    @Test
    void aCleanStopHandsTheGroupOverWithoutDoubleHolding() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON));
        long stopAt = c.now();
        c.stop(A).runFor(Duration.ofSeconds(5));
        assertThat(c.timeline().holders(VIP)).containsExactly(B);
        assertThat(c.timeline().doubleHolderNanos(VIP, stopAt, c.now())).isZero();
        // shutdone makes the peer take over at once, long before deadtime
        long takenAt = c.timeline().firstHeldBy(VIP, B, stopAt).orElseThrow();
        assertThat(takenAt - stopAt).isLessThan(500 * MS);
        assertThat(c.node(A).lifecycle()).isEqualTo(dev.vigil.heartbeat.HeartbeatNode.Lifecycle.STOPPED);
        assertThat(c.node(A).messagesSentByType()).containsKey("shutdone");

        // heartbeat 3.0.6 fails back after a clean restart too (checked on two real nodes)
        long restartedAt = c.now();
        c.start(A).runFor(Duration.ofSeconds(30));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.timeline().doubleHolderNanos(VIP, restartedAt, c.now())).isZero();
    }

    @Test
    void aPartitionGivesBothSidesTheGroupAndHealingLeavesOneHolder() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON));
        c.partition(Set.of(A), Set.of(B)).runFor(Duration.ofSeconds(5));
        assertThat(c.timeline().holders(VIP)).containsExactlyInAnyOrder(A, B);
        assertThat(c.timeline().doubleHolders(VIP, 0, c.now())).hasSize(1);
        long healedAt = c.now();
        c.heal().runFor(Duration.ofSeconds(30));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.node(A).nodeStatus(B)).contains(NodeStatus.ACTIVE);
        assertThat(c.node(B).nodeStatus(A)).contains(NodeStatus.ACTIVE);
        assertThat(c.timeline().doubleHolderNanos(VIP, healedAt + 2 * SEC, c.now())).isZero();
    }

    @Test
    void withASerialLineCuttingTheLanKillsOnlyTheLink() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON).serial());
        assertThat(c.node(B).linkStatus(A, SimHeartbeatCluster.SERIAL)).contains(dev.vigil.heartbeat.membership.LinkStatus.UP);
        // as heartbeat: our own UDP link reads up (we hear our broadcasts), our own serial line dead (no echo)
        assertThat(c.node(B).linkStatus(B, SimHeartbeatCluster.LAN)).contains(dev.vigil.heartbeat.membership.LinkStatus.UP);
        assertThat(c.node(B).linkStatus(B, SimHeartbeatCluster.SERIAL)).contains(dev.vigil.heartbeat.membership.LinkStatus.DEAD);
        long cutAt = c.now();
        c.cutLink(A, SimHeartbeatCluster.LAN).runFor(Duration.ofSeconds(5));
        assertThat(c.node(B).nodeStatus(A)).contains(NodeStatus.ACTIVE);
        assertThat(c.node(B).linkStatus(A, SimHeartbeatCluster.LAN)).contains(dev.vigil.heartbeat.membership.LinkStatus.DEAD);
        assertThat(c.node(B).linkStatus(A, SimHeartbeatCluster.SERIAL)).contains(dev.vigil.heartbeat.membership.LinkStatus.UP);
        assertThat(c.node(B).events()).anyMatch(e -> e.text().equals("Link nodea:eth0 dead."));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.timeline().doubleHolderNanos(VIP, cutAt, c.now())).isZero();
        c.restoreLink(A, SimHeartbeatCluster.LAN).runFor(Duration.ofSeconds(2));
        assertThat(c.node(B).linkStatus(A, SimHeartbeatCluster.LAN)).contains(dev.vigil.heartbeat.membership.LinkStatus.UP);
    }

    @Test
    void standbyAndTakeoverMoveTheGroupBothWays() {
        SimHeartbeatCluster c = settled(pair(AutoFailback.ON));
        c.node(A).requestStandby(dev.vigil.heartbeat.rm.AdminRequest.ALL);
        c.runFor(Duration.ofSeconds(3));
        assertThat(c.timeline().holders(VIP)).containsExactly(B);
        c.node(A).requestTakeover(dev.vigil.heartbeat.rm.AdminRequest.ALL);
        c.runFor(Duration.ofSeconds(3));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(c.timeline().doubleHolderNanos(VIP, 0, c.now())).isZero();
    }

    @Test
    void aRunIsReproducibleFromItsSeed() {
        SimHeartbeatCluster one = settled(pair(AutoFailback.ON).seed(42));
        one.setLoss(B, 0.2).kill(A).runFor(Duration.ofSeconds(5));
        SimHeartbeatCluster two = settled(pair(AutoFailback.ON).seed(42));
        two.setLoss(B, 0.2).kill(A).runFor(Duration.ofSeconds(5));
        assertThat(two.timeline().holds(VIP)).isEqualTo(one.timeline().holds(VIP));
        assertThat(two.packetsOnWire()).isEqualTo(one.packetsOnWire());
        assertThat(two.messagesSent(B)).isEqualTo(one.messagesSent(B));
    }
}
