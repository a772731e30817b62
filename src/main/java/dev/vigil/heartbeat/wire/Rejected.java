package dev.vigil.heartbeat.wire;

/**
 * A packet that was not accepted.
 *
 * @param reason what went wrong, for counters
 * @param detail a short human explanation; it may name the claimed sender and the key index and
 *     method, never a key
 */
public record Rejected(RejectReason reason, String detail) implements DecodeResult {
    @Override
    public String toString() {
        return reason.counterName() + ": " + detail;
    }
}
