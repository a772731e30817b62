package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.ScriptInvocation;
import dev.vigil.action.ScriptResult;
import dev.vigil.action.ScriptRunner;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.config.keepalived.ScriptUser;
import dev.vigil.vrrp.instance.TransitionReason;
import dev.vigil.vrrp.instance.VrrpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VrrpNotifierTest {

    @TempDir
    Path dir;
    ScriptRunner runner;
    Path log;

    @BeforeEach
    void setUp() throws IOException {
        runner = new ScriptRunner();
        log = dir.resolve("notify.log");
        // readable and traversable, not writable, by others: what enable_script_security wants
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        runner.close();
    }

    Path script(String name, String perms) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString(perms));
        return s;
    }

    KeepalivedConfig config(String globals, String notify) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, """
                global_defs {
                %s
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                %s
                }
                vrrp_sync_group G {
                    group {
                        VI_1
                    }
                %s
                }
                """.formatted(globals, notify, notify));
        return new KeepalivedParser().withHostId("node1").parse(f).model();
    }

    List<String> lines(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).size() >= expected) break;
            Thread.sleep(20);
        }
        Thread.sleep(100); // nothing more should come
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    static VrrpRouter.InstanceTransition to(VrrpState state, int priority) {
        return new VrrpRouter.InstanceTransition("VI_1", VrrpState.BACKUP, state, TransitionReason.MASTER_DOWN_TIMER,
                priority, 0, Instant.EPOCH);
    }

    @Test
    void stateScriptsGetTheirOwnArgumentsAndNotifyGetsFourMore() throws Exception {
        Path s = script("notify.sh", "rwxr-xr-x");
        VrrpNotifier n = new VrrpNotifier(config("    enable_script_security\n    script_user root", """
                    notify_master "%s master-arg"
                    notify "%s any"
                """.formatted(s, s)), new ScriptSecurity(true, Optional.of(new ScriptUser("root", Optional.empty()))), runner);
        assertThat(n.disabledScripts()).isEmpty();
        n.instanceTransition(to(VrrpState.MASTER, 120));
        assertThat(lines(2)).containsExactlyInAnyOrder("master-arg", "any INSTANCE VI_1 MASTER 120");
        n.groupTransition(new VrrpRouter.GroupTransition("G", VrrpState.BACKUP, VrrpState.MASTER, 0, Instant.EPOCH));
        assertThat(lines(4)).contains("any GROUP G MASTER 0");
        n.instanceTransition(to(VrrpState.FAULT, 50));
        assertThat(lines(5)).contains("any INSTANCE VI_1 FAULT 50").hasSize(5);
        n.awaitPending(Duration.ofSeconds(5));
    }

    @Test
    void unsafeScriptsAreDisabledWithKeepalivedsMessage() throws Exception {
        Path groupWritable = script("gw.sh", "rwxrwxr-x");
        VrrpNotifier n = new VrrpNotifier(config("    enable_script_security\n    script_user root", """
                    notify_master "%s"
                    notify_backup "%s/missing.sh"
                """.formatted(groupWritable, dir)), new ScriptSecurity(true, Optional.of(new ScriptUser("root", Optional.empty()))),
                runner);
        assertThat(n.disabledScripts())
                .anySatisfy(l -> assertThat(l).contains("Unsafe permissions found for script '" + groupWritable + "' - disabling."))
                .anySatisfy(l -> assertThat(l).contains("cannot be accessed - No such file or directory"));
        n.instanceTransition(to(VrrpState.MASTER, 100));
        n.instanceTransition(to(VrrpState.BACKUP, 100));
        assertThat(lines(1)).isEmpty();
    }

    @Test
    void withoutScriptSecurityAnUnsafeScriptStillRuns() throws Exception {
        Path groupWritable = script("gw.sh", "rwxrwxr-x");
        VrrpNotifier n = new VrrpNotifier(config("", "    notify_master \"%s m\"".formatted(groupWritable)),
                new ScriptSecurity(false, Optional.empty()), runner);
        n.instanceTransition(to(VrrpState.MASTER, 100));
        assertThat(lines(1)).containsExactly("m");
    }

    /** Issue 8: Vigil applies enable_script_security's rule whether or not the file asks for it. */
    @Test
    void theDaemonDisablesAnUnsafeScriptEvenWithoutEnableScriptSecurity() throws Exception {
        Path groupWritable = script("gw.sh", "rwxrwxr-x");
        KeepalivedConfig c = config("    script_user root", "    notify_master \"%s m\"".formatted(groupWritable));
        assertThat(c.globalDefs().enableScriptSecurity()).isFalse();
        VrrpNotifier n = new VrrpNotifier(c, VrrpDaemon.scriptSecurity(c.globalDefs()), runner);
        assertThat(n.disabledScripts()).anySatisfy(l -> assertThat(l).contains("Unsafe permissions found for script"));
        n.instanceTransition(to(VrrpState.MASTER, 100));
        assertThat(lines(1)).isEmpty();
    }

    @Test
    void worldWritableDirectoriesAreUnsafeUnlessSticky() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("open"));
        Path s = sub.resolve("x.sh");
        Files.writeString(s, "#!/bin/sh\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(ScriptSecurity.unsafeComponent(s, 0)).contains(sub);
        Sh.chmod("1777", sub);
        assertThat(ScriptSecurity.unsafeComponent(s, 0)).isEmpty();
    }

    @Test
    void scriptUserRunsTheScriptAsThatUser() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "switching user needs root");
        Path s = dir.resolve("id.sh");
        Files.writeString(s, "#!/bin/sh\nid -u\nid -G\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptSecurity sec = new ScriptSecurity(true, Optional.of(new ScriptUser("nobody", Optional.empty())));
        ScriptSecurity.Verdict v = sec.check(List.of(s.toString()), Optional.empty());
        assertThat(v.refusal()).isEmpty();
        ScriptResult r = runner.run(new ScriptInvocation(v.command().orElseThrow(), java.util.Map.of(), null,
                Duration.ofSeconds(5), Duration.ofSeconds(1), 10)).get(10, TimeUnit.SECONDS);
        assertThat(r.output()).first().isEqualTo("65534");
        // keepalived 2.2.7 clears supplementary groups: only the primary one is left
        assertThat(r.output().get(1).trim().split(" ")).hasSize(1);
    }

    /** chmod with the sticky bit, which PosixFilePermissions cannot express. */
    static final class Sh {
        static void chmod(String mode, Path p) {
            try {
                Process pr = new ProcessBuilder("chmod", mode, p.toString()).start();
                assertThat(pr.waitFor(5, TimeUnit.SECONDS)).isTrue();
                assertThat(pr.exitValue()).isZero();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
