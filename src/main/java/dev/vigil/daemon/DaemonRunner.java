package dev.vigil.daemon;

import dev.vigil.action.ScriptRunner;
import dev.vigil.console.ControlServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ModeDaemon} as a process: Vert.x with the blocked-thread checker tightened to
 * 50 ms (the event loop must never stall a failover), a private state directory, the control
 * endpoint, and a clean leave on SIGTERM/SIGINT.
 *
 * <p>The checker looks every 10 s by default, so every block of 10.05 s or more is reported and
 * shorter ones over 50 ms when a look falls inside them. Each look is a wake-up of the checker's
 * timer thread that cost ~115 µs of CPU here (450-750 µs on a slower day), as much as the event loop
 * spends on a whole advert: at 200 ms it was a quarter of a one-instance VRRP backup's CPU, and once a
 * second (Vert.x's own default, Vigil's until session 12) as much as a backup whose Master_Down the
 * kernel times wakes for everything else (docs/benchmarks.md, VRRP profiling, sessions 9 and 12).
 * {@code -Dvigil.blockedLoopCheckMillis=N} looks every N ms (the
 * namespace tests and the fault campaign run with 200). Stalls that move a protocol timer are
 * reported by the protocols themselves (VRRP's "timer fired N ms late", heartbeat's late-heartbeat
 * warnings), however short the checker's look.
 */
public final class DaemonRunner {
    private static final Logger log = LoggerFactory.getLogger(DaemonRunner.class);

    /** How often Vert.x's checker looks at the event loop, ms; the threshold stays 50 ms. */
    static final long BLOCKED_LOOP_CHECK_MILLIS = Math.max(10, Long.getLong("vigil.blockedLoopCheckMillis", 10_000));

    private DaemonRunner() {
    }

    /**
     * Netty's I/O loop, with no task scheduled, wakes once a second to look for one
     * ({@code SingleThreadEventExecutor}'s purge interval as its epoll timeout). Vert.x's acceptor
     * loop (the control endpoint's listening socket) has none, so it woke for nothing once a second:
     * a tenth of an idle one-instance backup's CPU. A task an hour away makes the loop sleep until
     * it or a connection comes; accepting is unchanged (readiness wakes the loop).
     */
    static void keepAcceptorAsleep(Vertx vertx) {
        for (var loop : ((io.vertx.core.internal.VertxInternal) vertx).acceptorEventLoopGroup()) {
            loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        }
    }

    /** Blocks until the daemon has stopped; returns the process exit code. */
    public static int run(ModeDaemon mode, DaemonOptions options) {
        Path state = options.stateDir();
        try {
            Files.createDirectories(state);
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("vigil: cannot use state directory " + state + ": " + e.getMessage());
            return 1;
        }
        String token;
        try {
            token = ControlServer.loadOrCreateToken(state.resolve("control.token"));
        } catch (IOException e) {
            System.err.println("vigil: " + e.getMessage());
            return 1;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setPreferNativeTransport(mode.prefersNativeTransport())
                .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(BLOCKED_LOOP_CHECK_MILLIS).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        keepAcceptorAsleep(vertx);
        Context ctx = vertx.getOrCreateContext();
        ScriptRunner scripts = new ScriptRunner();
        DaemonContext dc = new DaemonContext(vertx, ctx, new VertxScheduler(ctx), state, scripts, options);
        CountDownLatch stopped = new CountDownLatch(1);
        int[] exit = {0};
        ControlServer[] server = new ControlServer[1];

        ctx.runOnContext(v -> mode.start(dc)
                .compose(x -> ControlServer.start(vertx, mode.api(), options.consoleHost(), options.consolePort(), token,
                        options.webRoot()))
                .onSuccess(s -> {
                    server[0] = s;
                    writeEndpoint(state, options.consoleHost(), s.port(), mode.mode());
                    log.info("{} mode running; control endpoint http://{}:{}/ (event loop on {})", mode.mode(), options.consoleHost(),
                            s.port(), vertx.isNativeTransportEnabled() ? "native epoll" : "the JDK selector");
                })
                .onFailure(e -> {
                    System.err.println("vigil: " + e.getMessage());
                    exit[0] = 1;
                    stopped.countDown();
                }));

        Thread hook = new Thread(() -> {
            CountDownLatch left = new CountDownLatch(1);
            ctx.runOnContext(v -> mode.stop().onComplete(r -> {
                if (r.failed()) log.warn("leaving the cluster: {}", r.cause().getMessage());
                left.countDown();
            }));
            try {
                if (!left.await(30, TimeUnit.SECONDS)) log.warn("clean stop took over 30 s; exiting anyway");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (server[0] != null) server[0].close();
            scripts.close();
            vertx.close();
            stopped.countDown();
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exit[0] != 0) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            scripts.close();
            vertx.close();
        }
        return exit[0];
    }

    private static void writeEndpoint(Path state, String host, int port, String mode) {
        JsonObject j = new JsonObject().put("host", host).put("port", port).put("mode", mode)
                .put("pid", ProcessHandle.current().pid());
        try {
            Path tmp = Files.createTempFile(state, "control", ".tmp");
            Files.writeString(tmp, j.encodePrettily());
            Files.move(tmp, state.resolve("control.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", state.resolve("control.json"), e.getMessage());
        }
    }
}
