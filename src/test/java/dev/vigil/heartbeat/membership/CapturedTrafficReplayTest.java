package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden interop: the packets a real heartbeat 3.0.6 node sent in the research captures are fed,
 * at their captured times, into a Vigil membership standing in for the other real node, and Vigil
 * must react as that node did (research heartbeat.md §1.5, §2 "Loss test", §3).
 */
class CapturedTrafficReplayTest {
    private static final String NODEA_IP = "10.231.0.1";
    private static final String NODEB_IP = "10.231.0.2";

    /** A Vigil node with the captured node's name and uuid, so messages addressed to it are ours. */
    private static Membership vigilAs(String node) {
        MembershipSettings s = new MembershipSettings(node, List.of(A, B), List.of("hb0"), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(10), 1, 0x70000000L, node.equals(A) ? HbFixtures.NODEA_UUID : HbFixtures.NODEB_UUID,
                Map.of(), Duration.ofMillis(250));
        return new Membership(s, new SplittableRandom(42), HOST);
    }

    /** Replays the packets sent from {@code peerIp}; time 0 is the first packet of the capture. */
    private static List<MembershipAction> replay(Membership m, String capture, String peerIp, double untilSeconds) {
        List<HbFixtures.Captured> packets = HbFixtures.capture(capture);
        double t0 = packets.get(0).seconds();
        List<MembershipAction> out = new ArrayList<>(m.start(0));
        for (HbFixtures.Captured p : packets) {
            if (!p.sourceIp().equals(peerIp)) continue;
            long at = Math.round((p.seconds() - t0) * 1e9);
            if (at > untilSeconds * 1e9) break;
            out.addAll(runUntil(m, at));
            out.addAll(m.received(p.message(), "hb0", at));
        }
        out.addAll(runUntil(m, Math.round(untilSeconds * 1e9)));
        return out;
    }

    @Test
    void startupAgainstARealNodeJoinsAnswersItsReqnodesAndHandsItsResourceMessagesOnInOrder() {
        Membership vigil = vigilAs(A);
        List<MembershipAction> out = replay(vigil, "cap1-startup", NODEB_IP, 30);

        List<HbMessage> rep = broadcasts(out, "repnodes");
        assertThat(rep).isNotEmpty();
        assertThat(rep.get(0).dest()).contains(B);
        assertThat(vigil.localStatus()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(out).contains(new MembershipAction.CommUp());
        assertThat(only(out, MembershipAction.NodeStatusChanged.class)).extracting(MembershipAction.NodeStatusChanged::current)
                .containsExactly(NodeStatus.UP, NodeStatus.ACTIVE);
        assertThat(delivered(out)).extracting(m -> m.type().orElseThrow() + " " + m.string("rsc_hold").orElse("") + " "
                + m.string("isstable").orElse("")).containsExactly("starting  ", "resource none 0", "resource local 1",
                "resource local 1", "resource local 1");
        assertThat(vigil.peerDeadtime(B)).contains(Duration.ofSeconds(5)); // its dt went 1b58 -> 1388
        // nodeb ACKs the real nodea's sequence numbers, not ours: a replay artefact that Vigil rightly rejects
        assertThat(logs(out)).filteredOn(l -> !l.contains("corrupted ackseq"))
                .noneMatch(l -> l.startsWith("ERROR") || l.startsWith("CRIT") || l.contains("lost packet"));
        // we ACK nodeb's messages at our trigger for it, as a real node would
        assertThat(broadcasts(out, "NS_ackmsg")).anySatisfy(ack -> assertThat(ack.dest()).contains(B));
    }

    @Test
    void aKilledRealNodeIsDeclaredDeadFiveSecondsAfterItsLastHeartbeat() {
        Membership vigil = vigilAs(B);
        List<MembershipAction> out = new ArrayList<>(vigil.start(0));
        List<HbFixtures.Captured> packets = HbFixtures.capture("cap-kill1-k1d5");
        double t0 = packets.get(0).seconds();
        long last = 0;
        for (HbFixtures.Captured p : packets) {
            if (!p.sourceIp().equals(NODEA_IP)) continue;
            last = Math.round((p.seconds() - t0) * 1e9);
            out.addAll(runUntil(vigil, last));
            out.addAll(vigil.received(p.message(), "hb0", last));
        }
        assertThat(last).isCloseTo(1_002_000_000L, org.assertj.core.data.Offset.offset(1_000_000L));
        assertThat(only(runUntil(vigil, last + 5 * SEC - 1), MembershipAction.NodeStatusChanged.class)).isEmpty();
        List<MembershipAction> death = runUntil(vigil, last + 5 * SEC);
        // the real nodeb said "is dead" at 6.42 s: its 250 ms poll; Vigil is exact
        assertThat(logs(death)).containsSubsequence("WARN: node nodea: is dead", "info: Link nodea:hb0 dead.");
    }

    @Test
    void theLossCaptureReproducesNodebsViewGapsRetransmissionsDeathAndReturnAfterPartition() {
        Membership vigil = vigilAs(B);
        List<MembershipAction> out = replay(vigil, "cap6-loss", NODEA_IP, 25);
        List<String> log = logs(out);

        assertThat(log).anyMatch(l -> l.matches("WARN: \\d+ lost packet\\(s\\) for \\[nodea\\] \\[\\d+:\\d+\\]"));
        assertThat(log).contains("info: No pkts missing from nodea!");
        assertThat(broadcasts(out, "NS_rexmit")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.dest()).contains(A);
            assertThat(r.decimal("firstseq")).isPresent();
        });
        // nodea's heartbeats stop between 13.0 s and 19.0 s of the capture: dead at 18.0, back at 19.0 in the same generation
        assertThat(log).containsSubsequence("WARN: node nodea: is dead", "CRIT: Cluster node nodea returning after partition.",
                "info: Status update for node nodea: status active");
        assertThat(out).contains(new MembershipAction.PeerReturnedAfterPartition(A));
    }
}
