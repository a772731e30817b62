package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import dev.vigil.testing.Sh;
import dev.vigil.testing.SocatPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real heartbeat node and a Vigil node joined by UDP and by a serial line (a socat pty pair):
 * when the UDP path is cut, heartbeats keep flowing over the serial line, only the UDP link dies,
 * and the address stays where it is.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatSerialInteropTest {
    static final String VIP = "10.240.15.100";

    static String haCf(Path tty) {
        return String.join("\n",
                "logfile /var/lib/heartbeat/ha-log", "use_logd no",
                "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2",
                "udpport 694", "bcast vg0", "baud 19200", "serial " + tty, "auto_failback on",
                "node nodea", "node nodeb", "crm off", "");
    }

    @Test
    void cuttingUdpLeavesTheSerialLineCarryingTheCluster(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        SocatPair.assumeAvailable();
        Assumptions.assumeTrue(Sh.has("nft"), "nftables missing");
        Path ttyA = dir.resolve("ttyA");
        Path ttyB = dir.resolve("ttyB");
        try (Netns net = Netns.create(); SocatPair cable = new SocatPair(ttyA, ttyB).start()) {
            String nsA = net.host("a", "10.240.15.1/24");
            String nsB = net.host("b", "10.240.15.2/24");
            String keys = "auth 1\n1 sha1 s3cr3t-hb-test-key\n";
            try (RealHeartbeatNode a = new RealHeartbeatNode(net, nsA, "nodea", dir);
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
                FailoverScenarios.awaitStable(a, b, logs);
                assertThat(b.status("listhblinks", "nodea").output()).isEqualTo("\tvg0\n\t" + ttyB + "\n");
                assertThat(b.status("hblinkstatus", "nodea", ttyB.toString()).output().trim()).as(logs.get()).isEqualTo("up");
                assertThat(a.real().admin("cl_status", "hblinkstatus", "nodeb", ttyA.toString()).output().trim()).isEqualTo("up");

                // a node may declare its peer dead at initdead while the other JVM is still starting: only deaths after the cut count
                int markA = a.log().length();
                int markB = b.log().length();
                // cut UDP both ways at B
                net.exec(nsB, "nft", "add table inet cut; add chain inet cut in { type filter hook input priority 0; }; "
                        + "add chain inet cut out { type filter hook output priority 0; }; "
                        + "add rule inet cut in udp dport 694 drop; add rule inet cut out udp dport 694 drop");
                long cut = System.nanoTime();
                FailoverScenarios.awaitStatusEventually(b, () -> b.status("hblinkstatus", "nodea", "vg0").output().trim(), "dead", logs);
                Thread.sleep(3000); // three deadtimes with UDP gone
                assertThat(a.nodeStatus("nodeb")).as(logs.get()).isEqualTo("active");
                assertThat(b.nodeStatus("nodea")).as(logs.get()).isEqualTo("active");
                assertThat(a.real().admin("cl_status", "hblinkstatus", "nodeb", "vg0").output().trim()).isEqualTo("dead");
                assertThat(b.status("hblinkstatus", "nodea", ttyB.toString()).output().trim()).isEqualTo("up");
                assertThat(vip.samples().stream().filter(s -> s.nanos() >= cut)).as(vip.describe(cut))
                        .allMatch(s -> s.holders().equals(Set.of("nodea")));
                assertThat(b.log().substring(markB)).contains("Link nodea:vg0 dead.").doesNotContain("node nodea: is dead");
                assertThat(a.log().substring(markA)).as(logs.get()).doesNotContain("node nodeb: is dead");

                net.exec(nsB, "nft", "delete table inet cut");
                FailoverScenarios.awaitStatusEventually(b, () -> b.status("hblinkstatus", "nodea", "vg0").output().trim(), "up", logs);
            }
        }
    }
}
