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
 */
public final class EpollFrameReader implements AutoCloseable {
    public static final int MAX_PER_WAKEUP = 256;

    /** Receives one frame with its capture time on the {@link System#nanoTime} axis. */
    @FunctionalInterface
    public interface Receiver {
        void frame(byte[] frame, long capturedAtNanos);
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
        if (!(loop instanceof IoEventLoop io) || !io.isCompatible(Handle.class)) return Optional.empty();
        if (holdOffNanos < 0) throw new IllegalArgumentException("negative hold-off");
        Handle handle = new Handle(loop, new FileDescriptor(link.selectableFd()), link, holdOffNanos, receiver);
        CompletableFuture<IoRegistration> done = new CompletableFuture<>();
        io.register(handle).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            IoRegistration r = (IoRegistration) f.getNow();
            handle.registration = r;
            r.submit(EpollIoOps.EPOLLIN); // level-triggered: no EPOLLET
            done.complete(r);
        });
        try {
            done.get(10, TimeUnit.SECONDS);
            return Optional.of(new EpollFrameReader(handle));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering " + link.device() + " with the event loop", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot register " + link.device() + " with the event loop: " + e, e);
        }
    }

    /**
     * On the loop: hands over the frames already captured but not yet read because the reader is
     * batching (none otherwise: then the loop reads them before it runs its timers).
     */
    public void readPending() {
        if (handle.polling) handle.read();
    }

    /** Whether the reader is batching now (it reads on its timer, not on readiness). */
    public boolean batching() {
        return handle.polling;
    }

    /** Stops watching; the link itself is closed by its owner afterwards. */
    @Override
    public void close() {
        handle.closed = true;
        IoRegistration r = handle.registration;
        if (r != null) r.cancel();
    }

    private static final class Handle implements EpollIoHandle {
        private static final EpollIoOps NONE = EpollIoOps.valueOf(0);

        private final EventLoop loop;
        private final FileDescriptor fd;
        private final PcapLink link;
        private final long holdOffNanos;
        /** The receiver, given each frame with its capture time. */
        private final Consumer<byte[]> deliver;
        private final Runnable pollTask = this::poll;
        private volatile IoRegistration registration;
        /** Only the loop thread reads and writes these (volatile for close() and the getters). */
        private volatile boolean polling;
        private volatile boolean closed;
        private long lastWakeNanos = Long.MIN_VALUE / 2;

        Handle(EventLoop loop, FileDescriptor fd, PcapLink link, long holdOffNanos, Receiver receiver) {
            this.loop = loop;
            this.fd = fd;
            this.link = link;
            this.holdOffNanos = holdOffNanos;
            this.deliver = frame -> receiver.frame(frame, link.currentFrameNanos());
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
            if (busy && n < MAX_PER_WAKEUP && !polling) {
                polling = true;
                registration.submit(NONE);
                loop.schedule(pollTask, holdOffNanos, TimeUnit.NANOSECONDS);
            }
        }

        int read() {
            return link.drain(MAX_PER_WAKEUP, deliver);
        }

        private void poll() {
            if (closed || !polling) return;
            IoRegistration r = registration;
            int n = read();
            if (n == MAX_PER_WAKEUP && r != null) {
                loop.execute(pollTask); // a flood: read on, after whatever else is queued, as readiness would
                return;
            }
            if (n > 0 && r != null) {
                loop.schedule(pollTask, holdOffNanos, TimeUnit.NANOSECONDS);
                return;
            }
            // quiet again: back to readiness, which fires at once if a frame came after the read
            polling = false;
            lastWakeNanos = System.nanoTime();
            if (r != null && r.isValid()) r.submit(EpollIoOps.EPOLLIN);
        }

        @Override
        public void close() {
            // the descriptor is libpcap's: pcap_close releases it when the link closes
        }
    }
}
