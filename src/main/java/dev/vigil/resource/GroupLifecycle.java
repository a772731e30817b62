package dev.vigil.resource;

import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.resource.GroupAction.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The life of one resource group on this node, as a pure state machine: no clock, no I/O. Time
 * comes in as {@code nowNanos}; what should be done goes out as {@link GroupAction}s (run an
 * operation with its timeout, give the group up); results come back through {@link #opFinished}.
 * The glue keeps one timer at {@link #nextDeadlineNanos()} and calls {@link #tick} (the shape of
 * heartbeat's {@code ResourceManager}).
 *
 * <p>Two ways to drive it:
 * <ul>
 *   <li><b>managed</b> (VRRP mode): {@link #start} runs {@code start} on each resource left to
 *       right, {@link #stop} runs {@code stop} right to left on every resource a start was tried
 *       on (heartbeat's order: {@code ResourceManager takegroup / givegroup}). A failed start stops
 *       what was started and gives the group up.</li>
 *   <li><b>adopted</b> (heartbeat mode): heartbeat's v1 resource manager keeps sequencing starts
 *       and stops exactly as heartbeat does; {@link #adopt} says the group now runs here and
 *       {@link #release} that it no longer does. Only monitoring and operator restarts come from
 *       here.</li>
 * </ul>
 *
 * <p>Monitoring (a Vigil extension; heartbeat v1 never polls, so it is off unless the policy's
 * {@code monitor_interval} is set): while the group runs here each monitored resource's
 * {@code status} is polled every interval (timeout {@code monitor_timeout}). A poll that says
 * "not running" or times out restarts that resource in place (its script's own {@code restart}
 * when it has one, else {@code stop} then {@code start}) as long as fewer than
 * {@code max_restarts} restarts happened within the last {@code restart_window}; the next failure
 * gives the whole group up ({@link GroupAction.GiveUp}). Only the failed resource is restarted,
 * not the ones after it in the group: resource scripts written for heartbeat do not expect to be
 * stopped because a neighbour restarted.
 *
 * <p>One operation per group at a time: a poll that falls due while another operation runs waits
 * for it. An operation whose result never comes back is counted as timed out
 * {@link #WATCHDOG_SLACK} after its own timeout (the executor kills the process group at the
 * timeout itself; this only guards against a lost result).
 */
public final class GroupLifecycle {
    /** How long after an operation's timeout a missing result counts as a timeout. */
    public static final Duration WATCHDOG_SLACK = Duration.ofSeconds(10);
    private static final long NEVER = Long.MAX_VALUE;

    public enum State {
        STOPPED,
        /** Starting resources left to right (managed only). */
        STARTING,
        /** Runs here; monitored resources are polled. */
        RUNNING,
        /** Runs here, and a failed resource is being restarted in place. */
        RECOVERING,
        /** Stopping resources right to left (managed only). */
        STOPPING,
        /** A stop failed: the resource may still run here. Cleared by {@link #reset}. */
        FAILED
    }

    /** One resource of the group: how haresources / keepalived.conf writes it, its policy, and whether its script has {@code restart}. */
    public record Member(String name, ResourcePolicy policy, boolean hasRestart) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Why an operation runs; decides what its result leads to. */
    private enum Purpose { START_SEQ, STOP_SEQ, MONITOR, RECOVER, OPERATOR }

    private record InFlight(long id, int index, ResourceOperation op, Purpose purpose, long deadline) {
    }

    /** Per-resource bookkeeping. */
    private static final class Slot {
        final Member member;
        /** managed: a start was tried and no stop has completed since */
        boolean touched;
        long nextPollAt = NEVER;
        final Deque<Long> restarts = new ArrayDeque<>();
        long restartsTotal;
        String lastFailure;
        /** The restart under way falls back to stop then start: the start is still to run. */
        boolean pendingStart;
        /** A RESTART op that ended in a failed stop is not followed by a start (it may still run). */
        Purpose pendingStartPurpose;

        Slot(Member m) {
            this.member = m;
        }
    }

    /** What {@link #view()} shows of one resource. */
    public record MemberView(String name, boolean monitored, Duration monitorInterval, int restartsInWindow, int maxRestarts,
                             long restartsTotal, Optional<String> lastFailure) {
    }

    /** What {@link #view()} shows of the group. */
    public record View(String group, State state, boolean managed, boolean gaveUp, Optional<String> gaveUpReason,
                       Optional<String> operationInFlight, List<MemberView> members) {
    }

    private final String group;
    private final boolean managed;
    private final List<Slot> slots = new ArrayList<>();
    private State state = State.STOPPED;
    private boolean desiredUp;
    private boolean gaveUp;
    private String gaveUpReason;
    private boolean stopFailed;
    private InFlight inFlight;
    private long nextId = 1;
    private final Set<Integer> operatorRestarts = new LinkedHashSet<>();

    /**
     * @param group   the group's name (heartbeat: its first resource; VRRP: the instance or sync group)
     * @param members left to right, as written
     * @param managed true when this machine sequences starts and stops (VRRP), false when heartbeat's
     *                resource manager does and this only monitors
     */
    public GroupLifecycle(String group, List<Member> members, boolean managed) {
        this.group = Objects.requireNonNull(group, "group");
        if (members.isEmpty()) throw new IllegalArgumentException("group " + group + " has no resources");
        for (Member m : members) slots.add(new Slot(m));
        this.managed = managed;
    }

    // ------------------------------------------------------------------ inputs

    /** Managed: bring the group up here, left to right. Clears an earlier give-up. */
    public List<GroupAction> start(long nowNanos) {
        requireManaged("start");
        List<GroupAction> out = new ArrayList<>();
        if (desiredUp) return out;
        desiredUp = true;
        gaveUp = false;
        gaveUpReason = null;
        if (inFlight == null) setState(State.STARTING, out);
        advance(nowNanos, out);
        return out;
    }

    /** Managed: take the group down here, right to left (after the operation in flight, if any). */
    public List<GroupAction> stop(long nowNanos) {
        requireManaged("stop");
        List<GroupAction> out = new ArrayList<>();
        if (!desiredUp) {
            advance(nowNanos, out);
            return out;
        }
        desiredUp = false;
        operatorRestarts.clear();
        for (Slot s : slots) {
            s.nextPollAt = NEVER;
            s.pendingStart = false;
        }
        if (inFlight == null) advance(nowNanos, out);
        return out;
    }

    /** Adopted: heartbeat's resource manager has started the group here; monitoring begins with a fresh budget. */
    public List<GroupAction> adopt(long nowNanos) {
        requireAdopted("adopt");
        List<GroupAction> out = new ArrayList<>();
        if (desiredUp) return out;
        desiredUp = true;
        gaveUp = false;
        gaveUpReason = null;
        inFlight = null;
        for (Slot s : slots) {
            s.restarts.clear();
            s.pendingStart = false;
        }
        enterRunning(nowNanos, out);
        advance(nowNanos, out);
        return out;
    }

    /**
     * Adopted: the group no longer runs here (heartbeat's resource manager is stopping it or gave
     * it away). Monitoring stops; the result of an operation still running is ignored. The glue
     * must let that operation finish before heartbeat's own {@code stop} of the same resource runs.
     */
    public List<GroupAction> release(long nowNanos) {
        requireAdopted("release");
        List<GroupAction> out = new ArrayList<>();
        desiredUp = false;
        inFlight = null;
        operatorRestarts.clear();
        for (Slot s : slots) {
            s.nextPollAt = NEVER;
            s.pendingStart = false;
        }
        setState(State.STOPPED, out);
        return out;
    }

    /**
     * The operator's {@code vigil resource restart NAME}: restart one resource in place, outside
     * the restart budget. Refused (with a message for the operator) when the group does not run
     * here. Clears a give-up that left the group here (e.g. no peer answered the standby).
     *
     * @throws IllegalStateException with the message for the operator when refused
     */
    public List<GroupAction> restart(String resource, long nowNanos) {
        int i = indexOf(resource).orElseThrow(() -> new IllegalArgumentException("no resource " + resource + " in group " + group));
        if (!holds()) {
            throw new IllegalStateException("resource " + resource + " is not running on this node (group " + group + " is "
                    + state.name().toLowerCase(java.util.Locale.ROOT) + "); restart it on the node that holds it");
        }
        List<GroupAction> out = new ArrayList<>();
        if (gaveUp) {
            gaveUp = false;
            gaveUpReason = null;
            log(out, Level.INFO, "group " + group + ": give-up cleared by the operator");
        }
        operatorRestarts.add(i);
        log(out, Level.INFO, "restart of " + resource + " requested by the operator");
        advance(nowNanos, out);
        return out;
    }

    /** The operator clears a give-up or a failed stop (after fixing the service by hand). */
    public List<GroupAction> reset(long nowNanos) {
        List<GroupAction> out = new ArrayList<>();
        boolean was = gaveUp || stopFailed;
        gaveUp = false;
        gaveUpReason = null;
        stopFailed = false;
        if (state == State.FAILED) setState(State.STOPPED, out);
        if (was) log(out, Level.INFO, "group " + group + ": failure cleared by the operator");
        if (desiredUp && holds()) {
            for (Slot s : slots) {
                s.restarts.clear();
                if (s.member.policy().monitored() && s.nextPollAt == NEVER) {
                    s.nextPollAt = nowNanos + s.member.policy().monitorInterval().toNanos();
                }
            }
        }
        advance(nowNanos, out);
        return out;
    }

    /** The result of the operation {@code id}; results of abandoned or unknown operations are ignored. */
    public List<GroupAction> opFinished(long id, OpOutcome outcome, long nowNanos) {
        List<GroupAction> out = new ArrayList<>();
        if (inFlight == null || inFlight.id() != id) return out;
        InFlight f = inFlight;
        inFlight = null;
        handle(f, outcome, nowNanos, out);
        advance(nowNanos, out);
        return out;
    }

    /** Timers: polls falling due and the watchdog of the operation in flight. */
    public List<GroupAction> tick(long nowNanos) {
        List<GroupAction> out = new ArrayList<>();
        if (inFlight != null && nowNanos >= inFlight.deadline()) {
            InFlight f = inFlight;
            inFlight = null;
            handle(f, OpOutcome.timedOut("no result " + WATCHDOG_SLACK.toSeconds() + " s after the timeout"), nowNanos, out);
        }
        advance(nowNanos, out);
        return out;
    }

    public long nextDeadlineNanos() {
        if (inFlight != null) return inFlight.deadline();
        if (!desiredUp || gaveUp || state != State.RUNNING) return NEVER;
        long d = NEVER;
        for (Slot s : slots) d = Math.min(d, s.nextPollAt);
        return d;
    }

    // ------------------------------------------------------------------ the core

    private void handle(InFlight f, OpOutcome r, long now, List<GroupAction> out) {
        Slot s = slots.get(f.index());
        String name = s.member.name();
        switch (f.purpose()) {
            case START_SEQ -> {
                if (r.success()) {
                    log(out, Level.INFO, name + " started");
                    return;
                }
                s.lastFailure = "start " + describe(r);
                log(out, Level.ERROR, name + " start failed: " + describe(r) + "; stopping group " + group + " and giving it up");
                giveUp(name, "start of " + name + " failed: " + describe(r), out);
                if (desiredUp) {
                    desiredUp = false;
                    for (Slot o : slots) o.nextPollAt = NEVER;
                }
            }
            case STOP_SEQ -> {
                s.touched = false;
                if (r.success()) {
                    log(out, Level.INFO, name + " stopped");
                } else {
                    s.lastFailure = "stop " + describe(r);
                    stopFailed = true;
                    log(out, Level.ERROR, name + " stop failed: " + describe(r) + "; it may still run here");
                }
            }
            case MONITOR -> {
                if (!desiredUp || gaveUp) return;
                boolean ok = r.running() && !r.timedOut();
                if (ok) {
                    s.nextPollAt = now + s.member.policy().monitorInterval().toNanos();
                    return;
                }
                s.lastFailure = "monitor: " + (r.timedOut() ? "status " + describe(r) : "not running"
                        + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
                monitorFailed(f.index(), now, out);
            }
            case RECOVER, OPERATOR -> recoveryStep(f, r, now, out);
        }
    }

    /** A poll failed: restart within the budget, else give the group up. */
    private void monitorFailed(int index, long now, List<GroupAction> out) {
        Slot s = slots.get(index);
        ResourcePolicy p = s.member.policy();
        long window = p.restartWindow().toNanos();
        while (!s.restarts.isEmpty() && now - s.restarts.peekFirst() >= window) s.restarts.removeFirst();
        if (s.restarts.size() < p.maxRestarts()) {
            s.restarts.addLast(now);
            s.restartsTotal++;
            log(out, Level.WARN, s.member.name() + " failed (" + s.lastFailure + "); restart " + s.restarts.size() + " of "
                    + p.maxRestarts() + " within " + p.restartWindow().toSeconds() + " s");
            setState(State.RECOVERING, out);
            beginRestart(index, Purpose.RECOVER, now, out);
        } else {
            s.nextPollAt = NEVER;
            String why = s.member.name() + " failed (" + s.lastFailure + ") after " + s.restarts.size() + " restart"
                    + (s.restarts.size() == 1 ? "" : "s") + " within " + p.restartWindow().toSeconds() + " s";
            log(out, Level.ERROR, why + "; giving group " + group + " up to the peer");
            giveUp(s.member.name(), why, out);
        }
    }

    private void beginRestart(int index, Purpose purpose, long now, List<GroupAction> out) {
        Slot s = slots.get(index);
        if (s.member.hasRestart()) {
            run(index, ResourceOperation.RESTART, s.member.policy().restartTimeout(), purpose, now, out);
        } else {
            s.pendingStart = true;
            s.pendingStartPurpose = purpose;
            run(index, ResourceOperation.STOP, s.member.policy().stopTimeout(), purpose, now, out);
        }
    }

    private void recoveryStep(InFlight f, OpOutcome r, long now, List<GroupAction> out) {
        Slot s = slots.get(f.index());
        String name = s.member.name();
        if (!desiredUp) {
            // The group is being stopped: the restart is abandoned and the stop sequence takes over.
            if (f.op() == ResourceOperation.STOP && r.success()) s.touched = false;
            log(out, r.success() ? Level.INFO : Level.WARN, name + " " + f.op().argument() + " (restart abandoned, group stopping): "
                    + (r.success() ? "done" : describe(r)));
            return;
        }
        if (f.op() == ResourceOperation.STOP && s.pendingStart) {
            if (!r.success()) {
                // A stop that failed leaves the resource in an unknown state: starting it again could run it twice.
                s.pendingStart = false;
                s.lastFailure = "stop " + describe(r);
                log(out, Level.ERROR, name + " stop (for restart) failed: " + describe(r) + "; not starting it again");
                afterRestart(s, now, out);
            }
            return; // the start runs from advance()
        }
        if (r.success()) {
            log(out, Level.INFO, name + " restarted" + (f.purpose() == Purpose.OPERATOR ? " (operator)" : ""));
        } else {
            s.lastFailure = f.op().argument() + " " + describe(r);
            log(out, Level.ERROR, name + " " + f.op().argument() + " (for restart) failed: " + describe(r));
        }
        afterRestart(s, now, out);
    }

    /** The next poll tells whether the restart helped (a failed one is counted again then, and may give up). */
    private void afterRestart(Slot s, long now, List<GroupAction> out) {
        if (desiredUp && s.member.policy().monitored() && !gaveUp) {
            s.nextPollAt = now + s.member.policy().monitorInterval().toNanos();
        }
        if (state == State.RECOVERING && desiredUp) setState(State.RUNNING, out);
    }

    /** Starts the next operation when none is in flight. */
    private void advance(long now, List<GroupAction> out) {
        if (inFlight != null) return;
        if (!desiredUp) {
            if (managed) {
                for (int i = slots.size() - 1; i >= 0; i--) {
                    if (slots.get(i).touched) {
                        setState(State.STOPPING, out);
                        run(i, ResourceOperation.STOP, slots.get(i).member.policy().stopTimeout(), Purpose.STOP_SEQ, now, out);
                        return;
                    }
                }
            }
            setState(stopFailed ? State.FAILED : State.STOPPED, out);
            return;
        }
        if (state == State.STARTING || state == State.STOPPING || state == State.STOPPED || state == State.FAILED) {
            // managed and wanted up: start the first resource not yet tried
            for (int i = 0; i < slots.size(); i++) {
                if (!slots.get(i).touched) {
                    setState(State.STARTING, out);
                    slots.get(i).touched = true;
                    run(i, ResourceOperation.START, slots.get(i).member.policy().startTimeout(), Purpose.START_SEQ, now, out);
                    return;
                }
            }
            log(out, Level.INFO, "group " + group + " started");
            enterRunning(now, out);
        }
        // RUNNING or RECOVERING
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.pendingStart) {
                s.pendingStart = false;
                run(i, ResourceOperation.START, s.member.policy().startTimeout(), s.pendingStartPurpose, now, out);
                return;
            }
        }
        if (!operatorRestarts.isEmpty()) {
            int i = operatorRestarts.iterator().next();
            operatorRestarts.remove(i);
            beginRestart(i, Purpose.OPERATOR, now, out);
            return;
        }
        if (gaveUp) return;
        int due = -1;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.nextPollAt <= now && (due < 0 || s.nextPollAt < slots.get(due).nextPollAt)) due = i;
        }
        if (due >= 0) {
            Slot s = slots.get(due);
            s.nextPollAt = NEVER;
            run(due, ResourceOperation.STATUS, s.member.policy().monitorTimeout(), Purpose.MONITOR, now, out);
        }
    }

    private void enterRunning(long now, List<GroupAction> out) {
        setState(State.RUNNING, out);
        for (Slot s : slots) {
            s.nextPollAt = s.member.policy().monitored() ? now + s.member.policy().monitorInterval().toNanos() : NEVER;
        }
    }

    private void run(int index, ResourceOperation op, Duration timeout, Purpose purpose, long now, List<GroupAction> out) {
        long id = nextId++;
        long deadline = saturatingAdd(now, timeout.plus(WATCHDOG_SLACK).toNanos());
        inFlight = new InFlight(id, index, op, purpose, deadline);
        out.add(new GroupAction.RunOp(group, id, slots.get(index).member.name(), op, timeout));
    }

    private void giveUp(String resource, String reason, List<GroupAction> out) {
        if (gaveUp) return;
        gaveUp = true;
        gaveUpReason = reason;
        out.add(new GroupAction.GiveUp(group, resource, reason));
    }

    private void setState(State s, List<GroupAction> out) {
        if (s == state) return;
        State prev = state;
        state = s;
        out.add(new GroupAction.StateChanged(group, prev, s));
    }

    private static void log(List<GroupAction> out, Level level, String text) {
        out.add(new GroupAction.Log(level, text));
    }

    private static String describe(OpOutcome r) {
        if (r.timedOut()) return "timed out" + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
        if (!r.detail().isEmpty()) return r.detail();
        return "exit code " + r.exitCode();
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? NEVER - 1 : r;
    }

    private void requireManaged(String what) {
        if (!managed) throw new IllegalStateException(what + ": group " + group + " is sequenced by heartbeat's resource manager");
    }

    private void requireAdopted(String what) {
        if (managed) throw new IllegalStateException(what + ": group " + group + " is sequenced by this lifecycle");
    }

    private Optional<Integer> indexOf(String resource) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).member.name().equals(resource)) return Optional.of(i);
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ queries

    public String group() {
        return group;
    }

    public State state() {
        return state;
    }

    public boolean managed() {
        return managed;
    }

    /** The group runs (or is being brought up) here. */
    public boolean holds() {
        return desiredUp && (state == State.RUNNING || state == State.RECOVERING || state == State.STARTING);
    }

    /** The group was given up (restart budget spent or a start failed) and no operator has reset it since. */
    public boolean gaveUp() {
        return gaveUp;
    }

    public boolean contains(String resource) {
        return indexOf(resource).isPresent();
    }

    public List<Member> members() {
        return slots.stream().map(s -> s.member).toList();
    }

    public View view(long nowNanos) {
        List<MemberView> mv = new ArrayList<>();
        for (Slot s : slots) {
            ResourcePolicy p = s.member.policy();
            long window = p.restartWindow().toNanos();
            int inWindow = (int) s.restarts.stream().filter(t -> nowNanos - t < window).count();
            mv.add(new MemberView(s.member.name(), p.monitored(), p.monitorInterval(), inWindow, p.maxRestarts(), s.restartsTotal,
                    Optional.ofNullable(s.lastFailure)));
        }
        Optional<String> op = inFlight == null ? Optional.empty()
                : Optional.of(slots.get(inFlight.index()).member.name() + " " + inFlight.op().argument());
        return new View(group, state, managed, gaveUp, Optional.ofNullable(gaveUpReason), op, mv);
    }
}
