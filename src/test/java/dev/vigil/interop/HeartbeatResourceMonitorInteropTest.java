package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 in heartbeat mode, on two Vigil nodes in namespaces: a real service (an LSB-style script
 * running a socat TCP listener) in a haresources group with the address.
 * <ul>
 *   <li>monitored (vigil.conf: poll every second, 2 restarts per minute): killed once, it is
 *       restarted in place and the address never leaves its node; killed past the budget, the
 *       group moves to the peer through the standby handshake;</li>
 *   <li>without vigil.conf: heartbeat's behaviour, the death goes unnoticed.</li>
 * </ul>
 */
@Tag("netns")
@Tag("interop")
class HeartbeatResourceMonitorInteropTest {
    static final String KEYS = "auth 1\n1 sha1 vigil-resources-key\n";
    /**
     * Slower than {@link FailoverScenarios#haCf}: this test is about the service, not the failover
     * time, and a loaded CI machine must not make a node look dead (deadtime 1 s did, once in three
     * runs, and the group came back to the node that had given it up).
     */
    static String haCf() {
        return String.join("\n", "logfile /var/lib/heartbeat/ha-log", "use_logd no", "keepalive 500ms", "deadtime 6", "warntime 3", "initdead 12", "udpport 694",
                "bcast vg0", "auto_failback on", "node nodea", "node nodeb", "crm off", "");
    }

    static final String VIGIL_CONF = "# monitored test service\nresource websvc monitor_interval=1 monitor_timeout=2 max_restarts=2 "
            + "restart_window=60 start_timeout=10 stop_timeout=10 restart_timeout=20\n";

    @Test
    void monitoredServiceIsRestartedInPlaceThenGivenUpToThePeerPastTheBudget(@TempDir Path dir) throws Exception {
        String vip = "10.240.20.100";
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.20.1/24");
            String nsB = net.host("b", "10.240.20.2/24");
            Path svc = Files.createDirectories(dir.resolve("svc"));
            String haresources = "nodea IPaddr2::" + vip + "/24/vg0 websvc::" + svc + "::8080\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                for (VigilHeartbeatNode n : List.of(a, b)) {
                    n.configure(haCf(), haresources, KEYS);
                    installService(n.etc());
                    Files.writeString(n.etc().resolve("vigil.conf"), VIGIL_CONF);
                }
                Supplier<String> logs = () -> "\n---- nodea:\n" + tail(a.log()) + "\n---- nodeb:\n" + tail(b.log());
                try (AddressSampler sampler = new AddressSampler(vip, Map.of("nodea", nsA, "nodeb", nsB))) {
                    long t0 = System.nanoTime();
                    a.start();
                    b.start();
                    sampler.awaitExactly(Set.of("nodea"), t0, Duration.ofSeconds(20));
                    long firstPid = awaitPid(svc, "nodea", -1, Duration.ofSeconds(10), logs);

                    // killed once: restarted in place within a poll or two; the address stays on A
                    long killed = System.nanoTime();
                    kill9(firstPid);
                    long secondPid = awaitPid(svc, "nodea", firstPid, Duration.ofSeconds(8), logs);
                    long restartMs = (System.nanoTime() - killed) / 1_000_000;
                    System.out.println("heartbeat mode: service killed -> restarted in place in " + restartMs + " ms");
                    assertThat(alive(secondPid)).isTrue();
                    assertThat(Files.readString(svc.resolve("websvc-nodea.log"))).contains("restart");
                    // a second restart is still within the budget of 2
                    kill9(secondPid);
                    long thirdPid = awaitPid(svc, "nodea", secondPid, Duration.ofSeconds(8), logs);
                    Thread.sleep(1500); // a healthy poll in between
                    assertThat(sampler.samples().stream().filter(s -> s.nanos() >= killed).allMatch(s -> s.holders().equals(Set.of("nodea"))))
                            .as("the address never left A while the service was restarted in place: " + sampler.describe(killed))
                            .isTrue();
                    assertThat(pid(svc, "nodeb")).isEmpty();

                    // the third death within the window spends the budget: the group moves to B
                    long thirdKill = System.nanoTime();
                    kill9(thirdPid);
                    long moved = sampler.awaitExactly(Set.of("nodeb"), thirdKill, Duration.ofSeconds(20));
                    System.out.println("heartbeat mode: budget spent -> address on the peer " + (moved - thirdKill) / 1_000_000 + " ms after the kill");
                    long onB = awaitPid(svc, "nodeb", -1, Duration.ofSeconds(10), logs);
                    assertThat(alive(onB)).isTrue();
                    assertThat(a.log()).contains("given up").contains("Going standby [local]");
                    // the status JSON and vigil resource status show the give-up on A
                    String st = a.cli("resource", "status", "--state-dir", a.stateDir().toString(), "websvc::" + svc + "::8080").output();
                    assertThat(st).contains("websvc").contains("GIVEN UP").contains("restarts 2/2");
                    // a restart of a resource A no longer holds is refused
                    Sh.Result refused = a.cli("resource", "restart", "--state-dir", a.stateDir().toString(), "websvc::" + svc + "::8080");
                    System.out.println("vigil resource status on A after the give-up:\n" + st);

                    assertThat(refused.exitCode()).isNotZero();
                    assertThat(refused.output()).contains("not running on this node");
                } finally {
                    a.kill9();
                    b.kill9();
                    killLeftovers(svc);
                }
            }
        }
    }

    @Test
    void withoutVigilConfADeadServiceGoesUnnoticedAsWithHeartbeat(@TempDir Path dir) throws Exception {
        String vip = "10.240.21.100";
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.21.1/24");
            String nsB = net.host("b", "10.240.21.2/24");
            Path svc = Files.createDirectories(dir.resolve("svc"));
            String haresources = "nodea IPaddr2::" + vip + "/24/vg0 websvc::" + svc + "::8080\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                for (VigilHeartbeatNode n : List.of(a, b)) {
                    n.configure(haCf(), haresources, KEYS);
                    installService(n.etc());
                }
                Supplier<String> logs = () -> "\n---- nodea:\n" + tail(a.log()) + "\n---- nodeb:\n" + tail(b.log());
                try (AddressSampler sampler = new AddressSampler(vip, Map.of("nodea", nsA, "nodeb", nsB))) {
                    long t0 = System.nanoTime();
                    a.start();
                    b.start();
                    sampler.awaitExactly(Set.of("nodea"), t0, Duration.ofSeconds(20));
                    long pid = awaitPid(svc, "nodea", -1, Duration.ofSeconds(10), logs);
                    String logBefore = Files.readString(svc.resolve("websvc-nodea.log"));
                    long killed = System.nanoTime();
                    kill9(pid);
                    // 3 intervals of the monitored test (1 s each), and then some
                    Thread.sleep(4000);
                    assertThat(Files.readString(svc.resolve("websvc-nodea.log"))).as("no stop, start or restart ran").isEqualTo(logBefore);
                    assertThat(pid(svc, "nodea")).contains(pid); // the stale pid file: nobody looked
                    assertThat(pid(svc, "nodeb")).isEmpty();
                    assertThat(sampler.samples().stream().filter(s -> s.nanos() >= killed).allMatch(s -> s.holders().equals(Set.of("nodea"))))
                            .as(sampler.describe(killed)).isTrue();
                    assertThat(a.log()).doesNotContain("given up").doesNotContain("restart");
                } finally {
                    a.kill9();
                    b.kill9();
                    killLeftovers(svc);
                }
            }
        }
    }

    /** Copies the test service into the node's resource.d (Maven does not keep the executable bit). */
    static void installService(Path etc) throws IOException {
        Path rd = Files.createDirectories(etc.resolve("resource.d"));
        try (InputStream in = HeartbeatResourceMonitorInteropTest.class.getResourceAsStream("/resource-scripts/websvc")) {
            Files.copy(in, rd.resolve("websvc"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(rd.resolve("websvc"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static Optional<Long> pid(Path svc, String node) {
        try {
            Path f = svc.resolve("websvc-" + node + ".pid");
            if (!Files.exists(f)) return Optional.empty();
            String s = Files.readString(f).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits for a live service on {@code node} whose pid differs from {@code previous}. */
    static long awaitPid(Path svc, String node, long previous, Duration timeout, Supplier<String> logs) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> p = pid(svc, node);
            if (p.isPresent() && p.get() != previous && alive(p.get())) return p.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no new websvc on " + node + " within " + timeout + logs.get());
    }

    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Only the services this test started (their pids are in its own directory). */
    static void killLeftovers(Path svc) {
        for (String node : List.of("nodea", "nodeb")) pid(svc, node).ifPresent(HeartbeatResourceMonitorInteropTest::kill9);
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }
}
