package dev.vigil.heartbeat.membership;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.Objects;

/**
 * What {@link Membership} asks its glue to do, in order. Effects come out as values; the state
 * machine itself performs none.
 */
public sealed interface MembershipAction
        permits MembershipAction.Broadcast, MembershipAction.NodeStatusChanged, MembershipAction.LinkStatusChanged,
        MembershipAction.Log, MembershipAction.PersistGeneration, MembershipAction.Deliver, MembershipAction.CommUp,
        MembershipAction.PeerRestarted, MembershipAction.PeerReturnedAfterPartition {

    /**
     * Sign, encode and send this complete message (standard fields included) once on every medium
     * ({@code heartbeat.c:send_to_all_media}). A retransmission is the very message sent before, so it
     * encodes to the same bytes.
     */
    record Broadcast(HbMessage message) implements MembershipAction {
        public Broadcast {
            Objects.requireNonNull(message);
        }
    }

    /** A peer's status changed; {@code previous} is {@link NodeStatus#INIT} for a node never heard. */
    record NodeStatusChanged(String node, NodeStatus previous, NodeStatus current) implements MembershipAction {}

    /** One medium towards one peer came up or died. */
    record LinkStatusChanged(String node, String link, boolean up) implements MembershipAction {
        public LinkStatus status() {
            return up ? LinkStatus.UP : LinkStatus.DEAD;
        }
    }

    /** A line for the log, worded as heartbeat words it. */
    record Log(LogLevel level, String text) implements MembershipAction {
        @Override
        public String toString() {
            return level.tag() + ": " + text;
        }
    }

    /**
     * Write {@link HbGeneration#fileContent} durably before performing any later action: peers drop
     * messages of a generation lower than one they have seen.
     */
    record PersistGeneration(long generation) implements MembershipAction {}

    /**
     * A message for the resource layer, from {@code from}, in that sender's sequence order. Only
     * messages addressed to us (or to everyone) and not consumed by membership itself are delivered.
     */
    record Deliver(String from, HbMessage message) implements MembershipAction {}

    /** Communication is up and our status is now {@code active} ({@code heartbeat.c:comm_now_up}). */
    record CommUp() implements MembershipAction {}

    /** A peer came back with a higher generation: it restarted, and its previous run's state is gone. */
    record PeerRestarted(String node, long previousGeneration, long generation) implements MembershipAction {}

    /**
     * A peer we had declared dead speaks again in the same generation: the cluster was partitioned
     * and both sides may hold resources ({@code should_drop_message}, research heartbeat.md §6).
     */
    record PeerReturnedAfterPartition(String node) implements MembershipAction {}
}
