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
 */
public final class EpollFrameReader implements AutoCloseable {
    public static final int MAX_PER_WAKEUP = 256;

    private final IoRegistration registration;

    private EpollFrameReader(IoRegistration registration) {
        this.registration = registration;
    }

    /**
     * Registers {@code link} with {@code loop} when it is an epoll loop; empty otherwise (the JDK
     * selector cannot watch a foreign descriptor: the caller keeps a receive thread). Call it off the
     * loop: it waits for the loop to take the registration.
     *
     * @throws IllegalStateException when the loop refuses the registration
     */
    public static Optional<EpollFrameReader> attach(EventLoop loop, PcapLink link, Consumer<byte[]> receiver) {
        if (!(loop instanceof IoEventLoop io) || !io.isCompatible(Handle.class)) return Optional.empty();
        Handle handle = new Handle(new FileDescriptor(link.selectableFd()), link, receiver);
        CompletableFuture<IoRegistration> done = new CompletableFuture<>();
        io.register(handle).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            IoRegistration r = (IoRegistration) f.getNow();
            r.submit(EpollIoOps.EPOLLIN); // level-triggered: no EPOLLET
            done.complete(r);
        });
        try {
            return Optional.of(new EpollFrameReader(done.get(10, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering " + link.device() + " with the event loop", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot register " + link.device() + " with the event loop: " + e, e);
        }
    }

    /** Stops watching; the link itself is closed by its owner afterwards. */
    @Override
    public void close() {
        registration.cancel();
    }

    private static final class Handle implements EpollIoHandle {
        private final FileDescriptor fd;
        private final PcapLink link;
        private final Consumer<byte[]> receiver;

        Handle(FileDescriptor fd, PcapLink link, Consumer<byte[]> receiver) {
            this.fd = fd;
            this.link = link;
            this.receiver = receiver;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            link.drain(MAX_PER_WAKEUP, receiver);
        }

        @Override
        public void close() {
            // the descriptor is libpcap's: pcap_close releases it when the link closes
        }
    }
}
