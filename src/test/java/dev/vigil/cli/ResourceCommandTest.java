package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ResourceCommandTest {

    static int run(StringWriter err, String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void usageErrorsExitTwoAndANodeWithoutDaemonExitsOne(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        assertThat(run(err, "resource", "bogus")).isEqualTo(2);
        assertThat(run(err, "resource", "restart")).isEqualTo(2);
        assertThat(err.toString()).contains("NAME is required");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "resource", "list", "--state-dir", dir.toString())).isEqualTo(1);
        assertThat(err2.toString()).contains("no running Vigil daemon");
    }

    @Test
    void statusShowsStateMonitoringLastOperationAndItsOutputLines() {
        JsonObject r = new JsonObject().put("name", "apache2").put("monitored", true).put("monitorIntervalMs", 10_000L)
                .put("restartsInWindow", 1).put("maxRestarts", 3).put("restartsTotal", 4L).put("lastFailure", "monitor: not running")
                .put("lastOp", new JsonObject().put("op", "restart").put("ok", true).put("time", "2026-11-25T10:00:00Z")
                        .put("summary", "exit 0 in 40 ms").put("output", new JsonArray().add("Restarting apache2").add("done.")));
        JsonArray groups = new JsonArray().add(new JsonObject().put("group", "VI_1").put("state", "running").put("gaveUp", false)
                .put("resources", new JsonArray().add(r)));
        StringWriter out = new StringWriter();
        ResourceCommand.print(new PrintWriter(out, true), groups, true);
        assertThat(out.toString()).contains("group VI_1: running")
                .contains("apache2  monitored every 10.0 s, restarts 1/3 in window, 4 in all; last op restart ok")
                .contains("last failure: monitor: not running").contains("    | Restarting apache2").contains("    | done.");
    }
}
