package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our own status and the join: init, up ×2, active after comm-up (research heartbeat.md §1.5, §1.6; fixtures 01–05). */
class MembershipStartupTest {
    private static final long GEN = 0x6b05f985L;

    @Test
    void startPersistsTheGenerationBeforeSendingAnything() {
        Membership a = membership(settings(A, GEN), 1);
        List<MembershipAction> out = a.start(0);

        assertThat(out.get(0)).isEqualTo(new MembershipAction.PersistGeneration(GEN));
        assertThat(logs(out)).contains("info: Heartbeat generation: " + GEN);
    }

    @Test
    void startSendsStatusInitThenUpTwiceAdvertisingDeadtimePlusTwoSecondsInHex() {
        Membership a = membership(settings(A, GEN), 1);
        List<MembershipAction> out = a.start(0);

        List<HbMessage> status = broadcasts(out, "status");
        assertThat(status).extracting(m -> m.status().orElseThrow()).containsExactly("init", "up", "up");
        assertThat(status).extracting(m -> m.string("dt").orElseThrow()).containsOnly("1b58"); // 5000 + 2000 ms
        assertThat(status).extracting(m -> m.seq().getAsLong()).containsExactly(1L, 2L, 3L);
        assertThat(logs(out)).contains("info: Local status now set to: 'up'");
        assertThat(a.localStatus()).isEqualTo(NodeStatus.UP);
    }

    @Test
    void deadtimeAdvertisementFallsBackFiveSecondsAfterStartAndIsAnnouncedAtOnce() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        List<MembershipAction> before = runUntil(a, 5 * SEC - 1);
        List<MembershipAction> at = a.tick(5 * SEC);

        assertThat(broadcasts(before, "status")).extracting(m -> m.string("dt").orElseThrow()).containsOnly("1b58");
        // the pop and the keepalive fall on the same instant here: both carry the configured 5 s
        assertThat(broadcasts(at, "status")).isNotEmpty().extracting(m -> m.string("dt").orElseThrow()).containsOnly("1388");
    }

    @Test
    void keepaliveSendsOneStatusPerInterval() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        List<MembershipAction> out = runUntil(a, 4 * SEC + 500 * MS);

        // keepalives at 1, 2, 3, 4 s (the 5 s deadtime pop has not happened yet)
        assertThat(broadcasts(out, "status")).hasSize(4);
    }

    @Test
    void aloneAfterInitdeadThePeerIsDeadAndWeGoActive() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        List<MembershipAction> early = runUntil(a, 10 * SEC - 1);
        assertThat(a.localStatus()).isEqualTo(NodeStatus.UP);
        assertThat(only(early, MembershipAction.NodeStatusChanged.class)).isEmpty();

        List<MembershipAction> out = a.tick(10 * SEC);

        assertThat(logs(out)).containsSubsequence("WARN: node nodeb: is dead", "info: Comm_now_up(): updating status to active",
                "info: Local status now set to: 'active'");
        assertThat(out).contains(new MembershipAction.NodeStatusChanged(B, NodeStatus.INIT, NodeStatus.DEAD), new MembershipAction.CommUp());
        assertThat(broadcasts(out, "status")).extracting(m -> m.status().orElseThrow()).contains("active");
        assertThat(broadcasts(out, "reqnodes")).isEmpty();
        assertThat(a.localStatus()).isEqualTo(NodeStatus.ACTIVE);
    }

    @Test
    void hearingEveryNodeStartsTheJoinExchangeRepeatedEverySecondUntilRepnodes() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        List<MembershipAction> out = a.received(statusFromB(7, 1, "up", 7000), "hb0", 100 * MS);

        List<HbMessage> req = broadcasts(out, "reqnodes");
        assertThat(req).hasSize(1);
        assertThat(req.get(0).dest()).contains(B);
        assertThat(req.get(0).destUuid()).contains(HbFixtures.NODEB_UUID); // learnt from its srcuuid
        assertThat(a.localStatus()).isEqualTo(NodeStatus.UP);

        List<MembershipAction> retry = runUntil(a, 2 * SEC + 100 * MS);
        assertThat(broadcasts(retry, "reqnodes")).hasSize(2);
        assertThat(a.localStatus()).isEqualTo(NodeStatus.UP);

        HbMessage rep = fromPeer(B, HbFixtures.NODEB_UUID, 7, 2, "repnodes", "dest", A, "nodelist", "nodea nodeb ", "delnodelist", " ");
        List<MembershipAction> up = a.received(rep, "hb0", 2200 * MS);
        assertThat(up).contains(new MembershipAction.CommUp());
        assertThat(a.localStatus()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(broadcasts(runUntil(a, 5 * SEC), "reqnodes")).isEmpty();
    }

    @Test
    void aReqnodesForUsIsAnsweredWithRepnodesLikeFixture05() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        List<MembershipAction> out = a.received(HbFixtures.message("04-reqnodes.bin"), "hb0", 10 * MS);

        List<HbMessage> rep = broadcasts(out, "repnodes");
        assertThat(rep).hasSize(1);
        HbMessage fixture = HbFixtures.message("05-repnodes.bin");
        assertThat(HbFixtures.fieldNames(rep.get(0))).isEqualTo(HbFixtures.fieldNames(fixture));
        for (String f : List.of("dest", "t", "nodelist", "delnodelist", "src", "ttl")) {
            assertThat(rep.get(0).string(f)).as(f).isEqualTo(fixture.string(f));
        }
        assertThat(rep.get(0).destUuid()).isEqualTo(fixture.destUuid());
    }

    @Test
    void aReqnodesForAnotherNodeIsNotAnswered() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        HbMessage req = fromPeer(B, HbFixtures.NODEB_UUID, 7, 1, "reqnodes", "dest", "nodec");
        assertThat(broadcasts(a.received(req, "hb0", 10 * MS), "repnodes")).isEmpty();
    }

    @Test
    void aPeerWithoutTheProtocolFieldDisablesFlowControlAndTheJoinExchange() {
        Membership a = membership(settings(A, GEN), 1);
        a.start(0);
        HbMessage old = fromPeer(B, HbFixtures.NODEB_UUID, 7, 1, "status", "st", "active", "dt", "1388");
        List<MembershipAction> out = a.received(old, "hb0", 10 * MS);

        assertThat(logs(out)).contains("info: flow control disabled due to different version heartbeat");
        assertThat(broadcasts(out, "reqnodes")).isEmpty();
        assertThat(a.localStatus()).isEqualTo(NodeStatus.ACTIVE);
        // and our own statuses stop claiming protocol=1
        assertThat(broadcasts(runUntil(a, 2 * SEC), "status")).allSatisfy(m -> assertThat(m.has("protocol")).isFalse());
    }

    @Test
    void aSingleNodeClusterIsActiveAtOnce() {
        MembershipSettings s = new MembershipSettings(A, List.of(A), List.of("hb0"), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(10), 1, GEN,
                HbFixtures.NODEA_UUID, java.util.Map.of(), java.time.Duration.ofMillis(250));
        Membership a = membership(s, 1);
        List<MembershipAction> out = a.start(0);
        assertThat(out).contains(new MembershipAction.CommUp());
        assertThat(broadcasts(out, "status").get(0).ttl()).hasValue(2); // hopfudge 1 + 1 node
    }
}
