package dev.vigil.daemon;

import dev.vigil.console.ControlApi;
import io.vertx.core.Future;

/**
 * One protocol mode (heartbeat or VRRP) inside the daemon. {@link DaemonRunner} owns the process:
 * the Vert.x instance, the state directory, the control endpoint, signals; a mode owns its protocol.
 */
public interface ModeDaemon {

    /** "heartbeat" or "vrrp": also the {@code mode} field of the status JSON. */
    String mode();

    /**
     * Starts the mode on the given context (all protocol work stays on its event loop). Fails with a
     * one-line, operator-facing message when it cannot run (missing privilege, port in use, ...).
     */
    Future<Void> start(DaemonContext context);

    /** The control surface for {@code vigil status}, the console and control commands. */
    ControlApi api();

    /**
     * Leaves the cluster cleanly (VRRP: priority-0 adverts and addresses removed; heartbeat: resources
     * stopped, {@code shutdone} sent). Completes when it is safe to exit.
     */
    Future<Void> stop();

    /**
     * Whether the event loop should run on Netty's native epoll transport when it is available. With
     * the JDK's selector, every hand-over from another thread (a received frame) wakes the loop through
     * a lock both threads take ({@code EPollSelectorImpl.interruptLock}), and at 2 550 frames a second
     * that contention was a large part of a VRRP backup's CPU (docs/benchmarks.md, VRRP mode,
     * profiling). Heartbeat mode keeps the JDK selector its UDP sockets were verified with.
     */
    default boolean prefersNativeTransport() {
        return false;
    }
}
