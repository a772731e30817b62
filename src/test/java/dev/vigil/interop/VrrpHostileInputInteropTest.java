package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.MS;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Secret;
import dev.vigil.transport.pcap.PcapLink;
import dev.vigil.vrrp.wire.InternetChecksum;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.VrrpFrames;
import dev.vigil.vrrp.wire.VrrpPacket;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, hostile input on the wire: a master (VRRPv3 at advert_int 0.1 s, plus a VRRPv2 instance
 * with {@code auth_type PASS}) and its backup, while a third namespace floods the LAN with invalid
 * VRRP frames built with the codec and then broken: bad checksum at priority 254, TTL 64, an unknown
 * VRID, truncated, the wrong address list at priority 254, v2 to the v3 instance, a wrong password at
 * priority 254, a wrong v2 interval, random bytes.
 *
 * <p>keepalived.md §1.4: keepalived 2.2.7 re-arms its master's advert timer on <em>every</em> packet
 * for the VRID, valid or not, so 20 pps of bad checksums starved its master (12 adverts instead of 35)
 * and its backup took over 8 times. Vigil must keep its advert timing (median gap on the interval,
 * p99 below the backup's Master_Down_Interval; within the interval plus 15 ms with
 * {@code -Dvigil.hostile.strict=true}, which a loaded shared machine misses even without a flood),
 * make no transition, and count
 * every kind in keepalived's counter names. The same flood against a keepalived pair is measured and
 * printed, never asserted.
 *
 * <p>{@code -Dvigil.hostile.pps=0} floods at line rate (as fast as the sender goes; 2000 pps by default,
 * 100 times what starved keepalived); {@code -Dvigil.hostile.seconds=N} sets the window (10 s).
 */
@Tag("netns")
@Tag("interop")
class VrrpHostileInputInteropTest {

    static final String VIP_F = "10.240.7.171";
    static final String VIP_P = "10.240.7.172";
    static final int VRID_F = 51;
    static final int VRID_P = 52;
    static final String PASSWORD = "secret12";
    static final long INTERVAL = 100 * MS;

    static String config(String host, int priority) {
        return Conf.node(host,
                Conf.instance("VI_F", VRID_F, priority, 3, "0.1", VIP_F, ""),
                Conf.instance("VI_P", VRID_P, priority, 2, "1", VIP_P,
                        "    authentication {\n        auth_type PASS\n        auth_pass " + PASSWORD + "\n    }\n"));
    }

    /** One kind of invalid frame and the counter Vigil files it under. */
    record Bad(String name, byte[] frame, String counter) {
    }

    static List<Bad> badFrames() throws Exception {
        MacAddress mac = new MacAddress(0x02000000f00fL);
        Inet4Address src = (Inet4Address) InetAddress.getByName(InteropLab.ip(3));
        Inet4Address vipF = (Inet4Address) InetAddress.getByName(VIP_F);
        Inet4Address vipP = (Inet4Address) InetAddress.getByName(VIP_P);
        Inet4Address other = (Inet4Address) InetAddress.getByName("10.240.7.99");
        List<Bad> out = new ArrayList<>();
        byte[] good = VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 1, VrrpPacket.v3(VRID_F, 254, 10, List.of(vipF))));
        byte[] chk = good.clone();
        chk[14 + 20 + 6] ^= 0x5a;
        out.add(new Bad("bad checksum, priority 254", chk, "chk_err"));
        byte[] ttl = good.clone();
        ttl[14 + 8] = 64;
        fixIpChecksum(ttl);
        out.add(new Bad("TTL 64", ttl, "ip_ttl_err"));
        out.add(new Bad("unknown VRID 99", VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 2,
                VrrpPacket.v3(99, 254, 10, List.of(vipF)))), "interface:unknown_vrid"));
        byte[ ] shortFrame = Arrays.copyOf(good, 14 + 20 + 8); // the header says one address, none follows
        shortFrame[14 + 2] = 0;
        shortFrame[14 + 3] = 28;
        fixIpChecksum(shortFrame);
        out.add(new Bad("truncated (count 1, no address)", shortFrame, "interface:*"));
        out.add(new Bad("wrong address list, priority 254", VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 3,
                VrrpPacket.v3(VRID_F, 254, 10, List.of(other)))), "addr_list_err"));
        out.add(new Bad("v2 to the v3 instance", VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 4,
                VrrpPacket.v2(VRID_F, 254, 1, List.of(vipF)))), "vers_err"));
        out.add(new Bad("wrong password, priority 254", VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 5,
                VrrpPacket.v2WithPassword(VRID_P, 254, 1, new Secret("guessed!"), List.of(vipP)))), "auth_failure"));
        out.add(new Bad("v2 interval 2 s", VrrpFrames.encode(VrrpFrames.multicastIpv4(mac, src, 6,
                VrrpPacket.v2WithPassword(VRID_P, 254, 2, new Secret(PASSWORD), List.of(vipP)))), "advert_interval_err"));
        byte[] garbage = good.clone();
        Random g = new Random(8);
        for (int i = 34; i < garbage.length; i++) garbage[i] = (byte) g.nextInt(256);
        out.add(new Bad("random VRRP payload", garbage, "*"));
        return out;
    }

    static void fixIpChecksum(byte[] f) {
        f[14 + 10] = 0;
        f[14 + 11] = 0;
        int c = InternetChecksum.compute(f, 14, 20);
        f[14 + 10] = (byte) (c >>> 8);
        f[14 + 11] = (byte) c;
    }

    /** Sends the frames round robin at {@code pps} (0: as fast as it goes) until stopped. */
    static final class Flood implements AutoCloseable {
        final AtomicBoolean on = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final Thread thread;
        long startedAt;
        long stoppedAt;

        Flood(PcapLink link, List<Bad> frames, long pps) {
            thread = new Thread(() -> {
                startedAt = System.nanoTime();
                int i = 0;
                while (on.get()) {
                    if (pps > 0) {
                        long due = (System.nanoTime() - startedAt) * pps / 1_000_000_000L;
                        if (sent.get() >= due) {
                            LockSupport.parkNanos(200_000);
                            continue;
                        }
                    }
                    link.send(frames.get(i++ % frames.size()).frame());
                    sent.incrementAndGet();
                }
                stoppedAt = System.nanoTime();
            }, "flood");
            thread.setDaemon(true);
            thread.start();
        }

        double rate() {
            return sent.get() * 1e9 / Math.max(1, stoppedAt - startedAt);
        }

        @Override
        public void close() throws InterruptedException {
            on.set(false);
            thread.join(5000);
        }
    }

    /** Gaps between one source's adverts on one VRID, sorted. */
    static List<Long> gaps(InteropLab lab, String host, int vrid, long from, long to) {
        String src = lab.ipOf(host);
        List<InteropLab.Advert> a = lab.adverts(vrid, from, to).stream().filter(x -> x.source().getHostAddress().equals(src)).toList();
        List<Long> g = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) g.add(a.get(i).atNanos() - a.get(i - 1).atNanos());
        Collections.sort(g);
        return g;
    }

    static long p(List<Long> sorted, int percent) {
        return sorted.isEmpty() ? Long.MAX_VALUE : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    /** What one run measured. */
    record Run(String who, double pps, long sent, int quietAdverts, long quietP99, int floodAdverts, long floodMedian,
               long floodP99, long floodMax, int backupAdverts, int addressChanges, long passAdverts) {
        String line() {
            return String.format(Locale.ROOT, "HOSTILE %s: flood %d frames at %.0f pps; master VRID 51 (0.1 s): quiet p99 gap %s, "
                            + "under flood %d adverts, gap median %s p99 %s max %s; VRID 52 (1 s) adverts %d; backup adverts %d;"
                            + " address changes %d",
                    who, sent, pps, ms(quietP99), floodAdverts, ms(floodMedian), ms(floodP99), ms(floodMax), passAdverts,
                    backupAdverts, addressChanges);
        }
    }

    static Run measure(InteropLab lab, String who, long seconds, long pps) throws Exception {
        lab.awaitSoleHolder(VIP_F, "a", 15_000);
        lab.awaitSoleHolder(VIP_P, "a", 15_000);
        Thread.sleep(1500);
        long q0 = System.nanoTime();
        Thread.sleep(5000);
        long q1 = System.nanoTime();
        List<Long> quiet = gaps(lab, "a", VRID_F, q0, q1);
        PcapLink raw = lab.rawLink("x");
        int changesBefore = lab.addressChanges.size();
        long f0;
        long f1;
        Flood flood;
        try (Flood f = new Flood(raw, badFrames(), pps)) {
            flood = f;
            Thread.sleep(200);
            f0 = System.nanoTime();
            Thread.sleep(seconds * 1000);
            f1 = System.nanoTime();
        }
        List<Long> loud = gaps(lab, "a", VRID_F, f0, f1);
        int backup = lab.adverts(VRID_F, f0, f1).stream().filter(x -> x.source().getHostAddress().equals(lab.ipOf("b"))).toList().size()
                + lab.adverts(VRID_P, f0, f1).stream().filter(x -> x.source().getHostAddress().equals(lab.ipOf("b"))).toList().size();
        long pass = lab.adverts(VRID_P, f0, f1).stream().filter(x -> x.source().getHostAddress().equals(lab.ipOf("a"))).count();
        int changes = lab.addressChanges.size() - changesBefore;
        Run r = new Run(who, flood.rate(), flood.sent.get(), quiet.size() + 1, p(quiet, 99), loud.size() + 1, p(loud, 50),
                p(loud, 99), loud.isEmpty() ? Long.MAX_VALUE : loud.get(loud.size() - 1), backup, changes, pass);
        System.out.println(r.line());
        return r;
    }

    static long seconds() {
        return Long.getLong("vigil.hostile.seconds", 10);
    }

    static long pps() {
        return Long.getLong("vigil.hostile.pps", 2000);
    }

    private void vigilOnce(Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b", "x")) {
            InteropLab.VigilNode a = lab.vigil("a", config("a", 150)).awaitReady();
            InteropLab.VigilNode b = lab.vigil("b", config("b", 100)).awaitReady();
            lab.awaitSoleHolder(VIP_F, "a", 15_000);
            JsonObject before = a.status();
            JsonObject fBefore = a.instance("VI_F").getJsonObject("counters");
            JsonObject pBefore = a.instance("VI_P").getJsonObject("counters");
            Run r = measure(lab, "Vigil", seconds(), pps());
            JsonObject after = a.status();
            JsonObject fAfter = a.instance("VI_F").getJsonObject("counters");
            JsonObject pAfter = a.instance("VI_P").getJsonObject("counters");
            Map<String, Long> grew = new LinkedHashMap<>();
            for (String c : List.of("chk_err", "ip_ttl_err", "addr_list_err", "vers_err", "packet_len_err")) {
                grew.put("VI_F." + c, fAfter.getLong(c, 0L) - fBefore.getLong(c, 0L));
            }
            for (String c : List.of("auth_failure", "advert_interval_err")) grew.put("VI_P." + c, pAfter.getLong(c, 0L) - pBefore.getLong(c, 0L));
            System.out.println("HOSTILE Vigil counters grew: " + grew + "; interface drops " + after.getValue("interfaceDrops")
                    + " (before " + before.getValue("interfaceDrops") + ")");
            // a starved process shows here: late timers and the lag between a frame's capture and its handling
            System.out.println("HOSTILE Vigil master's late timers " + after.getValue("lateTimers") + " (before "
                    + before.getValue("lateTimers") + "), receive lag " + after.getValue("receiveLag"));
            String logs = lab.logs();
            // A timer that bad frames re-arm (keepalived's) moves the median; a loaded machine only stretches single
            // gaps, as it does without any flood (this machine's quiet p99 reached 167 ms). So: the median on the
            // interval; every gap but the worst 1 % shorter than the backup's Master_Down_Interval (no gap it could
            // take for a dead master); and with -Dvigil.hostile.strict=true the p99 within the interval plus 15 ms.
            assertThat(r.floodMedian()).as("median advert gap under flood\n" + r.line()).isBetween(INTERVAL - 5 * MS, INTERVAL + 5 * MS);
            assertThat(r.floodP99()).as("p99 advert gap under flood\n" + r.line()).isLessThan(InteropLab.masterDown(3, 100, 10));
            if (Boolean.getBoolean("vigil.hostile.strict")) {
                assertThat(r.floodP99()).as("p99 advert gap under flood (strict)\n" + r.line()).isLessThan(INTERVAL + 15 * MS);
            }
            assertThat(r.floodAdverts()).as(r.line()).isGreaterThanOrEqualTo((int) (seconds() * 10 * 85 / 100));
            assertThat(r.addressChanges()).as("address changes under flood\n" + r.line() + "\n" + logs).isZero();
            assertThat(r.backupAdverts()).as("the backup never spoke\n" + r.line()).isZero();
            assertThat(a.instance("VI_F").getString("state")).isEqualTo("MASTER");
            assertThat(a.instance("VI_P").getString("state")).isEqualTo("MASTER");
            assertThat(fAfter.getLong("become_master")).isEqualTo(fBefore.getLong("become_master"));
            assertThat(b.instance("VI_F").getJsonObject("counters").getLong("become_master")).isZero();
            assertThat(b.instance("VI_P").getJsonObject("counters").getLong("become_master")).isZero();
            assertThat(grew).as("every kind of bad frame counted").allSatisfy((k, v) -> {
                if (!k.endsWith("packet_len_err")) assertThat(v).as(k).isPositive();
            });
            assertThat(after.getJsonObject("interfaceDrops").encode()).contains("unknown_vrid");
            // secrets never logged: neither the configured password nor the attacker's guess
            assertThat(logs).doesNotContain(PASSWORD).doesNotContain("guessed!");
            // a log line per bad frame would turn the flood into a disk filler; Vigil repeats a line once a minute
            assertThat(a.log().lines().count()).as("Vigil's log lines after %d bad frames", r.sent()).isLessThan(500);
        }
    }

    @Test
    void vigilsMasterKeepsItsAdvertTimingUnderAFloodOfInvalidFrames(@TempDir Path dir) throws Exception {
        try {
            vigilOnce(Files.createDirectories(dir.resolve("first")));
        } catch (AssertionError first) {
            // one scheduling hiccup of a loaded 2-core machine must not fail the build; a timer that
            // bad frames re-arm fails both attempts (it misses by tens of milliseconds every time)
            System.out.println("HOSTILE first attempt missed: " + first.getMessage().lines().findFirst().orElse(""));
            vigilOnce(Files.createDirectories(dir.resolve("second")));
        }
    }

    /** The same flood against keepalived 2.2.7, for the comparison in docs/reliability.md: printed, not asserted. */
    @Test
    void keepalivedUnderTheSameFloodForComparison(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b", "x")) {
            lab.keepalived("a", config("a", 150));
            lab.keepalived("b", config("b", 100));
            Run r = measure(lab, "keepalived", seconds(), pps());
            long complaints = lab.logs().lines().filter(l -> l.contains("checksum") || l.contains("TTL")
                    || l.contains("passwd") || l.contains("interval mismatch") || l.contains("ip number count")).count();
            System.out.println("HOSTILE keepalived: " + complaints + " complaint lines in the last 6000 characters of its logs; "
                    + "master transitions seen as address changes: " + r.addressChanges());
        }
    }
}
