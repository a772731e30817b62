package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a peer is dead and when it is only late (research heartbeat.md §1.4 {@code dt}, §3; 
 * {@code check_for_timeouts}, {@code HBDoMsg_T_STATUS}).
 */
class LivenessTimingTest {
    @Test
    void aPeerIsDeclaredDeadExactlyDeadtimeAfterItsLastStatus() {
        Membership a = joined(7, 5000, SEC);
        a.received(statusFromB(7, 3, "active", 5000), "hb0", 2 * SEC);

        assertThat(only(runUntil(a, 7 * SEC - 1), MembershipAction.NodeStatusChanged.class)).isEmpty();
        assertThat(a.nextDeadlineNanos()).isLessThanOrEqualTo(7 * SEC);
        List<MembershipAction> out = a.tick(7 * SEC);

        assertThat(logs(out)).contains("WARN: node nodeb: is dead");
        assertThat(out).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.DEAD));
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);
    }

    @Test
    void theDeadIntervalIsTheOneThePeerAdvertisesNotOurs() {
        // nodeb runs with deadtime 10 s (dt=2710) while we run with 5 s: heartbeat adopts the peer's dt.
        Membership a = joined(7, 10_000, SEC);
        assertThat(a.peerDeadtime(B)).contains(Duration.ofSeconds(10));

        assertThat(only(runUntil(a, 11 * SEC - 1), MembershipAction.NodeStatusChanged.class)).isEmpty();
        assertThat(a.tick(11 * SEC)).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.DEAD));
    }

    @Test
    void theStartupDtOfDeadtimePlusTwoSecondsIsAdoptedToo() {
        Membership a = joined(7, 7000, SEC); // 0x1b58, as a real node sends for its first 5 s
        assertThat(only(runUntil(a, 8 * SEC - 1), MembershipAction.NodeStatusChanged.class)).isEmpty();
        assertThat(a.tick(8 * SEC)).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.DEAD));
    }

    @Test
    void beforeCommUpEveryPeerGetsInitdead() {
        // Three nodes: nodeb is heard, nodec is silent, so comm is not up and initdead (10 s) applies
        // to both, even though nodeb advertises dt=1000.
        MembershipSettings s = new MembershipSettings(A, List.of(A, B, C), List.of("hb0"), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(10), 1, 0x6b05f985L, HbFixtures.NODEA_UUID,
                java.util.Map.of(), Duration.ofMillis(250));
        Membership a = membership(s, 1);
        a.start(0);
        a.received(statusFromB(7, 1, "up", 1000), "hb0", SEC);

        assertThat(only(runUntil(a, 10 * SEC - 1), MembershipAction.NodeStatusChanged.class)).noneMatch(c -> c.current() == NodeStatus.DEAD);
        List<MembershipAction> at = runUntil(a, 10 * SEC);
        // at initdead nodec is dead; comm goes up and from then on nodeb's own 1 s dead interval applies
        assertThat(only(at, MembershipAction.NodeStatusChanged.class)).containsExactly(
                new MembershipAction.NodeStatusChanged(C, NodeStatus.INIT, NodeStatus.DEAD),
                new MembershipAction.NodeStatusChanged(B, NodeStatus.UP, NodeStatus.DEAD));
    }

    @Test
    void aStatusLaterThanWarntimeLogsLateHeartbeat() {
        Membership a = joined(7, 10_000, SEC);
        List<MembershipAction> out = a.received(statusFromB(7, 3, "active", 10_000), "hb0", SEC + 3500 * MS);
        assertThat(logs(out)).containsExactly("WARN: Late heartbeat: Node nodeb: interval 3500 ms");
    }

    @Test
    void aStatusLaterThanOurDeadtimeIsCriticalButThePeerLivesByItsOwnDt() {
        Membership a = joined(7, 10_000, SEC);
        runUntil(a, 7 * SEC);
        List<MembershipAction> out = a.received(statusFromB(7, 3, "active", 10_000), "hb0", 7 * SEC);
        assertThat(logs(out)).containsExactly("CRIT: Late heartbeat: Node nodeb: interval 6000 ms (> deadtime)");
        assertThat(a.nodeStatus(B)).contains(NodeStatus.ACTIVE);
    }

    @Test
    void aStatusWithinWarntimeLogsNothing() {
        Membership a = joined(7, 5000, SEC);
        assertThat(logs(a.received(statusFromB(7, 3, "active", 5000), "hb0", 4 * SEC))).isEmpty();
    }

    @Test
    void theFirstStatusOfARunIsNeverLate() {
        Membership a = membership(settings(A, 0x6b05f985L), 1);
        a.start(0);
        assertThat(logs(a.received(statusFromB(7, 1, "up", 7000), "hb0", 9 * SEC))).noneMatch(l -> l.contains("Late heartbeat"));
    }

    @Test
    void statusChangesAreLoggedAndReportedOnce() {
        Membership a = membership(settings(A, 0x6b05f985L), 1);
        a.start(0);
        List<MembershipAction> up = a.received(statusFromB(7, 1, "up", 7000), "hb0", SEC);
        List<MembershipAction> again = a.received(statusFromB(7, 2, "up", 7000), "hb0", SEC + 10 * MS);
        List<MembershipAction> active = a.received(statusFromB(7, 3, "active", 7000), "hb0", SEC + 20 * MS);

        assertThat(logs(up)).contains("info: Link nodeb:hb0 up.", "info: Status update for node nodeb: status up");
        assertThat(up).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.INIT, NodeStatus.UP));
        assertThat(only(again, MembershipAction.NodeStatusChanged.class)).isEmpty();
        assertThat(active).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.UP, NodeStatus.ACTIVE));
        assertThat(logs(active)).contains("info: Status update for node nodeb: status active");
    }

    @Test
    void aPeerThatSaysItIsDeadIsDead() {
        Membership a = joined(7, 5000, SEC);
        List<MembershipAction> out = a.received(statusFromB(7, 3, "dead", 5000), "hb0", 2 * SEC);
        assertThat(out).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.DEAD));
    }
}
