package dev.vigil.transport;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Frames handed from a receive thread (pcap) to the single thread that runs the protocol, one wake-up
 * per burst instead of one per frame.
 *
 * <p>Why: a backup of 255 keepalived instances at advert_int 0.1 receives 2 550 adverts a second.
 * Handing each over as its own event-loop task cost an eventfd write, a selector wake-up and a
 * monitor hand-off per frame, and those context switches, not the protocol code, were most of the
 * backup's CPU (perf: ~70 % of its samples in the kernel's task switching; JFR: almost no Java
 * samples). keepalived's VRRP process reads its socket in its one loop and pays one wake-up per
 * readable event. Frames arrive in bursts (instances with one configuration advertise in step),
 * so the first frame of a burst schedules a drain and the rest ride along.
 *
 * <p>Order is kept (one queue, one drainer). A drain handles at most {@link #MAX_PER_TASK} frames and
 * then re-queues itself, so a flood cannot hold the loop away from its timers longer than that many
 * frames take (the hostile-input test holds the master's advert timing to this).
 *
 * @param <T> what one arrival carries (the frame and whatever the receive thread stamped on it)
 */
public final class FrameInbox<T> {
    /** Frames handled per event-loop task before yielding to the loop's other work (timers). */
    public static final int MAX_PER_TASK = 64;

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong drains = new AtomicLong();
    private final Executor loop;
    private final Consumer<T> handler;
    private final Consumer<RuntimeException> onError;
    private final Runnable drain = this::drain;

    /**
     * @param loop    runs tasks on the protocol thread
     * @param handler called on that thread for every arrival, in order
     * @param onError told of an exception the handler let out (a bug: bad frames are counted and dropped
     *                by the handler itself); the burst goes on with the next frame
     */
    public FrameInbox(Executor loop, Consumer<T> handler, Consumer<RuntimeException> onError) {
        this.loop = Objects.requireNonNull(loop);
        this.handler = Objects.requireNonNull(handler);
        this.onError = Objects.requireNonNull(onError);
    }

    /** From the receive thread. */
    public void offer(T arrival) {
        queue.offer(arrival);
        if (scheduled.compareAndSet(false, true)) loop.execute(drain);
    }

    /** From the receive thread: a burst, with one wake-up for all of it. */
    public void offerAll(java.util.Collection<? extends T> arrivals) {
        queue.addAll(arrivals);
        if (scheduled.compareAndSet(false, true)) loop.execute(drain);
    }

    /** How many event-loop tasks have drained frames so far (frames / drains = frames per wake-up). */
    public long drains() {
        return drains.get();
    }

    private void drain() {
        drains.incrementAndGet();
        for (int n = 0; n < MAX_PER_TASK; n++) {
            T t = queue.poll();
            if (t == null) {
                scheduled.set(false);
                // a frame offered between the poll and the reset found the flag still set and did not
                // schedule: take it on (or leave it to the drain its sender scheduled after the reset)
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) return;
                continue;
            }
            try {
                handler.accept(t);
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        }
        loop.execute(drain); // still scheduled: yield to timers, then go on
    }
}
