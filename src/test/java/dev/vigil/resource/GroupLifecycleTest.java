package dev.vigil.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.resource.GroupAction.GiveUp;
import dev.vigil.resource.GroupAction.RunOp;
import dev.vigil.resource.GroupLifecycle.Member;
import dev.vigil.resource.GroupLifecycle.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resource lifecycle on virtual time: every action it asks for, in order, and what results lead to. */
class GroupLifecycleTest {
    private static final long S = 1_000_000_000L;

    /** start 11 s, stop 12 s, status 13 s, restart 14 s, monitor every 5 s (timeout 2 s), 2 restarts per 60 s. */
    static final ResourcePolicy MONITORED = new ResourcePolicy(Duration.ofSeconds(11), Duration.ofSeconds(12), Duration.ofSeconds(13),
            Duration.ofSeconds(14), Duration.ofSeconds(5), Duration.ofSeconds(2), 2, Duration.ofSeconds(60), Optional.empty());
    static final ResourcePolicy UNMONITORED = ResourcePolicy.DEFAULTS;

    /** Drives a lifecycle on a virtual clock, as the glue does. */
    static final class Harness {
        final GroupLifecycle g;
        long now;
        final List<GroupAction> all = new ArrayList<>();
        RunOp pending;

        Harness(GroupLifecycle g) {
            this.g = g;
        }

        List<GroupAction> take(List<GroupAction> actions) {
            all.addAll(actions);
            for (GroupAction a : actions) {
                if (a instanceof RunOp r) {
                    assertThat(pending).as("one operation at a time").isNull();
                    pending = r;
                }
            }
            return actions;
        }

        /** Answers the pending operation; asserts which one it is. */
        List<GroupAction> answer(String resource, ResourceOperation op, OpOutcome outcome) {
            assertThat(pending).as("an operation is pending").isNotNull();
            assertThat(pending.resource() + " " + pending.op()).isEqualTo(resource + " " + op);
            RunOp r = pending;
            pending = null;
            return take(g.opFinished(r.id(), outcome, now));
        }

        List<GroupAction> ok(String resource, ResourceOperation op) {
            return answer(resource, op, op == ResourceOperation.STATUS ? OpOutcome.status(true, "") : OpOutcome.ok(""));
        }

        /** Advances virtual time to {@code t} nanoseconds, firing deadlines on the way like the glue's single timer. */
        void advanceTo(long t) {
            while (g.nextDeadlineNanos() <= t) {
                now = Math.max(now, g.nextDeadlineNanos());
                take(g.tick(now));
            }
            now = t;
        }

        List<String> ops() {
            return all.stream().filter(a -> a instanceof RunOp).map(a -> ((RunOp) a).resource() + " " + ((RunOp) a).op().argument()).toList();
        }

        List<GiveUp> giveUps() {
            return all.stream().filter(a -> a instanceof GiveUp).map(a -> (GiveUp) a).toList();
        }
    }

    static Harness managed(ResourcePolicy policy, boolean restartCapable, String... names) {
        List<Member> m = new ArrayList<>();
        for (String n : names) m.add(new Member(n, policy, restartCapable));
        return new Harness(new GroupLifecycle("g", m, true));
    }

    static Harness adopted(ResourcePolicy policy, boolean restartCapable, String... names) {
        List<Member> m = new ArrayList<>();
        for (String n : names) m.add(new Member(n, policy, restartCapable));
        return new Harness(new GroupLifecycle("g", m, false));
    }

    static void startAll(Harness h, String... names) {
        h.take(h.g.start(h.now));
        for (String n : names) h.ok(n, ResourceOperation.START);
    }

    @Test
    void startRunsLeftToRightOneAtATimeEachWithItsStartTimeout() {
        Harness h = managed(UNMONITORED, false, "IPaddr2::10.0.0.1/24", "Filesystem::/dev/sdb1::/data", "apache2");
        h.take(h.g.start(0));
        assertThat(h.g.state()).isEqualTo(State.STARTING);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(120));
        h.ok("IPaddr2::10.0.0.1/24", ResourceOperation.START);
        h.ok("Filesystem::/dev/sdb1::/data", ResourceOperation.START);
        h.ok("apache2", ResourceOperation.START);
        assertThat(h.ops()).containsExactly("IPaddr2::10.0.0.1/24 start", "Filesystem::/dev/sdb1::/data start", "apache2 start");
        assertThat(h.g.state()).isEqualTo(State.RUNNING);
        assertThat(h.g.holds()).isTrue();
        assertThat(h.pending).isNull();
    }

    @Test
    void stopRunsRightToLeftWithTheStopTimeout() {
        Harness h = managed(MONITORED, false, "a", "b", "c");
        startAll(h, "a", "b", "c");
        h.all.clear();
        h.take(h.g.stop(h.now));
        assertThat(h.g.state()).isEqualTo(State.STOPPING);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(12));
        h.ok("c", ResourceOperation.STOP);
        h.ok("b", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.STOP);
        assertThat(h.ops()).containsExactly("c stop", "b stop", "a stop");
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stopDuringStartWaitsForTheStartInFlightThenStopsOnlyWhatWasTried() {
        Harness h = managed(UNMONITORED, false, "a", "b", "c");
        h.take(h.g.start(0));
        h.ok("a", ResourceOperation.START);
        h.take(h.g.stop(h.now)); // b's start is running
        assertThat(h.pending.resource()).isEqualTo("b");
        h.ok("b", ResourceOperation.START);
        h.ok("b", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.STOP);
        assertThat(h.ops()).containsExactly("a start", "b start", "b stop", "a stop");
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void failedStartStopsWhatWasTriedInReverseAndGivesTheGroupUp() {
        Harness h = managed(UNMONITORED, false, "a", "b", "c");
        h.take(h.g.start(0));
        h.ok("a", ResourceOperation.START);
        h.answer("b", ResourceOperation.START, OpOutcome.failed("exit code 1"));
        assertThat(h.giveUps()).singleElement().satisfies(g -> {
            assertThat(g.resource()).isEqualTo("b");
            assertThat(g.reason()).contains("start of b failed");
        });
        h.ok("b", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.STOP);
        assertThat(h.ops()).containsExactly("a start", "b start", "b stop", "a stop");
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
        assertThat(h.g.gaveUp()).isTrue();
    }

    @Test
    void failedStopLeavesTheGroupFailedUntilReset() {
        Harness h = managed(UNMONITORED, false, "a", "b");
        startAll(h, "a", "b");
        h.take(h.g.stop(h.now));
        h.answer("b", ResourceOperation.STOP, OpOutcome.failed("exit code 1"));
        h.ok("a", ResourceOperation.STOP); // the rest is still released
        assertThat(h.g.state()).isEqualTo(State.FAILED);
        h.take(h.g.reset(h.now));
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void monitoringPollsStatusEveryIntervalWithTheMonitorTimeout() {
        Harness h = managed(MONITORED, false, "a", "b");
        startAll(h, "a", "b");
        long up = h.now;
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(up + 5 * S);
        h.advanceTo(up + 5 * S);
        assertThat(h.pending.op()).isEqualTo(ResourceOperation.STATUS);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(2));
        h.ok("a", ResourceOperation.STATUS);
        h.ok("b", ResourceOperation.STATUS); // was due at the same time: waited for a's poll
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(up + 10 * S);
    }

    @Test
    void monitoringOffNeverPolls() {
        Harness h = managed(UNMONITORED, false, "a");
        startAll(h, "a");
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        h.advanceTo(3600 * S);
        assertThat(h.ops()).containsExactly("a start");
    }

    @Test
    void restartFallsBackToStopThenStartWhenTheScriptHasNoRestart() {
        Harness h = managed(MONITORED, false, "a");
        startAll(h, "a");
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, "a is not running"));
        assertThat(h.g.state()).isEqualTo(State.RECOVERING);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(12));
        h.ok("a", ResourceOperation.STOP);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(11));
        h.ok("a", ResourceOperation.START);
        assertThat(h.ops()).containsExactly("a start", "a status", "a stop", "a start");
        assertThat(h.g.state()).isEqualTo(State.RUNNING);
        assertThat(h.giveUps()).isEmpty();
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(h.now + 5 * S);
    }

    @Test
    void restartUsesTheScriptsOwnRestartWithTheRestartTimeout() {
        Harness h = managed(MONITORED, true, "a");
        startAll(h, "a");
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        assertThat(h.pending.op()).isEqualTo(ResourceOperation.RESTART);
        assertThat(h.pending.timeout()).isEqualTo(Duration.ofSeconds(14));
        h.ok("a", ResourceOperation.RESTART);
        assertThat(h.g.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void failedStopOfAFallbackRestartDoesNotStartTheResourceAgain() {
        Harness h = managed(MONITORED, false, "a");
        startAll(h, "a");
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        h.answer("a", ResourceOperation.STOP, OpOutcome.failed("exit code 1"));
        assertThat(h.pending).isNull();
        assertThat(h.ops()).containsExactly("a start", "a status", "a stop");
        assertThat(h.g.state()).isEqualTo(State.RUNNING); // the next poll decides again
    }

    @Test
    void aStatusThatTimesOutIsAFailure() {
        Harness h = managed(MONITORED, true, "a");
        startAll(h, "a");
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.timedOut("killed after 2000 ms"));
        assertThat(h.pending.op()).isEqualTo(ResourceOperation.RESTART);
    }

    @Test
    void anOperationWhoseResultNeverComesCountsAsTimedOutAfterItsTimeoutPlusSlackAndALateResultIsIgnored() {
        Harness h = managed(MONITORED, true, "a");
        startAll(h, "a");
        h.advanceTo(5 * S);
        RunOp poll = h.pending;
        long due = h.now + 2 * S + GroupLifecycle.WATCHDOG_SLACK.toNanos();
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(due);
        h.pending = null; // the executor lost it
        h.advanceTo(due - 1);
        assertThat(h.ops()).containsExactly("a start", "a status");
        h.advanceTo(due);
        assertThat(h.pending.op()).isEqualTo(ResourceOperation.RESTART);
        assertThat(h.g.opFinished(poll.id(), OpOutcome.status(true, ""), h.now)).isEmpty();
    }

    @Test
    void restartBudgetSpentWithinTheWindowGivesTheGroupUpAndStopsPolling() {
        Harness h = adopted(MONITORED, true, "a", "b");
        h.take(h.g.adopt(0));
        for (int i = 0; i < 2; i++) {
            h.advanceTo(h.g.nextDeadlineNanos());
            h.ok("a", ResourceOperation.STATUS);
            h.answer("b", ResourceOperation.STATUS, OpOutcome.status(false, ""));
            h.ok("b", ResourceOperation.RESTART);
        }
        assertThat(h.giveUps()).isEmpty();
        assertThat(h.g.view(h.now).members().get(1).restartsInWindow()).isEqualTo(2);
        h.advanceTo(h.g.nextDeadlineNanos());
        h.ok("a", ResourceOperation.STATUS);
        h.answer("b", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        assertThat(h.now).isLessThan(60 * S);
        assertThat(h.giveUps()).singleElement().satisfies(g -> {
            assertThat(g.group()).isEqualTo("g");
            assertThat(g.resource()).isEqualTo("b");
            assertThat(g.reason()).contains("after 2 restarts within 60 s");
        });
        assertThat(h.pending).isNull();
        assertThat(h.g.gaveUp()).isTrue();
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void restartsOutsideTheWindowDoNotCount() {
        // monitor every 5 s, 2 restarts per 60 s: one failure every 40 s never spends the budget
        Harness h = adopted(MONITORED, true, "a");
        h.take(h.g.adopt(0));
        for (int i = 0; i < 10; i++) {
            long failAt = (i + 1) * 40 * S;
            while (true) {
                h.advanceTo(h.g.nextDeadlineNanos());
                if (h.now >= failAt) break;
                h.ok("a", ResourceOperation.STATUS);
            }
            h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
            h.ok("a", ResourceOperation.RESTART);
        }
        assertThat(h.giveUps()).isEmpty();
        assertThat(h.g.view(h.now).members().get(0).restartsTotal()).isEqualTo(10);
    }

    @Test
    void maxRestartsZeroGivesUpOnTheFirstFailure() {
        ResourcePolicy none = new ResourcePolicy(MONITORED.startTimeout(), MONITORED.stopTimeout(), MONITORED.statusTimeout(),
                MONITORED.restartTimeout(), MONITORED.monitorInterval(), MONITORED.monitorTimeout(), 0, MONITORED.restartWindow(),
                Optional.empty());
        Harness h = adopted(none, true, "a");
        h.take(h.g.adopt(0));
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        assertThat(h.giveUps()).hasSize(1);
        assertThat(h.pending).isNull();
    }

    @Test
    void managedGiveUpThenStopReleasesTheGroupRightToLeftAndTheGiveUpStays() {
        ResourcePolicy none = new ResourcePolicy(MONITORED.startTimeout(), MONITORED.stopTimeout(), MONITORED.statusTimeout(),
                MONITORED.restartTimeout(), MONITORED.monitorInterval(), MONITORED.monitorTimeout(), 0, MONITORED.restartWindow(),
                Optional.empty());
        Harness h = managed(none, true, "a", "b");
        startAll(h, "a", "b");
        h.advanceTo(h.g.nextDeadlineNanos());
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        assertThat(h.giveUps()).hasSize(1);
        h.take(h.g.stop(h.now)); // VRRP: the instance went to FAULT and left MASTER
        h.ok("b", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.STOP);
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
        assertThat(h.g.gaveUp()).isTrue();
        h.take(h.g.reset(h.now));
        assertThat(h.g.gaveUp()).isFalse();
    }

    @Test
    void releaseIgnoresTheResultOfAnOperationStillRunning() {
        Harness h = adopted(MONITORED, false, "a");
        h.take(h.g.adopt(0));
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        RunOp stop = h.pending;
        h.take(h.g.release(h.now));
        assertThat(h.g.opFinished(stop.id(), OpOutcome.ok(""), h.now)).isEmpty();
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stopDuringARestartAbandonsItAndStopsTheGroup() {
        Harness h = managed(MONITORED, false, "a", "b");
        startAll(h, "a", "b");
        h.advanceTo(5 * S);
        h.ok("a", ResourceOperation.STATUS);
        h.answer("b", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        h.take(h.g.stop(h.now)); // b's stop (for the restart) is running
        h.ok("b", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.STOP); // b is not started again, nor stopped twice
        assertThat(h.ops()).containsExactly("a start", "b start", "a status", "b status", "b stop", "a stop");
        assertThat(h.g.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void operatorRestartIsRefusedWhenTheGroupDoesNotRunHere() {
        Harness h = managed(MONITORED, true, "a");
        assertThatThrownBy(() -> h.g.restart("a", 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running on this node");
        assertThatThrownBy(() -> h.g.restart("zz", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operatorRestartRunsAfterTheOperationInFlightOutsideTheBudgetAndClearsAGiveUp() {
        ResourcePolicy none = new ResourcePolicy(MONITORED.startTimeout(), MONITORED.stopTimeout(), MONITORED.statusTimeout(),
                MONITORED.restartTimeout(), MONITORED.monitorInterval(), MONITORED.monitorTimeout(), 0, MONITORED.restartWindow(),
                Optional.empty());
        Harness h = adopted(none, false, "a");
        h.take(h.g.adopt(0));
        h.advanceTo(5 * S);
        h.answer("a", ResourceOperation.STATUS, OpOutcome.status(false, ""));
        assertThat(h.g.gaveUp()).isTrue(); // heartbeat: no peer answered the standby, the group stayed here
        h.take(h.g.restart("a", h.now));
        assertThat(h.g.gaveUp()).isFalse();
        h.ok("a", ResourceOperation.STOP);
        h.ok("a", ResourceOperation.START);
        assertThat(h.g.state()).isEqualTo(State.RUNNING);
        assertThat(h.g.nextDeadlineNanos()).isEqualTo(h.now + 5 * S);
        assertThat(h.giveUps()).hasSize(1);
    }
}
