package dev.vigil.heartbeat.wire;

/** Internal: unwinds a parser to {@link HbCodec#decode}, which turns it into a {@link Rejected}. */
final class WireException extends RuntimeException {
    final RejectReason reason;

    WireException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Rejected toRejected() {
        return new Rejected(reason, getMessage());
    }
}
