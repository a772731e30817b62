package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run --keepalived} refusing to start: a config with errors (its file:line:col lines),
 * missing capabilities and a missing libpcap, each as one line an operator can act on, never a stack
 * trace. Vigil runs as a real process in a test namespace.
 */
@Tag("netns")
class VrrpDaemonStartupNetnsTest {

    static final String GOOD = """
            vrrp_instance VI_1 {
                interface vg0
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    10.240.9.100/24
                }
            }
            """;

    static List<String> vigil(Path dir, String... prefix) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> argv = new ArrayList<>(List.of(prefix));
        argv.addAll(List.of(java, "-cp", cp, "dev.vigil.cli.Main", "run", "--keepalived", dir.resolve("keepalived.conf").toString(),
                "--state-dir", dir.resolve("state").toString(), "--console", "127.0.0.1:0"));
        return argv;
    }

    static void assertOneCleanLine(Sh.Result r) {
        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void configErrorsAreListedWithTheirLocationsAndNothingStarts(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface vg0
                    virtual_router_id 300
                    priorty 100
                    virtual_ipaddress {
                        10.240.9.100/24
                    }
                }
                """);
        Sh.Result r = Sh.run(vigil(dir));
        assertOneCleanLine(r);
        assertThat(r.output()).contains("not starting")
                .containsPattern("keepalived\\.conf:3:\\d+: error: .*300")
                .containsPattern("keepalived\\.conf:4:\\d+: error: .*priorty");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void missingCapabilitiesAreNamedInOneLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keepalived.conf"), GOOD);
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.9.1/24");
            // root, but without the two capabilities VRRP needs (as an unprivileged service user would be)
            Sh.Result r = Sh.run(vigil(dir, "ip", "netns", "exec", ns, "setpriv", "--bounding-set=-net_raw,-net_admin",
                    "--inh-caps=-net_raw,-net_admin", "--"));
            assertOneCleanLine(r);
            assertThat(r.output().strip().lines().filter(l -> l.contains("CAP_NET_RAW"))).singleElement()
                    .satisfies(l -> assertThat(l).contains("CAP_NET_ADMIN").contains("AmbientCapabilities"));
        }
    }

    @Test
    void missingLibpcapIsNamedWithThePackage(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keepalived.conf"), GOOD);
        Path lib = Path.of("/usr/lib/x86_64-linux-gnu/libpcap.so.0.8");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(lib), "libpcap is elsewhere on this system");
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.9.1/24");
            // hide the library in a private mount namespace, as if libpcap0.8 were not installed
            String inner = String.join(" ", vigil(dir, "ip", "netns", "exec", ns).stream().map(s -> "'" + s + "'").toList());
            Sh.Result r = Sh.run("unshare", "-m", "sh", "-c", "mount --bind /dev/null " + lib.toRealPath() + " && exec " + inner);
            assertOneCleanLine(r);
            assertThat(r.output()).contains("libpcap not found: install it with 'apt-get install libpcap0.8'");
        }
    }

    @Test
    void aMissingInterfaceIsAConfigErrorAtTheInstance(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keepalived.conf"), GOOD.replace("vg0", "vg9"));
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.9.1/24");
            Sh.Result r = Sh.run(vigil(dir, "ip", "netns", "exec", ns));
            assertOneCleanLine(r);
            assertThat(r.output()).containsPattern("keepalived\\.conf:1:1: error: \\(VI_1\\) interface vg9 does not exist");
        }
    }
}
