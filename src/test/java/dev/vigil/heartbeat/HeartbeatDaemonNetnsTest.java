package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process in a namespace: its status JSON, its state, its clean stop, its refusals. */
@Tag("netns")
class HeartbeatDaemonNetnsTest {
    static final String VIP = "10.240.12.100";

    @Test
    void aLoneNodeTakesItsGroupReportsItAndLeavesCleanly(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.12.1/24");
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, ns, "nodea", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP),
                        "auth 1\n1 sha1 lone-node-key\n").start();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < deadline && !net.addresses(ns, "vg0").contains(VIP)) Thread.sleep(100);
                assertThat(net.addresses(ns, "vg0")).as(a.log()).contains(VIP);

                // alone, the start-up handshake ends after RQSTDELAY (10 s), as heartbeat's does
                while (System.nanoTime() < deadline + 15_000_000_000L && a.rscStatus().equals("transition")) Thread.sleep(500);
                JsonObject s = new JsonObject(a.status("--json").output());
                assertThat(s.getString("mode")).isEqualTo("heartbeat");
                assertThat(s.getString("node")).isEqualTo("nodea");
                assertThat(s.getJsonArray("nodes").getJsonObject(0).getMap()).containsEntry("name", "nodea").containsEntry("self", true)
                        .containsEntry("status", "active").containsEntry("type", "normal");
                assertThat(s.getJsonArray("nodes").getJsonObject(1).getString("status")).isEqualTo("dead");
                assertThat(s.getJsonArray("nodes").getJsonObject(1).getJsonArray("links").getJsonObject(0).getMap())
                        .containsEntry("name", "vg0").containsEntry("status", "dead");
                JsonObject group = s.getJsonObject("resources").getJsonArray("groups").getJsonObject(0);
                assertThat(group.getMap()).containsEntry("key", "IPaddr2::" + VIP + "/24/vg0").containsEntry("preferred", "nodea")
                        .containsEntry("holder", "nodea").containsEntry("state", "running");
                assertThat(s.getJsonObject("resources").getString("rscstatus")).isEqualTo("all");
                assertThat(s.getJsonObject("config").getMap()).containsEntry("keepalive", "200ms").containsEntry("deadtime", "1")
                        .containsEntry("initdead", "2").containsEntry("udpport", 694).containsEntry("auto_failback", "on");
                assertThat(s.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("text")))
                        .contains("node nodeb: is dead");
                assertThat(s.encode()).doesNotContain("lone-node-key");

                Sh.Result bad = a.cli("standby", "--state-dir", a.stateDir().toString(), "everything");
                assertThat(bad.exitCode()).isEqualTo(2);
                long generation = Long.parseLong(Files.readString(a.stateDir().resolve("hb_generation")).strip());
                assertThat(s.getLong("generation")).isEqualTo(generation);

                // the JVM reports a SIGTERM it handled with its shutdown hook as 128+15
                assertThat(a.terminate()).isIn(0, 143);
                assertThat(net.addresses(ns, "vg0")).doesNotContain(VIP);
                assertThat(a.log()).contains("Giving up all HA resources.").contains("Heartbeat shutdown complete.");

                a.start();
                assertThat(Long.parseLong(Files.readString(a.stateDir().resolve("hb_generation")).strip())).isEqualTo(generation + 1);
                a.kill9();
            }
        }
    }

    @Test
    void anUnusableGenerationFileStopsTheStartBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.13.1/24");
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, ns, "nodea", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), "", "auth 1\n1 crc\n");
                Files.createDirectories(a.stateDir().resolve("hb_generation").resolve("in-the-way"));
                try {
                    a.start();
                    throw new AssertionError("started although hb_generation cannot be written:\n" + a.log());
                } catch (IllegalStateException expected) {
                    assertThat(expected.getMessage()).contains("exited with 1")
                            .contains("vigil: cannot read " + a.stateDir().resolve("hb_generation")).contains("heartbeat not started")
                            .doesNotContain("Heartbeat generation:");
                }
            }
        }
    }
}
