package dev.vigil.vrrp.wire;

/** What {@link VrrpFrames#decode} returns instead of throwing: a frame, or why there is none. */
public sealed interface VrrpFrameDecodeResult {
    record Ok(VrrpFrame frame, VrrpChecksumVariant checksumVariant) implements VrrpFrameDecodeResult {
    }

    record Invalid(VrrpRejectReason reason, String detail) implements VrrpFrameDecodeResult {
    }

    default boolean isOk() {
        return this instanceof Ok;
    }
}
