package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {
    private static ScriptRunner runner;

    @BeforeAll
    static void start() {
        runner = new ScriptRunner();
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    private static ScriptResult run(ScriptInvocation inv) throws Exception {
        return runner.run(inv).get(20, TimeUnit.SECONDS);
    }

    @Test
    void exitCodeAndOutputAreReported() throws Exception {
        ScriptResult r = run(ScriptInvocation.of(Duration.ofSeconds(5), "sh", "-c", "echo one; echo two >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.output()).containsExactly("one", "two");
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    void onlyTheLastLinesAreKept() throws Exception {
        ScriptInvocation inv = new ScriptInvocation(java.util.List.of("seq", "1", "500"), Map.of(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(1), 3);
        assertThat(run(inv).output()).containsExactly("498", "499", "500");
    }

    @Test
    void environmentIsMinimalPlusWhatWasGiven() throws Exception {
        ScriptResult r = run(ScriptInvocation.of(Duration.ofSeconds(5), "sh", "-c", "echo $HA_CURHOST:$HOME:$LANG")
                .withEnvironment(Map.of("HA_CURHOST", "nodea")));
        assertThat(r.output()).containsExactly("nodea::C");
    }

    @Test
    void argumentsAreNotReinterpretedByAShell() throws Exception {
        ScriptResult r = run(ScriptInvocation.of(Duration.ofSeconds(5), "printf", "%s|", "a b", "$(id)", "*"));
        assertThat(r.output()).containsExactly("a b|$(id)|*|");
    }

    @Test
    void timeoutKillsTheWholeProcessGroupIncludingGrandchildren(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        // The script starts a background grandchild that ignores SIGTERM, then hangs itself.
        String script = "(trap '' TERM; sleep 300) & echo $! > " + pidFile + "; sleep 300";
        ScriptResult r = run(ScriptInvocation.of(Duration.ofMillis(300), "sh", "-c", script)
                .withKillGrace(Duration.ofMillis(300)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(128 + 15);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(5));
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false))
                .as("grandchild that ignored SIGTERM must be gone").isFalse();
    }

    @Test
    void startDaemonLeavingChildDoesNotHangCompletion() throws Exception {
        // A start script that leaves a daemon holding stdout must still complete promptly.
        ScriptResult r = run(ScriptInvocation.of(Duration.ofSeconds(10), "sh", "-c", "sleep 3 & echo started"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).containsExactly("started");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void missingScriptIsAStartErrorNotAnException() throws Exception {
        ScriptResult r = run(ScriptInvocation.of(Duration.ofSeconds(5), "/nonexistent/vigil-test-script", "start"));
        // setsid itself starts, then fails to exec: exit 127 from setsid, or a start error
        assertThat(r.succeeded()).isFalse();
        assertThat(r.startError() != null || r.exitCode() == 127 || r.exitCode() == 1).isTrue();
    }
}
