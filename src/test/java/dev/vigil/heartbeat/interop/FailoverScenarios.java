package dev.vigil.heartbeat.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The interop scenarios of issue 3, played on any pair (real heartbeat or Vigil on either side),
 * node A preferred in haresources, asserted from outside by sampling who holds the address:
 * <ol>
 *   <li>both see each other {@code active}; A holds the address, B does not;</li>
 *   <li>{@code standby} on A moves it to B, {@code standby} on B moves it back;</li>
 *   <li>{@code kill -9} A: B holds it within deadtime + 1 s;</li>
 *   <li>A's machine reboots (its stale address is gone, heartbeat starts again) with
 *       {@code auto_failback on}: the address moves back to A, never on both for longer than one
 *       sampling step;</li>
 *   <li>with B holding (A standby), {@code kill -9} B: A takes over.</li>
 * </ol>
 */
public final class FailoverScenarios {
    public static final Duration DEADTIME = Duration.ofSeconds(1);

    /** keepalive 200ms / deadtime 1 / initdead 2: fast enough for a short suite, what real heartbeat accepts. */
    public static String haCf(String a, String b) {
        return String.join("\n",
                "logfile /var/lib/heartbeat/ha-log", "use_logd no",
                "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2",
                "udpport 694", "bcast vg0", "auto_failback on",
                "node " + a, "node " + b, "crm off", "");
    }

    public static String haresources(String preferred, String vip) {
        return preferred + " IPaddr2::" + vip + "/24/vg0\n";
    }

    /** What was measured, in milliseconds, from the action to the first sample showing its effect. */
    public record Timings(long coldStartMillis, long standbyToBMillis, long standbyBackMillis, long killAToBMillis,
                          long failbackMillis, long killBToAMillis) {
        @Override
        public String toString() {
            return "cold start " + coldStartMillis + " ms, standby A->B " + standbyToBMillis + " ms, standby B->A " + standbyBackMillis
                    + " ms, kill -9 A -> VIP on B " + killAToBMillis + " ms, reboot A -> VIP back on A " + failbackMillis
                    + " ms, kill -9 B -> VIP on A " + killBToAMillis + " ms";
        }
    }

    private FailoverScenarios() {
    }

    public static Timings run(Netns net, HbClusterNode a, HbClusterNode b, String vip, Duration killTakeoverLimitB)
            throws Exception {
        Map<String, String> ns = new LinkedHashMap<>();
        ns.put(a.node(), a.namespace());
        ns.put(b.node(), b.namespace());
        Supplier<String> logs = () -> "\n---- " + a.node() + " log:\n" + tail(a.log()) + "\n---- " + b.node() + " log:\n" + tail(b.log());
        try (AddressSampler vipSeen = new AddressSampler(vip, ns)) {
            Set<String> onA = Set.of(a.node());
            Set<String> onB = Set.of(b.node());

            // 1. join: A holds, both active
            long t0 = System.nanoTime();
            a.start();
            b.start();
            long held = vipSeen.awaitExactly(onA, t0, Duration.ofSeconds(45));
            awaitStatus(a, b.node(), "active", logs);
            awaitStatus(b, a.node(), "active", logs);
            awaitStable(a, b, logs);
            assertThat(vipSeen.samples().stream().filter(s -> s.nanos() >= t0)).as("B never held it").allMatch(s -> !s.holders().contains(b.node()));

            // 4. standby both ways
            long s1 = System.nanoTime();
            a.standby("all");
            long onBAt = vipSeen.awaitExactly(onB, s1, Duration.ofSeconds(20));
            awaitStable(a, b, logs); // a request while either side is in flux is ignored, as in heartbeat
            long s2 = System.nanoTime();
            b.standby("all");
            long backAt = vipSeen.awaitExactly(onA, s2, Duration.ofSeconds(20));
            assertThat(vipSeen.longestDoubleHolding(s1)).as("samples with two holders during standby" + vipSeen.describe(s1)).isZero();
            awaitStable(a, b, logs);

            // 2. kill -9 A: B takes over within deadtime + 1 s
            long k1 = System.nanoTime();
            a.kill9();
            long bHolds = vipSeen.await(h -> h.contains(b.node()), k1, Duration.ofSeconds(15), b.node() + " holding " + vip);
            long killAToB = millis(bHolds - k1);
            assertThat(killAToB).as("kill -9 A -> VIP on B, ms" + logs.get()).isLessThanOrEqualTo(DEADTIME.toMillis() + 1000);
            awaitStatus(b, a.node(), "dead", logs);

            // 3. A's machine reboots: the stale address goes with it, heartbeat starts again, auto_failback on
            net.execQuiet(a.namespace(), "ip", "addr", "del", vip + "/24", "dev", "vg0");
            long r = System.nanoTime();
            a.start();
            long homeAt = vipSeen.awaitExactly(onA, r, Duration.ofSeconds(45));
            assertThat(vipSeen.longestDoubleHolding(r)).as("consecutive samples with both holding after the reboot" + vipSeen.describe(r))
                    .isLessThanOrEqualTo(1);
            awaitStatus(a, b.node(), "active", logs);
            awaitStatus(b, a.node(), "active", logs);
            awaitStable(a, b, logs);

            // 5. B holds (A standby), kill -9 B: A takes over
            long s3 = System.nanoTime();
            a.standby("all");
            vipSeen.awaitExactly(onB, s3, Duration.ofSeconds(20));
            awaitStable(a, b, logs);
            long k2 = System.nanoTime();
            b.kill9();
            long aHolds = vipSeen.await(h -> h.contains(a.node()), k2, Duration.ofSeconds(20), a.node() + " holding " + vip);
            long killBToA = millis(aHolds - k2);
            assertThat(killBToA).as("kill -9 B -> VIP on A, ms" + logs.get()).isLessThanOrEqualTo(killTakeoverLimitB.toMillis());

            return new Timings(millis(held - t0), millis(onBAt - s1), millis(backAt - s2), killAToB, millis(homeAt - r), killBToA);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + logs.get(), e);
        }
    }

    /** Polls {@code observer}'s view of {@code other} until it reads {@code expected} (10 s). */
    public static void awaitStatus(HbClusterNode observer, String other, String expected, Supplier<String> logs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = observer.nodeStatus(other);
            if (seen.equals(expected)) return;
            Thread.sleep(200);
        }
        throw new AssertionError(observer.node() + " sees " + other + " as '" + seen + "', expected '" + expected + "'" + logs.get());
    }

    /** Polls {@code probe} (a status query on {@code observer}) until it reads {@code expected} (10 s). */
    public static void awaitStatusEventually(HbClusterNode observer, Supplier<String> probe, String expected, Supplier<String> logs)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = probe.get();
            if (seen.equals(expected)) return;
            Thread.sleep(200);
        }
        throw new AssertionError(observer.node() + " reads '" + seen + "', expected '" + expected + "'" + logs.get());
    }

    /** Waits until neither node reports {@code transition} (heartbeat ignores standby requests until then). */
    public static void awaitStable(HbClusterNode a, HbClusterNode b, Supplier<String> logs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String ra = "";
        String rb = "";
        while (System.nanoTime() < deadline) {
            ra = a.rscStatus();
            rb = b.rscStatus();
            if (!ra.isEmpty() && !rb.isEmpty() && !ra.equals("transition") && !rb.equals("transition")) return;
            Thread.sleep(300);
        }
        throw new AssertionError("resources still in transition: " + a.node() + " " + ra + ", " + b.node() + " " + rb + logs.get());
    }

    static long millis(long nanos) {
        return nanos / 1_000_000L;
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 80);
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    }
}
