package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Secret;
import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.AuthMethod;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.testing.Netns;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, hostile input in heartbeat mode: a Vigil pair (keepalive 200 ms, deadtime 1 s, bcast) while
 * a third namespace floods UDP port 694 with nodeb's own packets replayed from its previous
 * generation, nodeb's packets re-signed with a key the cluster does not have, truncated packets and
 * random bytes. Every kind must be dropped (the codec's counters, heartbeat's "attempted replay
 * attack" for old generations), nobody declared dead, the address left where it is, the key never
 * logged. {@code -Dvigil.hostile.pps} (1000 by default) / {@code -Dvigil.hostile.seconds} as for the VRRP flood.
 */
@Tag("netns")
@Tag("interop")
class HeartbeatHostileInputInteropTest {
    static final String VIP = "10.240.8.100";
    static final String KEY = "hostile-pair-key";

    @Test
    void replayedWrongKeyAndGarbageFloodsAreDroppedAndNobodyDies(@TempDir Path dir) throws Exception {
        try {
            floodOnce(java.nio.file.Files.createDirectories(dir.resolve("first")));
        } catch (AssertionError first) {
            // a loaded 2-core machine can starve a node's loop for a deadtime without any flood (the
            // BlockedThreadChecker lines say so); a systematic fault fails the second measurement too
            System.out.println("HOSTILE heartbeat first attempt failed: " + first.getMessage().lines().findFirst().orElse(""));
            floodOnce(java.nio.file.Files.createDirectories(dir.resolve("second")));
        }
    }

    private void floodOnce(Path dir) throws Exception {
        long seconds = Long.getLong("vigil.hostile.seconds", 10);
        // 1000 pps: 200 times the pair's own packet rate at keepalive 200 ms
        long pps = Long.getLong("vigil.hostile.pps", 1000);
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.8.1/24");
            String nsB = net.host("b", "10.240.8.2/24");
            String nsX = net.host("x", "10.240.8.3/24");
            String keys = "auth 1\n1 sha1 " + KEY + "\n";
            try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", dir);
                 VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", dir);
                 AddressSampler vip = new AddressSampler(VIP, Map.of("nodea", nsA, "nodeb", nsB))) {
                a.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                b.configure(FailoverScenarios.haCf("nodea", "nodeb"), FailoverScenarios.haresources("nodea", VIP), keys);
                Supplier<String> logs = () -> "\n---- nodea:\n" + tail(a.log()) + "\n---- nodeb:\n" + tail(b.log());
                DatagramSocket sock = net.callIn(nsX, () -> {
                    DatagramSocket s = new DatagramSocket(null);
                    s.setReuseAddress(true);
                    s.setBroadcast(true);
                    s.bind(new InetSocketAddress(694));
                    s.setSoTimeout(200);
                    return s;
                });
                try (sock) {
                    long t0 = System.nanoTime();
                    a.start();
                    b.start();
                    vip.awaitExactly(Set.of("nodea"), t0, Duration.ofSeconds(45));
                    FailoverScenarios.awaitStatus(a, "nodeb", "active", logs);
                    FailoverScenarios.awaitStable(a, b, logs);

                    // nodeb's packets of this generation, heard from the LAN
                    List<byte[]> old = listen(sock, "10.240.8.2", Duration.ofSeconds(2));
                    assertThat(old).as("nodeb's packets overheard").isNotEmpty();
                    // a new generation of nodeb: its old packets become replays
                    b.terminate();
                    b.start();
                    FailoverScenarios.awaitStatus(a, "nodeb", "active", logs);
                    FailoverScenarios.awaitStable(a, b, logs);
                    vip.awaitExactly(Set.of("nodea"), System.nanoTime(), Duration.ofSeconds(30));

                    HbCodec right = new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret(KEY))));
                    HbCodec wrong = new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret("guessed-key"))));
                    Map<String, List<byte[]>> kinds = new LinkedHashMap<>();
                    kinds.put("replayed old generation", old);
                    List<byte[]> resigned = new ArrayList<>();
                    List<byte[]> truncated = new ArrayList<>();
                    for (byte[] p : old) {
                        if (right.decode(p) instanceof Decoded d) resigned.add(wrong.encodeNetstring(d.message()));
                        truncated.add(Arrays.copyOf(p, p.length / 2));
                    }
                    kinds.put("signed with another key", resigned);
                    kinds.put("truncated", truncated);
                    Random r = new Random(8);
                    List<byte[]> garbage = new ArrayList<>();
                    for (int i = 0; i < 64; i++) {
                        byte[] g = new byte[1 + r.nextInt(1400)];
                        r.nextBytes(g);
                        garbage.add(g);
                    }
                    kinds.put("random bytes", garbage);
                    assertThat(resigned).isNotEmpty();

                    JsonObject before = counters(a);
                    int linesBefore = (int) a.log().lines().count();
                    int linesBeforeB = (int) b.log().lines().count();
                    InetSocketAddress bcast = new InetSocketAddress(InetAddress.getByName("10.240.8.255"), 694);
                    List<byte[]> all = new ArrayList<>();
                    kinds.values().forEach(all::addAll);
                    long f0 = System.nanoTime();
                    long sent = 0;
                    long end = f0 + seconds * 1_000_000_000L;
                    while (System.nanoTime() < end) {
                        if (pps > 0 && sent >= (System.nanoTime() - f0) * pps / 1_000_000_000L) {
                            LockSupport.parkNanos(200_000);
                            continue;
                        }
                        // round robin over the kinds, then over each kind's packets
                        List<byte[]> k = new ArrayList<>(kinds.values()).get((int) (sent % kinds.size()));
                        byte[] p = k.get((int) ((sent / kinds.size()) % k.size()));
                        sock.send(new DatagramPacket(p, p.length, bcast));
                        sent++;
                    }
                    long f1 = System.nanoTime();
                    Thread.sleep(1500); // deadtime and a bit: a false death would show by now
                    JsonObject after = counters(a);
                    String logA = a.log();
                    String logB = b.log();
                    List<String> newA = logA.lines().skip(linesBefore).toList();
                    long replays = newA.stream().filter(l -> l.contains("attempted replay attack")).count();
                    long replaysDropped = after.getLong("replaysDropped") - before.getLong("replaysDropped");
                    System.out.printf("HOSTILE heartbeat Vigil: %d datagrams in %.1f s (%.0f pps) of %s; nodea rejected before %s after %s;"
                                    + " replays dropped %d, replay lines logged %d; nodea log lines during the flood %d%n",
                            sent, (f1 - f0) / 1e9, sent * 1e9 / (f1 - f0), kinds.keySet(), before.getJsonObject("rejected"),
                            after.getJsonObject("rejected"), replaysDropped, replays, newA.size());

                    assertThat(vip.samples().stream().filter(s -> s.nanos() >= f0)).as("address stays on nodea alone" + logs.get())
                            .allMatch(s -> s.holders().equals(Set.of("nodea")));
                    assertThat(newA).as("nodea declared nobody dead" + logs.get()).noneMatch(l -> l.contains("is dead"));
                    List<String> newB = logB.lines().skip(linesBeforeB).toList();
                    assertThat(newB).as("nodeb declared nobody dead\n" + String.join("\n", newB.subList(0, Math.min(80, newB.size()))))
                            .noneMatch(l -> l.contains("is dead"));
                    assertThat(a.nodeStatus("nodeb")).isEqualTo("active");
                    assertThat(b.nodeStatus("nodea")).isEqualTo("active");
                    long rejectedGrowth = total(after.getJsonObject("rejected")) - total(before.getJsonObject("rejected"));
                    // the re-signed, truncated and random kinds are three quarters of the flood; all rejected by the codec
                    assertThat(rejectedGrowth).as("codec rejections").isGreaterThanOrEqualTo(sent / 2);
                    assertThat(after.getJsonObject("rejected").getLong("bad_signature", 0L)).isPositive();
                    assertThat(replaysDropped).as("replays dropped and counted").isGreaterThanOrEqualTo(sent / 8);
                    // heartbeat logs each replay; a line per packet on the loop that sends our heartbeats got nodea
                    // declared dead before Membership learnt to log them once a minute
                    assertThat(replays).as("replay lines").isBetween(1L, 2L);
                    assertThat(newA.size()).as("nodea's log lines during the flood").isLessThan(100);
                    assertThat(logA + logB).as("the key is never logged").doesNotContain(KEY).doesNotContain("guessed-key");
                }
            }
        }
    }

    static JsonObject counters(VigilHeartbeatNode n) {
        return new JsonObject(n.status("--json").output()).getJsonObject("counters");
    }

    static long total(JsonObject rejected) {
        long t = 0;
        for (String k : rejected.fieldNames()) t += rejected.getLong(k);
        return t;
    }

    static List<byte[]> listen(DatagramSocket s, String from, Duration d) throws Exception {
        List<byte[]> out = new ArrayList<>();
        long end = System.nanoTime() + d.toNanos();
        byte[] buf = new byte[65536];
        while (System.nanoTime() < end) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (p.getAddress().getHostAddress().equals(from)) out.add(Arrays.copyOf(p.getData(), p.getLength()));
        }
        return out;
    }

    static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
