package dev.vigil.vrrp.wire;

/** What {@link VrrpCodec#decode} returns instead of throwing: a packet, or why there is none. */
public sealed interface VrrpDecodeResult {
    /** A valid message and the checksum rule it satisfied (which tells a peer's implementation). */
    record Ok(VrrpPacket packet, VrrpChecksumVariant checksumVariant) implements VrrpDecodeResult {
    }

    /** A rejected message; {@code detail} reads like keepalived's log line and never holds auth data. */
    record Invalid(VrrpRejectReason reason, String detail) implements VrrpDecodeResult {
    }

    default boolean isOk() {
        return this instanceof Ok;
    }
}
