package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator does with a running Vigil next to keepalived: maintenance through the control
 * endpoint (FAULT through the state machine, so the peer takes over after Skew_Time), notify scripts
 * with keepalived's arguments, and a clean stop that notifies STOP.
 */
@Tag("netns")
@Tag("interop")
class VrrpOperationsInteropTest {

    static final String VIP = "10.240.7.150";
    static final int VRID = 56;

    @Test
    void maintenanceHandsTheAddressToKeepalivedAndBack(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            lab.keepalived("b", Conf.node("b", Conf.instance("VI_1", VRID, 100, 3, "0.1", VIP, "")));
            InteropLab.VigilNode v = lab.vigil("a", Conf.node("a", Conf.instance("VI_1", VRID, 150, 3, "0.1", VIP, ""))).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 15_000);

            long faultAt = System.nanoTime();
            JsonObject answer = v.command("fault", new JsonObject().put("instance", "VI_1"));
            assertThat(answer.getString("message")).contains("FAULT");
            lab.awaitSoleHolder(VIP, "b", 3_000);
            long zero = lab.firstAdvertFrom("a", VRID, faultAt).orElseThrow().atNanos();
            assertThat(lab.firstAdvertFrom("a", VRID, faultAt).orElseThrow().priority()).isZero();
            long takeover = lab.firstAdvertFrom("b", VRID, faultAt).orElseThrow().atNanos();
            System.out.printf("maintenance fault on Vigil: priority 0 -> keepalived's first advert %s (skew %s)%n",
                    ms(takeover - zero), ms(InteropLab.skew(3, 100, 10)));
            assertThat(takeover - zero).isLessThanOrEqualTo(InteropLab.skew(3, 100, 10) * 11 / 10 + 2 * InteropLab.MS);
            JsonObject st = v.instance("VI_1");
            assertThat(st.getString("state")).isEqualTo("FAULT");
            assertThat(st.getBoolean("maintenance")).isTrue();

            v.command("recover", new JsonObject().put("instance", "VI_1"));
            lab.awaitSoleHolder(VIP, "a", 3_000);
            assertThat(v.instance("VI_1").getString("state")).isEqualTo("MASTER");
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    /**
     * Maintenance outlives a restart (dev.vigil.vrrp.MaintenanceStore): keepalived's operators take a
     * node out with a track file, which a restart does not undo, and Vigil's command keeps that
     * property. The restarted node starts in FAULT and never advertises above priority 0, so
     * keepalived keeps the address throughout; {@code recover} brings it back and clears the list.
     */
    @Test
    void maintenanceSurvivesARestartUntilRecover(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            String cfgA = Conf.node("a", Conf.instance("VI_1", VRID, 150, 3, "0.1", VIP, ""));
            lab.keepalived("b", Conf.node("b", Conf.instance("VI_1", VRID, 100, 3, "0.1", VIP, "")));
            InteropLab.VigilNode v = lab.vigil("a", cfgA).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 15_000);
            InteropLab.VigilNode.CliResult fault = v.cli("fault", "VI_1");
            assertThat(fault.exitCode()).as(fault.err()).isZero();
            assertThat(fault.out()).contains("VI_1 is in FAULT for maintenance");
            lab.awaitSoleHolder(VIP, "b", 3_000);
            Path list = dir.resolve("vigil-a").resolve("state").resolve(dev.vigil.vrrp.MaintenanceStore.FILE);
            InteropLab.await(5_000, () -> java.nio.file.Files.exists(list), "maintenance list written");
            assertThat(java.nio.file.Files.readAllLines(list)).contains("VI_1");

            v.term();
            assertThat(v.waitForExit(20_000)).isTrue();
            long restarted = System.nanoTime();
            InteropLab.VigilNode again = lab.vigil("a", cfgA).awaitReady();
            Thread.sleep(1_500); // several Master_Down_Intervals (0.36 s) for a node that forgot
            JsonObject st = again.instance("VI_1");
            assertThat(st.getString("state")).isEqualTo("FAULT");
            assertThat(st.getBoolean("maintenance")).isTrue();
            assertThat(lab.adverts(VRID, restarted, System.nanoTime()).stream()
                    .filter(a -> a.source().getHostAddress().equals(lab.ipOf("a")) && a.priority() > 0))
                    .as("adverts from the restarted node in maintenance").isEmpty();
            assertThat(lab.addressChanges.stream().filter(c -> c.atNanos() >= restarted && c.host().equals("a") && c.added()))
                    .as("the restarted node added no address").isEmpty();
            assertThat(lab.holders(VIP)).containsExactly("b");
            assertThat(again.log()).contains("(VI_1) in maintenance since before this start");

            assertThat(again.cli("recover", "VI_9").exitCode()).as("an unknown instance is refused").isEqualTo(1);
            InteropLab.VigilNode.CliResult recover = again.cli("recover", "VI_1");
            assertThat(recover.exitCode()).as(recover.err()).isZero();
            lab.awaitSoleHolder(VIP, "a", 3_000);
            InteropLab.await(5_000, () -> !java.nio.file.Files.exists(list), "maintenance list removed after recover");
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void notifyScriptsGetKeepalivedsArgumentsAndStopIsNotified(@TempDir Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("notified");
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + out + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String config = Conf.globals("a", "    enable_script_security\n    script_user root\n    vrrp_startup_delay 1") + """
                vrrp_sync_group G {
                    group {
                        VI_1
                    }
                    notify "%1$s group"
                }
                """.formatted(script) + Conf.instance("VI_1", VRID, 150, 3, "0.1", VIP, """
                    notify_master "%1$s master-arg"
                    notify_stop "%1$s stop-arg"
                    notify "%1$s any"
                """.formatted(script));
        try (InteropLab lab = new InteropLab(dir, "a")) {
            InteropLab.VigilNode v = lab.vigil("a", config).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 10_000);
            // vrrp_startup_delay 1: the instance starts a second after the daemon
            String log = v.log();
            assertThat(log).contains("Delaying startup for 1000 ms (vrrp_startup_delay)");
            java.time.LocalDateTime delayed = logTime(log, "Delaying startup");
            java.time.LocalDateTime started = logTime(log, "(VI_1) Entering BACKUP STATE (init)");
            assertThat(java.time.Duration.between(delayed, started).toMillis()).isBetween(1000L, 1500L);
            v.term();
            assertThat(v.waitForExit(15_000)).isTrue();
            List<String> lines = Files.readAllLines(out);
            System.out.println("notify lines: " + lines);
            assertThat(lines).contains("any INSTANCE VI_1 BACKUP 150", "master-arg", "any INSTANCE VI_1 MASTER 150",
                    "group GROUP G BACKUP 0", "group GROUP G MASTER 0", "stop-arg", "any INSTANCE VI_1 STOP 150");
            assertThat(lab.holders(VIP)).isEmpty();
        }
    }

    /** The time of the first log line containing {@code text} (slf4j-simple's "yyyy-MM-dd HH:mm:ss.SSS"). */
    static java.time.LocalDateTime logTime(String log, String text) {
        String line = log.lines().filter(l -> l.contains(text)).findFirst().orElseThrow(() -> new AssertionError(text + " in " + log));
        return java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'));
    }
}
