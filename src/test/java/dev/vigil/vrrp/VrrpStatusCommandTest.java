package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Main;
import dev.vigil.console.ControlServer;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil status} against a VRRP control endpoint, through the real CLI and control server. */
class VrrpStatusCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static void endpoint(Path stateDir, int port) throws Exception {
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve("control.json"),
                new JsonObject().put("host", "127.0.0.1").put("port", port).put("mode", "vrrp").encode());
    }

    @Test
    void listsTheInstancesOfARunningVrrpDaemon(@TempDir Path dir) throws Exception {
        SimScheduler scheduler = new SimScheduler();
        SimVrrpNode node = new SimVrrpNode(new SimNetwork(scheduler, 1), "lan", "a", "eth0", new MacAddress(1),
                List.of(InetAddress.getByName("10.0.0.1")), VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(
                        VrrpInstanceSettings.builder("VI_1", 51, InetAddress.getByName("10.0.0.1")).priority(150)
                                .virtualAddress(InetAddress.getByName("10.0.0.100")).build(), "eth0"))),
                new SimAddressBook(scheduler));
        node.start();
        scheduler.runFor(5_000_000_000L);
        Vertx vertx = Vertx.vertx();
        try {
            ControlServer server = ControlServer.start(vertx, new VrrpControl(node.router(), List::of), "127.0.0.1", 0,
                    "test-token-0123456789abcdef", null).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            endpoint(dir, server.port());
            Run table = vigil("status", "--state-dir", dir.toString());
            assertThat(table.code()).as(table.err()).isZero();
            assertThat(table.out()).startsWith("INSTANCE").containsPattern("VI_1\\s+MASTER\\s+150\\s+150\\s+51\\s+eth0\\s+v2\\s+10\\.0\\.0\\.1");
            Run detail = vigil("status", "--state-dir", dir.toString(), "VI_1");
            assertThat(detail.out()).contains("become_master        1").containsPattern("advertWatch\\s+no");
            Run json = vigil("status", "--json", "--state-dir", dir.toString());
            assertThat(new JsonObject(json.out()).getString("mode")).isEqualTo("vrrp");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDaemonThatIsGoneIsSaidSoNotNull(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        endpoint(dir, port);
        Run r = vigil("status", "--state-dir", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no Vigil daemon answers at http://127.0.0.1:" + port).doesNotContain("null");
    }
}
