package dev.vigil.core;

/**
 * Time as the protocol code sees it. The daemon backs it with Vert.x timers on the event loop; the
 * deterministic simulation backs it with a virtual clock. The glue that drives the pure state
 * machines takes one of these, so the console's lab and the fault campaign run the very code the
 * daemon runs.
 *
 * <p>All callbacks run on one thread (the event loop, or the simulation's loop), never
 * concurrently, so the code they call needs no locking.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds. Only differences are meaningful. */
    long nanoTime();

    /** Runs {@code task} once, {@code delayNanos} from now (0 or less: as soon as possible, after the current task). */
    Timer schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on this scheduler's thread as soon as possible (e.g. results from worker threads). */
    default void execute(Runnable task) {
        schedule(0, task);
    }

    /** A pending {@link #schedule} call. */
    interface Timer {
        /** Stops the task from running; no effect once it has run. */
        void cancel();
    }
}
