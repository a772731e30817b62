package dev.vigil.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertxSchedulerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void timerNeverFiresEarlyAndRunsOnTheContext() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        VertxScheduler s = new VertxScheduler(ctx);
        CompletableFuture<long[]> fired = new CompletableFuture<>();
        long delay = TimeUnit.MILLISECONDS.toNanos(7) + 300_000; // 7.3 ms: not a whole millisecond
        ctx.runOnContext(v -> {
            long t0 = s.nanoTime();
            s.schedule(delay, () -> fired.complete(new long[] {s.nanoTime() - t0, Vertx.currentContext() == ctx ? 1 : 0}));
        });
        long[] r = fired.get(5, TimeUnit.SECONDS);
        assertThat(r[0]).isGreaterThanOrEqualTo(delay);
        assertThat(r[1]).as("ran on the scheduler's context").isEqualTo(1);
    }

    @Test
    void cancelledTimerDoesNotRun() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        VertxScheduler s = new VertxScheduler(ctx);
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Void> later = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            s.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> ran.set(true)).cancel();
            s.schedule(TimeUnit.MILLISECONDS.toNanos(60), () -> later.complete(null));
        });
        later.get(5, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
    }

    /** A timer's task runs inside the due Netty task; a task that throws must not take later timers down. */
    @Test
    void aTimerThatThrowsIsReportedToTheContextAndLaterTimersStillRun() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        ctx.exceptionHandler(reported::complete);
        VertxScheduler s = new VertxScheduler(ctx);
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            s.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> {
                throw new IllegalStateException("boom");
            });
            s.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> later.complete(Vertx.currentContext() == ctx));
        });
        assertThat(reported.get(5, TimeUnit.SECONDS)).hasMessage("boom");
        assertThat(later.get(5, TimeUnit.SECONDS)).as("the later timer ran, on the context").isTrue();
    }
}
