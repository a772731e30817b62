package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil translate} end to end, in-process: files written, stdout mode, report, exit codes. */
class TranslateCommandTest {
    @TempDir
    Path dir;

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

    @Test
    void writesOneFilePerNodeThatVigilCheckAccepts() throws Exception {
        Path out = dir.resolve("out");
        Path report = dir.resolve("report.txt");
        // A fresh checkout has authkeys at 0644 (git keeps no 0600), which heartbeat refuses; the
        // translation does not need the keys, so it carries on. Pin that mode whatever the tree has.
        Path ha = Files.createDirectories(dir.resolve("ha.d"));
        for (String f : new String[] {"ha.cf", "haresources", "authkeys"}) Files.copy(Path.of("conf/heartbeat", f), ha.resolve(f));
        Files.setPosixFilePermissions(ha.resolve("authkeys"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Run r = vigil("translate", ha.toString(), "--out", out.toString(), "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("wrote " + out.resolve("alpha/keepalived.conf")).contains("wrote " + out.resolve("beta/keepalived.conf"))
                .contains("authkeys is not needed for the translation");
        assertThat(Files.readString(report)).startsWith("# vigil translate: 2 node(s), 1 vrrp_instance(s)")
                .contains("serial /dev/ttyS0").contains("auth sha1 has no VRRP equivalent");
        Run check = vigil("check", out.resolve("alpha/keepalived.conf").toString(), out.resolve("beta/keepalived.conf").toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("0 error(s)");
    }

    @Test
    void nodePrintsThatNodesFileAndTheReportGoesToStderr() {
        Run r = vigil("translate", "conf/heartbeat", "--node", "BETA", "--interface", "bond0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# keepalived.conf for node beta").contains("    interface bond0\n").contains("    priority 100\n");
        assertThat(r.err()).contains("# vigil translate:").contains("mapped ");
    }

    @Test
    void usageErrors() {
        assertThat(vigil("translate", "conf/heartbeat").exit()).isEqualTo(2);
        assertThat(vigil("translate", "conf/heartbeat", "--out", dir.toString(), "--node", "alpha").exit()).isEqualTo(2);
        Run unknown = vigil("translate", "conf/heartbeat", "--node", "alpah");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("did you mean 'alpha'?");
        assertThat(vigil("translate", "conf/heartbeat", "--node", "alpha", "--vrrp-version", "4").exit()).isEqualTo(2);
    }

    @Test
    void brokenHeartbeatFilesAreRefused() throws Exception {
        Path ha = Files.createDirectories(dir.resolve("ha.d"));
        Files.writeString(ha.resolve("ha.cf"), "bcast eth0\nnode a\nnode b\n");
        Files.writeString(ha.resolve("haresources"), "c 10.0.0.1\n");
        Run r = vigil("translate", ha.toString(), "--node", "a");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("haresources:1:1: error: node 'c' is not declared").contains("fix them first");
        assertThat(r.out()).isEmpty();
    }
}
