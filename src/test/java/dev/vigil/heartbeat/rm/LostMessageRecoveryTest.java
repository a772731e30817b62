package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import org.junit.jupiter.api.Test;

/**
 * Vigil's membership gives up on a message missing for longer than the dead interval, where
 * heartbeat would keep asking; the resource handshake must not wait for such a message for ever.
 * Each case was found by the simulated fault campaign (SimFaultCampaignTest) under heavy loss.
 */
class LostMessageRecoveryTest {
    private static final String VIP_A = GROUP_A.key();

    @Test
    void startingIsAskedAgainWhenNoResourceReportComes() {
        RmDriver d = nodeA(AutoFailback.ON);
        d.peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        assertThat(d.sentSummary()).containsExactly("starting");
        d.clear();
        d.advance(d.now + 9 * SEC);
        assertThat(d.sent).isEmpty();
        d.advance(d.now + 2 * SEC);
        assertThat(d.sentSummary()).containsExactly("starting");
        assertThat(d.log).contains("WARN: No resource report from nodeb yet; asking again.");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        d.clear();
        d.advance(d.now + 60 * SEC);
        assertThat(d.sentSummary()).doesNotContain("starting");
    }

    @Test
    void theTakerOfAStandbyWhoseOtherWasLostGivesUpWithTheRequester() {
        RmDriver b = new RmDriver(B, AutoFailback.OFF, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        b.clear();
        b.fromPeer("ask_resources", "rsc_hold", "all", "info", "me");
        assertThat(b.rm.standbyState()).isEqualTo(ResourceManager.Standby.OTHER);
        // our "other" never arrived: the requester gives up after 10 s, and so do we
        b.advance(b.now + 11 * SEC);
        assertThat(b.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
        assertThat(b.rm.rscStatus()).isNotEqualTo("transition");
    }

    @Test
    void aTakerHearingTheRequesterGiveUpItsGroupsWaitsAsLongAsHeartbeat() {
        RmDriver b = new RmDriver(B, AutoFailback.OFF, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        b.fromPeer("ask_resources", "rsc_hold", "all", "info", "me");
        b.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0", "info", "standby");
        b.advance(b.now + 60 * SEC); // releasing slow resources: fine
        assertThat(b.rm.standbyState()).isEqualTo(ResourceManager.Standby.OTHER);
        b.fromPeer("ask_resources", "rsc_hold", "all", "info", "done");
        assertThat(b.isRunning(VIP_A)).isTrue();
    }

    @Test
    void aFailbackWhoseRequestWentUnansweredIsTriedAgain() {
        RmDriver b = new RmDriver(B, AutoFailback.ON, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        b.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(b.isRunning(VIP_A)).isTrue();
        // nodea restarts; its handshake completes, so nodeb asks to give nodea's group back
        b.membership(new MembershipAction.PeerRestarted(A, 1, 2));
        b.peerStatus(NodeStatus.DEAD, NodeStatus.INIT).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE);
        b.fromPeer("starting");
        b.clear();
        b.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        assertThat(b.sentSummary()).contains("ask_resources rsc_hold=foreign info=me");
        b.clear();
        b.advance(b.now + 11 * SEC); // no "other" came
        assertThat(b.log).contains("WARN: No reply to standby request.  Standby request cancelled.");
        assertThat(b.sentSummary()).containsExactly("ask_resources rsc_hold=foreign info=me");
        b.fromPeer("ask_resources", "rsc_hold", "foreign", "info", "other");
        b.fromPeer("ask_resources", "rsc_hold", "foreign", "info", "done");
        assertThat(b.isRunning(VIP_A)).isFalse();
    }

    @Test
    void aPeerBackWithoutAHandshakeIsToldWhatWeHold() {
        RmDriver a = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        a.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        a.clear();
        a.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE); // a run we never heard start: no "starting" will come
        assertThat(a.sentSummary()).containsExactly("resource rsc_hold=all isstable=1");
        a.clear();
        // a restarting peer does its own handshake: nothing unasked
        a.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        a.clear();
        a.peerStatus(NodeStatus.DEAD, NodeStatus.INIT);
        assertThat(a.sent).isEmpty();
    }

    @Test
    void aTakeoverOverrunByThePartitionHealingDoesNotClaimTheGroupsGivenBack() {
        RmDriver a = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        a.autoComplete = false;
        a.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD); // takeover of nodeb's group under way
        a.membership(new MembershipAction.PeerReturnedAfterPartition(B));
        a.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        a.autoComplete = true;
        a.completeAll();
        assertThat(a.isRunning(GROUP_B.key())).isFalse();
        assertThat(a.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
        assertThat(a.log).noneMatch(l -> l.contains("mach_down takeover complete"));
    }

    @Test
    void aPeerReportArrivingWhileWeReleaseAfterAPartitionIsNotAskedForAgain() {
        RmDriver b = new RmDriver(B, AutoFailback.ON, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        b.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(b.isRunning(VIP_A)).isTrue();
        b.autoComplete = false;
        b.membership(new MembershipAction.PeerReturnedAfterPartition(A));
        b.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        b.clear();
        // nodea's report overtakes our release of its group
        b.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        b.autoComplete = true;
        b.completeAll();
        assertThat(b.isRunning(VIP_A)).isFalse();
        assertThat(b.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        assertThat(b.sentSummary()).doesNotContain("starting");
    }

    @Test
    void ourGroupsGivenBackByAPeerThatSawAPartitionWeDidNotAreTaken() {
        // auto_failback off: nodeb kept nodea's group after a death, nodea came back holding nothing
        RmDriver a = nodeA(AutoFailback.OFF);
        a.peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        a.fromPeer("resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(a.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        assertThat(a.isRunning(VIP_A)).isFalse();
        a.clear();
        // nodeb declared us dead by mistake, saw us "return after partition", gave our group up and asks again
        a.fromPeer("starting");
        a.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        assertThat(a.log).contains("ERROR: No one owns our local resources!", "WARN: Taking our own resource groups, which nobody holds.");
        assertThat(a.isRunning(VIP_A)).isTrue();
        assertThat(a.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
    }

    @Test
    void aRequesterWhoseDoneFromTheTakerWasLostFinishesOnTheTakersStableReport() {
        RmDriver a = nodeA(AutoFailback.OFF).stableWithPeerHolding("local");
        a.apply(a.rm.requestStandby(AdminRequest.ALL, a.now));
        a.fromPeer("ask_resources", "rsc_hold", "all", "info", "other");
        assertThat(a.rm.standbyState()).isEqualTo(ResourceManager.Standby.DONE);
        assertThat(a.isRunning(VIP_A)).isFalse();
        // nodeb's "done" is lost; its report after it arrives
        a.fromPeer("resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(a.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
        assertThat(a.rm.rscStatus()).isEqualTo("none");
    }
}
