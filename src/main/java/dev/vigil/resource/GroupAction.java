package dev.vigil.resource;

import java.time.Duration;

/** What a {@link GroupLifecycle} asks its glue to do, in order. */
public sealed interface GroupAction
        permits GroupAction.RunOp, GroupAction.GiveUp, GroupAction.StateChanged, GroupAction.Log {

    /**
     * Run {@code op} on {@code resource} off the event loop, its process group killed after
     * {@code timeout}, and report with {@link GroupLifecycle#opFinished(long, OpOutcome, long)}
     * quoting {@code id}. At most one operation per group is outstanding.
     */
    record RunOp(String group, long id, String resource, ResourceOperation op, Duration timeout) implements GroupAction {}

    /**
     * The group cannot be kept healthy here (restart budget spent, or a start failed): hand it to
     * the peer. Heartbeat mode: the standby handshake; VRRP mode: the owning instance goes to FAULT.
     */
    record GiveUp(String group, String resource, String reason) implements GroupAction {}

    record StateChanged(String group, GroupLifecycle.State previous, GroupLifecycle.State current) implements GroupAction {}

    record Log(Level level, String text) implements GroupAction {}

    enum Level { INFO, WARN, ERROR }
}
