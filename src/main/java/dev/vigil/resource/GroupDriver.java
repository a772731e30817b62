package dev.vigil.resource;

import dev.vigil.core.Scheduler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;

/**
 * The glue of one {@link GroupLifecycle}: performs its actions (operations through
 * {@link ResourceOps}, off the event loop; results hop back onto the scheduler), keeps a single
 * timer at its next deadline, and reports give-ups and state changes to a {@link Listener}. Shared
 * by both modes and by tests on virtual time.
 *
 * <p>Threading: every method must be called on the scheduler's thread; the listener is called there.
 */
public final class GroupDriver {
    private static final long NEVER = Long.MAX_VALUE;

    /** What the mode's glue does with the layer's decisions. */
    public interface Listener {
        /** Give the group to the peer (heartbeat: standby handshake; VRRP: the instance goes to FAULT). */
        void gaveUp(GroupAction.GiveUp giveUp);

        /** For the node's event history and the console. */
        default void event(String text) {
        }

        default void stateChanged(GroupAction.StateChanged change) {
        }

        /** The operator cleared a give-up ({@code vigil resource reset} or a restart of a group still held here). */
        default void cleared(String group) {
        }
    }

    private final GroupLifecycle lifecycle;
    private final Scheduler scheduler;
    private final ResourceOps ops;
    private final Listener listener;
    private final Logger log;
    private Scheduler.Timer timer;
    private long timerDeadline = NEVER;
    private boolean closed;

    public GroupDriver(GroupLifecycle lifecycle, Scheduler scheduler, ResourceOps ops, Listener listener, Logger log) {
        this.lifecycle = Objects.requireNonNull(lifecycle);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.ops = Objects.requireNonNull(ops);
        this.listener = Objects.requireNonNull(listener);
        this.log = Objects.requireNonNull(log);
    }

    public void start() {
        perform(lifecycle.start(scheduler.nanoTime()));
    }

    public void stop() {
        perform(lifecycle.stop(scheduler.nanoTime()));
    }

    public void adopt() {
        perform(lifecycle.adopt(scheduler.nanoTime()));
    }

    public void release() {
        perform(lifecycle.release(scheduler.nanoTime()));
    }

    /** @throws IllegalStateException (message for the operator) when the group does not run here */
    public void restart(String resource) {
        boolean was = lifecycle.gaveUp();
        perform(lifecycle.restart(resource, scheduler.nanoTime()));
        if (was && !lifecycle.gaveUp()) listener.cleared(lifecycle.group());
    }

    public void reset() {
        boolean was = lifecycle.gaveUp();
        perform(lifecycle.reset(scheduler.nanoTime()));
        if (was && !lifecycle.gaveUp()) listener.cleared(lifecycle.group());
    }

    /** No more timers or results (the daemon is going away without stopping the group, e.g. halted). */
    public void close() {
        closed = true;
        cancelTimer();
    }

    public GroupLifecycle lifecycle() {
        return lifecycle;
    }

    public GroupLifecycle.View view() {
        return lifecycle.view(scheduler.nanoTime());
    }

    private void perform(List<GroupAction> actions) {
        if (closed) return;
        for (GroupAction a : actions) {
            if (a instanceof GroupAction.RunOp r) {
                run(r);
            } else if (a instanceof GroupAction.GiveUp g) {
                listener.event("Resource group " + g.group() + " given up: " + g.reason());
                listener.gaveUp(g);
            } else if (a instanceof GroupAction.StateChanged c) {
                listener.stateChanged(c);
            } else if (a instanceof GroupAction.Log l) {
                switch (l.level()) {
                    case INFO -> log.info(l.text());
                    case WARN -> {
                        log.warn(l.text());
                        listener.event(l.text());
                    }
                    case ERROR -> {
                        log.error(l.text());
                        listener.event(l.text());
                    }
                }
            }
        }
        rearm();
    }

    private void run(GroupAction.RunOp r) {
        if (r.op() != ResourceOperation.STATUS) log.info("{} {} (timeout {} s)", r.resource(), r.op().argument(), r.timeout().toMillis() / 1000.0);
        CompletionStage<OpOutcome> stage;
        try {
            stage = ops.run(r.resource(), r.op(), r.timeout());
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.completedFuture(OpOutcome.failed(e.toString()));
        }
        stage.whenComplete((res, err) -> scheduler.execute(() -> {
            if (closed) return;
            OpOutcome o = err != null || res == null ? OpOutcome.failed(err == null ? "no result" : err.toString()) : res;
            perform(lifecycle.opFinished(r.id(), o, scheduler.nanoTime()));
        }));
    }

    private void rearm() {
        if (closed) return;
        long d = lifecycle.nextDeadlineNanos();
        if (d == timerDeadline && timer != null) return;
        cancelTimer();
        if (d == NEVER) return;
        timerDeadline = d;
        timer = scheduler.schedule(d - scheduler.nanoTime(), this::onTimer);
    }

    private void onTimer() {
        timer = null;
        timerDeadline = NEVER;
        if (closed) return;
        perform(lifecycle.tick(scheduler.nanoTime()));
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel();
        timer = null;
        timerDeadline = NEVER;
    }
}
