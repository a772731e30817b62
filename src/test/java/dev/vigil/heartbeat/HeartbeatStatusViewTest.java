package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vigil status} against cl_status 3.0.6's output and exit codes, as captured on a real nodea. */
class HeartbeatStatusViewTest {

    static JsonObject status() {
        JsonArray links = new JsonArray().add(new JsonObject().put("name", "vg0").put("status", "up"));
        return new JsonObject().put("mode", "heartbeat").put("node", "nodea")
                .put("nodes", new JsonArray()
                        .add(new JsonObject().put("name", "nodea").put("status", "active").put("self", true).put("type", "normal").put("links", links))
                        .add(new JsonObject().put("name", "nodeb").put("status", "dead").put("self", false).put("type", "normal")
                                .put("links", new JsonArray().add(new JsonObject().put("name", "vg0").put("status", "dead")))))
                .put("resources", new JsonObject().put("rscstatus", "all").put("groups", new JsonArray()));
    }

    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = new HeartbeatStatusView().render(status(), List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void subcommandsPrintWhatClStatusPrints() {
        assertThat(run("hbstatus")).isEqualTo(new Run(0, "Heartbeat is running on this machine.\n", ""));
        // cl_status lists heartbeat's node table, the ha.cf nodes in reverse order
        assertThat(run("listnodes")).isEqualTo(new Run(0, "nodeb\nnodea\n", ""));
        assertThat(run("listnodes", "-p")).isEqualTo(new Run(0, "", ""));
        assertThat(run("nodestatus", "nodeb")).isEqualTo(new Run(0, "dead\n", ""));
        assertThat(run("nodestatus", "nodea")).isEqualTo(new Run(0, "active\n", ""));
        assertThat(run("nodetype", "nodeb")).isEqualTo(new Run(0, "normal\n", ""));
        assertThat(run("rscstatus")).isEqualTo(new Run(0, "all\n", ""));
        assertThat(run("listhblinks", "nodeb")).isEqualTo(new Run(0, "\tvg0\n", ""));
        assertThat(run("hblinkstatus", "nodeb", "vg0")).isEqualTo(new Run(0, "dead\n", ""));
        assertThat(run("hblinkstatus", "nodea", "vg0")).isEqualTo(new Run(0, "up\n", ""));
    }

    @Test
    void errorsGoToStderrWithClStatusExitCodes() {
        assertThat(run("nodestatus", "nodex")).isEqualTo(new Run(11, "", "Error. May be due to incorrect node name\n"));
        assertThat(run("nodestatus")).isEqualTo(new Run(11, "", "Not enough parameters.\n"));
        assertThat(run("listhblinks", "nodex"))
                .isEqualTo(new Run(13, "", "ERROR: Cannot start heartbeat link interface walk.\nERROR: REASON: EINVAL\n"));
        assertThat(run("hblinkstatus", "nodeb", "eth9")).isEqualTo(new Run(13, "", "ERROR: Cannot get heartbeat link status\nERROR: REASON: \n"));
        assertThat(run("hblinkstatus", "nodex", "vg0").rc()).isEqualTo(13);
        assertThat(run("bogus")).isEqualTo(new Run(11, "", "ERROR: bogus: invalid sub-command.\n"));
    }

    @Test
    void verboseListsEveryNodeWithItsLinks() {
        assertThat(run("listnodes", "-v").out())
                .isEqualTo("nodeb\tdead\t(nodetype: normal)\n\tvg0\tdead\n\nnodea\tactive\t(nodetype: normal)\n\tvg0\tup\n\n");
        assertThat(run().out()).startsWith("Heartbeat is running on this machine.\n").contains("managed by:\t\"haresources\"\n")
                .endsWith("nodea\tactive\t(nodetype: normal)\n\tvg0\tup\n\n");
    }
}
