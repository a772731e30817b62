package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.translate.HaToKeepalived;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of {@code vigil translate}: the VRRP pair it writes puts each address where the
 * heartbeat pair it came from put it. Two haresources groups with opposite preferred nodes are run
 * first by two Vigil nodes in heartbeat mode, then, on a fresh LAN with the same addresses, by two
 * Vigil nodes in VRRP mode from the translated files: the same node holds each address once both
 * are up, and after {@code kill -9} of nodea, nodeb holds both in either mode.
 */
@Tag("netns")
@Tag("interop")
class TranslatedPairElectionInteropTest {
    static final String VIP_A = InteropLab.SUBNET + "100";
    static final String VIP_B = InteropLab.SUBNET + "101";

    static final String HA_CF = String.join("\n", "logfile /var/lib/heartbeat/ha-log", "use_logd no",
            "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2", "udpport 694", "bcast vg0",
            "auto_failback on", "node nodea", "node nodeb", "crm off", "");
    static final String HARESOURCES = "nodea IPaddr2::" + VIP_A + "/24/vg0\nnodeb IPaddr2::" + VIP_B + "/24/vg0\n";
    static final String AUTHKEYS = "auth 1\n1 sha1 translate-election-key\n";

    /** Which node holds each address, as {@code ip addr} shows it in each namespace. */
    static Map<String, List<String>> holders(Map<String, String> nsByNode) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String vip : List.of(VIP_A, VIP_B)) {
            List<String> h = new ArrayList<>();
            nsByNode.forEach((node, ns) -> {
                if (Sh.run("ip", "-n", ns, "-o", "-4", "addr", "show", "dev", "vg0").output().contains(" " + vip + "/")) h.add(node);
            });
            m.put(vip, h);
        }
        return m;
    }

    static Map<String, List<String>> awaitHolders(Map<String, String> nsByNode, Map<String, List<String>> wanted, long millis,
                                                  Supplier<String> logs) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        Map<String, List<String>> now = holders(nsByNode);
        while (!now.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = holders(nsByNode);
        }
        assertThat(now).as("address holders\n" + logs.get()).isEqualTo(wanted);
        return now;
    }

    /** kill -9 leaves the address behind in the dead node's namespace (no stop ran): remove it, as a reboot would. */
    static void forget(String ns, String vip) {
        Sh.run("ip", "-n", ns, "addr", "del", vip + "/24", "dev", "vg0");
    }

    @Test
    void translatedVrrpPairElectsTheOwnersTheHeartbeatPairHad(@TempDir Path dir) throws Exception {
        Path haD = Files.createDirectories(dir.resolve("ha.d"));
        Files.writeString(haD.resolve("ha.cf"), HA_CF);
        Files.writeString(haD.resolve("haresources"), HARESOURCES);
        Files.writeString(haD.resolve("authkeys"), AUTHKEYS);
        Files.setPosixFilePermissions(haD.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(haD);
        assertThat(loaded.diagnostics().hasErrors()).as(loaded.diagnostics().all().toString()).isFalse();
        HaToKeepalived.Result translated = HaToKeepalived.translate(loaded.model(), HaToKeepalived.Options.defaults());
        assertThat(translated.hasErrors()).isFalse();

        Map<String, List<String>> steady = Map.of(VIP_A, List.of("nodea"), VIP_B, List.of("nodeb"));
        Map<String, List<String>> afterKill = Map.of(VIP_A, List.of("nodeb"), VIP_B, List.of("nodeb"));

        // 1. heartbeat mode: each node takes the group it is preferred for; kill -9 nodea moves its group to nodeb
        Map<String, List<String>> heartbeatSteady;
        Map<String, List<String>> heartbeatAfterKill;
        try (Netns net = Netns.create()) {
            Map<String, String> ns = new LinkedHashMap<>();
            ns.put("nodea", net.host("a", InteropLab.ip(1) + "/24"));
            ns.put("nodeb", net.host("b", InteropLab.ip(2) + "/24"));
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, ns.get("nodea"), "nodea", dir.resolve("hb"));
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, ns.get("nodeb"), "nodeb", dir.resolve("hb"))) {
                a.configure(HA_CF, HARESOURCES, AUTHKEYS);
                b.configure(HA_CF, HARESOURCES, AUTHKEYS);
                a.start();
                b.start();
                Supplier<String> logs = () -> a.log() + "\n----\n" + b.log();
                heartbeatSteady = awaitHolders(ns, steady, 45_000, logs);
                a.kill9();
                forget(ns.get("nodea"), VIP_A);
                heartbeatAfterKill = awaitHolders(ns, afterKill, 15_000, logs);
            }
        }

        // 2. VRRP mode from the translated files, on a fresh LAN with the same addresses
        try (InteropLab lab = new InteropLab(dir.resolve("vrrp"), "a", "b")) {
            Map<String, String> ns = new LinkedHashMap<>();
            ns.put("nodea", lab.ns("a"));
            ns.put("nodeb", lab.ns("b"));
            InteropLab.VigilNode a = lab.vigil("a", translated.configs().get("nodea"));
            InteropLab.VigilNode b = lab.vigil("b", translated.configs().get("nodeb"));
            a.awaitReady();
            b.awaitReady();
            Map<String, List<String>> vrrpSteady = awaitHolders(ns, steady, 30_000, lab::logs);
            a.kill9();
            forget(ns.get("nodea"), VIP_A);
            Map<String, List<String>> vrrpAfterKill = awaitHolders(ns, afterKill, 15_000, lab::logs);
            assertThat(vrrpSteady).isEqualTo(heartbeatSteady);
            assertThat(vrrpAfterKill).isEqualTo(heartbeatAfterKill);
        }
    }
}
