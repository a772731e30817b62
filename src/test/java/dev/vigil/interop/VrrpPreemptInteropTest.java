package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.MS;
import static dev.vigil.interop.InteropLab.masterDown;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 4: {@code nopreempt} and {@code preempt_delay} mixed across implementations
 * (keepalived.md §2.3): a higher priority with nopreempt stays BACKUP under a running master and
 * takes over when that master stops; with {@code preempt_delay 2} it takes over about 2 s plus one
 * Master_Down_Interval after its start, not before 2 s.
 */
@Tag("netns")
@Tag("interop")
class VrrpPreemptInteropTest {

    static final String VIP = "10.240.7.140";
    static final int VRID = 55;

    static String config(String id, int priority, String extra) {
        return Conf.node(id, Conf.instance("VI_1", VRID, priority, 3, "0.1", VIP, extra));
    }

    /**
     * The takeover after priority 0 must come within skew + 10 % (41 ms + 4 ms at 0.1 s): a margin one
     * scheduling hiccup of a loaded 2-core machine can eat. A systematic error fails both attempts.
     */
    private void nopreempt(Path dir, boolean vigilRunning, boolean vigilNopreempt) throws Exception {
        try {
            nopreemptOnce(java.nio.file.Files.createDirectories(dir.resolve("first")), vigilRunning, vigilNopreempt);
        } catch (AssertionError first) {
            System.out.println("nopreempt: first attempt failed, measuring once more: "
                    + first.getMessage().lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
            nopreemptOnce(java.nio.file.Files.createDirectories(dir.resolve("second")), vigilRunning, vigilNopreempt);
        }
    }

    private void nopreemptOnce(Path dir, boolean vigilRunning, boolean vigilNopreempt) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.Node running = vigilRunning ? lab.vigil("b", config("b", 100, "")).awaitReady()
                    : lab.keepalived("b", config("b", 100, ""));
            lab.awaitSoleHolder(VIP, "b", 15_000);
            InteropLab.Node joining = vigilNopreempt ? lab.vigil("a", config("a", 150, "    nopreempt")).awaitReady()
                    : lab.keepalived("a", config("a", 150, "    nopreempt"));
            // many Master_Down_Intervals: the higher priority never preempts
            Thread.sleep(3000);
            assertThat(lab.holders(VIP)).as(lab.logs()).containsExactly("b");
            assertThat(lab.speakers(VRID, System.nanoTime() - 2500 * MS, System.nanoTime()))
                    .containsOnlyKeys(InteropLab.ip(2));
            if (joining instanceof InteropLab.VigilNode v) assertThat(v.instance("VI_1").getString("state")).isEqualTo("BACKUP");

            long termAt = System.nanoTime();
            running.term();
            lab.awaitSoleHolder(VIP, "a", 5_000);
            long zero = lab.firstAdvertFrom("b", VRID, termAt).orElseThrow().atNanos();
            long first = lab.firstAdvertFrom("a", VRID, termAt).orElseThrow().atNanos();
            long skew = InteropLab.skew(3, 150, 10);
            System.out.printf("nopreempt %s under %s: priority 0 -> takeover %s (skew %s)%n", joining, running,
                    ms(first - zero), ms(skew));
            assertThat(first - zero).isLessThanOrEqualTo(skew * 11 / 10 + 2 * MS);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void vigilWithNopreemptStaysBackupUnderKeepalived(@TempDir Path dir) throws Exception {
        nopreempt(dir, false, true);
    }

    @Test
    void keepalivedWithNopreemptStaysBackupUnderVigil(@TempDir Path dir) throws Exception {
        nopreempt(dir, true, false);
    }

    @Test
    void vigilWithPreemptDelayTakesOverAfterTheDelay(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            lab.keepalived("b", config("b", 100, ""));
            lab.awaitSoleHolder(VIP, "b", 15_000);
            InteropLab.VigilNode v = lab.vigil("a", config("a", 150, "    preempt_delay 2")).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 10_000);
            JsonArray events = v.status().getJsonArray("events");
            Instant backup = at(events, "BACKUP");
            Instant master = at(events, "MASTER");
            Duration took = Duration.between(backup, master);
            System.out.printf("preempt_delay 2 on Vigil under keepalived: BACKUP -> MASTER after %s ms%n", took.toMillis());
            assertThat(took).isBetween(Duration.ofMillis(2000),
                    Duration.ofMillis(2000).plusNanos(masterDown(3, 150, 10)).plusMillis(300));
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void keepalivedWithPreemptDelayTakesOverAfterTheDelay(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            lab.vigil("b", config("b", 100, "")).awaitReady();
            lab.awaitSoleHolder(VIP, "b", 15_000);
            long started = System.nanoTime();
            lab.keepalived("a", config("a", 150, "    preempt_delay 2"));
            lab.awaitSoleHolder(VIP, "a", 10_000);
            long first = lab.firstAdvertFrom("a", VRID, started).orElseThrow().atNanos();
            System.out.printf("preempt_delay 2 on keepalived under Vigil: first advert %s after its start%n", ms(first - started));
            assertThat(first - started).isBetween(2000 * MS, 2000 * MS + masterDown(3, 150, 10) + 500 * MS);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    private static Instant at(JsonArray events, String to) {
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            if ("transition".equals(e.getString("type")) && to.equals(e.getString("to"))) return Instant.parse(e.getString("time"));
        }
        throw new AssertionError("no transition to " + to + " in " + events);
    }
}
