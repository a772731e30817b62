package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer we declared dead comes back in a new run whose first message to reach us is not a status
 * (its resource report overtook it). That run is new, not "returning after partition": the status
 * that follows must just bring the peer up (found by the simulated fault campaign, seed 328).
 */
class NewRunWhileDeadTest {

    @Test
    void theFirstStatusOfANewRunAfterAnotherMessageIsNotAPartitionReturn() {
        Membership a = joined(7, 1000, SEC);
        runUntil(a, 10 * SEC); // nodeb silent: dead
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);

        List<MembershipAction> first = a.received(fromPeer(B, HbFixtures.NODEB_UUID, 9, 1, "resource", "rsc_hold", "all", "rtype", "full",
                "isstable", "1"), "hb0", 11 * SEC);
        assertThat(first).contains(new MembershipAction.PeerRestarted(B, 7, 9));
        List<MembershipAction> status = a.received(statusFromB(9, 2, "active", 1000), "hb0", 11 * SEC);

        assertThat(logs(status)).noneMatch(l -> l.contains("returning after partition"));
        assertThat(only(status, MembershipAction.PeerReturnedAfterPartition.class)).isEmpty();
        assertThat(status).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.DEAD, NodeStatus.ACTIVE));
    }

    @Test
    void aRunWeHeardBeforeItsDeathStillReturnsAfterAPartition() {
        Membership a = joined(7, 1000, SEC);
        runUntil(a, 10 * SEC);
        List<MembershipAction> back = a.received(statusFromB(7, 3, "active", 1000), "hb0", 11 * SEC);
        assertThat(only(back, MembershipAction.PeerReturnedAfterPartition.class)).hasSize(1);
    }
}
