package dev.vigil.heartbeat.rm;

import dev.vigil.heartbeat.membership.LogLevel;
import java.util.List;

/**
 * One resource group's start/stop sequencing, as {@code /usr/share/heartbeat/ResourceManager}
 * does it (research heartbeat.md §4.3):
 *
 * <pre>
 *             acquire                        every resource: status, start unless running
 *   STOPPED ----------> STARTING -------------------------------------------------------> RUNNING
 *      ^                   | a start failed: "Giving up resources due to failure of R"       |
 *      |                   v                                                                  |
 *      +------------ STOPPING <----------------------------------------------------------------+
 *         all stopped     |   release (also from STOPPED: givegroup stops regardless)
 *                         | a stop failed 1 + stopRetries times, 1 s apart, and status still says running
 *                         v
 *                       FAILED (heartbeat reboots here; Vigil waits for the operator)
 * </pre>
 *
 * A request arriving mid-sequence is remembered and applied when the current operation returns;
 * exactly one operation is outstanding at a time.
 */
final class GroupRunner {
    private static final long NEVER = Long.MAX_VALUE;

    interface Sink {
        void run(String group, String resource, ResourceOp op);

        void stateChanged(String group, GroupState previous, GroupState current);

        void log(LogLevel level, String text);
    }

    final ResourceGroup group;
    private final List<String> resources;
    private final Sink sink;
    private final int stopRetries;
    private final long stopRetryIntervalNanos;

    private GroupState state = GroupState.STOPPED;
    private boolean wantRun;
    private boolean wantStop;
    private int cursor;
    private ResourceOp inFlight;
    private int stopFailures;
    private boolean checkingAfterFailedStop;
    private long retryAt = NEVER;
    /** A start failed; cleared by the resource manager once it has scheduled the delayed standby. */
    boolean startFailed;

    GroupRunner(ResourceGroup group, Sink sink, int stopRetries, long stopRetryIntervalNanos) {
        this.group = group;
        this.resources = group.resources();
        this.sink = sink;
        this.stopRetries = stopRetries;
        this.stopRetryIntervalNanos = stopRetryIntervalNanos;
    }

    GroupState state() {
        return state;
    }

    String key() {
        return group.key();
    }

    /** Running or on its way there: what heartbeat's {@code ResourceManager status <key>} would see as owned. */
    boolean isHeld() {
        return state == GroupState.RUNNING || state == GroupState.STARTING || state == GroupState.FAILED
                || (state == GroupState.STOPPING && wantRun);
    }

    /** No operation outstanding and nothing queued: a job waiting on this group may finish. */
    boolean settled() {
        return inFlight == null && retryAt == NEVER && !wantRun && !wantStop
                && (state == GroupState.STOPPED || state == GroupState.RUNNING || state == GroupState.FAILED);
    }

    /** {@code ResourceManager takegroup}. */
    void acquire() {
        switch (state) {
            case STOPPED:
                beginStart();
                break;
            case STARTING:
            case RUNNING:
                wantStop = false;
                break;
            case STOPPING:
                wantRun = true;
                break;
            case FAILED:
            default:
                sink.log(LogLevel.ERROR, "Resource group " + key() + " is FAILED (a stop did not succeed); not starting it");
                break;
        }
    }

    /** {@code ResourceManager givegroup}: stops every resource right to left, even when nothing seems to run. */
    void release() {
        switch (state) {
            case STOPPED:
            case RUNNING:
                beginStop();
                break;
            case STARTING:
                wantStop = true;
                wantRun = false;
                break;
            case STOPPING:
                wantRun = false;
                break;
            case FAILED:
            default:
                sink.log(LogLevel.WARN, "Resource group " + key() + " is FAILED; not stopping it again");
                break;
        }
    }

    /** The operator says the group is down; it may be managed again. */
    boolean resolveFailed() {
        if (state != GroupState.FAILED) return false;
        setState(GroupState.STOPPED);
        return true;
    }

    /** @return false when the result does not answer the outstanding operation (ignored) */
    boolean onResult(OperationResult r, long nowNanos) {
        if (inFlight == null || r.op() != inFlight || !r.group().equals(key()) || !r.resource().equals(resources.get(cursor))) {
            return false;
        }
        inFlight = null;
        if (state == GroupState.STARTING) {
            if (wantStop) {
                beginStop();
            } else if (r.op() == ResourceOp.STATUS) {
                if (r.running()) {
                    advanceStart();
                } else {
                    issue(ResourceOp.START);
                }
            } else if (r.success()) {
                advanceStart();
            } else {
                sink.log(LogLevel.CRIT, "Giving up resources due to failure of " + resources.get(cursor));
                startFailed = true;
                beginStop();
            }
        } else if (state == GroupState.STOPPING) {
            if (r.op() == ResourceOp.STOP) {
                if (r.success()) {
                    advanceStop();
                } else if (++stopFailures <= stopRetries) {
                    retryAt = nowNanos + stopRetryIntervalNanos;
                } else {
                    checkingAfterFailedStop = true;
                    issue(ResourceOp.STATUS);
                }
            } else if (checkingAfterFailedStop) {
                checkingAfterFailedStop = false;
                String res = resources.get(cursor);
                if (r.running()) {
                    sink.log(LogLevel.CRIT, "Resource " + res + " of group " + key() + " failed to stop " + (stopRetries + 1)
                            + " times and still runs.");
                    sink.log(LogLevel.CRIT, "Vigil does not reboot the node (heartbeat would): group " + key()
                            + " is FAILED and stays claimed here so the peer never starts it. Stop it by hand, then clear it.");
                    setState(GroupState.FAILED);
                } else {
                    sink.log(LogLevel.ERROR, "Resource script for " + res + " probably not LSB-compliant.");
                    sink.log(LogLevel.WARN, "it (" + res + ") MUST succeed on a stop when already stopped");
                    sink.log(LogLevel.WARN, "Machine reboot narrowly avoided!");
                    advanceStop();
                }
            }
        }
        return true;
    }

    void tick(long nowNanos) {
        if (nowNanos >= retryAt) {
            retryAt = NEVER;
            sink.log(LogLevel.INFO, "Retrying failed stop operation [" + resources.get(cursor) + "]");
            issue(ResourceOp.STOP);
        }
    }

    long nextDeadline() {
        return retryAt;
    }

    private void beginStart() {
        wantRun = false;
        wantStop = false;
        setState(GroupState.STARTING);
        sink.log(LogLevel.INFO, "Acquiring resource group: " + group.line());
        cursor = 0;
        issue(ResourceOp.STATUS);
    }

    private void advanceStart() {
        cursor++;
        if (cursor < resources.size()) {
            issue(ResourceOp.STATUS);
            return;
        }
        setState(GroupState.RUNNING);
        if (wantStop) beginStop();
    }

    private void beginStop() {
        wantStop = false;
        setState(GroupState.STOPPING);
        sink.log(LogLevel.INFO, "Releasing resource group: " + group.line());
        cursor = resources.size() - 1;
        stopFailures = 0;
        checkingAfterFailedStop = false;
        issue(ResourceOp.STOP);
    }

    private void advanceStop() {
        cursor--;
        stopFailures = 0;
        if (cursor >= 0) {
            issue(ResourceOp.STOP);
            return;
        }
        setState(GroupState.STOPPED);
        if (wantRun) beginStart();
    }

    private void issue(ResourceOp op) {
        inFlight = op;
        sink.run(key(), resources.get(cursor), op);
    }

    private void setState(GroupState s) {
        if (s == state) return;
        GroupState old = state;
        state = s;
        sink.stateChanged(key(), old, s);
    }
}
