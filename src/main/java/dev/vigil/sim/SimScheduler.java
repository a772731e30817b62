package dev.vigil.sim;

import dev.vigil.core.Scheduler;
import java.util.PriorityQueue;

/**
 * Virtual time for the deterministic simulation. Tasks run in (due time, insertion order) order,
 * so a run depends only on its inputs and seed: the same scenario always gives the same timeline,
 * and a failing seed in the fault campaign replays exactly.
 */
public final class SimScheduler implements Scheduler {

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;

    public SimScheduler() {
        this(0);
    }

    public SimScheduler(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Entry e = new Entry(now + Math.max(0, delayNanos), sequence++, task);
        queue.add(e);
        return e;
    }

    /** Runs every task due up to and including {@code untilNanos}, then sets the clock there. */
    public void runUntil(long untilNanos) {
        while (true) {
            Entry next = queue.peek();
            if (next == null || next.due > untilNanos) break;
            queue.poll();
            if (next.cancelled) continue;
            now = Math.max(now, next.due);
            executed++;
            next.task.run();
        }
        now = Math.max(now, untilNanos);
    }

    public void runFor(long nanos) {
        runUntil(now + nanos);
    }

    /**
     * Moves the clock without running anything due in between first: models a stalled process
     * (the daemon's event loop frozen by a GC pause or a SIGSTOP). The overdue tasks then run late,
     * in order, on the next {@link #runUntil}.
     */
    public void stall(long nanos) {
        now += nanos;
    }

    /** Tasks run so far; a scenario that schedules without end shows up here. */
    public long executedTasks() {
        return executed;
    }

    public int pendingTasks() {
        return (int) queue.stream().filter(e -> !e.cancelled).count();
    }

    private static final class Entry implements Comparable<Entry>, Timer {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Entry(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
