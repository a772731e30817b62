package dev.vigil.heartbeat.wire;

/**
 * The state of the inner {@code auth} field of an accepted packet. For classic form it is what was
 * verified, so always {@link #VALID}. For netstring form heartbeat checks only the trailer
 * ({@code netstring2msg}), so the inner field is reported but does not decide acceptance.
 */
public enum InnerAuthStatus {
    VALID,
    /** Present but not matching, unparsable, of an unknown index, or not computable. */
    INVALID,
    ABSENT
}
