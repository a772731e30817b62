package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run --heartbeat} refusing to start: nothing is opened, the reasons are printed as file:line:col. */
class HeartbeatDaemonTest {

    @Test
    void configurationErrorsStopTheStartWithTheirLocations(@TempDir Path dir) throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("ha.cf"), "keepalive 2\ndeadtime often\nbcast vg0\nnode nodea\nnode nodeb\n");
        Files.writeString(etc.resolve("haresources"), "nodec 10.0.0.1\n");
        Files.writeString(etc.resolve("authkeys"), "auth 1\n1 sha1 secret-key-value\n");
        Files.setPosixFilePermissions(etc.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run("run", "--heartbeat", etc.toString(), "--node", "nodea", "--state-dir", dir.resolve("state").toString(),
                    "--console", "127.0.0.1:0");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(rc).isEqualTo(1);
        assertThat(text).contains(etc.resolve("ha.cf") + ":2:").contains(etc.resolve("haresources") + ":1:1: error: node 'nodec'")
                .contains("Configuration error, heartbeat not started.").doesNotContain("secret-key-value");
        assertThat(dir.resolve("state").resolve("hb_generation")).doesNotExist();
    }
}
