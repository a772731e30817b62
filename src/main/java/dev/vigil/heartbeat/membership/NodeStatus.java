package dev.vigil.heartbeat.membership;

import java.util.Locale;
import java.util.Optional;

/**
 * A node's status as heartbeat names it: the {@code st} field of {@code t=status} messages and the
 * output of {@code cl_status nodestatus} (research heartbeat.md §1.4, §5).
 */
public enum NodeStatus {
    /** Not heard from yet, or just restarted (the first status a starting node sends). */
    INIT("init"),
    /** Communication started, waiting for the join exchange. */
    UP("up"),
    /** Fully joined ({@code Comm_now_up}). */
    ACTIVE("active"),
    /** Silent for its dead interval, or it said so itself. */
    DEAD("dead");

    private final String wireName;

    NodeStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The word on the wire and in {@code cl_status nodestatus}. */
    public String wireName() {
        return wireName;
    }

    /** Up or active: a node we may ask for retransmissions ({@code hb_rexmit.c:send_rexmit_request}). */
    public boolean isAlive() {
        return this == UP || this == ACTIVE;
    }

    /** heartbeat compares status words case-insensitively ({@code HBDoMsg_T_STATUS} uses strcasecmp). */
    public static Optional<NodeStatus> fromWire(String s) {
        if (s == null) return Optional.empty();
        String v = s.toLowerCase(Locale.ROOT);
        for (NodeStatus st : values()) {
            if (st.wireName.equals(v)) return Optional.of(st);
        }
        return Optional.empty();
    }
}
