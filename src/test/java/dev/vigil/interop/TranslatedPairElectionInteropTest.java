package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.translate.HaToKeepalived;
import dev.vigil.heartbeat.interop.HbClusterNode;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
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
 * first by a heartbeat pair (two Vigil nodes in heartbeat mode, or two real heartbeat 3.0.6 nodes),
 * then, on a fresh LAN with the same addresses, by two Vigil nodes in VRRP mode from the translated
 * files; the holders of each address are compared at each step: both up (auto_failback off: nodea
 * first, alone, then nodeb); {@code kill -9} of nodea; nodea back (auto_failback on: its group
 * returns; off: it stays on nodeb).
 */
@Tag("netns")
@Tag("interop")
class TranslatedPairElectionInteropTest {
    static final String VIP_A = InteropLab.SUBNET + "100";
    static final String VIP_B = InteropLab.SUBNET + "101";
    static final String HARESOURCES = "nodea IPaddr2::" + VIP_A + "/24/vg0\nnodeb IPaddr2::" + VIP_B + "/24/vg0\n";
    static final String AUTHKEYS = "auth 1\n1 sha1 translate-election-key\n";
    static final Map<String, List<String>> STEADY = Map.of(VIP_A, List.of("nodea"), VIP_B, List.of("nodeb"));
    static final Map<String, List<String>> ALL_ON_B = Map.of(VIP_A, List.of("nodeb"), VIP_B, List.of("nodeb"));
    static final Map<String, List<String>> ALL_ON_A = Map.of(VIP_A, List.of("nodea"), VIP_B, List.of("nodea"));
    /** Long enough after nodea is back for a failback to have happened: heartbeat's took 4-5 s (research heartbeat.md §3). */
    static final long NO_FAILBACK_WATCH_MILLIS = 8_000;

    @TempDir
    Path dir;

    static String haCf(String autoFailback) {
        return String.join("\n", "logfile /var/lib/heartbeat/ha-log", "use_logd no",
                "keepalive 200ms", "deadtime 1", "warntime 600ms", "initdead 2", "udpport 694", "bcast vg0",
                "auto_failback " + autoFailback, "node nodea", "node nodeb", "crm off", "");
    }

    HaToKeepalived.Result translate(String haCf) throws Exception {
        Path haD = Files.createDirectories(dir.resolve("ha.d"));
        Files.writeString(haD.resolve("ha.cf"), haCf);
        Files.writeString(haD.resolve("haresources"), HARESOURCES);
        Files.writeString(haD.resolve("authkeys"), AUTHKEYS);
        Files.setPosixFilePermissions(haD.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(haD);
        assertThat(loaded.diagnostics().hasErrors()).as(loaded.diagnostics().all().toString()).isFalse();
        HaToKeepalived.Result translated = HaToKeepalived.translate(loaded.model(), HaToKeepalived.Options.defaults());
        assertThat(translated.hasErrors()).isFalse();
        return translated;
    }

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

    /** The holders stay {@code wanted} for the whole watch (sampled every 100 ms). */
    static Map<String, List<String>> holdersStay(Map<String, String> nsByNode, Map<String, List<String>> wanted, long millis,
                                                 Supplier<String> logs) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertThat(holders(nsByNode)).as("address holders\n" + logs.get()).isEqualTo(wanted);
            Thread.sleep(100);
        }
        return holders(nsByNode);
    }

    /** kill -9 leaves the address behind in the dead node's namespace (no stop ran): remove it, as a reboot would. */
    static void forget(String ns, String vip) {
        Sh.run("ip", "-n", ns, "addr", "del", vip + "/24", "dev", "vg0");
    }

    interface NodeFactory {
        HbClusterNode create(Netns net, String ns, String node, Path workDir) throws Exception;
    }

    /**
     * The heartbeat side: holders when both are up, after kill -9 of nodea, and (if {@code restart}) once nodea is back.
     * Without failback, nodea starts alone first and takes both groups (heartbeat's nice_failback: a node that finds no
     * peer within initdead takes everything), then nodeb joins and takes nothing back.
     */
    List<Map<String, List<String>>> heartbeatPair(NodeFactory factory, String haCf, boolean kill, boolean restart, boolean failback)
            throws Exception {
        List<Map<String, List<String>>> seen = new ArrayList<>();
        try (Netns net = Netns.create()) {
            Map<String, String> ns = new LinkedHashMap<>();
            ns.put("nodea", net.host("a", InteropLab.ip(1) + "/24"));
            ns.put("nodeb", net.host("b", InteropLab.ip(2) + "/24"));
            try (HbClusterNode a = factory.create(net, ns.get("nodea"), "nodea", dir.resolve("hb"));
                 HbClusterNode b = factory.create(net, ns.get("nodeb"), "nodeb", dir.resolve("hb"))) {
                a.configure(haCf, HARESOURCES, AUTHKEYS);
                b.configure(haCf, HARESOURCES, AUTHKEYS);
                Supplier<String> logs = () -> a.log() + "\n----\n" + b.log();
                a.start();
                if (failback) {
                    b.start();
                    seen.add(awaitHolders(ns, STEADY, 60_000, logs));
                } else {
                    awaitHolders(ns, ALL_ON_A, 60_000, logs);
                    b.start();
                    InteropLab.await(30_000, () -> "active".equals(a.nodeStatus("nodeb")) && "active".equals(b.nodeStatus("nodea")),
                            "nodeb joined");
                    seen.add(holdersStay(ns, ALL_ON_A, NO_FAILBACK_WATCH_MILLIS, logs));
                }
                if (!kill) return seen;
                a.kill9();
                forget(ns.get("nodea"), VIP_A);
                forget(ns.get("nodea"), VIP_B);
                seen.add(awaitHolders(ns, ALL_ON_B, 15_000, logs));
                if (restart) {
                    a.start();
                    InteropLab.await(30_000, () -> "active".equals(a.nodeStatus("nodeb")) && "active".equals(b.nodeStatus("nodea")),
                            "nodea rejoined");
                    seen.add(failback ? awaitHolders(ns, STEADY, 30_000, logs) : holdersStay(ns, ALL_ON_B, NO_FAILBACK_WATCH_MILLIS, logs));
                }
            }
        }
        return seen;
    }

    /** The same steps with the translated files on two Vigil VRRP nodes. */
    List<Map<String, List<String>>> vrrpPair(HaToKeepalived.Result translated, boolean restart, boolean failback) throws Exception {
        List<Map<String, List<String>>> seen = new ArrayList<>();
        Path labDir = dir.resolve("vrrp");
        try (InteropLab lab = new InteropLab(labDir, "a", "b")) {
            Map<String, String> ns = new LinkedHashMap<>();
            ns.put("nodea", lab.ns("a"));
            ns.put("nodeb", lab.ns("b"));
            InteropLab.VigilNode a = lab.vigil("a", translated.configs().get("nodea"));
            String instanceA = translated.instances().get(0).name();
            String instanceB = translated.instances().get(1).name();
            if (failback) {
                InteropLab.VigilNode b = lab.vigil("b", translated.configs().get("nodeb"));
                a.awaitReady();
                b.awaitReady();
                seen.add(awaitHolders(ns, STEADY, 30_000, lab::logs));
            } else {
                a.awaitReady();
                awaitHolders(ns, ALL_ON_A, 30_000, lab::logs);
                InteropLab.VigilNode b = lab.vigil("b", translated.configs().get("nodeb")).awaitReady();
                InteropLab.await(15_000, () -> state(b, instanceA).equals("BACKUP") && state(b, instanceB).equals("BACKUP"), "nodeb backup");
                seen.add(holdersStay(ns, ALL_ON_A, NO_FAILBACK_WATCH_MILLIS, lab::logs));
                assertThat(state(b, instanceB)).as("nopreempt: nodeb does not take back its own group").isEqualTo("BACKUP");
            }
            a.kill9();
            forget(ns.get("nodea"), VIP_A);
                forget(ns.get("nodea"), VIP_B);
            seen.add(awaitHolders(ns, ALL_ON_B, 15_000, lab::logs));
            if (restart) {
                Files.deleteIfExists(labDir.resolve("vigil-a").resolve("state").resolve("control.json"));
                InteropLab.VigilNode again = lab.vigil("a", translated.configs().get("nodea")).awaitReady();
                InteropLab.await(15_000, () -> List.of("BACKUP", "MASTER").contains(state(again, instanceA)), "nodea running its instances");
                seen.add(failback ? awaitHolders(ns, STEADY, 15_000, lab::logs) : holdersStay(ns, ALL_ON_B, NO_FAILBACK_WATCH_MILLIS, lab::logs));
                if (!failback) assertThat(state(again, instanceA)).as("nopreempt: nodea does not take back its group").isEqualTo("BACKUP");
            }
        }
        return seen;
    }

    static String state(InteropLab.VigilNode n, String instance) {
        try {
            return n.instance(instance).getString("state");
        } catch (Exception | AssertionError e) {
            return "?";
        }
    }

    @Test
    void autoFailbackOnGroupsGoHomeInBothModes() throws Exception {
        HaToKeepalived.Result translated = translate(haCf("on"));
        List<Map<String, List<String>>> heartbeat = heartbeatPair(VigilHeartbeatNode::new, haCf("on"), true, true, true);
        List<Map<String, List<String>>> vrrp = vrrpPair(translated, true, true);
        assertThat(vrrp).isEqualTo(heartbeat).containsExactly(STEADY, ALL_ON_B, STEADY);
    }

    /**
     * auto_failback off -> nopreempt: nodea alone takes both groups; nodeb joining takes nothing back;
     * kill -9 nodea gives nodeb both; nodea back takes nothing. (The join step is what real heartbeat
     * does too: see the next test.)
     */
    @Test
    void autoFailbackOffGroupsStayWhereTheyAre() throws Exception {
        HaToKeepalived.Result translated = translate(haCf("off"));
        assertThat(translated.configs().get("nodea")).contains("nopreempt");
        assertThat(vrrpPair(translated, true, false)).containsExactly(ALL_ON_A, ALL_ON_B, ALL_ON_B);
    }

    /** Real heartbeat 3.0.6 with auto_failback off: nodeb joining a nodea that holds both groups takes nothing back. */
    @Test
    void realHeartbeatWithAutoFailbackOffTakesNothingBackOnJoinAsNopreempt() throws Exception {
        RealHeartbeat.assumeAvailable();
        assertThat(heartbeatPair(RealHeartbeatNode::new, haCf("off"), false, false, false)).containsExactly(ALL_ON_A);
    }

    @Test
    void realHeartbeatPairAndTranslatedVrrpPairElectTheSameOwners() throws Exception {
        RealHeartbeat.assumeAvailable();
        HaToKeepalived.Result translated = translate(haCf("on"));
        List<Map<String, List<String>>> heartbeat = heartbeatPair(RealHeartbeatNode::new, haCf("on"), true, false, true);
        List<Map<String, List<String>>> vrrp = vrrpPair(translated, false, true);
        assertThat(vrrp).isEqualTo(heartbeat).containsExactly(STEADY, ALL_ON_B);
    }
}
