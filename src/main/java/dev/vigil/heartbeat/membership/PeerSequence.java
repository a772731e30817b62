package dev.vigil.heartbeat.membership;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequence tracking for one peer's current run ({@code heartbeat.c:struct seqtrack}): the highest
 * sequence number seen, the gaps below it with their retransmission-request timers, and the
 * messages waiting until every earlier one has arrived or been given up, so the resource layer sees
 * them in order. heartbeat hands messages on as they come; the ordering is Vigil's addition.
 */
final class PeerSequence {
    /** Sequence numbers start at 1, so 0 means "nothing seen in this run". */
    long lastSeq;
    /** Missing sequence number, mapped to when we noticed it missing. */
    final TreeMap<Long, Long> missingSince = new TreeMap<>();
    /** Missing sequence number, mapped to when its next retransmission request is due. */
    final TreeMap<Long, Long> rexmitDue = new TreeMap<>();
    /** Next sequence number to hand to the resource layer; 0 before the first message. */
    long nextDeliver;
    /** Received but not yet delivered, because an earlier one is missing. */
    final TreeMap<Long, HbMessage> pending = new TreeMap<>();

    boolean isMissing(long seq) {
        return missingSince.containsKey(seq);
    }

    long firstMissing() {
        return missingSince.isEmpty() ? 0 : missingSince.firstKey();
    }

    void forget(long seq) {
        missingSince.remove(seq);
        rexmitDue.remove(seq);
    }

    /** Queues a message for delivery; the caller drains. */
    void hold(long seq, HbMessage message) {
        if (nextDeliver == 0) nextDeliver = seq;
        if (seq >= nextDeliver) pending.put(seq, message);
    }

    /** Marks the start of delivery at the first message of a run, even one that is not delivered. */
    void startAt(long seq) {
        if (nextDeliver == 0) nextDeliver = seq;
    }

    /**
     * The messages that can go now: everything in order up to the first sequence number still
     * missing. Numbers that were received but not for delivery (status, not for us) are skipped.
     */
    List<HbMessage> drain() {
        List<HbMessage> out = new ArrayList<>();
        if (nextDeliver == 0) return out;
        while (true) {
            HbMessage m = pending.remove(nextDeliver);
            if (m != null) {
                out.add(m);
                nextDeliver++;
            } else if (isMissing(nextDeliver) || nextDeliver > lastSeq) {
                break;
            } else {
                nextDeliver++;
            }
        }
        return out;
    }

    /** Everything held, in order, gaps or not: used when this run of the peer ends. */
    List<HbMessage> flush() {
        List<HbMessage> out = new ArrayList<>(pending.values());
        pending.clear();
        return out;
    }

    /** Forgets the run ({@code reset_seqtrack}); the caller has flushed first. */
    void reset() {
        lastSeq = 0;
        missingSince.clear();
        rexmitDue.clear();
        pending.clear();
        nextDeliver = 0;
    }

    Map<Long, Long> missingView() {
        return missingSince;
    }
}
