package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyQueueTest {

    @TempDir
    Path dir;

    private final ScriptRunner runner = new ScriptRunner();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        runner.close();
    }

    /** A script that hangs (sleeps an hour) for the event {@code hang} and records every other event's arguments. */
    private Path script() throws Exception {
        Path s = dir.resolve("notify.sh");
        Files.writeString(s, """
                #!/bin/sh
                if [ "$1" = hang ]; then echo "$$" > "%1$s/hung.pid"; exec sleep 3600; fi
                printf '%%s|%%s|%%s|%%s\\n' "$1" "$2" "$3" "$VIGIL_EVENT_SEQ" >> "%1$s/seen"
                """.formatted(dir));
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private List<String> seen() throws Exception {
        Path f = dir.resolve("seen");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    @Test
    void aHungScriptIsKilledAfterItsTimeoutAndDoesNotHoldUpTheNextOne() throws Exception {
        Duration timeout = Duration.ofSeconds(3);
        try (NotifyQueue q = new NotifyQueue(runner, List.of(script().toString()), timeout, 4, 100, log::add)) {
            long t0 = System.nanoTime();
            q.submit(List.of("hang", "nodeb", "never returns"), Map.of());
            q.submit(List.of("node_dead", "nodeb", "node nodeb: is dead"), Map.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            long nextRanAfter = System.nanoTime() - t0;
            // the second event's script ran while the first one still hung (well before its timeout)
            assertThat(seen()).containsExactly("node_dead|nodeb|node nodeb: is dead|2");
            assertThat(TimeUnit.NANOSECONDS.toMillis(nextRanAfter)).isLessThan(timeout.toMillis() - 500);
            // the two runs start in parallel: the hung one may not have written its pid yet
            while (!Files.exists(dir.resolve("hung.pid")) && System.nanoTime() < deadline) Thread.sleep(10);
            String pidText = "";
            while (pidText.isEmpty() && System.nanoTime() < deadline) {
                pidText = Files.readString(dir.resolve("hung.pid")).strip();
                if (pidText.isEmpty()) Thread.sleep(10);
            }
            long pid = Long.parseLong(pidText);
            assertThat(alive(pid)).isTrue();
            // the second run has written its line; its exit may take a moment to be reported
            while (q.running() > 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(q.running()).isEqualTo(1);

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (q.running() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            long endedAfter = System.nanoTime() - t0;
            assertThat(q.running()).isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(endedAfter)).isBetween(timeout.toMillis(), timeout.toMillis() + 5000);
            assertThat(q.timedOut()).isEqualTo(1);
            while (alive(pid) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(alive(pid)).as("the hung script's process is gone").isFalse();
        }
        assertThat(log).singleElement().asString().contains("killed after 3000 ms").contains("hang nodeb never returns");
    }

    @Test
    void whenEverySlotHangsEventsWaitInABoundedQueueAndTheOldestIsDropped() throws Exception {
        try (NotifyQueue q = new NotifyQueue(runner, List.of(script().toString()), Duration.ofSeconds(2), 1, 2, log::add)) {
            q.submit(List.of("hang", "a", "x"), Map.of());
            for (int i = 1; i <= 4; i++) q.submit(List.of("link_dead", "nodeb:eth" + i, "Link nodeb:eth" + i + " dead."), Map.of());
            assertThat(q.running()).isEqualTo(1);
            assertThat(q.waiting()).isEqualTo(2);
            assertThat(q.dropped()).isEqualTo(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (seen().size() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            // the two newest ran once the hung one was killed; sequence numbers tell their order
            assertThat(seen()).containsExactly("link_dead|nodeb:eth3|Link nodeb:eth3 dead.|4", "link_dead|nodeb:eth4|Link nodeb:eth4 dead.|5");
        }
        assertThat(log).filteredOn(l -> l.startsWith("notify queue full")).hasSize(2);
    }
}
