package dev.vigil.heartbeat.membership;

import dev.vigil.heartbeat.wire.HbMessage;

/**
 * The last {@value #CAPACITY} messages we sent with a sequence number, kept as sent so a
 * retransmission is byte-identical, including its original {@code ts} ({@code heartbeat.c:msghist},
 * {@code MAXMSGHIST}).
 */
final class TransmitHistory {
    static final int CAPACITY = 500;
    private static final long NEVER = Long.MIN_VALUE;

    private final HbMessage[] messages = new HbMessage[CAPACITY];
    private final long[] seqs = new long[CAPACITY];
    private final long[] lastRexmit = new long[CAPACITY];
    private long highest;

    void add(long seq, HbMessage message) {
        int slot = slot(seq);
        messages[slot] = message;
        seqs[slot] = seq;
        lastRexmit[slot] = NEVER;
        highest = Math.max(highest, seq);
    }

    long highest() {
        return highest;
    }

    /** The lowest sequence number still held (1 until the ring has wrapped). */
    long lowestRetained() {
        return Math.max(1, highest - CAPACITY + 1);
    }

    HbMessage get(long seq) {
        if (seq < lowestRetained() || seq > highest) return null;
        int slot = slot(seq);
        return seqs[slot] == seq ? messages[slot] : null;
    }

    /** When {@code seq} was last retransmitted, or {@link Long#MIN_VALUE}. */
    long lastRetransmit(long seq) {
        return get(seq) == null ? NEVER : lastRexmit[slot(seq)];
    }

    void markRetransmitted(long seq, long nowNanos) {
        if (get(seq) != null) lastRexmit[slot(seq)] = nowNanos;
    }

    private static int slot(long seq) {
        return (int) Math.floorMod(seq, (long) CAPACITY);
    }
}
