package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sim.CampaignChecks;
import dev.vigil.sim.CampaignSummary;
import dev.vigil.sim.HolderTimeline;
import dev.vigil.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign of issue 8 on real processes: 3-node VRRP clusters in network namespaces
 * ({@link InteropLab}: one bridge, each node a namespace), Vigil only and mixed with real keepalived
 * 2.2.7, and a seeded random sequence of faults, each followed by its repair and a wait for the
 * cluster to settle. Who holds the VIP is taken from {@code ip monitor address} in every namespace
 * (kernel events, stamped as they arrive) into one {@link HolderTimeline}, and each round is held to
 * {@link CampaignChecks}' invariants; the run ends with {@link CampaignSummary}'s line, the same
 * format the simulation campaigns print.
 *
 * <p>Faults: {@code kill} ({@code kill -9} of the daemon, restarted at the repair; the machine is
 * taken as crashed meanwhile, so its leftover addresses (keepalived.md §2.3) do not count as held),
 * {@code stop} (SIGTERM, restarted at the repair), {@code restart} ({@code kill -9} and a new daemon at
 * once), {@code link-down} ({@code ip link set vg0 down} in the node's namespace), {@code partition}
 * and {@code loss} (nftables rules in the switch namespace on the node's bridge port, both ways:
 * {@code drop}, or {@code numgen random mod 100 < 40 drop}; Vigil sends and receives VRRP through a
 * packet socket, which sees a frame before the receiving namespace's own netfilter hooks would, so
 * the frames are dropped on the wire, as a broken switch port would), {@code script-fail} and
 * {@code script-flap} (the node's {@code vrrp_script} tests a file the campaign removes, or removes
 * and restores every 0.3–2 s).
 *
 * <p>Not injected, and why: delay (nftables cannot delay a frame; only the netem qdisc can, and the
 * campaign stays off tc), clock jumps (network namespaces do not virtualise CLOCK_REALTIME and time
 * namespaces only offset the monotonic and boot clocks, so a jump would move the host's clock under
 * every other job on this machine; Vigil's timers run on the monotonic clock anyway), a disk-full
 * state directory in VRRP mode (Vigil keeps no VRRP state on disk; it is part of the heartbeat
 * campaign).
 *
 * <p>Size: {@code -Dvigil.campaign.faults=N} faults per cluster (CI: 4), seed
 * {@code -Dvigil.campaign.seed=S} (each cluster kind adds its own offset, printed); the keepalived-only
 * comparison runs with {@code -Dvigil.campaign.compare=true} and is reported, not asserted.
 */
@Tag("netns")
@Tag("interop")
class NamespaceCampaignTest {

    static final int FAULTS = Integer.getInteger("vigil.campaign.faults", 4);
    static final long SEED = Long.getLong("vigil.campaign.seed", 20261125L);
    /** The fault kinds to draw from, e.g. {@code -Dvigil.campaign.kinds=partition,loss} to replay one kind; all by default. */
    static final List<Kind> KINDS = System.getProperty("vigil.campaign.kinds", "").isBlank() ? List.of(Kind.values())
            : java.util.Arrays.stream(System.getProperty("vigil.campaign.kinds").split(","))
                    .map(k -> Kind.valueOf(k.trim().toUpperCase(Locale.ROOT).replace('-', '_'))).toList();
    static final boolean COMPARE = Boolean.getBoolean("vigil.campaign.compare");
    /** Blocked-loop warnings are counted at Vigil's 50 ms threshold; above this one a block is a violation. */
    static final long BLOCKED_LIMIT_MILLIS = Long.getLong("vigil.campaign.blockedLimitMillis", 1000);

    static final String VIP = "10.240.7.161";
    static final int VRID = 61;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    /**
     * Allowance for a loaded 2-core machine: JVMs scheduled late, {@code ip monitor} events stamped
     * late. Added once to every timer-derived bound.
     */
    static final long LOAD = 1500 * MS;
    /** VRRPv2, advert_int 1 s (keepalived's usual timer; RFC 3768). */
    static final long ADVERT = 1 * S;
    /** vrrp_script interval 1 s, fall 1, rise 1. */
    static final long SCRIPT = 1 * S;
    /**
     * A lower master steps down on hearing the higher one's next advert (RFC 3768 §6.4.3): at most
     * one advert interval of double holding once frames flow again.
     */
    static final long DOUBLE_BOUND = ADVERT + LOAD;
    /**
     * The longest failover: a failed script is seen within one script interval, the backup with the
     * lowest priority (50) waits Master_Down_Interval = 3 × advert + (256 − 50)/256 s (RFC 3768 §6.1)
     * from the last advert it heard, up to one advert interval before the failure.
     */
    static final long FAILOVER_BOUND = SCRIPT + ADVERT + InteropLab.masterDown(2, 50, 100) + LOAD;
    /** After the repair (daemon ready again), the preferred node holds within this, plus a steady span. */
    static final long SETTLE_BOUND = FAILOVER_BOUND + ADVERT + 2 * S;
    static final long STEADY = 2 * S;

    enum Kind { KILL, STOP, RESTART, LINK_DOWN, PARTITION, LOSS, SCRIPT_FAIL, SCRIPT_FLAP;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Test
    void vrrpVigilOnly(@TempDir Path dir) throws Exception {
        vrrpCampaign(dir, "vrrp-vigil", SEED, List.of(true, true, true), true);
    }

    @Test
    void vrrpMixedWithKeepalived(@TempDir Path dir) throws Exception {
        vrrpCampaign(dir, "vrrp-mixed", SEED + 1000, List.of(true, false, true), true);
    }

    /** The comparison for docs/reliability.md: the same campaign on keepalived alone; reported, not asserted. */
    @Test
    void vrrpKeepalivedOnlyForComparison(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(COMPARE, "comparison runs with -Dvigil.campaign.compare=true");
        vrrpCampaign(dir, "vrrp-keepalived", SEED + 2000, List.of(false, false, false), false);
    }

    // ------------------------------------------------------------------ the VRRP campaign

    static String config(String host, int priority, Path flag) {
        return Conf.globals(host, "") + """
                vrrp_script chk {
                    script "/usr/bin/test -f %s"
                    interval 1
                    rise 1
                    fall 1
                }
                """.formatted(flag)
                + Conf.instance("VI_C", VRID, priority, 2, "1", VIP, """
                    track_script {
                        chk
                    }
                """);
    }

    /** One round as run, for the checks after the campaign. */
    record Round(int index, Kind kind, String target, long faultAt, long repairAt, long settledAt, boolean settled,
                 String detail) {
    }

    /** A span in which a node cannot serve (daemon killed, link down): its addresses do not count. */
    record Mask(String host, long from, long to) {
    }

    final class VrrpCluster implements AutoCloseable {
        final InteropLab lab;
        final Path dir;
        final List<String> hosts = List.of("a", "b", "c");
        final Map<String, Integer> priority = Map.of("a", 150, "b", 100, "c", 50);
        final Map<String, Boolean> vigil = new LinkedHashMap<>();
        final Map<String, InteropLab.Node> node = new LinkedHashMap<>();
        final Map<String, Path> flag = new LinkedHashMap<>();
        final Map<String, StringBuilder> pastLogs = new LinkedHashMap<>();
        final List<Mask> masks = new ArrayList<>();
        final Map<String, Long> maskOpen = new LinkedHashMap<>();
        final String sw;

        VrrpCluster(Path dir, List<Boolean> vigilFlags) throws Exception {
            this.dir = dir;
            this.lab = new InteropLab(dir, "a", "b", "c");
            String nsA = lab.ns("a");
            this.sw = nsA.substring(0, nsA.length() - 1) + "sw";
            for (int i = 0; i < hosts.size(); i++) {
                String h = hosts.get(i);
                vigil.put(h, vigilFlags.get(i));
                flag.put(h, Files.writeString(dir.resolve("healthy-" + h), ""));
                pastLogs.put(h, new StringBuilder());
            }
        }

        String port(String host) {
            String prefix = sw.substring(0, sw.length() - 2);
            String p = ("p" + prefix + host).replace("-", "");
            return p.length() > 15 ? p.substring(p.length() - 15) : p;
        }

        /** Starts the node's daemon; returns when it is ready (Vigil: control endpoint up). */
        void start(String h) throws Exception {
            InteropLab.Node old = node.get(h);
            if (old != null) pastLogs.get(h).append(old.log()).append('\n');
            String cfg = config(h, priority.get(h), flag.get(h));
            if (vigil.get(h)) {
                // ready means a fresh control.json: the killed daemon's would answer at once
                Files.deleteIfExists(dir.resolve("vigil-" + h).resolve("state").resolve("control.json"));
                node.put(h, lab.vigil(h, cfg).awaitReady());
            } else {
                node.put(h, lab.keepalived(h, cfg));
                Path pid = dir.resolve("keepalived-" + h).resolve("vrrp.pid");
                InteropLab.await(10_000, () -> Files.exists(pid), "keepalived on " + h + " started");
                Thread.sleep(200);
            }
        }

        void kill9(String h) throws Exception {
            node.get(h).kill9();
        }

        void term(String h) throws Exception {
            InteropLab.Node n = node.get(h);
            if (n instanceof InteropLab.VigilNode v) {
                v.term();
                if (!v.waitForExit(20_000)) v.kill9();
            } else {
                Path pidFile = dir.resolve("keepalived-" + h).resolve("parent.pid");
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                var ph = ProcessHandle.of(pid);
                n.term();
                if (ph.isPresent()) {
                    try {
                        ph.get().onExit().get(20, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        n.kill9();
                    }
                }
                Files.deleteIfExists(pidFile);
                Files.deleteIfExists(dir.resolve("keepalived-" + h).resolve("vrrp.pid"));
            }
        }

        void maskFrom(String h) {
            maskOpen.putIfAbsent(h, System.nanoTime());
        }

        void maskTo(String h) {
            Long from = maskOpen.remove(h);
            if (from != null) masks.add(new Mask(h, from, System.nanoTime()));
        }

        void nft(String... args) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", sw, "nft"));
            cmd.addAll(List.of(args));
            Sh.run(cmd).orThrow(String.join(" ", cmd));
        }

        /** Drops (all, or {@code percent} % at random) of the frames to and from the host's bridge port. */
        void cut(String h, int percent) {
            nft("add", "table", "bridge", "camp");
            nft("add", "chain", "bridge", "camp", "cut", "{ type filter hook forward priority -10 ; policy accept ; }");
            String p = port(h);
            if (percent >= 100) {
                nft("add", "rule", "bridge", "camp", "cut", "iifname", p, "drop");
                nft("add", "rule", "bridge", "camp", "cut", "oifname", p, "drop");
            } else {
                nft("add", "rule", "bridge", "camp", "cut", "iifname", p, "numgen", "random", "mod", "100", "<", "" + percent, "drop");
                nft("add", "rule", "bridge", "camp", "cut", "oifname", p, "numgen", "random", "mod", "100", "<", "" + percent, "drop");
            }
        }

        void heal() {
            List<String> cmd = List.of("ip", "netns", "exec", sw, "nft", "delete", "table", "bridge", "camp");
            Sh.run(cmd);
        }

        void link(String h, boolean up) {
            lab.exec(h, "ip", "link", "set", "vg0", up ? "up" : "down").orThrow("link " + h);
        }

        List<String> holders() {
            List<String> h = new ArrayList<>(lab.holders(VIP));
            h.removeIf(maskOpen::containsKey);
            return h;
        }

        /** Every Vigil log line of this run, all daemons and restarts. */
        String vigilLogs() {
            StringBuilder sb = new StringBuilder();
            for (String h : hosts) {
                if (!vigil.get(h)) continue;
                sb.append(pastLogs.get(h));
                if (node.get(h) != null) sb.append(node.get(h).log());
            }
            return sb.toString();
        }

        /** The holders of the VIP from the address events, without masked spans. */
        HolderTimeline timeline(long t0) {
            record Ev(long at, String host, int kind, boolean on) {
            }
            List<Ev> evs = new ArrayList<>();
            for (InteropLab.AddressChange c : lab.addressChanges) {
                if (c.address().equals(VIP)) evs.add(new Ev(c.atNanos(), c.host(), 0, c.added()));
            }
            for (Mask m : masks) {
                evs.add(new Ev(m.from(), m.host(), 1, true));
                evs.add(new Ev(m.to(), m.host(), 1, false));
            }
            maskOpen.forEach((h, from) -> evs.add(new Ev(from, h, 1, true)));
            evs.sort(Comparator.comparingLong(Ev::at));
            HolderTimeline t = new HolderTimeline();
            Map<String, Boolean> present = new LinkedHashMap<>();
            Map<String, Integer> masked = new LinkedHashMap<>();
            for (Ev e : evs) {
                if (e.kind() == 0) present.put(e.host(), e.on());
                else masked.merge(e.host(), e.on() ? 1 : -1, Integer::sum);
                boolean held = present.getOrDefault(e.host(), false) && masked.getOrDefault(e.host(), 0) <= 0;
                if (held) t.acquired(VIP, e.host(), e.at() - t0);
                else t.released(VIP, e.host(), e.at() - t0);
            }
            return t;
        }

        @Override
        public void close() {
            heal();
            lab.close();
        }
    }

    void vrrpCampaign(Path dir, String mode, long seed, List<Boolean> vigilFlags, boolean assertInvariants) throws Exception {
        Random rnd = new Random(seed);
        CampaignSummary summary = new CampaignSummary(mode, "-Dvigil.campaign.seed=" + SEED + " (" + mode
                + " uses seed " + seed + ")");
        summary.seed(seed);
        List<Round> rounds = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        try (VrrpCluster c = new VrrpCluster(dir, vigilFlags)) {
            long t0 = System.nanoTime();
            for (String h : List.of("c", "b", "a")) c.start(h);
            awaitSettled(c, "a", 30 * S);
            for (int i = 0; i < FAULTS; i++) {
                Kind kind = KINDS.get(rnd.nextInt(KINDS.size()));
                String target = c.hosts.get(rnd.nextInt(3));
                long hold = 1000 + rnd.nextInt(5000);
                String detail = "";
                long faultAt = System.nanoTime();
                switch (kind) {
                    case KILL -> {
                        c.maskFrom(target);
                        c.kill9(target);
                        Thread.sleep(hold);
                    }
                    case STOP -> {
                        c.term(target);
                        Thread.sleep(hold);
                    }
                    case RESTART -> {
                        c.maskFrom(target);
                        c.kill9(target);
                        hold = 0;
                    }
                    case LINK_DOWN -> {
                        c.maskFrom(target);
                        c.link(target, false);
                        Thread.sleep(hold);
                    }
                    case PARTITION -> {
                        c.cut(target, 100);
                        hold += 3000; // past Master_Down_Interval, so that the cut-off side elects its own master
                        Thread.sleep(hold);
                    }
                    case LOSS -> {
                        c.cut(target, 40);
                        hold += 4000; // long enough for three adverts in a row to go missing now and then
                        Thread.sleep(hold);
                    }
                    case SCRIPT_FAIL -> {
                        Files.delete(c.flag.get(target));
                        Thread.sleep(hold);
                    }
                    case SCRIPT_FLAP -> {
                        long end = System.nanoTime() + hold * MS;
                        int flips = 0;
                        while (System.nanoTime() < end) {
                            Path f = c.flag.get(target);
                            if (Files.exists(f)) Files.delete(f);
                            else Files.writeString(f, "");
                            flips++;
                            Thread.sleep(300 + rnd.nextInt(1700));
                        }
                        detail = flips + " flips";
                    }
                }
                // repair
                switch (kind) {
                    case KILL, STOP, RESTART -> {
                        c.start(target);
                        c.maskTo(target);
                    }
                    case LINK_DOWN -> {
                        c.link(target, true);
                        c.maskTo(target);
                    }
                    case PARTITION, LOSS -> c.heal();
                    case SCRIPT_FAIL, SCRIPT_FLAP -> {
                        if (!Files.exists(c.flag.get(target))) Files.writeString(c.flag.get(target), "");
                    }
                }
                long repairAt = System.nanoTime();
                summary.fault(kind.label());
                boolean settled = awaitSettled(c, "a", SETTLE_BOUND + STEADY);
                long settledAt = System.nanoTime();
                if (!settled) {
                    // keep going: wait longer so one slow round does not cascade into the next
                    awaitSettled(c, "a", 30 * S);
                    settledAt = System.nanoTime();
                }
                Round r = new Round(i + 1, kind, target, faultAt - t0, repairAt - t0, settledAt - t0, settled,
                        detail + (kind == Kind.RESTART ? "" : " hold " + hold + " ms"));
                rounds.add(r);
                System.out.printf(Locale.ROOT, "CAMPAIGN-ROUND %s seed=%d #%d %s %s:%s fault %.1fs repaired %.1fs settled %s%n", mode,
                        seed, r.index(), kind.label(), target, c.vigil.get(target) ? "vigil" : "keepalived", r.faultAt() / 1e9,
                        r.repairAt() / 1e9, settled ? String.format(Locale.ROOT, "%.1fs", r.settledAt() / 1e9) : "NO");
            }
            HolderTimeline t = c.timeline(t0);
            for (Round r : rounds) {
                List<String> v = new ArrayList<>();
                List<HolderTimeline.Window> excused = r.kind() == Kind.PARTITION || r.kind() == Kind.LOSS
                        ? List.of(new HolderTimeline.Window(r.faultAt(), r.repairAt())) : List.of();
                var dh = CampaignChecks.doubleHolders(t, VIP, r.faultAt(), r.settledAt(), DOUBLE_BOUND, excused);
                var out = CampaignChecks.outages(t, VIP, r.faultAt(), r.settledAt(), FAILOVER_BOUND, List.of());
                v.addAll(dh.violations());
                v.addAll(out.violations());
                if (!r.settled()) {
                    v.add("not settled on a within " + CampaignChecks.seconds(SETTLE_BOUND + STEADY) + " of the repair");
                } else {
                    v.addAll(CampaignChecks.holderAt(t, VIP, r.settledAt() - 1, Set.of("a"), "settled"));
                    v.addAll(CampaignChecks.steady(t, VIP, r.settledAt() - STEADY + 300 * MS, r.settledAt() - 1));
                }
                summary.doubleHolder(seed, dh.worstUnexcusedNanos());
                summary.split(seed, dh.worstNanos());
                summary.outage(seed, out.worstUnexcusedNanos());
                for (String s : v) {
                    String text = "round " + r.index() + " " + r.kind().label() + " on " + r.target() + ": " + s;
                    violations.add(text);
                    summary.violation(seed, text);
                }
                System.out.printf(Locale.ROOT, "CAMPAIGN-CHECK %s #%d %s %s double %s (split %s) outage %s%s%n", mode, r.index(),
                        r.kind().label(), r.target(), CampaignChecks.seconds(dh.worstUnexcusedNanos()),
                        CampaignChecks.seconds(dh.worstNanos()), CampaignChecks.seconds(out.worstNanos()),
                        v.isEmpty() ? "" : " VIOLATIONS " + v);
            }
            // the event loop: Vert.x's checker warns at 50 ms (DaemonRunner)
            BlockedLoop blocked = BlockedLoop.of(c.vigilLogs());
            System.out.println("CAMPAIGN-BLOCKED " + mode + " " + blocked);
            if (blocked.worstMillis() > BLOCKED_LIMIT_MILLIS) {
                String text = "event loop blocked for " + blocked.worstMillis() + " ms (limit " + BLOCKED_LIMIT_MILLIS + " ms)";
                violations.add(text);
                summary.violation(seed, text);
            }
            if (!violations.isEmpty()) {
                System.out.println(t.holds(VIP));
                System.out.println(c.lab.logs());
            }
        }
        System.out.printf(Locale.ROOT, "%s wall=%.0fs bounds: double %s failover %s settle %s%n", summary.line(),
                (System.nanoTime() - started) / 1e9, CampaignChecks.seconds(DOUBLE_BOUND), CampaignChecks.seconds(FAILOVER_BOUND),
                CampaignChecks.seconds(SETTLE_BOUND));
        if (assertInvariants) assertThat(violations).as(summary.line()).isEmpty();
    }

    /** Waits until {@code preferred} alone holds the VIP for {@link #STEADY}; false on timeout. */
    static boolean awaitSettled(VrrpCluster c, String preferred, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long since = -1;
        while (System.nanoTime() < deadline) {
            if (c.holders().equals(List.of(preferred))) {
                if (since < 0) since = System.nanoTime();
                if (System.nanoTime() - since >= STEADY) return true;
            } else {
                since = -1;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Vert.x's BlockedThreadChecker lines in a log: how many and the longest. */
    record BlockedLoop(int lines, long worstMillis) {
        static final Pattern LINE = Pattern.compile("has been blocked for (\\d+) ms");

        static BlockedLoop of(String log) {
            Matcher m = LINE.matcher(log);
            int n = 0;
            long worst = 0;
            while (m.find()) {
                n++;
                worst = Math.max(worst, Long.parseLong(m.group(1)));
            }
            return new BlockedLoop(n, worst);
        }

        @Override
        public String toString() {
            return "blocked-thread warnings (over 50 ms)=" + lines + " worst=" + worstMillis + "ms";
        }
    }
}
