package dev.vigil.transport.pcap;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a polled {@link PcapLink} on a Netty epoll event loop: the loop's own {@code epoll_wait}
 * watches the capture's file descriptor, and frames are handed to {@code receiver} on the loop, in
 * order, with no thread in between.
 *
 * <p>At most {@link #MAX_PER_WAKEUP} frames are read per readiness event; the registration is
 * level-triggered, so the rest come on the loop's next turn, after its timers: a flood of frames
 * cannot hold a master's advert timer back longer than that many frames take.
 *
 * <p><b>Batching.</b> With a hold-off, a reader woken again less than the hold-off after its last
 * wake-up stops watching the descriptor and reads the ring on a timer every hold-off instead, until
 * a read finds it empty (the scheme of Linux's NAPI: interrupts while quiet, polling while busy). A
 * VRRP backup of 255 keepalived masters at 0.1 s was woken ~700 times a second for ~2 550 frames,
 * and each wake-up cost it about as much as all the Java that handled the frames
 * (docs/benchmarks.md, VRRP profiling). A frame then waits up to the hold-off before it is handled,
 * so the receiver gets the kernel's capture time with it ({@link PcapLink#currentFrameNanos}), and
 * whoever acts on a timer first calls {@link #readPending}: a frame that arrived before the timer is
 * always seen before it, as it is without batching.
 *
 * <p><b>Quiet reading.</b> Told {@link #setQuiet quiet} (every VRRP instance on the link is a
 * backup), the reader stops watching the ring at all: frames wait in it and are read when the owner
 * asks ({@link #readPending}, which every timer of the owner calls first), when a {@link PcapDoorbell}
 * rings (a frame that must not wait, such as a priority-0 advert), and at the latest after
 * {@code longestUnreadNanos}, which keeps the ring from filling. A backup does not need to see an
 * advert when it comes, only before its Master_Down timer decides anything, and each frame keeps its
 * capture time: the decisions are the same, but a backup of one master at 0.1 s wakes about 4 times
 * a second instead of 10, and a backup of 100 about 8 instead of 10 to 40.
 */
public final class EpollFrameReader implements AutoCloseable {
    public static final int MAX_PER_WAKEUP = 256;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EpollFrameReader.class);

    /** Receives one frame with its capture time on the {@link System#nanoTime} axis. */
    @FunctionalInterface
    public interface Receiver {
        void frame(byte[] frame, long capturedAtNanos);

        /** Before each read of the ring: the frames until {@link #readEnds} came in one read. */
        default void readBegins() {
        }

        /** After each read of the ring, also one that found nothing or failed. */
        default void readEnds() {
        }
    }

    private final Handle handle;

    private EpollFrameReader(Handle handle) {
        this.handle = handle;
    }

    /**
     * Registers {@code link} with {@code loop} when it is an epoll loop; empty otherwise (the JDK
     * selector cannot watch a foreign descriptor: the caller keeps a receive thread). Call it off the
     * loop: it waits for the loop to take the registration.
     *
     * @param holdOffNanos 0 for no batching; else the longest a frame may wait to be read while
     *                     frames come closer together than this
     * @throws IllegalStateException when the loop refuses the registration
     */
    public static Optional<EpollFrameReader> attach(EventLoop loop, PcapLink link, long holdOffNanos, Receiver receiver) {
        return attach(loop, link, holdOffNanos, null, 0, receiver);
    }

    /**
     * As {@link #attach(EventLoop, PcapLink, long, Receiver)}, able to read quietly: {@code doorbell}
     * (may be null: nothing then cuts a quiet wait short) is watched always, and a quiet reader
     * reads at least every {@code longestUnreadNanos}.
     */
    public static Optional<EpollFrameReader> attach(EventLoop loop, PcapLink link, long holdOffNanos, PcapDoorbell doorbell,
                                                    long longestUnreadNanos, Receiver receiver) {
        if (!(loop instanceof IoEventLoop io) || !io.isCompatible(Handle.class)) return Optional.empty();
        if (holdOffNanos < 0) throw new IllegalArgumentException("negative hold-off");
        if (longestUnreadNanos < 0) throw new IllegalArgumentException("negative longest unread time");
        Handle handle = new Handle(loop, new FileDescriptor(link.selectableFd()), link, holdOffNanos, longestUnreadNanos, receiver);
        handle.registration = register(io, handle, link.device());
        if (doorbell != null) {
            // the doorbell's frames are thrown away; the ringing frame is in the ring too, behind
            // everything that came before it
            Readable bell = new Readable(new FileDescriptor(doorbell.selectableFd()), () -> {
                if (handle.closed) return;
                doorbell.clear();
                handle.readWaiting();
            });
            try {
                bell.registration = register(io, bell, doorbell.interfaceName() + "'s doorbell");
            } catch (IllegalStateException e) {
                handle.registration.cancel();
                throw e;
            }
            handle.bell = bell;
        }
        return Optional.of(new EpollFrameReader(handle));
    }

    /**
     * Watches a descriptor of someone else's ({@link KernelAdvertWatch#wakeFd}) on {@code loop}:
     * {@code onReadable} runs on the loop while it is readable (level-triggered, so it must read
     * what made it so). Empty when the loop is not epoll. Call it off the loop; close the result on
     * the loop.
     */
    public static Optional<AutoCloseable> watchReadable(EventLoop loop, int fd, String what, Runnable onReadable) {
        if (!(loop instanceof IoEventLoop io) || !io.isCompatible(Handle.class)) return Optional.empty();
        Readable r = new Readable(new FileDescriptor(fd), onReadable);
        r.registration = register(io, r, what);
        return Optional.of(r);
    }

    /** A descriptor the loop watches for someone else (the doorbell's, an advert watch's). */
    private static final class Readable implements EpollIoHandle, AutoCloseable {
        private final FileDescriptor fd;
        private final Runnable onReadable;
        private volatile IoRegistration registration;
        private volatile boolean closed;

        Readable(FileDescriptor fd, Runnable onReadable) {
            this.fd = fd;
            this.onReadable = onReadable;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (!closed) onReadable.run();
        }

        @Override
        public void close() {
            // unregisters only: the descriptor is its owner's
            closed = true;
            IoRegistration r = registration;
            if (r != null) r.cancel();
        }
    }

    private static IoRegistration register(IoEventLoop io, EpollIoHandle h, String what) {
        CompletableFuture<IoRegistration> done = new CompletableFuture<>();
        io.register(h).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            IoRegistration r = (IoRegistration) f.getNow();
            r.submit(EpollIoOps.EPOLLIN); // level-triggered: no EPOLLET
            done.complete(r);
        });
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering " + what + " with the event loop", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot register " + what + " with the event loop: " + e, e);
        }
    }

    /**
     * On the loop: hands over the frames already captured but not yet read because the reader is
     * batching (none otherwise: then the loop reads them before it runs its timers).
     */
    public void readPending() {
        handle.readWaiting();
    }

    /** Whether the reader is batching now (it reads on its timer, not on readiness). */
    public boolean batching() {
        return handle.polling;
    }

    /**
     * On the loop: {@code true} stops watching the ring (frames wait for {@link #readPending}, the
     * doorbell or the longest unread time), {@code false} watches it again (what waits is read on
     * the loop's next turn). Ignored when the reader was attached without a longest unread time.
     */
    public void setQuiet(boolean quiet) {
        handle.setQuiet(quiet);
    }

    /** Whether the reader leaves the ring unread now. */
    public boolean quiet() {
        return handle.quiet;
    }

    /**
     * Stops watching and reading; the link (and the doorbell) are closed by their owner afterwards.
     * Call it on the loop (or with the loop stopped): a read already running on the loop when
     * another thread closes the capture would touch the freed ring.
     */
    @Override
    public void close() {
        handle.closed = true;
        IoRegistration r = handle.registration;
        if (r != null) r.cancel();
        Readable b = handle.bell;
        if (b != null) b.close();
    }

    private static final class Handle implements EpollIoHandle {
        private static final EpollIoOps NONE = EpollIoOps.valueOf(0);

        private final EventLoop loop;
        private final FileDescriptor fd;
        private final PcapLink link;
        private final long holdOffNanos;
        private final long longestUnreadNanos;
        /** The receiver, given each frame with its capture time. */
        private final Consumer<byte[]> deliver;
        private final Receiver receiver;
        private final Runnable pollTask = this::poll;
        private final Runnable quietReadTask = this::quietRead;
        private volatile IoRegistration registration;
        private volatile Readable bell;
        /** Only the loop thread reads and writes these (volatile for close() and the getters). */
        private volatile boolean polling;
        private volatile boolean quiet;
        private volatile boolean closed;
        private boolean quietReadScheduled;
        private boolean gaveUpQuiet;
        private long dropsBeforeQuiet;
        private long lastWakeNanos = Long.MIN_VALUE / 2;
        private long lastReadNanos;

        Handle(EventLoop loop, FileDescriptor fd, PcapLink link, long holdOffNanos, long longestUnreadNanos, Receiver receiver) {
            this.loop = loop;
            this.fd = fd;
            this.link = link;
            this.holdOffNanos = holdOffNanos;
            this.longestUnreadNanos = longestUnreadNanos;
            this.receiver = receiver;
            this.deliver = frame -> receiver.frame(frame, link.currentFrameNanos());
        }

        void setQuiet(boolean q) {
            IoRegistration r = registration;
            if (closed || longestUnreadNanos == 0 || q == quiet || r == null || !r.isValid()) return;
            if (q && gaveUpQuiet) return;
            quiet = q;
            if (q) {
                if (!polling) r.submit(NONE);
                lastReadNanos = System.nanoTime();
                dropsBeforeQuiet = link.receiveDrops();
                scheduleQuietRead(longestUnreadNanos);
            } else if (!polling) {
                // level-triggered: what waits is read on the loop's next turn, not inside the caller
                // (a state change of the owner's, which the frames would re-enter)
                lastWakeNanos = System.nanoTime();
                r.submit(EpollIoOps.EPOLLIN);
            }
        }

        private void scheduleQuietRead(long delayNanos) {
            if (quietReadScheduled) return;
            quietReadScheduled = true;
            loop.schedule(quietReadTask, delayNanos, TimeUnit.NANOSECONDS);
        }

        /** The longest unread time's read; it comes due again from the latest read of any kind. */
        private void quietRead() {
            quietReadScheduled = false;
            if (closed || !quiet) return;
            long wait = lastReadNanos + longestUnreadNanos - System.nanoTime();
            if (wait <= 0) {
                readAll();
                wait = longestUnreadNanos;
            }
            long drops = link.receiveDrops();
            if (drops < 0 || dropsBeforeQuiet < 0 || drops > dropsBeforeQuiet) {
                // more frames than the longest unread time was sized for (an ARP storm, VRIDs of other
                // routers): a dropped advert could end a backup's wait, so this link reads on readiness
                gaveUpQuiet = true;
                if (drops < 0 || dropsBeforeQuiet < 0) {
                    log.warn("{}: libpcap cannot say whether the receive ring overflows; reading every frame as it comes", link.device());
                } else {
                    log.warn("{}: the receive ring overflowed while read quietly ({} frames dropped); reading every frame as it comes from now on",
                            link.device(), drops - dropsBeforeQuiet);
                }
                setQuiet(false);
                return;
            }
            scheduleQuietRead(wait);
        }

        /** What waits unread because the reader is batching or quiet (nothing to do otherwise: readiness reads it). */
        void readWaiting() {
            if (polling || quiet) readAll();
        }

        /**
         * Everything waiting, in order: a timer about to act must see every frame captured before it.
         * Bounded (the ring holds a few thousand frames) so that a flood arriving as fast as it is read
         * cannot hold the loop; what is left then waits for the next read.
         */
        void readAll() {
            for (int i = 0; i < 16; i++) {
                if (read() < MAX_PER_WAKEUP) return;
            }
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (closed) return;
            long now = System.nanoTime();
            boolean busy = holdOffNanos > 0 && now - lastWakeNanos < holdOffNanos;
            lastWakeNanos = now;
            int n = read();
            if (busy && n < MAX_PER_WAKEUP && !polling && !quiet) {
                polling = true;
                registration.submit(NONE);
                loop.schedule(pollTask, holdOffNanos, TimeUnit.NANOSECONDS);
            }
        }

        int read() {
            if (closed) return 0; // after close() on the loop nothing reads: the ring may be freed next
            lastReadNanos = System.nanoTime();
            receiver.readBegins();
            try {
                return link.drain(MAX_PER_WAKEUP, deliver);
            } finally {
                receiver.readEnds();
            }
        }

        private void poll() {
            if (closed || !polling) return;
            IoRegistration r = registration;
            int n = read();
            if (quiet) {
                // gone quiet meanwhile: the quiet reads take over (a steady stream would otherwise
                // keep this poll going every hold-off for ever)
                polling = false;
                return;
            }
            if (n == MAX_PER_WAKEUP && r != null) {
                loop.execute(pollTask); // a flood: read on, after whatever else is queued, as readiness would
                return;
            }
            if (n > 0 && r != null) {
                loop.schedule(pollTask, holdOffNanos, TimeUnit.NANOSECONDS);
                return;
            }
            // quiet again: back to readiness, which fires at once if a frame came after the read
            // (a quiet reader stays off it: its own read and the owner's timers take over)
            polling = false;
            lastWakeNanos = System.nanoTime();
            if (!quiet && r != null && r.isValid()) r.submit(EpollIoOps.EPOLLIN);
        }

        @Override
        public void close() {
            // the descriptor is libpcap's: pcap_close releases it when the link closes
        }
    }
}
