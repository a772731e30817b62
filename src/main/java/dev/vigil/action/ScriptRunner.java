package dev.vigil.action;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.io.BufferedReader;

/**
 * Runs resource, notify and track scripts without ever blocking the caller: fork/exec happens on a
 * small pool of its own, completion comes from {@link Process#onExit()} (no thread waits per
 * script), and the timeout is a scheduled task that ends the whole process group.
 *
 * <p>Output goes to a temporary file, not a pipe: a {@code start} that leaves a daemon behind would
 * keep a pipe open forever and a reader would never see end-of-file (research java-stack.md,
 * gotcha 9). Only the last {@link ScriptInvocation#maxOutputLines()} lines are kept.
 */
public final class ScriptRunner implements AutoCloseable {

    /** A minimal, predictable environment: scripts must not depend on how the daemon was started. */
    private static final Map<String, String> BASE_ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG", "C",
            "LC_ALL", "C");

    private final ExecutorService spawner;
    private final ScheduledExecutorService timers;
    private final Path outputDir;

    public ScriptRunner() {
        this(null);
    }

    /** @param outputDir where output files are kept while a script runs; null for the system temp dir */
    public ScriptRunner(Path outputDir) {
        this.outputDir = outputDir;
        this.spawner = Executors.newFixedThreadPool(2, daemonThreads("vigil-script-spawn"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("vigil-script-timeout"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the script; the future completes (never exceptionally) when it has ended or been killed. */
    public CompletableFuture<ScriptResult> run(ScriptInvocation inv) {
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        spawner.execute(() -> start(inv, result));
        return result;
    }

    private void start(ScriptInvocation inv, CompletableFuture<ScriptResult> result) {
        long started = System.nanoTime();
        Path out;
        try {
            out = outputDir == null ? Files.createTempFile("vigil-script-", ".out")
                    : Files.createTempFile(outputDir, "vigil-script-", ".out");
        } catch (IOException e) {
            result.complete(ScriptResult.notStarted("cannot create output file: " + e.getMessage()));
            return;
        }
        List<String> argv = new ArrayList<>(inv.command().size() + 2);
        argv.add("setsid");
        argv.add("--");
        argv.addAll(inv.command());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(BASE_ENV);
        pb.environment().putAll(inv.environment());
        pb.directory(inv.workingDir() == null ? new File("/") : inv.workingDir().toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteQuietly(out);
            result.complete(ScriptResult.notStarted("cannot start " + inv.command().get(0) + ": " + e.getMessage()));
            return;
        }
        long pgid = p.pid();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = timers.schedule(() -> {
            timedOut.set(true);
            signalQuietly(pgid, ProcessGroups.SIGTERM);
            timers.schedule(() -> signalQuietly(pgid, ProcessGroups.SIGKILL),
                    inv.killGrace().toMillis(), TimeUnit.MILLISECONDS);
        }, Math.max(1, inv.timeout().toMillis()), TimeUnit.MILLISECONDS);
        p.onExit().whenComplete((proc, err) -> {
            timeout.cancel(false);
            if (timedOut.get()) {
                // The leader is gone but children may still ignore SIGTERM: make sure none survive.
                signalQuietly(pgid, ProcessGroups.SIGKILL);
            }
            List<String> lines = tail(out, inv.maxOutputLines());
            deleteQuietly(out);
            result.complete(new ScriptResult(p.exitValue(), timedOut.get(), lines,
                    Duration.ofNanos(System.nanoTime() - started), null));
        });
    }

    private static void signalQuietly(long pgid, int sig) {
        try {
            ProcessGroups.signalGroup(pgid, sig);
        } catch (RuntimeException | LinkageError e) {
            // no libc (not Linux) or the group is gone: nothing more can be done
        }
    }

    static List<String> tail(Path file, int maxLines) {
        if (maxLines <= 0) return List.of();
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (last.size() == maxLines) last.removeFirst();
                last.addLast(line.length() > 1000 ? line.substring(0, 1000) + "…" : line);
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(last);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }

    @Override
    public void close() {
        spawner.shutdownNow();
        timers.shutdownNow();
    }
}
