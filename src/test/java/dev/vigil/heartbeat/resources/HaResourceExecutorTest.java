package dev.vigil.heartbeat.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.action.AddressActions;
import dev.vigil.action.ScriptRunner;
import dev.vigil.action.VirtualAddress;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.resource.OpOutcome;
import dev.vigil.resource.ResourceOperation;
import java.time.Duration;
import dev.vigil.heartbeat.rm.ResourceOp;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** haresources resources run as heartbeat's ResourceManager runs them. */
class HaResourceExecutorTest {
    final ScriptRunner runner = new ScriptRunner();

    @AfterEach
    void close() {
        runner.close();
    }

    static final AddressActions NO_ADDRESSES = new AddressActions() {
        @Override
        public CompletableFuture<ActionResult> add(VirtualAddress address) {
            throw new AssertionError("no address expected");
        }

        @Override
        public CompletableFuture<ActionResult> remove(VirtualAddress address) {
            throw new AssertionError("no address expected");
        }

        @Override
        public CompletableFuture<ActionResult> announce(VirtualAddress address) {
            throw new AssertionError("no address expected");
        }
    };

    static Path script(Path dir, String name, String body) throws Exception {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    HaResourceExecutor executor(List<Path> path) {
        return new HaResourceExecutor(runner, NO_ADDRESSES, path,
                HaResourceExecutor.heartbeatEnvironment(Path.of("/etc/ha.d"), "nodea", Optional.empty(), Optional.empty()),
                Optional.empty(), "nodea");
    }

    static OperationResult run(HaResourceExecutor e, String resource, ResourceOp op) throws Exception {
        return e.run(resource, resource, op).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void resourceSpecsSplitLikeResourceManager() {
        assertThat(HaResourceExecutor.ResourceSpec.parse("apache")).isEqualTo(new HaResourceExecutor.ResourceSpec("apache", List.of()));
        assertThat(HaResourceExecutor.ResourceSpec.parse("Filesystem::/dev/sdb1::/data::ext4"))
                .isEqualTo(new HaResourceExecutor.ResourceSpec("Filesystem", List.of("/dev/sdb1", "/data", "ext4")));
        assertThat(HaResourceExecutor.ResourceSpec.parse("10.0.0.5/24"))
                .isEqualTo(new HaResourceExecutor.ResourceSpec("IPaddr", List.of("10.0.0.5/24")));
    }

    @Test
    void ipAddrArgumentsAreIpBitsIfaceBroadcast() {
        IpAddrArgument full = IpAddrArgument.parse("10.0.0.5/24/eth0:1/10.0.0.255");
        assertThat(full.ip()).isEqualTo("10.0.0.5");
        assertThat(full.prefixLength()).hasValue(24);
        assertThat(full.device()).contains("eth0");
        assertThat(full.label()).contains("eth0:1");
        assertThat(full.broadcast().map(InetAddress::getHostAddress)).contains("10.0.0.255");
        IpAddrArgument bare = IpAddrArgument.parse("10.0.0.5");
        assertThat(bare.prefixLength()).isEmpty();
        assertThat(bare.device()).isEmpty();
        assertThatThrownBy(() -> IpAddrArgument.parse("10.0.0/24")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IpAddrArgument.parse("10.0.0.5/33")).hasMessageContaining("0-32");
        assertThatThrownBy(() -> IpAddrArgument.parse("10.0.0.5/24/eth0;rm")).hasMessageContaining("interface");
    }

    @Test
    void findifReadsDeviceAndPrefixFromTheRoutes() throws Exception {
        assertThat(HaResourceExecutor.deviceFromRoute("10.0.0.5 dev vg0 src 10.0.0.1 uid 0 \\    cache ", "10.0.0.5")).isEqualTo("vg0");
        assertThatThrownBy(() -> HaResourceExecutor.deviceFromRoute("local 10.0.0.5 dev lo table local src 10.0.0.5", "10.0.0.5"))
                .hasMessageContaining("already a local address");
        Inet4Address ip = (Inet4Address) InetAddress.getByName("10.1.2.3");
        assertThat(HaResourceExecutor.prefixFromRoutes("192.168.0.0/16 proto kernel scope link src 192.168.0.1\n"
                + "10.1.0.0/16 proto kernel scope link src 10.1.0.1\n", ip)).isEqualTo(16);
        assertThat(HaResourceExecutor.prefixFromRoutes("192.168.0.0/16 proto kernel scope link\n", ip)).isEqualTo(32);
        assertThat(HaResourceExecutor.heldIn("2: vg0    inet 10.0.0.1/24 brd 10.0.0.255 scope global vg0\n"
                + "2: vg0    inet 10.0.0.100/25 brd 10.0.0.127 scope global secondary vg0", "10.0.0.100"))
                .contains(new HaResourceExecutor.Held("vg0", 25));
        assertThat(HaResourceExecutor.heldIn("2: vg0    inet 10.0.0.10/24 scope global vg0", "10.0.0.1")).isEmpty();
    }

    @Test
    void theInterfacesOfAddressResourcesAreKnownBeforeAnyTakeoverSoTheirFrameLinksOpenAtStart() {
        assertThat(HaResourceExecutor.addressDevices(List.of("IPaddr2::10.0.0.1/24/eth1", "10.0.0.2/24/eth2", "IPaddr::10.0.0.3",
                "IPaddr2::10.0.0.4/24/eth1/10.0.0.255", "apache::/etc/apache.conf", "IPaddr2::not-an-address")))
                .containsExactly("eth1", "eth2");
    }

    @Test
    void scriptsAreFoundInSearchOrderAndCalledWithArgumentsOperationAndHeartbeatsEnvironment(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path record = dir.resolve("calls");
        script(second, "web", "echo second >> " + record);
        script(first, "web", "echo \"$# $1 $2 $HA_CURHOST $HA_DIR $HA_RSCTMP\" >> " + record + "\n[ \"$2\" = status ] && echo running; exit 0");
        Files.writeString(first.resolve("notexec"), "#!/bin/sh\n");
        HaResourceExecutor e = executor(List.of(first, second));
        assertThat(run(e, "web::8080", ResourceOp.START)).isEqualTo(OperationResult.started("web::8080", "web::8080", true));
        assertThat(run(e, "web::8080", ResourceOp.STATUS).running()).isTrue();
        assertThat(Files.readAllLines(record)).containsExactly("2 8080 start nodea /etc/ha.d /run/resource-agents",
                "2 8080 status nodea /etc/ha.d /run/resource-agents");
        assertThat(e.locate("notexec")).isEmpty();
        assertThat(e.locate("../first/web")).isEmpty();
    }

    @Test
    void statusIsReadFromTheOutputNotTheExitCode(@TempDir Path dir) throws Exception {
        script(dir, "ok0", "echo 'daemon is stopped'; exit 0");
        script(dir, "run3", "echo 'OK'; exit 3");
        script(dir, "notrunning", "echo 'apache is not running'; exit 0");
        HaResourceExecutor e = executor(List.of(dir));
        assertThat(run(e, "ok0", ResourceOp.STATUS).running()).isFalse();
        assertThat(run(e, "run3", ResourceOp.STATUS).running()).isTrue();
        assertThat(run(e, "notrunning", ResourceOp.STATUS).running()).isFalse();
    }

    @Test
    void failuresAreResultsNotExceptions(@TempDir Path dir) throws Exception {
        script(dir, "broken", "exit 1");
        HaResourceExecutor e = executor(List.of(dir));
        assertThat(run(e, "broken", ResourceOp.START).success()).isFalse();
        assertThat(run(e, "broken", ResourceOp.STOP).success()).isFalse();
        assertThat(run(e, "missing", ResourceOp.START).success()).isFalse();
        assertThat(run(e, "missing", ResourceOp.STATUS).running()).isFalse();
        assertThat(run(e, "IPaddr2::10.0.0/24", ResourceOp.START).success()).isFalse();
    }

    @Test
    void rmOperationsUseTheResourcesPolicyTimeoutAndTheWholeProcessGroupIsKilled(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        // the start leaves a child behind and hangs: both must die when start_timeout passes
        script(dir.resolve("rd"), "hangs", "sleep 300 & echo $! > " + pidFile + "; sleep 300");
        ResourcePolicy oneSecond = new ResourcePolicy(Duration.ofSeconds(1), Duration.ofSeconds(120), Duration.ofSeconds(30),
                Duration.ofSeconds(240), Duration.ZERO, Duration.ofSeconds(30), 3, Duration.ofMinutes(5), Optional.empty());
        HaResourceExecutor e = executor(List.of(dir.resolve("rd"))).withPolicies(r -> r.equals("hangs") ? oneSecond : ResourcePolicy.DEFAULTS);
        long t0 = System.nanoTime();
        assertThat(run(e, "hangs", ResourceOp.START).success()).isFalse();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(900L, 8_000L);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the child left behind is killed too").isFalse();
        assertThat(e.journal().last("hangs")).hasValueSatisfying(j -> {
            assertThat(j.ok()).isFalse();
            assertThat(j.summary()).contains("timed out");
        });
    }

    @Test
    void restartIsTheScriptsOwnOnlyWhenItHasARestartCaseLabel(@TempDir Path dir) throws Exception {
        script(dir, "lsb", "case \"$1\" in\n  start) ;;\n  stop) ;;\n  restart|force-reload) echo restarted ;;\nesac");
        script(dir, "lsb2", "case \"$1\" in\n  force-reload|restart)\n echo x ;;\nesac");
        script(dir, "hbrsc", "case \"$1\" in\n  start) ;;\n  stop) ;;\n  status) echo OK;;\n  *) echo usage: start stop status ;;\nesac\n# restart is not here");
        HaResourceExecutor e = executor(List.of(dir));
        assertThat(e.hasRestart("lsb")).isTrue();
        assertThat(e.hasRestart("lsb2")).isTrue();
        assertThat(e.hasRestart("hbrsc")).isFalse();
        assertThat(e.hasRestart("IPaddr2::10.0.0.1/24")).isFalse();
        assertThat(e.hasRestart("missing")).isFalse();
        OpOutcome r = e.run("lsb", ResourceOperation.RESTART, Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(r.success()).isTrue();
        assertThat(r.output()).containsExactly("restarted");
        assertThat(e.journal().last("lsb")).hasValueSatisfying(j -> assertThat(j.output()).containsExactly("restarted"));
    }

    @Test
    void operationsOnOneResourceRunOneAfterTheOther(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        script(dir.resolve("rd"), "svc", "echo \"begin $1\" >> " + log + "; sleep 0.5; echo \"end $1\" >> " + log + "; echo running");
        HaResourceExecutor e = executor(List.of(dir.resolve("rd")));
        var a = e.run("svc", ResourceOperation.STATUS, Duration.ofSeconds(10)).toCompletableFuture();
        var b = e.run("svc", "svc", ResourceOp.STOP).toCompletableFuture();
        var c = e.run("svc", ResourceOperation.START, Duration.ofSeconds(10)).toCompletableFuture();
        assertThat(a.get(20, TimeUnit.SECONDS).running()).isTrue();
        assertThat(b.get(20, TimeUnit.SECONDS).success()).isTrue();
        assertThat(c.get(20, TimeUnit.SECONDS).success()).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly("begin status", "end status", "begin stop", "end stop", "begin start", "end start");
    }
}
