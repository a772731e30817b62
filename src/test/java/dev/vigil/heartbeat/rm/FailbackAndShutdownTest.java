package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import org.junit.jupiter.api.Test;

/** auto_failback on/off/legacy when a node returns, and graceful shutdown (research heartbeat.md §1.6, §4.1, §6.7). */
class FailbackAndShutdownTest {
    private static final String VIP_A = GROUP_A.key();
    private static final String VIP_B = GROUP_B.key();

    /** nodeb's view: nodea died, nodeb took its group; nodea now comes back and starts. */
    private static RmDriver survivorSeesNodeaReturn(AutoFailback mode) {
        RmDriver d = new RmDriver(B, mode, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(d.isRunning(VIP_A)).isTrue();
        d.membership(new MembershipAction.PeerRestarted(A, 7, 8));
        d.peerStatus(NodeStatus.DEAD, NodeStatus.INIT).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE);
        d.clear();
        return d;
    }

    @Test
    void autoFailbackOnHandsTheReturningNodesGroupsBackOnceItIsStableLikeCapture5() {
        RmDriver d = survivorSeesNodeaReturn(AutoFailback.ON);
        d.fromPeer("starting");
        assertThat(d.sentSummary()).containsExactly("resource rsc_hold=all isstable=1");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");

        assertThat(d.sentSummary()).containsSubsequence("resource rsc_hold=all isstable=1", "ask_resources rsc_hold=foreign info=me");
        assertThat(HbFixtures.fieldNames(onTheWire(B, d.sent.get(d.sent.size() - 1))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("25-ask_resources-foreign-failback.bin")));
        d.fromPeer("ask_resources", "rsc_hold", "foreign", "info", "other");
        assertThat(d.isRunning(VIP_A)).isFalse();
        assertThat(d.isRunning(VIP_B)).isTrue();
        assertThat(d.sentSummary()).contains("resource rsc_hold=local info=standby isstable=0", "ask_resources rsc_hold=foreign info=done");
        d.fromPeer("ask_resources", "rsc_hold", "foreign", "info", "done");
        d.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        assertThat(d.rm.rscStatus()).isEqualTo("local");
    }

    @Test
    void autoFailbackOffKeepsTheGroupsWhereTheyRun() {
        RmDriver d = survivorSeesNodeaReturn(AutoFailback.OFF);
        d.fromPeer("starting");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        d.advance(d.now + 30 * SEC);
        assertThat(d.sentSummary()).noneMatch(s -> s.startsWith("ask_resources"));
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.rm.rscStatus()).isEqualTo("all");
    }

    @Test
    void legacyFailbackIsTheReturningNodeAskingWithIpRequest() {
        RmDriver d = survivorSeesNodeaReturn(AutoFailback.LEGACY);
        d.fromPeer("ip-request", "ipaddr", VIP_A);

        assertThat(d.runsSummary()).containsExactly("apache stop", VIP_A + " stop"); // right to left
        assertThat(d.isRunning(VIP_A)).isFalse();
        assertThat(d.sentSummary()).containsExactly("ip-request-resp dest=nodea ipaddr=" + VIP_A + " weown=yes");
    }

    @Test
    void legacyIpRequestForAGroupWeDoNotRunIsAnsweredWeownNo() {
        RmDriver d = new RmDriver(B, AutoFailback.LEGACY, GROUP_A, GROUP_B);
        d.peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        d.clear();
        d.fromPeer("ip-request", "ipaddr", VIP_A);
        assertThat(d.sentSummary()).containsExactly("ip-request-resp dest=nodea ipaddr=" + VIP_A + " weown=no");
        assertThat(d.runs).isEmpty();
    }

    @Test
    void shutdownAnnouncesStopsEverythingRightToLeftThenSaysShutdoneLikeFixtures34And35() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.clear();
        d.apply(d.rm.shutdown(d.now));

        assertThat(d.log).containsSubsequence("info: Heartbeat shutdown in progress.", "info: Giving up all HA resources.",
                "info: All HA resources relinquished.");
        assertThat(d.sentSummary()).containsExactly("resource rsc_hold=none info=shutdown isstable=0", "shutdone st=dead");
        // givegroup runs stop on every group, held or not; right to left within a group, groups side by side
        assertThat(d.runsSummary()).containsExactlyInAnyOrder("apache stop", VIP_A + " stop", VIP_B + " stop")
                .containsSubsequence("apache stop", VIP_A + " stop");
        assertThat(d.actions).contains(new RmAction.ShutdownComplete());
        assertThat(d.rm.isShutdownComplete()).isTrue();
        assertThat(HbFixtures.fieldNames(onTheWire(B, d.sent.get(0)))).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("34-resource-shutdown.bin")));
        assertThat(HbFixtures.fieldNames(onTheWire(B, d.sent.get(1)))).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("35-shutdone.bin")));
    }

    @Test
    void shutdownWaitsForResourceWorkInFlight() {
        RmDriver d = nodeA(AutoFailback.ON);
        d.autoComplete = false;
        d.stableWithPeerHolding("local");
        assertThat(d.pending).isNotEmpty(); // our group is starting
        d.clear();
        d.apply(d.rm.shutdown(d.now));
        assertThat(d.log).containsExactly("WARN: Shutdown delayed until current resource activity finishes.");
        assertThat(d.sent).isEmpty();

        d.completeAll();
        assertThat(d.sentSummary()).containsSubsequence("resource rsc_hold=local info=req_our_resources() isstable=1",
                "resource rsc_hold=none info=shutdown isstable=0", "shutdone st=dead");
        assertThat(d.isRunning(VIP_A)).isFalse();
    }

    @Test
    void thePeersShutdoneMakesUsTakeEverything() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.clear();
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0", "info", "shutdown");
        d.fromPeer("shutdone", "st", "dead");

        assertThat(d.log).containsSubsequence("info: Received shutdown notice from 'nodeb'.", "info: Resources being acquired from nodeb.");
        assertThat(d.isRunning(VIP_B)).isTrue();
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.rm.claimed()).isEqualTo(ResourceSet.ALL);
    }
}
