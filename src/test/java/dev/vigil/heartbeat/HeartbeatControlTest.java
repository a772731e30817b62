package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.sim.SimHeartbeatCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control surface on a simulated pair: the fields web/app.js reads, the commands, the event stream. */
class HeartbeatControlTest {
    static final String VIP = "IPaddr2::10.0.0.100/24/eth0";

    static SimHeartbeatCluster pair() {
        SimHeartbeatCluster c = SimHeartbeatCluster.builder().nodes("nodea", "nodeb").timings(Duration.ofMillis(200), Duration.ofSeconds(1))
                .initdead(Duration.ofSeconds(2)).autoFailback(AutoFailback.ON).group("nodea", VIP).build().start();
        c.runFor(Duration.ofSeconds(20));
        return c;
    }

    static HeartbeatControl control(SimHeartbeatCluster c, String node) {
        return new HeartbeatControl(() -> c.node(node), new HeartbeatControl.ConfigSummary(Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(2), 694, "on"), List.of());
    }

    @Test
    void statusHasTheFieldsTheConsoleReads() {
        SimHeartbeatCluster c = pair();
        JsonObject s = control(c, "nodeb").status();
        assertThat(s.getString("mode")).isEqualTo("heartbeat");
        assertThat(s.getString("node")).isEqualTo("nodeb");
        JsonArray nodes = s.getJsonArray("nodes");
        assertThat(nodes.size()).isEqualTo(2);
        JsonObject a = nodes.getJsonObject(0);
        assertThat(a.getMap()).containsEntry("name", "nodea").containsEntry("status", "active").containsEntry("self", false)
                .containsEntry("type", "normal");
        assertThat(a.getJsonArray("links").getJsonObject(0).getMap()).containsEntry("name", "eth0").containsEntry("status", "up");
        assertThat(nodes.getJsonObject(1).getBoolean("self")).isTrue();
        JsonObject res = s.getJsonObject("resources");
        assertThat(res.getString("rscstatus")).isEqualTo("local"); // heartbeat's nodeb claims its (empty) local set too
        JsonObject g = res.getJsonArray("groups").getJsonObject(0);
        assertThat(g.getMap()).containsEntry("key", VIP).containsEntry("preferred", "nodea").containsEntry("holder", "nodea")
                .containsEntry("state", "stopped");
        assertThat(g.getJsonArray("resources").getList()).containsExactly(VIP);
        assertThat(s.getJsonArray("events").getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("time", "kind", "text");
        assertThat(s.getJsonArray("warnings")).isEmpty();
        assertThat(s.getJsonObject("config").getMap()).containsEntry("keepalive", "200ms").containsEntry("deadtime", "1")
                .containsEntry("warntime", "500ms").containsEntry("initdead", "2").containsEntry("udpport", 694)
                .containsEntry("auto_failback", "on");
    }

    @Test
    void standbyAndTakeoverCommandsDriveTheResourceManagerAndEventsAreStreamed() {
        SimHeartbeatCluster c = pair();
        HeartbeatControl a = control(c, "nodea");
        List<JsonObject> streamed = new ArrayList<>();
        Runnable unsubscribe = control(c, "nodeb").subscribe(streamed::add);
        assertThat(a.command("standby", new JsonObject().put("which", "all")).succeeded()).isTrue();
        c.runFor(Duration.ofSeconds(3));
        assertThat(c.timeline().holders(VIP)).containsExactly("nodeb");
        assertThat(streamed).anyMatch(e -> e.getString("kind").equals("resource") && e.getString("text").contains("running"));
        unsubscribe.run();
        int seen = streamed.size();
        assertThat(a.command("takeover", new JsonObject()).succeeded()).isTrue(); // "all" by default, as hb_takeover
        c.runFor(Duration.ofSeconds(3));
        assertThat(c.timeline().holders(VIP)).containsExactly("nodea");
        assertThat(streamed).hasSize(seen);

        Future<JsonObject> bad = a.command("standby", new JsonObject().put("which", "everything"));
        assertThat(bad.failed()).isTrue();
        assertThat(bad.cause().getMessage()).contains("all, local, foreign or failback");
        assertThat(a.command("reboot", new JsonObject()).failed()).isTrue();
        c.kill("nodea");
        Future<JsonObject> dead = a.command("standby", new JsonObject());
        assertThat(dead.failed()).isTrue();
        assertThat(dead.cause().getMessage()).contains("not running");
    }
}
