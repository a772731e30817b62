package dev.vigil.heartbeat.wire;

import java.util.Locale;

/** Why a packet or frame was not accepted. {@link #counterName()} is stable for metrics. */
public enum RejectReason {
    /** Zero bytes. */
    EMPTY,
    /** Starts with neither {@code "###\n"} nor {@code ">>>\n"}. */
    UNKNOWN_FORMAT,
    /** Ends before the message, a field, or the trailer is complete. */
    TRUNCATED,
    /** At least {@link HbCodec#MAXMSG} bytes: larger than heartbeat's receive buffer. */
    OVERSIZED,
    /** Complete but not well-formed (bad length, field type, name, base64, nesting, ...). */
    MALFORMED,
    /** Well-formed but carries no signature (no trailer, or no {@code auth} field in classic form). */
    NO_AUTH,
    /** The signature is not {@code "<index> <digest>"}. */
    BAD_AUTH_FORMAT,
    /** The signature names an authkeys index that has no entry here. */
    UNKNOWN_KEY_INDEX,
    /** The digest does not match: wrong key, or the bytes were changed. */
    BAD_SIGNATURE,
    /** A bug in the decoder, caught so that it can never take the receiver down. */
    INTERNAL_ERROR;

    /** Lowercase name for counters and log keys, e.g. {@code bad_signature}. */
    public String counterName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
