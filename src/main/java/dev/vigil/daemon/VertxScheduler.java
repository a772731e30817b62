package dev.vigil.daemon;

import dev.vigil.core.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * {@link Scheduler} on one Vert.x context: every task runs on that context's event-loop thread, so
 * the protocol code it drives is single-threaded exactly as in the simulation.
 */
public final class VertxScheduler implements Scheduler {
    private final Vertx vertx;
    private final Context context;

    public VertxScheduler(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.context = context;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        PendingTimer t = new PendingTimer(task);
        if (delayNanos <= 0) {
            context.runOnContext(v -> t.fire());
            return t;
        }
        // Vert.x timers have millisecond resolution; round up so a timer never fires early
        // (firing a Master_Down timer early would be a protocol violation, late by <1 ms is not).
        long ms = Math.max(1, (delayNanos + 999_999) / 1_000_000);
        if (Vertx.currentContext() == context) {
            t.id = vertx.setTimer(ms, id -> t.fire());
        } else {
            // vertx.setTimer binds the timer to the caller's context: hop onto ours first.
            context.runOnContext(v -> {
                if (!t.cancelled) t.id = vertx.setTimer(ms, id -> t.fire());
            });
        }
        return t;
    }

    private final class PendingTimer implements Timer {
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile long id = -1;

        PendingTimer(Runnable task) {
            this.task = task;
        }

        void fire() {
            if (!cancelled) task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            long i = id;
            if (i >= 0) vertx.cancelTimer(i);
        }
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }
}
