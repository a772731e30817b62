package dev.vigil.action;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one notify script per event, never on the caller's thread and never one behind another:
 * up to {@code maxRunning} runs at once (keepalived forks its notify scripts and does not wait
 * either), each killed with its process group after {@code timeout}. So a script that hangs holds
 * one slot until its timeout and the next event's run starts at once in another slot. Only when
 * every slot is taken do events wait, in a bounded queue whose oldest entry is dropped (and logged)
 * when full, as the mail queue does.
 *
 * <p>Because runs overlap, they may finish out of order; each run gets {@code VIGIL_EVENT_SEQ}
 * (1, 2, ... in event order) so a script can tell.
 */
public final class NotifyQueue implements AutoCloseable {

    /** Slots: enough that a couple of hung scripts never delay the next event. */
    public static final int DEFAULT_MAX_RUNNING = 4;
    public static final int DEFAULT_QUEUE_CAPACITY = 100;

    private final ScriptRunner runner;
    private final List<String> command;
    private final Duration timeout;
    private final int maxRunning;
    private final int capacity;
    private final Consumer<String> log;
    private final Deque<ScriptInvocation> waiting = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private int running;
    private boolean closed;
    private final List<CompletableFuture<ScriptResult>> inFlight = new ArrayList<>();

    /**
     * @param command the script (and any prefix that switches user, e.g. {@code setpriv ... --}); the
     *                event's arguments are appended
     * @param log     one line per failed, killed or dropped run
     */
    public NotifyQueue(ScriptRunner runner, List<String> command, Duration timeout, int maxRunning, int capacity,
                       Consumer<String> log) {
        this.runner = Objects.requireNonNull(runner);
        this.command = List.copyOf(command);
        this.timeout = Objects.requireNonNull(timeout);
        if (maxRunning < 1 || capacity < 1) throw new IllegalArgumentException("slots and capacity must be positive");
        this.maxRunning = maxRunning;
        this.capacity = capacity;
        this.log = Objects.requireNonNull(log);
    }

    /** Starts (or queues) {@code command args...}; returns at once. */
    public void submit(List<String> args, Map<String, String> environment) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("VIGIL_EVENT_SEQ", Long.toString(sequence.incrementAndGet()));
        ScriptInvocation inv = new ScriptInvocation(argv, env, null, timeout, Duration.ofSeconds(2), 20);
        synchronized (this) {
            if (closed) return;
            if (running < maxRunning) {
                start(inv);
                return;
            }
            if (waiting.size() >= capacity) {
                ScriptInvocation old = waiting.removeFirst();
                dropped.incrementAndGet();
                log.accept("notify queue full (" + capacity + " waiting, " + maxRunning + " running): dropped "
                        + String.join(" ", old.command().subList(command.size(), old.command().size())));
            }
            waiting.addLast(inv);
        }
    }

    /** Called with the lock held. */
    private void start(ScriptInvocation inv) {
        running++;
        CompletableFuture<ScriptResult> f = runner.run(inv);
        inFlight.add(f);
        f.whenComplete((r, e) -> done(inv, f, r));
    }

    private void done(ScriptInvocation inv, CompletableFuture<ScriptResult> f, ScriptResult r) {
        finished.incrementAndGet();
        if (r != null && !r.succeeded()) {
            String what = String.join(" ", inv.command().subList(command.size(), inv.command().size()));
            String script = command.get(command.size() - 1);
            if (r.timedOut()) {
                timedOut.incrementAndGet();
                log.accept("notify script " + script + " (" + what + ") killed after " + timeout.toMillis() + " ms");
            } else if (r.startError() != null) {
                log.accept("notify script " + script + " could not start: " + r.startError());
            } else {
                log.accept("notify script " + script + " (" + what + ") exited " + r.exitCode());
            }
        }
        synchronized (this) {
            running--;
            inFlight.remove(f);
            if (!closed && !waiting.isEmpty()) start(waiting.removeFirst());
        }
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public long dropped() {
        return dropped.get();
    }

    public long timedOut() {
        return timedOut.get();
    }

    public long finished() {
        return finished.get();
    }

    /** Waits (blocking; off the event loop) for the runs started so far, at most {@code max}. */
    public void awaitRunning(Duration max) {
        CompletableFuture<?>[] now;
        synchronized (this) {
            now = inFlight.toArray(CompletableFuture[]::new);
        }
        try {
            CompletableFuture.allOf(now).get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still running at exit: their timeouts end them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queued runs are dropped; running ones finish or are killed at their timeout. */
    @Override
    public synchronized void close() {
        closed = true;
        waiting.clear();
    }
}
