package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Duplicates, gaps, retransmission requests and answers, ACKs, ordered delivery (research
 * heartbeat.md §1.5 "Retransmission"; {@code should_drop_message}, {@code hb_rexmit.c},
 * {@code process_rexmit}, {@code send_ack_if_needed}).
 */
class SequenceAndRetransmitTest {
    private static HbMessage resourceFromB(long seq) {
        return fromPeer(B, HbFixtures.NODEB_UUID, 7, seq, "resource", "rsc_hold", "none", "rtype", "full", "isstable", "0");
    }

    @Test
    void aGapIsLoggedAsHeartbeatDoesAndAskedForAfterARandom50To250msThenEvery250ms() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        List<MembershipAction> gap = a.received(resourceFromB(5), "hb0", 2 * SEC);
        assertThat(logs(gap)).contains("WARN: 1 lost packet(s) for [nodeb] [3:5]");
        assertThat(broadcasts(gap, "NS_rexmit")).isEmpty(); // not at once: it may only be reordered
        assertThat(a.missingFrom(B)).containsExactly(4L);

        List<MembershipAction> first = runUntil(a, 2 * SEC + 50 * MS - 1);
        assertThat(broadcasts(first, "NS_rexmit")).isEmpty();
        List<MembershipAction> upTo250 = runUntil(a, 2 * SEC + 250 * MS);
        List<HbMessage> req = broadcasts(upTo250, "NS_rexmit");
        assertThat(req).hasSize(1);
        assertThat(req.get(0).string("firstseq")).contains("4"); // decimal, ha_msg_add_int
        assertThat(req.get(0).string("lastseq")).contains("4");
        assertThat(req.get(0).dest()).contains(B);

        List<MembershipAction> repeats = runUntil(a, 2 * SEC + 760 * MS);
        assertThat(broadcasts(repeats, "NS_rexmit")).hasSize(2);

        List<MembershipAction> filled = a.received(resourceFromB(4), "hb0", 2 * SEC + 800 * MS);
        assertThat(logs(filled)).contains("info: No pkts missing from nodeb!");
        assertThat(broadcasts(runUntil(a, 4 * SEC), "NS_rexmit")).isEmpty();
    }

    @Test
    void theResourceLayerGetsMessagesInSequenceOrderEvenWhenTheyArriveOutOfOrder() {
        Membership a = joined(7, 5000, SEC);
        List<HbMessage> got = new ArrayList<>();
        got.addAll(delivered(a.received(resourceFromB(3), "hb0", 2 * SEC)));
        got.addAll(delivered(a.received(resourceFromB(5), "hb0", 2 * SEC)));
        got.addAll(delivered(a.received(resourceFromB(6), "hb0", 2 * SEC)));
        assertThat(got).extracting(m -> m.seq().getAsLong()).containsExactly(3L);
        got.addAll(delivered(a.received(resourceFromB(4), "hb0", 2 * SEC + 100 * MS)));
        assertThat(got).extracting(m -> m.seq().getAsLong()).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void statusMessagesInTheSequenceDoNotHoldUpDelivery() {
        Membership a = joined(7, 5000, SEC);
        List<HbMessage> got = new ArrayList<>();
        got.addAll(delivered(a.received(statusFromB(7, 3, "active", 5000), "hb0", 2 * SEC)));
        got.addAll(delivered(a.received(resourceFromB(4), "hb0", 2 * SEC)));
        assertThat(got).extracting(m -> m.seq().getAsLong()).containsExactly(4L);
    }

    @Test
    void duplicatesAreDropped() {
        Membership a = joined(7, 5000, SEC);
        assertThat(delivered(a.received(resourceFromB(3), "hb0", 2 * SEC))).hasSize(1);
        assertThat(delivered(a.received(resourceFromB(3), "hb0", 2 * SEC))).isEmpty();
        a.received(resourceFromB(4), "hb0", 2 * SEC);
        assertThat(delivered(a.received(resourceFromB(3), "hb0", 2 * SEC))).isEmpty();
    }

    @Test
    void aNakForAMissingPacketStopsTheWaitAndReleasesWhatFollows() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        a.received(resourceFromB(5), "hb0", 2 * SEC);
        HbMessage nak = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_nak_rexmit", "firstseq", "4", "dest", A, "info", "seqno too low");
        List<MembershipAction> out = a.received(nak, "hb0", 2 * SEC + 300 * MS);

        assertThat(logs(out)).contains("ERROR: Irretrievably lost packet: node nodeb seq 4");
        assertThat(delivered(out)).extracting(m -> m.seq().getAsLong()).containsExactly(5L);
        assertThat(a.missingFrom(B)).isEmpty();
    }

    @Test
    void vigilGivesUpAGapAfterThePeersDeadIntervalSoLaterMessagesAreNotHeldForEver() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        a.received(resourceFromB(5), "hb0", 2 * SEC);
        // nodeb keeps heartbeating (so it stays alive) but never resends 4
        List<MembershipAction> out = new ArrayList<>();
        for (long s = 6; s <= 12; s++) {
            out.addAll(runUntil(a, (s - 3) * SEC - 1));
            out.addAll(a.received(statusFromB(7, s, "active", 5000), "hb0", (s - 3) * SEC));
        }
        out.addAll(runUntil(a, 7 * SEC));
        assertThat(logs(out)).contains("ERROR: Irretrievably lost packet: node nodeb seq 4");
        assertThat(delivered(out)).extracting(m -> m.seq().getAsLong()).containsExactly(5L);
        assertThat(a.nodeStatus(B)).contains(NodeStatus.ACTIVE);
    }

    @Test
    void aGapOfMoreThanHalfTheHistoryIsNotAskedForButRestartsTracking() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        List<MembershipAction> out = a.received(resourceFromB(300), "hb0", 2 * SEC);
        assertThat(logs(out)).contains("WARN: 296 lost packet(s) for [nodeb] [3:300]", "ERROR: lost a lot of packets!");
        assertThat(a.missingFrom(B)).isEmpty();
        assertThat(delivered(out)).extracting(m -> m.seq().getAsLong()).containsExactly(300L);
    }

    @Test
    void everyTenthMessageIsAckedAtThePeersRandomTriggerLikeFixture06() {
        Membership a = joined(7, 5000, SEC);
        List<HbMessage> acks = new ArrayList<>();
        for (long s = 3; s <= 40; s++) acks.addAll(broadcasts(a.received(resourceFromB(s), "hb0", 2 * SEC + s * MS), "NS_ackmsg"));

        assertThat(acks).hasSizeBetween(3, 4);
        long trigger = acks.get(0).hex("ackseq").getAsLong() % 10;
        assertThat(acks).allSatisfy(m -> {
            assertThat(m.hex("ackseq").getAsLong() % 10).isEqualTo(trigger);
            assertThat(m.dest()).contains(B);
        });
        HbMessage fixture = HbFixtures.message("06-NS_ackmsg.bin");
        assertThat(HbFixtures.fieldNames(acks.get(0))).isEqualTo(HbFixtures.fieldNames(fixture));
    }

    @Test
    void noAckIsSentPastAGapUntilItCloses() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        a.received(resourceFromB(5), "hb0", 2 * SEC); // 4 missing
        List<HbMessage> acks = new ArrayList<>();
        for (long s = 6; s <= 25; s++) acks.addAll(broadcasts(a.received(resourceFromB(s), "hb0", 2 * SEC), "NS_ackmsg"));
        assertThat(acks).isEmpty();

        List<HbMessage> after = broadcasts(a.received(resourceFromB(4), "hb0", 2 * SEC + 100 * MS), "NS_ackmsg");
        // is_lost_packet: ACK the highest trigger point that is now contiguous (≤ 25)
        assertThat(after).hasSize(1);
        assertThat(after.get(0).hex("ackseq").getAsLong()).isBetween(16L, 25L);
    }

    @Test
    void weAckOurOwnMessagesAtOurTriggerRightBeforeSendingThemAsHeartbeatDoes() {
        Membership a = membership(settings(A, 0x6b05f985L), 1);
        List<MembershipAction> out = new ArrayList<>(a.start(0));
        out.addAll(runUntil(a, 20 * SEC));
        List<HbMessage> sent = broadcasts(out);
        int selfAcks = 0;
        for (int i = 0; i < sent.size(); i++) {
            HbMessage m = sent.get(i);
            if (!m.type().orElse("").equals("NS_ackmsg")) continue;
            selfAcks++;
            assertThat(m.dest()).contains(A);
            assertThat(sent.get(i + 1).seq().getAsLong()).isEqualTo(m.hex("ackseq").getAsLong());
        }
        assertThat(selfAcks).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRetransmissionIsTheSameMessageAndTheSameBytesIncludingItsOriginalTs() {
        Membership a = joined(7, 5000, SEC);
        List<MembershipAction> sent = a.send(HbMessage.builder().add("t", "starting").build(), 3 * SEC);
        HbMessage original = broadcasts(sent, "starting").get(0);
        long seq = original.seq().getAsLong();

        HbMessage request = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_rexmit", "dest", A, "firstseq", Long.toString(seq),
                "lastseq", Long.toString(seq));
        List<HbMessage> resent = broadcasts(a.received(request, "hb0", 9 * SEC));

        assertThat(resent).containsExactly(original);
        HbCodec codec = HbFixtures.codec();
        assertThat(codec.encodeNetstring(resent.get(0))).isEqualTo(codec.encodeNetstring(original));
        assertThat(resent.get(0).timestamp()).isEqualTo(original.timestamp());
    }

    @Test
    void aMessageResentLessThan240msAgoIsNotResentAgain() {
        Membership a = joined(7, 5000, SEC);
        HbMessage original = broadcasts(a.send(HbMessage.builder().add("t", "starting").build(), 3 * SEC), "starting").get(0);
        String seq = Long.toString(original.seq().getAsLong());
        HbMessage request = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_rexmit", "dest", A, "firstseq", seq, "lastseq", seq);

        assertThat(broadcasts(a.received(request, "hb0", 4 * SEC))).hasSize(1);
        assertThat(broadcasts(a.received(request, "hb1", 4 * SEC + 239 * MS))).isEmpty(); // the copy on another medium
        assertThat(broadcasts(a.received(request, "hb0", 4 * SEC + 240 * MS))).hasSize(1);
    }

    @Test
    void aRequestForSomethingNoLongerInTheHistoryIsNakedLikeTheSerialFixture() {
        Membership a = joined(7, 5000, SEC);
        for (int i = 0; i < 600; i++) a.send(HbMessage.builder().add("t", "x-probe").build(), 3 * SEC);
        HbMessage request = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_rexmit", "dest", A, "firstseq", "50", "lastseq", "50");
        List<MembershipAction> out = a.received(request, "hb0", 4 * SEC);

        assertThat(logs(out)).contains("ERROR: Cannot rexmit pkt 50 for nodeb: seqno too low");
        List<HbMessage> nak = broadcasts(out, "NS_nak_rexmit");
        assertThat(nak).hasSize(1);
        assertThat(nak.get(0).string("firstseq")).contains("32"); // hex, unlike the request
        assertThat(nak.get(0).string("info")).contains("seqno too low");
        HbMessage fixture = HbFixtures.message("serial/20-NS_nak_rexmit-hex.bin");
        assertThat(HbFixtures.fieldNames(nak.get(0))).isEqualTo(HbFixtures.fieldNames(fixture));
    }

    @Test
    void aRequestBeyondWhatWeSentIsOnlyWarnedAbout() {
        Membership a = joined(7, 5000, SEC);
        long hi = a.lastSequenceSent();
        HbMessage request = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_rexmit", "dest", A, "firstseq", Long.toString(hi + 1),
                "lastseq", Long.toString(hi + 1));
        List<MembershipAction> out = a.received(request, "hb0", 4 * SEC);
        assertThat(logs(out)).containsExactly("WARN: Rexmit of seq " + (hi + 1) + " requested. " + hi + " is max.");
        assertThat(broadcasts(out)).isEmpty();
    }

    @Test
    void aRequestForAnotherNodeIsIgnored() {
        Membership a = joined(7, 5000, SEC);
        HbMessage request = fromPeer(B, HbFixtures.NODEB_UUID, 7, 0, "NS_rexmit", "dest", "nodec", "firstseq", "1", "lastseq", "1");
        assertThat(broadcasts(a.received(request, "hb0", 4 * SEC))).isEmpty();
    }

    @Test
    void noRetransmissionRequestsGoToADeadPeer() {
        Membership a = joined(7, 5000, SEC);
        a.received(resourceFromB(3), "hb0", 2 * SEC);
        a.received(resourceFromB(5), "hb0", 2 * SEC);
        List<MembershipAction> out = runUntil(a, 30 * SEC);
        assertThat(a.nodeStatus(B)).contains(NodeStatus.DEAD);
        long afterDeath = out.indexOf(new MembershipAction.NodeStatusChanged(B, NodeStatus.ACTIVE, NodeStatus.DEAD));
        assertThat(broadcasts(out.subList((int) afterDeath, out.size()), "NS_rexmit")).isEmpty();
        // the message after the gap was handed on before the death was reported
        assertThat(delivered(out.subList(0, (int) afterDeath))).extracting(m -> m.seq().getAsLong()).containsExactly(5L);
    }
}
