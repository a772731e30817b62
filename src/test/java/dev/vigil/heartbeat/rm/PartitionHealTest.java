package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import org.junit.jupiter.api.Test;

/**
 * Vigil's decision for "Cluster node X returning after partition" (research heartbeat.md §2 "Loss
 * test", §6.1): heartbeat gives up everything and re-execs itself; Vigil gives up the groups the
 * peer prefers, keeps its own, and runs the start-up handshake again.
 */
class PartitionHealTest {
    private static final String VIP_A = GROUP_A.key();
    private static final String VIP_B = GROUP_B.key();

    /** nodea during a partition: it declared nodeb dead and holds both groups. */
    private static RmDriver splitBrainedNodeA(AutoFailback mode) {
        RmDriver d = nodeA(mode).stableWithPeerHolding("local");
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.isRunning(VIP_B)).isTrue();
        d.clear();
        return d;
    }

    @Test
    void onHealWeReleaseWhatThePeerPrefersKeepOursAndRenegotiate() {
        RmDriver d = splitBrainedNodeA(AutoFailback.ON);
        d.membership(new MembershipAction.PeerReturnedAfterPartition(B));
        d.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);

        assertThat(d.log.get(0)).startsWith("WARN: Partition with nodeb healed");
        assertThat(d.runsSummary()).containsExactly(VIP_B + " stop");
        assertThat(d.isRunning(VIP_B)).isFalse();
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.sentSummary()).containsExactly("starting");
        assertThat(d.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
        assertThat(d.rm.rscStatus()).isEqualTo("transition");

        // the peer (a Vigil node doing the mirror image) renegotiates too
        d.fromPeer("starting");
        d.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "0");
        d.advance(d.now + 10 * SEC);
        d.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        assertThat(d.rm.rscStatus()).isEqualTo("local");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.isRunning(VIP_B)).isFalse();
        assertThat(d.runsSummary()).doesNotContain(VIP_A + " stop");
    }

    @Test
    void aLocalGroupNotRunningAtHealIsTakenOnlyAfterTheHandshake() {
        // nodeb held everything; in the partition nodea failed to start its own group
        RmDriver e = nodeA(AutoFailback.OFF).stableWithPeerHolding("all");
        e.failStart.add(VIP_A);
        e.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(e.isRunning(VIP_A)).isFalse();
        e.failStart.clear();
        e.membership(new MembershipAction.PeerReturnedAfterPartition(B));
        e.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        assertThat(e.rm.claimed()).isEqualTo(ResourceSet.NONE);
        e.clear();
        e.fromPeer("starting");
        e.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        assertThat(e.isRunning(VIP_A)).isTrue();
        assertThat(e.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
    }

    @Test
    void legacyHealReleasesForeignAndRequestsItsOwnWithIpRequest() {
        RmDriver d = nodeA(AutoFailback.LEGACY);
        d.peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        d.fromPeer("ip-request-resp", "dest", A, "ipaddr", VIP_A, "weown", "no", "ok", "OK");
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(d.isRunning(VIP_B)).isTrue();
        d.clear();
        d.membership(new MembershipAction.PeerReturnedAfterPartition(B));
        d.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        assertThat(d.isRunning(VIP_B)).isFalse();
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.sentSummary()).noneMatch(s -> s.startsWith("starting"));
    }
}
