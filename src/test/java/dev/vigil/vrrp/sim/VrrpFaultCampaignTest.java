package dev.vigil.vrrp.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.VirtualAddress;
import dev.vigil.sim.CampaignChecks;
import dev.vigil.sim.CampaignSummary;
import dev.vigil.sim.HolderTimeline;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.VrrpInstanceSpec;
import dev.vigil.vrrp.VrrpNodeConfig;
import dev.vigil.vrrp.VrrpSyncGroupSpec;
import dev.vigil.vrrp.VrrpTrackScript;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpTiming;
import dev.vigil.vrrp.wire.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The VRRP fault campaign on the deterministic simulation: three nodes running the daemon's real
 * {@link dev.vigil.vrrp.VrrpRouter} over the real codec on a {@link SimNetwork}, with
 *
 * <ul>
 *   <li>a sync group {@code G} of two VRRPv3 instances (advert 0.5 s, VIPs .100 and .101, preferred
 *       a &gt; b &gt; c) tracking the interface and a weight-0 script {@code chk_g} (failure: FAULT);</li>
 *   <li>a lone VRRPv2 instance {@code VI_3} (advert 1 s, VIP .102, preferred c &gt; b &gt; a) tracking
 *       the interface and a script {@code chk_w} of weight -60, which reorders the priorities when it
 *       fails; {@code nopreempt} on odd seeds.</li>
 * </ul>
 *
 * Each seed plays rounds of one or two simultaneous faults drawn at random (machine crash, clean
 * stop, kill -9 and restart, cable pulled, partition, 40 % loss on a node, delay with jitter on the
 * LAN, a track script failing or flapping), lasting 0.2 to 8 s, then repaired. The invariants, with
 * bounds taken from the timers (see {@link CampaignChecks}):
 *
 * <ul>
 *   <li>double holders: no longer than one advert interval plus the LAN's delay, except while the LAN
 *       is split or lossy (VRRP has no quorum: each side elects) and then no longer than that bound
 *       after the repair;</li>
 *   <li>outages: no longer than advert interval + Master_Down_Interval at priority 1 (RFC 5798
 *       §6.4.2) + one script interval + the delay; some node can always hold (at most two faults);</li>
 *   <li>failover within bound: when a fault lasts longer than that bound and the LAN is clean, the
 *       highest effective priority among the nodes able to hold holds by then (with nopreempt: the
 *       previous holder while it can, else any node able to);</li>
 *   <li>settled: one settle bound after the repair the expected holder (the preferred node; with
 *       nopreempt the one holding, unchanged if the round never touched it) holds, steadily, and the
 *       sync group's two addresses sit on one node.</li>
 * </ul>
 *
 * {@code -Dvigil.campaign.vrrp.seeds=3000} widens the run (200 seeds by default, about 12 s);
 * {@code -Dvigil.campaign.vrrp.seed=N} replays one seed and prints its steps.
 */
class VrrpFaultCampaignTest {

    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final List<String> NODES = List.of("a", "b", "c");
    static final InetAddress VIP1 = ip("10.0.0.100");
    static final InetAddress VIP2 = ip("10.0.0.101");
    static final InetAddress VIP3 = ip("10.0.0.102");
    static final Map<String, Integer> PRIO_G = Map.of("a", 150, "b", 100, "c", 50);
    static final Map<String, Integer> PRIO_3 = Map.of("c", 150, "b", 100, "a", 50);
    static final int G_CENTIS = 50;
    static final int V3_CENTIS = 100;
    static final int WEIGHT = -60;
    static final Duration SCRIPT_INTERVAL = Duration.ofMillis(500);
    static final long WARMUP = 10 * S;
    static final long STEADY = 2 * S;
    static final int ROUNDS = 6;

    enum Kind { KILL, STOP, RESTART, LINK_DOWN, PARTITION, LOSS, DELAY, SCRIPT_FAIL, SCRIPT_FLAP }

    static final CampaignSummary SUMMARY = new CampaignSummary("vrrp", "-Dvigil.campaign.vrrp.seed=SEED");

    @Test
    void randomFaultsKeepOneHolderPerAddressWithinTheTimersBounds() {
        long only = Long.getLong("vigil.campaign.vrrp.seed", -1);
        long count = Long.getLong("vigil.campaign.vrrp.seeds", 200);
        long from = only >= 0 ? only : 1;
        long to = only >= 0 ? only : count;
        for (long seed = from; seed <= to; seed++) new World(seed, only >= 0).play();
        System.out.println(SUMMARY.line());
        SUMMARY.violations().stream().limit(30).forEach(v -> System.out.println("CAMPAIGN violation " + v));
        assertThat(SUMMARY.faultCount()).isGreaterThanOrEqualTo(to - from + 1);
        assertThat(SUMMARY.violations()).as(SUMMARY.line()).isEmpty();
    }

    /** The same seed gives the same history: a failing seed replays exactly. */
    @Test
    void aSeedReplaysExactly() {
        World one = new World(7, false);
        one.play();
        World two = new World(7, false);
        two.play();
        assertThat(two.book.history()).isEqualTo(one.book.history());
        assertThat(two.steps).isEqualTo(one.steps);
    }

    /** One seed's cluster, faults and checks. */
    static final class World {
        final long seed;
        final boolean verbose;
        final Random r;
        final SimScheduler sched = new SimScheduler();
        final SimNetwork net;
        final SimAddressBook book;
        final boolean nopreempt;
        final Map<String, SimVrrpNode> nodes = new LinkedHashMap<>();
        final Map<String, Boolean> alive = new LinkedHashMap<>();
        final Map<String, Boolean> linkUp = new LinkedHashMap<>();
        final Map<String, Boolean> chkG = new LinkedHashMap<>();
        final Map<String, Boolean> chkW = new LinkedHashMap<>();
        final List<HolderTimeline.Window> excused = new ArrayList<>();
        /** Holder expectations, checked against the timeline at the end: (time, VIP, allowed holders, why). */
        final List<Expectation> expectations = new ArrayList<>();
        final List<long[]> steadySpans = new ArrayList<>();
        final List<String> steps = new ArrayList<>();
        long delayNanos = 100_000;
        long jitterNanos;
        long maxDelayNanos = 100_000 + 0;

        record Expectation(long at, InetAddress vip, Set<String> allowed, String why) {
        }

        World(long seed, boolean verbose) {
            this.seed = seed;
            this.verbose = verbose;
            this.r = new Random(seed);
            this.net = new SimNetwork(sched, seed);
            this.book = new SimAddressBook(sched);
            this.nopreempt = seed % 2 == 1;
            for (String n : NODES) {
                alive.put(n, true);
                linkUp.put(n, true);
                chkG.put(n, true);
                chkW.put(n, true);
                nodes.put(n, newNode(n));
            }
        }

        SimVrrpNode newNode(String n) {
            int i = NODES.indexOf(n) + 1;
            InetAddress self = ip("10.0.0." + i);
            VrrpInstanceSettings g1 = VrrpInstanceSettings.builder("VI_1", 51, self).version(3).priority(PRIO_G.get(n))
                    .advertIntervalCentis(G_CENTIS).virtualAddress(VIP1).trackInterface("eth0", 0, false)
                    .trackScript("chk_g", 0, false).build();
            VrrpInstanceSettings g2 = VrrpInstanceSettings.builder("VI_2", 52, self).version(3).priority(PRIO_G.get(n))
                    .advertIntervalCentis(G_CENTIS).virtualAddress(VIP2).trackInterface("eth0", 0, false)
                    .trackScript("chk_g", 0, false).build();
            VrrpInstanceSettings v3 = VrrpInstanceSettings.builder("VI_3", 53, self).version(2).priority(PRIO_3.get(n))
                    .advertIntervalCentis(V3_CENTIS).virtualAddress(VIP3).trackInterface("eth0", 0, false)
                    .trackScript("chk_w", WEIGHT, false).nopreempt(nopreempt).build();
            VrrpNodeConfig cfg = new VrrpNodeConfig(
                    List.of(VrrpInstanceSpec.of(g1, "eth0"), VrrpInstanceSpec.of(g2, "eth0"), VrrpInstanceSpec.of(v3, "eth0")),
                    List.of(script("chk_g"), script("chk_w")),
                    List.of(new VrrpSyncGroupSpec("G", List.of("VI_1", "VI_2"), false)));
            SimVrrpNode node = new SimVrrpNode(net, "lan", n, "eth0", new MacAddress(0x020000000000L | i), List.of(self), cfg, book);
            node.router().setLogging(false);
            return node;
        }

        static VrrpTrackScript script(String name) {
            return new VrrpTrackScript(name, List.of("/bin/true"), SCRIPT_INTERVAL, SCRIPT_INTERVAL, 1, 1, false, Optional.empty());
        }

        // ------------------------------------------------------------------ bounds from the timers

        static int centis(InetAddress vip) {
            return vip.equals(VIP3) ? V3_CENTIS : G_CENTIS;
        }

        static int version(InetAddress vip) {
            return vip.equals(VIP3) ? 2 : 3;
        }

        /** Two holders at once on a clean LAN: until the lower master hears the higher's next advert. */
        long doubleBound(InetAddress vip) {
            return VrrpTiming.centisToNanos(centis(vip)) + maxDelayNanos + MS;
        }

        /**
         * Nobody holds: at worst a script interval to notice, one advert interval since the last
         * advert, Master_Down_Interval at the lowest priority (longest skew), the LAN's delay.
         */
        long failoverBound(InetAddress vip) {
            return SCRIPT_INTERVAL.toNanos() + VrrpTiming.centisToNanos(centis(vip))
                    + VrrpTiming.masterDownIntervalNanos(version(vip), 1, centis(vip), 3) + maxDelayNanos + 10 * MS;
        }

        /** After a repair: a recovered script's next run, then a backup's Master_Down_Interval and its advert. */
        long settleBound() {
            return failoverBound(VIP3) + VrrpTiming.centisToNanos(V3_CENTIS);
        }

        // ------------------------------------------------------------------ the model of who may hold

        boolean ableG(String n) {
            return alive.get(n) && linkUp.get(n) && chkG.get(n);
        }

        boolean able3(String n) {
            return alive.get(n) && linkUp.get(n);
        }

        int prio3(String n) {
            return Math.max(1, PRIO_3.get(n) + (chkW.get(n) ? 0 : WEIGHT));
        }

        Set<String> bestG() {
            return NODES.stream().filter(this::ableG).max((x, y) -> PRIO_G.get(x) - PRIO_G.get(y)).map(Set::of).orElse(Set.of());
        }

        Set<String> best3() {
            return NODES.stream().filter(this::able3).max((x, y) -> prio3(x) - prio3(y)).map(Set::of).orElse(Set.of());
        }

        // ------------------------------------------------------------------ the run

        void play() {
            SUMMARY.seed(seed);
            nodes.values().forEach(SimVrrpNode::start);
            sched.runUntil(WARMUP);
            expect(WARMUP - 1, VIP1, Set.of("a"), "initial election");
            expect(WARMUP - 1, VIP2, Set.of("a"), "initial election");
            if (!nopreempt) expect(WARMUP - 1, VIP3, Set.of("c"), "initial election");
            for (int round = 0; round < ROUNDS; round++) round();
            check();
        }

        void round() {
            long t0 = sched.nanoTime();
            Map<InetAddress, Set<String>> before = Map.of(VIP1, book.holders(VIP1), VIP2, book.holders(VIP2), VIP3, book.holders(VIP3));
            int n = r.nextInt(3) == 0 ? 2 : 1;
            List<Runnable> repairs = new ArrayList<>();
            Set<String> touched = new HashSet<>();
            Set<Kind> kinds = new LinkedHashSet<>();
            boolean lanWide = false;
            for (int i = 0; i < n; i++) {
                Kind k = Kind.values()[r.nextInt(Kind.values().length)];
                if (k == Kind.PARTITION || k == Kind.DELAY) {
                    if (lanWide) continue;
                    lanWide = true;
                } 
                List<String> free = NODES.stream().filter(x -> !touched.contains(x)).toList();
                String target = free.get(r.nextInt(free.size()));
                if (k != Kind.PARTITION && k != Kind.DELAY) touched.add(target);
                kinds.add(k);
                SUMMARY.fault(k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                repairs.add(inject(k, target, t0));
            }
            long duration = 200 * MS + (long) (r.nextDouble() * 7800 * MS);
            boolean unpredictable = kinds.contains(Kind.PARTITION) || kinds.contains(Kind.LOSS) || kinds.contains(Kind.SCRIPT_FLAP);
            if (!unpredictable) {
                // failover within bound: the model's best holder holds by then, if the fault lasts that long
                for (InetAddress vip : List.of(VIP1, VIP2, VIP3)) {
                    long at = t0 + failoverBound(vip);
                    if (at < t0 + duration) expect(at, vip, allowedDuringFault(vip, before.get(vip), touched), "failover after " + kinds);
                }
            }
            sched.runUntil(t0 + duration);
            long tRepair = sched.nanoTime();
            repairs.forEach(Runnable::run);
            step(tRepair, "repaired");
            long settled = tRepair + settleBound();
            expect(settled, VIP1, Set.of("a"), "settled after " + kinds);
            expect(settled, VIP2, Set.of("a"), "settled after " + kinds);
            Set<String> allowed3 = Set.of("c");
            if (nopreempt) {
                // nopreempt: whoever holds keeps it; a round that never touched the holder (on a clean LAN) leaves it there
                boolean holderUntouched = before.get(VIP3).size() == 1 && !touched.contains(before.get(VIP3).iterator().next())
                        && !kinds.contains(Kind.PARTITION) && !kinds.contains(Kind.LOSS);
                allowed3 = holderUntouched ? before.get(VIP3) : Set.copyOf(NODES);
            }
            expect(settled, VIP3, allowed3, "settled after " + kinds + (nopreempt ? " (nopreempt)" : ""));
            steadySpans.add(new long[] {settled, settled + STEADY});
            sched.runUntil(settled + STEADY);
        }

        Set<String> allowedDuringFault(InetAddress vip, Set<String> holderBefore, Set<String> touched) {
            if (vip.equals(VIP3)) {
                Set<String> best = best3();
                if (!nopreempt) return best;
                String prev = holderBefore.size() == 1 ? holderBefore.iterator().next() : null;
                if (prev != null && able3(prev) && !touched.contains(prev)) return Set.of(prev);
                if (prev != null && able3(prev) && chkW.get(prev) == Boolean.FALSE && alive.get(prev)) {
                    // a lower priority does not move a nopreempt master: keepalived keeps it, so does the RFC's Preempt_Mode False
                    return Set.of(prev);
                }
                return NODES.stream().filter(this::able3).collect(Collectors.toSet());
            }
            return bestG();
        }

        Runnable inject(Kind k, String n, long at) {
            SimVrrpNode node = nodes.get(n);
            switch (k) {
                case KILL -> {
                    step(at, "crash " + n);
                    crash(n, true);
                    return () -> start(n);
                }
                case STOP -> {
                    step(at, "stop " + n);
                    node.stop();
                    node.port().setUp(false);
                    alive.put(n, false);
                    return () -> start(n);
                }
                case RESTART -> {
                    // kill -9 of the daemon: its addresses stay until the new daemon removes them at start
                    step(at, "kill -9 and restart " + n);
                    crash(n, false);
                    start(n);
                    return () -> { };
                }
                case LINK_DOWN -> {
                    step(at, "link down " + n);
                    node.setLinkUp(false);
                    linkUp.put(n, false);
                    return () -> {
                        nodes.get(n).setLinkUp(true);
                        linkUp.put(n, true);
                    };
                }
                case PARTITION -> {
                    List<String> shuffled = new ArrayList<>(NODES);
                    java.util.Collections.shuffle(shuffled, r);
                    int cut = 1 + r.nextInt(2);
                    Set<String> one = Set.copyOf(shuffled.subList(0, cut));
                    Set<String> two = Set.copyOf(shuffled.subList(cut, 3));
                    step(at, "partition " + one + " | " + two);
                    net.segment("lan").partition(one, two);
                    return () -> {
                        net.segment("lan").heal();
                        excused.add(new HolderTimeline.Window(at, sched.nanoTime()));
                    };
                }
                case LOSS -> {
                    step(at, "40% loss on " + n);
                    node.port().setLoss(0.4);
                    return () -> {
                        nodes.get(n).port().setLoss(0);
                        excused.add(new HolderTimeline.Window(at, sched.nanoTime()));
                    };
                }
                case DELAY -> {
                    long d = (1 + r.nextInt(100)) * MS;
                    long j = r.nextInt(21) * MS;
                    step(at, "delay " + d / MS + " ms jitter " + j / MS + " ms");
                    net.segment("lan").setDelay(d, j);
                    maxDelayNanos = Math.max(maxDelayNanos, d + j);
                    return () -> net.segment("lan").setDelay(100_000, 0);
                }
                case SCRIPT_FAIL -> {
                    String s = r.nextBoolean() ? "chk_g" : "chk_w";
                    step(at, s + " fails on " + n);
                    node.setScriptResult(s, false);
                    (s.equals("chk_g") ? chkG : chkW).put(n, false);
                    return () -> {
                        nodes.get(n).setScriptResult(s, true);
                        (s.equals("chk_g") ? chkG : chkW).put(n, true);
                    };
                }
                case SCRIPT_FLAP -> {
                    String s = r.nextBoolean() ? "chk_g" : "chk_w";
                    long period = 300 * MS + (long) (r.nextDouble() * 1700 * MS);
                    step(at, s + " flaps every " + period / MS + " ms on " + n);
                    boolean[] on = {true};
                    boolean[] result = {false};
                    Runnable[] flip = new Runnable[1];
                    flip[0] = () -> {
                        if (!on[0]) return;
                        nodes.get(n).setScriptResult(s, result[0]);
                        result[0] = !result[0];
                        sched.schedule(period, flip[0]);
                    };
                    flip[0].run();
                    return () -> {
                        on[0] = false;
                        nodes.get(n).setScriptResult(s, true);
                    };
                }
            }
            throw new AssertionError(k);
        }

        /** The daemon vanishes; with {@code machine} the machine with it, taking its addresses off the LAN. */
        void crash(String n, boolean machine) {
            SimVrrpNode node = nodes.get(n);
            node.kill();
            node.port().setUp(false);
            alive.put(n, false);
            if (machine) {
                for (InetAddress vip : List.of(VIP1, VIP2, VIP3)) book.actionsFor(n).remove(VirtualAddress.of(vip, 32, "eth0"));
            }
        }

        void start(String n) {
            SimVrrpNode fresh = newNode(n);
            nodes.put(n, fresh);
            alive.put(n, true);
            fresh.start();
        }

        void expect(long at, InetAddress vip, Set<String> allowed, String why) {
            expectations.add(new Expectation(at, vip, allowed, why));
        }

        void step(long at, String what) {
            steps.add(CampaignChecks.seconds(at) + " " + what);
        }

        // ------------------------------------------------------------------ the checks

        void check() {
            long end = sched.nanoTime();
            HolderTimeline t = new HolderTimeline();
            for (SimAddressBook.Change c : book.history()) {
                String res = c.address().getHostAddress();
                if (c.added()) t.acquired(res, c.node(), c.atNanos());
                else t.released(res, c.node(), c.atNanos());
            }
            List<String> violations = new ArrayList<>();
            for (InetAddress vip : List.of(VIP1, VIP2, VIP3)) {
                String res = vip.getHostAddress();
                CampaignChecks.WindowCheck dh = CampaignChecks.doubleHolders(t, res, WARMUP, end, doubleBound(vip), excused);
                CampaignChecks.WindowCheck out = CampaignChecks.outages(t, res, WARMUP, end, failoverBound(vip), List.of());
                violations.addAll(dh.violations());
                violations.addAll(out.violations());
                SUMMARY.doubleHolder(seed, dh.worstUnexcusedNanos());
                SUMMARY.split(seed, dh.worstNanos());
                SUMMARY.outage(seed, out.worstUnexcusedNanos());
                for (long[] span : steadySpans) violations.addAll(CampaignChecks.steady(t, res, span[0], span[1]));
            }
            for (Expectation e : expectations) {
                violations.addAll(CampaignChecks.holderAt(t, e.vip().getHostAddress(), e.at(), e.allowed(), e.why()));
            }
            // the sync group's two addresses on one node once settled
            for (long[] span : steadySpans) {
                List<String> h1 = t.holdersAt(VIP1.getHostAddress(), span[0]);
                List<String> h2 = t.holdersAt(VIP2.getHostAddress(), span[0]);
                if (!h1.equals(h2)) violations.add("sync group split at " + CampaignChecks.seconds(span[0]) + ": " + h1 + " / " + h2);
            }
            String context = (nopreempt ? "nopreempt " : "") + "steps " + steps;
            for (String v : violations) SUMMARY.violation(seed, v + " | " + context);
            if (verbose) {
                System.out.println("CAMPAIGN seed " + seed + (nopreempt ? " nopreempt" : ""));
                steps.forEach(s -> System.out.println("CAMPAIGN step " + s));
                for (InetAddress vip : List.of(VIP1, VIP2, VIP3)) {
                    t.holds(vip.getHostAddress()).forEach(h -> System.out.println("CAMPAIGN hold " + h));
                }
                violations.forEach(v -> System.out.println("CAMPAIGN violation " + v));
            }
        }
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
