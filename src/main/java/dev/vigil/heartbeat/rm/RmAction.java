package dev.vigil.heartbeat.rm;

import dev.vigil.heartbeat.membership.LogLevel;
import dev.vigil.heartbeat.wire.HbMessage;
import java.util.Objects;

/** What {@link ResourceManager} asks its glue to do, in order. */
public sealed interface RmAction
        permits RmAction.Broadcast, RmAction.RunResource, RmAction.RscStatusChanged, RmAction.GroupStateChanged,
        RmAction.Log, RmAction.ShutdownComplete {

    /** Send this message body to the cluster through {@code Membership.send}, which adds the standard fields. */
    record Broadcast(HbMessage body) implements RmAction {
        public Broadcast {
            Objects.requireNonNull(body);
        }
    }

    /**
     * Run {@code <script> <args> <op>} for this resource of this group and report with
     * {@link ResourceManager#operationFinished}. At most one operation per group is outstanding.
     */
    record RunResource(String group, String resource, ResourceOp op) implements RmAction {}

    /** {@code cl_status rscstatus} changed: {@code none|local|foreign|all|transition}. */
    record RscStatusChanged(String previous, String current) implements RmAction {}

    record GroupStateChanged(String group, GroupState previous, GroupState current) implements RmAction {}

    record Log(LogLevel level, String text) implements RmAction {
        @Override
        public String toString() {
            return level.tag() + ": " + text;
        }
    }

    /** Everything is released and {@code shutdone} is out; the glue may stop membership a second or two later. */
    record ShutdownComplete() implements RmAction {}
}
