package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run vigil(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path copyHeartbeatSample(Path dir) throws Exception {
        Path hb = dir.resolve("ha.d");
        Files.createDirectories(hb);
        for (String f : new String[] {"ha.cf", "haresources", "authkeys"}) {
            Files.copy(Path.of("conf/heartbeat", f), hb.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(hb.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        return hb;
    }

    private static String keepalived(String routerId, int priority, int weight) {
        return """
                global_defs {
                    router_id %s
                }
                vrrp_script chk_mysql {
                    script "/usr/bin/true"
                    interval 2
                    weight %d
                }
                vrrp_instance VI_DB {
                    state BACKUP
                    interface eth0
                    virtual_router_id 60
                    priority %d
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass topsecret
                    }
                    virtual_ipaddress {
                        192.0.2.60/24
                    }
                    track_script {
                        chk_mysql
                    }
                }
                """.formatted(routerId, weight, priority);
    }

    @Test
    void sampleConfigurationsInConfAreClean(@TempDir Path dir) throws Exception {
        Run hb = vigil("check", "--heartbeat", copyHeartbeatSample(dir).toString());
        assertThat(hb.exit()).as(hb.out() + hb.err()).isZero();
        Run ka = vigil("check", "conf/keepalived/node-a/keepalived.conf", "conf/keepalived/node-b/keepalived.conf");
        assertThat(ka.exit()).as(ka.out() + ka.err()).isZero();
        assertThat(ka.out()).contains("0 error(s), 0 warning(s) in 2 inputs");
    }

    @Test
    void misspelledDirectiveGivesFileLineColumnAndSuggestionAndExit1() {
        Run r = vigil("check", "src/test/resources/corpus/heartbeat/maxencecolmant-asterrisk-project__ha.cf");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("maxencecolmant-asterrisk-project__ha.cf:9:1: error: unknown directive 'undport'")
                .contains("hint: did you mean 'udpport'?");
    }

    @Test
    void weightTrapAcrossTwoNodesWarnsWithTheNumbersAndAWeightThatWorks(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a-keepalived.conf"), keepalived("db1", 100, 10));
        Path b = Files.writeString(dir.resolve("b-keepalived.conf"), keepalived("db2", 80, 10));
        Run trap = vigil("check", a.toString(), b.toString());
        assertThat(trap.exit()).isZero();
        assertThat(trap.out()).contains("warning: if chk_mysql fails on db1").contains("keeps 100").contains("reaches 90")
                .contains("no failover").contains("|weight| > 20");

        Files.writeString(a, keepalived("db1", 100, 30));
        Files.writeString(b, keepalived("db2", 80, 30));
        Run moves = vigil("check", a.toString(), b.toString());
        assertThat(moves.out()).doesNotContain("no failover");
    }

    @Test
    void secretsNeverAppearInOutput(@TempDir Path dir) throws Exception {
        Path hb = copyHeartbeatSample(dir);
        Files.setPosixFilePermissions(hb.resolve("authkeys"), PosixFilePermissions.fromString("rw-r--r--"));
        Run r = vigil("check", "--heartbeat", hb.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("chmod 600").doesNotContain("change-this-shared-secret-before-use");
        Path ka = Files.writeString(dir.resolve("keepalived.conf"), keepalived("db1", 100, 10).replace("topsecret", "waytoolongpassword"));
        Run k = vigil("check", ka.toString());
        assertThat(k.out()).contains("auth_pass").doesNotContain("waytoolongpassword").doesNotContain("waytoolo");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(vigil("check").exit()).isEqualTo(2);
        assertThat(vigil("check", "--format", "nginx", "x").exit()).isEqualTo(2);
        Run unknown = vigil("check", "/etc/hostname");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--format");
        assertThat(vigil("check", "--bogus").exit()).isEqualTo(2);
    }

    @Test
    void binaryGarbageIsADiagnosticNotAStackTrace(@TempDir Path dir) throws Exception {
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        for (String name : new String[] {"ha.cf", "haresources", "authkeys", "keepalived.conf"}) {
            Path f = Files.write(dir.resolve(name), junk);
            Run r = vigil("check", f.toString());
            assertThat(r.exit()).as(name).isIn(0, 1);
            assertThat(r.out() + r.err()).as(name).doesNotContain("Exception").doesNotContain("\tat ");
        }
        Run missing = vigil("check", dir.resolve("nothere/ha.cf").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("nothere/ha.cf");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"check", "config-reference"}) {
            Run r = vigil(cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: vigil " + cmd);
        }
        assertThat(vigil("--help").out()).contains("check").contains("config-reference");
    }
}
