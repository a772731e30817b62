package dev.vigil.heartbeat.wire;

/** The outcome of decoding one packet or serial frame: never an exception. */
public sealed interface DecodeResult permits Decoded, Rejected {
    default boolean accepted() {
        return this instanceof Decoded;
    }
}
