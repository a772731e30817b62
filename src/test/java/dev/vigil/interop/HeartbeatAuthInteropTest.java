package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, interop case 6: a real heartbeat node and a Vigil node verify each other's md5- and
 * crc-signed packets, and with different keys each side rejects the other's packets, logging the
 * rejection without any key.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatAuthInteropTest {

    @ParameterizedTest
    @ValueSource(strings = {"2 md5 anotherKey123", "3 crc"})
    void realHeartbeatAndVigilAcceptEachOthersSignatures(String keyLine, @TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        String keys = "auth " + keyLine.charAt(0) + "\n" + keyLine + "\n";
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.9.1/24");
            String nsB = net.host("b", "10.240.9.2/24");
            try (RealHeartbeatNode a = new RealHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), "", keys).start();
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), "", keys).start();
                Supplier<String> logs = () -> "\n---- nodea:\n" + a.log() + "\n---- nodeb:\n" + b.log();
                FailoverScenarios.awaitStatus(a, "nodeb", "active", logs);
                FailoverScenarios.awaitStatus(b, "nodea", "active", logs);
                JsonObject status = new JsonObject(b.status("--json").output());
                assertThat(status.getJsonObject("counters").getJsonObject("rejected").isEmpty()).as(status.encode()).isTrue();
                assertThat(a.log()).doesNotContain("authentication failed");
            }
        }
    }

    @Test
    void withDifferentKeysEachSideRejectsTheOthersPacketsAndLogsNoKey(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        String keyA = "keyOfNodeA-7b1e";
        String keyB = "keyOfNodeB-93c2";
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.10.1/24");
            String nsB = net.host("b", "10.240.10.2/24");
            try (RealHeartbeatNode a = new RealHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir)) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), "", "auth 1\n1 sha1 " + keyA + "\n").start();
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), "", "auth 1\n1 sha1 " + keyB + "\n").start();
                Supplier<String> logs = () -> "\n---- nodea:\n" + a.log() + "\n---- nodeb:\n" + b.log();
                // initdead is 2 s: after it each side has declared the other dead, having accepted nothing from it
                Thread.sleep(4000);
                FailoverScenarios.awaitStatus(a, "nodeb", "dead", logs);
                FailoverScenarios.awaitStatus(b, "nodea", "dead", logs);
                JsonObject status = new JsonObject(b.status("--json").output());
                assertThat(status.getJsonObject("counters").getJsonObject("rejected").getLong("bad_signature", 0L))
                        .as(status.encode()).isPositive();
                assertThat(a.log()).as("real heartbeat rejects Vigil's packets").contains("authentication failed");
                assertThat(b.log()).contains("Rejected packet on vg0 from 10.240.10.1: bad_signature");
                assertThat(a.log() + b.log() + status.encode()).doesNotContain(keyA).doesNotContain(keyB);
                assertThat(b.log()).doesNotContain("Status update for node nodea");
            }
        }
    }
}
