package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Generations: replays, restarts, and a peer returning after a partition ({@code should_drop_message}). */
class GenerationTest {
    @Test
    void anOlderGenerationIsDroppedAsAReplay() {
        Membership a = joined(7, 5000, SEC);
        HbMessage old = fromPeer(B, HbFixtures.NODEB_UUID, 6, 3, "resource", "rsc_hold", "none");
        List<MembershipAction> out = a.received(old, "hb0", 2 * SEC);
        assertThat(logs(out)).containsExactly("ERROR: should_drop_message: attempted replay attack [nodeb]? [gen = 6, curgen = 7]");
        assertThat(delivered(out)).isEmpty();
    }

    /** Vigil, not heartbeat: a flood of replays logs one line a minute, not one per packet (issue 8, hostile input). */
    @Test
    void aFloodOfReplaysIsCountedAndLoggedOnceAMinute() {
        Membership a = joined(7, 5000, SEC);
        long logged = 0;
        for (int i = 0; i < 1000; i++) {
            HbMessage old = fromPeer(B, HbFixtures.NODEB_UUID, 6, 3 + i, "resource", "rsc_hold", "none");
            List<MembershipAction> out = a.received(old, "hb0", 2 * SEC + i * SEC / 100); // 100 per second for 10 s
            logged += logs(out).size();
            assertThat(delivered(out)).isEmpty();
        }
        assertThat(logged).isEqualTo(1);
        assertThat(a.replaysDropped()).isEqualTo(1000);
        List<MembershipAction> later = a.received(fromPeer(B, HbFixtures.NODEB_UUID, 6, 2000, "resource", "rsc_hold", "none"),
                "hb0", 70 * SEC);
        assertThat(logs(later)).containsExactly("ERROR: should_drop_message: attempted replay attack [nodeb]? [gen = 6, curgen = 7]"
                + " (999 more dropped since the last report)");
    }

    @Test
    void aNewerGenerationIsARestartOfThatNodeAndItsSequenceStartsOver() {
        Membership a = joined(7, 5000, SEC);
        a.received(statusFromB(7, 40, "active", 5000), "hb0", 2 * SEC);
        List<MembershipAction> out = a.received(statusFromB(8, 1, "init", 7000), "hb0", 3 * SEC);

        assertThat(logs(out)).containsSubsequence("info: Heartbeat restart on node nodeb", "info: Status update for node nodeb: status init");
        assertThat(out).contains(new MembershipAction.PeerRestarted(B, 7, 8),
                new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.INIT));
        assertThat(a.peerGeneration(B)).isEqualTo(8);
        // seq 2 of the new run is in sequence, not a duplicate of the old run
        HbMessage next = fromPeer(B, HbFixtures.NODEB_UUID, 8, 2, "starting");
        assertThat(delivered(a.received(next, "hb0", 3 * SEC))).containsExactly(next);
    }

    @Test
    void theFirstRunWeHearIsNotARestart() {
        Membership a = membership(settings(A, 0x6b05f985L), 1);
        a.start(0);
        List<MembershipAction> out = a.received(statusFromB(7, 1, "init", 7000), "hb0", SEC);
        assertThat(only(out, MembershipAction.PeerRestarted.class)).isEmpty();
        assertThat(logs(out)).noneMatch(l -> l.contains("restart"));
    }

    @Test
    void aDeadPeerSpeakingAgainInTheSameGenerationReturnsAfterAPartition() {
        Membership a = joined(7, 5000, SEC);
        runUntil(a, 6 * SEC);
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);

        List<MembershipAction> out = a.received(statusFromB(7, 12, "active", 5000), "hb0", 20 * SEC);

        assertThat(logs(out)).containsSubsequence("CRIT: Cluster node nodeb returning after partition.",
                "info: For information on cluster partitions, See URL: http://linux-ha.org/wiki/Split_Brain",
                "WARN: Deadtime value may be too small.", "info: Link nodeb:hb0 up.", "info: Status update for node nodeb: status active");
        assertThat(logs(out)).noneMatch(l -> l.contains("Late heartbeat"));
        assertThat(out).containsSubsequence(new MembershipAction.PeerReturnedAfterPartition(B),
                new MembershipAction.NodeStatusChanged(B, NodeStatus.DEAD, NodeStatus.ACTIVE));
        assertThat(broadcasts(out, "status")).hasSize(1); // heartbeat answers with its own status at once
        assertThat(a.nodeStatus(B)).contains(NodeStatus.ACTIVE);
    }

    @Test
    void aStaleStatusDoesNotReviveADeadPeer() {
        Membership a = joined(7, 5000, SEC);
        a.received(statusFromB(7, 5, "active", 5000), "hb0", 2 * SEC);
        runUntil(a, 8 * SEC);
        List<MembershipAction> out = a.received(statusFromB(7, 4, "active", 5000), "hb0", 9 * SEC); // a late retransmission
        assertThat(out).isEmpty();
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);
    }

    @Test
    void otherMessagesFromADeadPeerWaitForItsStatus() {
        Membership a = joined(7, 5000, SEC);
        runUntil(a, 7 * SEC);
        HbMessage resource = fromPeer(B, HbFixtures.NODEB_UUID, 7, 9, "resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(a.received(resource, "hb0", 8 * SEC)).isEmpty();
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);
    }

    @Test
    void generationFileFollowsHeartbeat() {
        assertThat(HbGeneration.next(OptionalLong.empty(), 1795553668L)).isEqualTo(1795553669L); // "No Previous generation - starting at"
        assertThat(HbGeneration.next(OptionalLong.of(1795553669L), 0)).isEqualTo(1795553670L);
        assertThat(HbGeneration.fileContent(1795553669L)).isEqualTo("     1795553669\n").hasSize(HbGeneration.FILE_LENGTH);
        assertThat(HbGeneration.parse("     1795553669\n")).hasValue(1795553669L);
        assertThat(HbGeneration.parse("garbage")).isEmpty();
        assertThat(HbGeneration.parse("")).isEmpty();
    }
}
