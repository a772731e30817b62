package dev.vigil.heartbeat.wire;

/**
 * An accepted packet.
 *
 * @param message the fields as received, including the inner {@code auth} field
 * @param format which encoding it came in
 * @param signature the signature that was verified: the trailer for netstring, the inner {@code auth} for classic
 * @param innerAuth the state of the inner {@code auth} field (see {@link InnerAuthStatus})
 * @param ignoredTrailingBytes bytes after the message that heartbeat also ignores, e.g. the NUL a
 *     UDP classic sender appends ({@code cl_msg.c:msg2wirefmt})
 */
public record Decoded(HbMessage message, WireFormat format, AuthSignature signature, InnerAuthStatus innerAuth,
        int ignoredTrailingBytes) implements DecodeResult {}
