package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status JSON, events and maintenance commands over a simulated pair, and their rendering. */
class VrrpControlTest {

    static final long S = 1_000_000_000L;
    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network = new SimNetwork(scheduler, 3);
    final SimAddressBook book = new SimAddressBook(scheduler);

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    SimVrrpNode node(String name, String self, int prio, int mac) {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_1", 51, ip(self)).version(3).priority(prio)
                .advertIntervalCentis(10).authentication(VrrpInstanceSettings.AuthType.NONE, "").virtualAddress(ip("10.0.0.100"))
                .build();
        return new SimVrrpNode(network, "lan", name, "eth0", new MacAddress(mac), List.of(ip(self)),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
    }

    @Test
    void statusEventsAndMaintenanceCommands() {
        SimVrrpNode a = node("a", "10.0.0.1", 150, 1);
        SimVrrpNode b = node("b", "10.0.0.2", 100, 2);
        VrrpControl control = new VrrpControl(a.router(), List::of);
        List<JsonObject> events = new ArrayList<>();
        Runnable unsubscribe = control.subscribe(events::add);
        a.start();
        b.start();
        scheduler.runFor(2 * S);

        JsonObject st = control.status();
        assertThat(st.getString("mode")).isEqualTo("vrrp");
        JsonObject i = st.getJsonArray("instances").getJsonObject(0);
        assertThat(i.getString("name")).isEqualTo("VI_1");
        assertThat(i.getString("state")).isEqualTo("MASTER");
        assertThat(i.getInteger("priority")).isEqualTo(150);
        assertThat(i.getInteger("effectivePriority")).isEqualTo(150);
        assertThat(i.getString("masterAddress")).isEqualTo("10.0.0.1");
        assertThat(i.getInteger("vrid")).isEqualTo(51);
        assertThat(i.getString("interface")).isEqualTo("eth0");
        assertThat(i.getInteger("version")).isEqualTo(3);
        assertThat(Instant.parse(i.getString("lastTransition"))).isAfter(Instant.EPOCH);
        assertThat(i.getJsonObject("counters").getLong("advert_sent")).isPositive();
        assertThat(st.getJsonArray("events").size()).isEqualTo(2);
        assertThat(events).extracting(e -> e.getString("to")).containsExactly("BACKUP", "MASTER");

        Future<JsonObject> r = control.command("fault", new JsonObject().put("instance", "VI_1"));
        assertThat(r.succeeded()).isTrue();
        scheduler.runFor(S);
        assertThat(book.holders(ip("10.0.0.100"))).containsExactly("b");
        assertThat(control.status().getJsonArray("instances").getJsonObject(0).getBoolean("maintenance")).isTrue();

        String table = render(control.status(), List.of());
        assertThat(table).contains("VI_1").contains("FAULT*").contains("in maintenance");

        assertThat(control.command("recover", new JsonObject().put("instance", "VI_1")).succeeded()).isTrue();
        scheduler.runFor(S);
        assertThat(book.holders(ip("10.0.0.100"))).containsExactly("a");
        assertThat(events).extracting(e -> e.getString("type")).contains("maintenance", "transition");

        assertThat(control.command("fault", new JsonObject().put("instance", "nope")).cause()).hasMessageContaining("no vrrp_instance nope");
        assertThat(control.command("standby", new JsonObject()).failed()).isTrue();
        unsubscribe.run();
        int seen = events.size();
        a.stop();
        assertThat(events).hasSize(seen);
    }

    @Test
    void theStatusNeverCarriesThePassword() {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_1", 51, ip("10.0.0.1")).priority(100)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpw").virtualAddress(ip("10.0.0.100")).build();
        SimVrrpNode a = new SimVrrpNode(network, "lan", "a", "eth0", new MacAddress(1), List.of(ip("10.0.0.1")),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
        a.start();
        scheduler.runFor(5 * S);
        assertThat(new VrrpControl(a.router(), List::of).status().encode()).doesNotContain("s3cr3tpw");
    }

    @Test
    void detailViewListsEveryCounterAndAnUnknownInstanceFails() {
        SimVrrpNode a = node("a", "10.0.0.1", 150, 1);
        a.start();
        scheduler.runFor(S);
        JsonObject st = new VrrpControl(a.router(), () -> List.of("VI_1: Unsafe permissions found for script 'x' - disabling."))
                .status();
        String detail = render(st, List.of("VI_1"));
        assertThat(detail).contains("effectivePriority  150").contains("advert_sent").contains("chk_err");
        StringWriter err = new StringWriter();
        assertThat(new VrrpStatusView().render(st, List.of("VI_9"), new PrintWriter(new StringWriter()), new PrintWriter(err)))
                .isEqualTo(1);
        assertThat(render(st, List.of())).contains("disabled script: VI_1: Unsafe permissions");
    }

    @Test
    void ageIsHuman() {
        assertThat(VrrpStatusView.human(java.time.Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(VrrpStatusView.human(java.time.Duration.ofSeconds(3723))).isEqualTo("1h2m");
        assertThat(VrrpStatusView.human(java.time.Duration.ofDays(3))).isEqualTo("3d0h");
    }

    static String render(JsonObject status, List<String> args) {
        StringWriter out = new StringWriter();
        new VrrpStatusView(() -> Instant.parse("2030-01-01T00:00:00Z")).render(status, args, new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        return out.toString();
    }
}
