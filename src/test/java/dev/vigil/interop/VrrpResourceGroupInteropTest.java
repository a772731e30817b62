package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 in VRRP mode, on two Vigil nodes in namespaces: a {@code vrrp_instance} owning a
 * heartbeat-style resource group ({@code vigil_resources}) with a real service (an LSB-style
 * script running a socat listener), monitored every second with 2 restarts per minute. The group
 * starts when the instance becomes MASTER; a killed service is restarted in place (the VIP stays);
 * past the budget the instance goes to FAULT (priority 0) and the peer becomes MASTER and starts
 * the group; {@code vigil resource reset} lets the first node back (it preempts, having the higher
 * priority) and the group follows the mastership; a clean stop stops the group.
 */
@Tag("netns")
@Tag("interop")
class VrrpResourceGroupInteropTest {
    static final String VIP = "10.240.7.160";
    static final int VRID = 61;

    static String config(String host, int priority, Path svc) {
        String extra = "    vigil_resources websvc::" + svc + "::8080\n"
                + "    vigil_resource websvc monitor_interval=1 monitor_timeout=2 max_restarts=2 restart_window=60 start_timeout=10 "
                + "stop_timeout=10 restart_timeout=20\n";
        return Conf.node(host, Conf.instance("VI_1", VRID, priority, 3, "0.5", VIP, extra));
    }

    @Test
    void groupFollowsMastershipIsRestartedInPlaceAndGivenUpByFault(@TempDir Path dir) throws Exception {
        Path svcA = Files.createDirectories(dir.resolve("svc-a"));
        Path svcB = Files.createDirectories(dir.resolve("svc-b"));
        // the script beside each node's keepalived.conf, in resource.d (searched like heartbeat's)
        HeartbeatResourceMonitorInteropTest.installService(dir.resolve("vigil-a"));
        HeartbeatResourceMonitorInteropTest.installService(dir.resolve("vigil-b"));
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            try {
                InteropLab.VigilNode a = lab.vigil("a", config("a", 150, svcA)).awaitReady();
                InteropLab.VigilNode b = lab.vigil("b", config("b", 100, svcB)).awaitReady();
                lab.awaitSoleHolder(VIP, "a", 15_000);
                long first = awaitPid(svcA, -1, 10_000, a);
                assertThat(pid(svcB)).isEmpty();

                // killed once: restarted in place; the address never moves
                long killed = System.nanoTime();
                kill9(first);
                long second = awaitHolding(lab, svcA, first, 8_000, a);
                System.out.println("VRRP mode: service killed -> restarted in place in " + (System.nanoTime() - killed) / 1_000_000 + " ms");
                kill9(second);
                long third = awaitHolding(lab, svcA, second, 8_000, a);
                assertThat(lab.holders(VIP)).containsExactly("a");
                assertThat(pid(svcB)).isEmpty();

                // a third death within the window: the instance goes to FAULT and b takes over with the group
                long thirdKill = System.nanoTime();
                kill9(third);
                lab.awaitSoleHolder(VIP, "b", 15_000);
                System.out.println("VRRP mode: budget spent -> VIP on the peer " + (System.nanoTime() - thirdKill) / 1_000_000 + " ms after the kill");
                long onB = awaitPid(svcB, -1, 10_000, b);
                assertThat(alive(onB)).isTrue();
                assertThat(a.instance("VI_1").getString("state")).isEqualTo("FAULT");
                JsonObject ga = a.status().getJsonArray("resourceGroups").getJsonObject(0);
                assertThat(ga.getBoolean("gaveUp")).isTrue();
                assertThat(ga.getString("state")).isEqualTo("stopped");
                InteropLab.await(10_000, () -> pid(svcA).isEmpty(), "the group stopped on a");
                assertThat(Files.readString(svcA.resolve("websvc-" + hostName() + ".log"))).contains("stop");
                // a stays in FAULT: the budget does not refill by itself
                Thread.sleep(2_000);
                assertThat(a.instance("VI_1").getString("state")).isEqualTo("FAULT");

                // the operator resets the group: a leaves FAULT, preempts, and the group moves back
                JsonObject r = a.command("resource-reset", new JsonObject().put("name", "VI_1"));
                assertThat(r.getString("group")).isEqualTo("VI_1");
                lab.awaitSoleHolder(VIP, "a", 15_000);
                long back = awaitPid(svcA, -1, 10_000, a);
                InteropLab.await(10_000, () -> pid(svcB).isEmpty(), "the group stopped on b when it left MASTER");
                InteropLab.await(5_000, () -> !alive(onB), "b's service gone after its stop");

                // a clean stop (SIGTERM) stops the group before the process exits
                a.term();
                assertThat(a.waitForExit(30_000)).isTrue();
                InteropLab.await(5_000, () -> !alive(back), "a's service gone after the clean stop");
                assertThat(pid(svcA)).isEmpty();
                lab.awaitSoleHolder(VIP, "b", 15_000);
                awaitPid(svcB, -1, 10_000, b);
            } finally {
                pid(svcA).ifPresent(VrrpResourceGroupInteropTest::kill9);
                pid(svcB).ifPresent(VrrpResourceGroupInteropTest::kill9);
            }
        }
    }

    /** Both nodes share the host's UTS namespace, so the script's HA_CURHOST is this machine's name. */
    static String hostName() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }

    static Optional<Long> pid(Path svc) {
        try (var s = Files.list(svc)) {
            Optional<Path> f = s.filter(p -> p.getFileName().toString().endsWith(".pid")).findFirst();
            if (f.isEmpty()) return Optional.empty();
            String t = Files.readString(f.get()).strip();
            return t.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(t));
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    static long awaitPid(Path svc, long previous, long millis, InteropLab.VigilNode node) throws Exception {
        long[] found = {-1};
        InteropLab.await(millis, () -> {
            Optional<Long> p = pid(svc);
            if (p.isPresent() && p.get() != previous && alive(p.get())) {
                found[0] = p.get();
                return true;
            }
            return false;
        }, "a new websvc in " + svc + "\n" + tail(node.log()));
        return found[0];
    }

    /** Waits for the restarted service while checking, on every look, that the VIP stayed on a. */
    static long awaitHolding(InteropLab lab, Path svc, long previous, long millis, InteropLab.VigilNode a) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertThat(lab.holders(VIP)).as("the VIP stays on a during a restart in place").containsExactly("a");
            Optional<Long> p = pid(svc);
            if (p.isPresent() && p.get() != previous && alive(p.get())) return p.get();
            Thread.sleep(50);
        }
        throw new AssertionError("websvc not restarted on a within " + millis + " ms\n" + tail(a.log()));
    }

    static String tail(String log) {
        return HeartbeatResourceMonitorInteropTest.tail(log);
    }
}
