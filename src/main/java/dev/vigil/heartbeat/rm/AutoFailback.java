package dev.vigil.heartbeat.rm;

/**
 * {@code auto_failback} in {@code ha.cf} ({@code config.c:set_auto_failback}; research heartbeat.md
 * §4.1, §6.7).
 */
public enum AutoFailback {
    /**
     * {@code nice_failback} on, {@code auto_failback} on: nodes exchange {@code starting} and
     * {@code resource} messages, and a node holding a returning peer's groups hands them back through
     * the standby handshake once the peer is stable.
     */
    ON,
    /** {@code nice_failback} on, {@code auto_failback} off: groups stay where they are when their node returns. */
    OFF,
    /**
     * heartbeat's deprecated default: {@code nice_failback} off. No {@code starting}/{@code resource}
     * messages and no standby; at comm-up a node asks the current holder for each of its own groups
     * with {@code ip-request}, the holder gives it up and answers {@code ip-request-resp}. In effect
     * groups go home whenever their node (re)joins, without a stability handshake.
     */
    LEGACY;

    /** heartbeat's {@code nice_failback} flag. */
    public boolean niceFailback() {
        return this != LEGACY;
    }

    /** heartbeat's {@code auto_failback} flag. */
    public boolean autoFailback() {
        return this == ON;
    }
}
