package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.SocatPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vigil nodes whose only heartbeat path is a null-modem cable (a socat pty pair): they see each
 * other, and killing the holder moves the address (issue 5, test 1).
 */
@Tag("netns")
@Tag("interop")
class HeartbeatSerialOnlyPairInteropTest {
    static final String VIP = "10.240.16.100";

    static String haCf(Path tty) {
        return String.join("\n",
                "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2",
                "baud 19200", "serial " + tty, "auto_failback on",
                "node nodea", "node nodeb", "crm off", "");
    }

    @Test
    void serialOnlyPairJoinsAndKillingTheHolderMovesTheAddress(@TempDir Path dir) throws Exception {
        SocatPair.assumeAvailable();
        Path ttyA = dir.resolve("ttyA");
        Path ttyB = dir.resolve("ttyB");
        try (Netns net = Netns.create(); SocatPair cable = new SocatPair(ttyA, ttyB).start()) {
            String nsA = net.host("a", "10.240.16.1/24");
            String nsB = net.host("b", "10.240.16.2/24");
            String keys = "auth 1\n1 sha1 s3cr3t-hb-test-key\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir);
                 AddressSampler vip = new AddressSampler(VIP, Map.of("nodea", nsA, "nodeb", nsB))) {
                a.configure(haCf(ttyA), FailoverScenarios.haresources("nodea", VIP), keys);
                b.configure(haCf(ttyB), FailoverScenarios.haresources("nodea", VIP), keys);
                Supplier<String> logs = () -> "\n---- nodea:\n" + a.log() + "\n---- nodeb:\n" + b.log();
                long t0 = System.nanoTime();
                a.start();
                b.start();
                vip.awaitExactly(Set.of("nodea"), t0, Duration.ofSeconds(45));
                FailoverScenarios.awaitStatus(a, "nodeb", "active", logs);
                FailoverScenarios.awaitStatus(b, "nodea", "active", logs);
                assertThat(b.status("listhblinks", "nodea").output()).as(logs.get()).isEqualTo("\t" + ttyB + "\n");

                long kill = System.nanoTime();
                a.kill9();
                // the killed node's address stays configured, as after heartbeat's own kill -9: only B matters here
                long took = vip.await(h -> h.contains("nodeb"), kill, Duration.ofSeconds(10), "address on nodeb") - kill;
                System.out.printf("serial-only pair: kill -9 nodea -> address on nodeb %d ms%n", took / 1_000_000);
                // deadtime 1 s after the last heartbeat, plus one in-process address add: well within deadtime + 1 s
                assertThat(took).as(logs.get()).isLessThan(Duration.ofSeconds(2).toNanos());
                assertThat(b.log()).contains("node nodea: is dead");
            }
        }
    }
}
