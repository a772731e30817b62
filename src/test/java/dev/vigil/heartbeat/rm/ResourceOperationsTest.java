package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.NodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Start/stop sequencing and failures, as ResourceManager does them (research heartbeat.md §4.3), and
 * Vigil's safe replacement for heartbeat's reboot after a failed stop.
 */
class ResourceOperationsTest {
    private static final ResourceGroup WEB = ResourceGroup.of(A, "IPaddr2::10.0.0.1", "Filesystem::/dev/sdb1::/srv", "apache");

    private static RmDriver webNode() {
        return new RmDriver(A, AutoFailback.ON, WEB);
    }

    @Test
    void aGroupStartsLeftToRightAskingStatusFirstAndSkippingWhatAlreadyRuns() {
        RmDriver d = webNode();
        d.running.put("Filesystem::/dev/sdb1::/srv", true);
        d.stableWithPeerHolding("local");

        assertThat(d.runsSummary()).containsExactly("IPaddr2::10.0.0.1 status", "IPaddr2::10.0.0.1 start",
                "Filesystem::/dev/sdb1::/srv status", "apache status", "apache start");
        assertThat(d.log).contains("info: Acquiring resource group: nodea IPaddr2::10.0.0.1 Filesystem::/dev/sdb1::/srv apache");
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.RUNNING);
    }

    @Test
    void aGroupStopsRightToLeft() {
        RmDriver d = webNode().stableWithPeerHolding("local");
        d.clear();
        d.apply(d.rm.shutdown(d.now));
        assertThat(d.runsSummary()).containsExactly("apache stop", "Filesystem::/dev/sdb1::/srv stop", "IPaddr2::10.0.0.1 stop");
        assertThat(d.log).contains("info: Releasing resource group: nodea IPaddr2::10.0.0.1 Filesystem::/dev/sdb1::/srv apache");
    }

    @Test
    void aFailedStopIsRetriedTenTimesOneSecondApart() {
        RmDriver d = webNode().stableWithPeerHolding("local");
        d.failStop.add("apache");
        d.clear();
        long t = d.now;
        d.apply(d.rm.shutdown(t));
        assertThat(d.runsSummary()).containsExactly("apache stop");

        d.advance(t + SEC - 1);
        assertThat(d.runs).hasSize(1);
        d.advance(t + 10 * SEC);
        assertThat(d.runsSummary()).filteredOn(s -> s.equals("apache stop")).hasSize(11);
        assertThat(d.log).filteredOn(l -> l.equals("info: Retrying failed stop operation [apache]")).hasSize(10);
        assertThat(d.runsSummary().get(d.runs.size() - 1)).isEqualTo("apache status");
    }

    @Test
    void vigilDoesNotRebootOnAFailedStopButMarksTheGroupFailedKeepsItClaimedAndWithholdsShutdone() {
        RmDriver d = webNode().stableWithPeerHolding("local");
        d.failStop.add("apache"); // and apache stays running
        d.clear();
        d.apply(d.rm.shutdown(d.now));
        d.advance(d.now + 11 * SEC);

        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.FAILED);
        assertThat(d.log).anyMatch(l -> l.startsWith("CRIT: Resource apache of group " + WEB.key() + " failed to stop 11 times"));
        assertThat(d.log).anyMatch(l -> l.startsWith("CRIT: Shutdown blocked"));
        assertThat(d.sentSummary()).doesNotContain("shutdone st=dead");
        assertThat(d.rm.isShutdownComplete()).isFalse();
        assertThat(d.rm.rscStatus()).isEqualTo("transition");
        // resources left of the failed one were not touched: the group is left as it is
        assertThat(d.isRunning("IPaddr2::10.0.0.1")).isTrue();

        d.running.put("apache", false); // the operator stopped it by hand
        d.failStop.clear();
        d.apply(d.rm.resolveFailedGroup(WEB.key(), d.now));
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.STOPPED);
        assertThat(d.sentSummary()).contains("shutdone st=dead");
        assertThat(d.rm.isShutdownComplete()).isTrue();
    }

    @Test
    void aFailingStopOfSomethingThatDoesNotRunIsWarnedAboutAndTheStopGoesOn() {
        RmDriver d = webNode().stableWithPeerHolding("local");
        d.failStop.add("apache");
        d.running.put("apache", false); // a non-LSB script: stop fails although nothing runs
        d.clear();
        d.apply(d.rm.shutdown(d.now));
        d.advance(d.now + 11 * SEC);

        assertThat(d.log).containsSubsequence("ERROR: Resource script for apache probably not LSB-compliant.",
                "WARN: it (apache) MUST succeed on a stop when already stopped", "WARN: Machine reboot narrowly avoided!");
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.STOPPED);
        assertThat(d.sentSummary()).contains("shutdone st=dead");
    }

    @Test
    void aFailedStartGivesTheGroupUpAndGoesStandbyThirtySecondsLater() {
        RmDriver d = webNode();
        d.failStart.add("Filesystem::/dev/sdb1::/srv");
        d.stableWithPeerHolding("local");
        long startedAt = d.runs.isEmpty() ? d.now : d.now; // everything ran synchronously at the stable point

        assertThat(d.log).contains("CRIT: Giving up resources due to failure of Filesystem::/dev/sdb1::/srv");
        assertThat(d.runsSummary()).containsSubsequence("Filesystem::/dev/sdb1::/srv start", "apache stop",
                "Filesystem::/dev/sdb1::/srv stop", "IPaddr2::10.0.0.1 stop");
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.STOPPED);
        assertThat(d.isRunning("IPaddr2::10.0.0.1")).isFalse();
        d.clear();

        long deadline = d.rm.nextDeadlineNanos();
        assertThat(deadline - startedAt).isLessThanOrEqualTo(30 * SEC);
        d.advance(deadline);
        assertThat(d.log).contains("info: Going standby [local].");
        assertThat(d.sentSummary()).containsExactly("ask_resources rsc_hold=local info=me");
    }

    @Test
    void vigilAbortsAStandbyWhoseReleaseFailedInsteadOfLettingThePeerStartTheGroupToo() {
        RmDriver d = webNode().stableWithPeerHolding("local");
        d.failStop.add("apache");
        d.clear();
        d.apply(d.rm.requestStandby(AdminRequest.ALL, d.now));
        d.fromPeer("ask_resources", "rsc_hold", "all", "info", "other");
        d.advance(d.now + 11 * SEC);

        assertThat(d.log).anyMatch(l -> l.startsWith("CRIT: Standby aborted"));
        assertThat(d.sentSummary()).doesNotContain("ask_resources rsc_hold=all info=done");
        assertThat(d.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
    }

    @Test
    void aResultThatAnswersNothingIsIgnored() {
        RmDriver d = webNode();
        List<RmAction> out = d.rm.operationFinished(OperationResult.started(WEB.key(), "apache", true), 0);
        assertThat(out).anySatisfy(a -> assertThat(a.toString()).contains("Ignoring unexpected result"));
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.STOPPED);
    }

    @Test
    void aReleaseWhileStartingWaitsForTheCurrentScriptThenStopsEverything() {
        RmDriver d = webNode();
        d.autoComplete = false;
        d.stableWithPeerHolding("local");
        assertThat(d.pending).extracting(r -> r.resource() + " " + r.op()).containsExactly("IPaddr2::10.0.0.1 STATUS");
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.ACTIVE); // no-op
        d.apply(d.rm.shutdown(d.now)); // delayed: work in flight
        d.completeAll();
        assertThat(d.rm.groupState(WEB.key())).isEqualTo(GroupState.STOPPED);
        assertThat(d.sentSummary()).contains("shutdone st=dead");
    }
}
