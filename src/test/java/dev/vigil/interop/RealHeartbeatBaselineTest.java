package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real heartbeat 3.0.6 nodes, to prove the harness the interop tests build on: if this fails,
 * a Vigil interop failure says nothing about Vigil.
 */
@Tag("netns")
@Tag("interop")
class RealHeartbeatBaselineTest {

    static String haCf() {
        return String.join("\n",
                "logfile /var/lib/heartbeat/ha-log", "use_logd no",
                "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2",
                "udpport 694", "bcast vg0", "auto_failback on",
                "node nodea", "node nodeb", "crm off", "");
    }

    @Test
    void twoRealNodesSeeEachOtherActiveAndThePreferredNodeHoldsTheAddress(@TempDir Path dir) throws Exception {
        RealHeartbeat.assumeAvailable();
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.5.1/24");
            String b = net.host("b", "10.240.5.2/24");
            String keys = "auth 1\n1 sha1 s3cr3t-hb-test-key\n";
            String res = "nodea IPaddr2::10.240.5.100/24/vg0\n";
            try (RealHeartbeat ha = new RealHeartbeat(net, a, "nodea", dir).configure(haCf(), res, keys).start();
                 RealHeartbeat hb = new RealHeartbeat(net, b, "nodeb", dir).configure(haCf(), res, keys).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (System.nanoTime() < deadline && !net.addresses(a, "vg0").contains("10.240.5.100")) {
                    Thread.sleep(200);
                }
                assertThat(net.addresses(a, "vg0")).as(ha.log()).contains("10.240.5.100");
                assertThat(ha.nodeStatus("nodeb")).isEqualTo("active");
                assertThat(hb.nodeStatus("nodea")).isEqualTo("active");
                assertThat(net.addresses(b, "vg0")).doesNotContain("10.240.5.100");
            }
        }
    }
}
