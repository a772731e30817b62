package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.MS;
import static dev.vigil.vrrp.instance.Fixtures.SECOND;
import static dev.vigil.vrrp.instance.Fixtures.US;
import static dev.vigil.vrrp.instance.Fixtures.VIP;
import static dev.vigil.vrrp.instance.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on the simulated LAN, virtual time; timings against keepalived.md §4.1. The LAN has
 * no delay, so takeovers land on the computed instants exactly.
 */
class VrrpSimulationTest {

    private static final InetAddress A = ip("10.232.0.1");
    private static final InetAddress B = ip("10.232.0.2");
    private static final InetAddress C = ip("10.232.0.3");
    private static final long MDI_100 = 3_609_375 * US;
    private static final long MDI_150 = 3_414_062 * US;
    private static final long SKEW_100 = 609_375 * US;

    private static VrrpInstanceSettings.Builder v2(String name, InetAddress primary, int priority) {
        return VrrpInstanceSettings.builder(name, 51, primary).priority(priority).virtualAddress(VIP);
    }

    private static VrrpInstanceSettings.Builder v3(InetAddress primary, int priority, int centis) {
        return VrrpInstanceSettings.builder("VI_3", 53, primary).version(3).priority(priority)
                .advertIntervalCentis(centis).virtualAddress(VIP);
    }

    private static long lastAdvertBefore(VrrpLab lab, String node, int priority, long t) {
        return lab.sent.stream().filter(s -> s.node().equals(node) && s.priority() == priority && s.at() <= t)
                .mapToLong(VrrpLab.Sent::at).max().orElseThrow();
    }

    @Test
    void highestPriorityIsElectedWhenItsShorterSkewTimesOutFirst() {
        VrrpLab lab = new VrrpLab(1);
        lab.node("a", A).add(v2("VI_1", A, 150).build());
        lab.node("b", B).add(v2("VI_1", B, 100).build());
        lab.node("c", C).add(v2("VI_1", C, 50).build());
        lab.nodes.values().forEach(VrrpLab.Node::start);
        lab.runUntil(60 * SECOND);
        assertThat(lab.masters(51)).containsExactly("a");
        assertThat(lab.firstTransition("a", VrrpState.MASTER, 0)).isEqualTo(MDI_150);
        assertThat(lab.timeline).filteredOn(e -> e.to() == VrrpState.MASTER).hasSize(1);
        assertThat(lab.nodes.get("a").vipsHeld).containsExactly("VI_1");
    }

    @Test
    void equalPrioritiesTimingOutTogetherLeaveTheHigherAddressMaster() {
        // RFC 5798 §6.4.3: between two masters of equal priority the higher primary address wins
        VrrpLab lab = new VrrpLab(2);
        lab.node("a", A).add(v2("VI_1", A, 100).build());
        lab.node("b", B).add(v2("VI_1", B, 100).build());
        lab.nodes.values().forEach(VrrpLab.Node::start);
        lab.runUntil(20 * SECOND);
        assertThat(lab.masters(51)).containsExactly("b");
        assertThat(lab.nodes.get("a").vipsHeld).isEmpty();
        assertThat(lab.doubleMasterWindows.get(51)).allMatch(w -> w[1] - w[0] == 0);
    }

    @Test
    void equalPriorityBackupDoesNotPreemptByAddressSoTheFirstMasterKeepsIt() {
        // RFC 5798 §6.4.2: a backup accepts priority ≥ its own; the address tie-break is only between masters
        // (keepalived.md §6.5 "equal priorities everywhere")
        VrrpLab lab = new VrrpLab(3);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 100).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        a.start();
        lab.scheduler.schedule(SECOND, b::start);
        lab.runUntil(30 * SECOND);
        assertThat(lab.masters(51)).containsExactly("a");
    }

    @Test
    void killedMasterIsReplacedMasterDownIntervalAfterItsLastAdvertAndKeepsItsStaleVip() {
        // keepalived.md §4.1 v2 1 s kill -9: A's last advert → B's first 3610–3615 ms (3.609375 s computed);
        // §2.3 "kill -9 leaves the VIP on the dead master"
        VrrpLab lab = new VrrpLab(4);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 150).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        a.start();
        b.start();
        lab.runUntil(10_200 * MS);
        a.kill();
        lab.runUntil(30 * SECOND);
        long last = lastAdvertBefore(lab, "a", 150, 10_200 * MS);
        assertThat(last).isEqualTo(MDI_150 + 6 * SECOND);
        assertThat(lab.firstTransition("b", VrrpState.MASTER, 0) - last).isEqualTo(MDI_100);
        assertThat(lab.sent.stream().filter(s -> s.node().equals("b")).findFirst().orElseThrow().at() - last).isEqualTo(MDI_100);
        assertThat(a.vipsHeld).containsExactly("VI_1");
        assertThat(b.vipsHeld).containsExactly("VI_1");
    }

    @Test
    void cleanStopHandsOverAfterSkewTime() {
        // keepalived.md §4.1 v2 1 s SIGTERM: priority-0 advert → B's first 610–612 ms (0.609375 s computed)
        VrrpLab lab = new VrrpLab(5);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 150).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        a.start();
        b.start();
        lab.runUntil(10_200 * MS);
        a.stop();
        lab.runUntil(20 * SECOND);
        assertThat(lab.sent).anyMatch(s -> s.node().equals("a") && s.priority() == 0 && s.at() == 10_200 * MS);
        assertThat(lab.firstTransition("b", VrrpState.MASTER, 0)).isEqualTo(10_200 * MS + SKEW_100);
        assertThat(a.vipsHeld).isEmpty();
    }

    @Test
    void v3At100msTakesOver360point937msAfterTheLastAdvertOr60point937msAfterPriorityZero() {
        // keepalived.md §4.1: 361–363 ms after the last advert; 62–73 ms after priority 0 (computed 60.937)
        for (boolean clean : new boolean[] {false, true}) {
            VrrpLab lab = new VrrpLab(6);
            VrrpLab.Node a = lab.node("a", A);
            a.add(v3(A, 150, 10).build());
            VrrpLab.Node b = lab.node("b", B);
            b.add(v3(B, 100, 10).build());
            a.start();
            b.start();
            lab.runUntil(5_050 * MS);
            long last = lastAdvertBefore(lab, "a", 150, lab.now());
            if (clean) a.stop();
            else a.kill();
            lab.runUntil(10 * SECOND);
            long takeover = lab.firstTransition("b", VrrpState.MASTER, 0);
            if (clean) assertThat(takeover).isEqualTo(5_050 * MS + 60_937 * US);
            else assertThat(takeover - last).isEqualTo(360_937 * US);
        }
    }

    @Test
    void v3At10msTakesOver36point093msAfterTheLastAdvert() {
        // keepalived.md §4.1: 36.5–38.8 ms measured after A's last advert at 0.01 s
        VrrpLab lab = new VrrpLab(7);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v3(A, 150, 1).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v3(B, 100, 1).build());
        a.start();
        b.start();
        lab.runUntil(1_005 * MS);
        long last = lastAdvertBefore(lab, "a", 150, lab.now());
        a.kill();
        lab.runUntil(2 * SECOND);
        assertThat(lab.firstTransition("b", VrrpState.MASTER, 0) - last).isEqualTo(36_093 * US);
    }

    @Test
    void v3BackupLearnsASlowerMastersIntervalAndWaitsAccordingly() {
        // RFC 5798 §6.4.2: B is configured at 0.1 s but A advertises every 1 s; B must not time out between adverts
        VrrpLab lab = new VrrpLab(8);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v3(A, 150, 100).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v3(B, 100, 10).build());
        a.start();
        lab.runUntil(5 * SECOND); // A master at 3.414 s, alone
        b.start();
        lab.runUntil(60 * SECOND);
        // until it has heard A, B times out on its own 0.1 s interval (5.36 s) and is put back by A's
        // "forcing new election" advert; from then on it waits A's 3.6 s
        assertThat(lab.timeline).filteredOn(e -> e.node().equals("b") && e.to() == VrrpState.MASTER)
                .extracting(VrrpLab.Event::at).containsExactly(5 * SECOND + 360_937 * US);
        assertThat(lab.masters(53)).containsExactly("a");
        assertThat(b.instance(53).masterAdvertIntervalCentis()).isEqualTo(100);
        a.kill();
        long last = lastAdvertBefore(lab, "a", 150, lab.now());
        lab.runUntil(70 * SECOND);
        assertThat(lab.firstTransition("b", VrrpState.MASTER, 60 * SECOND) - last).isEqualTo(MDI_100);
    }

    @Test
    void nopreemptBackupStaysUnderALowerMasterUntilItStops() {
        // keepalived.md §2.3: "prio 150 stayed BACKUP under prio 100; took over 0.43 s after that master's priority 0 (skew 0.414)"
        VrrpLab lab = new VrrpLab(9);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 150).nopreempt(true).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        b.start();
        lab.scheduler.schedule(5 * SECOND, a::start);
        lab.runUntil(30_300 * MS);
        assertThat(lab.masters(51)).containsExactly("b");
        b.stop();
        lab.runUntil(40 * SECOND);
        assertThat(lab.firstTransition("a", VrrpState.MASTER, 0)).isEqualTo(30_300 * MS + 414_062 * US);
    }

    @Test
    void preemptDelayTakesOverDelayPlusMasterDownIntervalAfterTheFirstLowerAdvert() {
        // keepalived.md §2.3: preempt_delay 5 → 8.1 s from start
        VrrpLab lab = new VrrpLab(10);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 150).preemptDelayNanos(5 * SECOND).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        b.start(); // master at 3.609375 s, adverts every second after
        lab.scheduler.schedule(5 * SECOND, a::start);
        lab.runUntil(30 * SECOND);
        long firstHeard = MDI_100 + 2 * SECOND; // 5.609375 s
        // window closes at 10.609375 s; the advert at that instant is discarded, the one at 9.609375 s was the last accepted
        long takeover = lab.firstTransition("a", VrrpState.MASTER, 0);
        assertThat(takeover).isEqualTo(firstHeard + 4 * SECOND + MDI_150);
        assertThat(takeover - 5 * SECOND).isBetween(8 * SECOND, 8_100 * MS);
        assertThat(lab.masters(51)).containsExactly("a");
    }

    /** A with a weighted track script against B at 100: the weight decides whether the VIP moves. */
    private static VrrpLab weightTrap(int weight) {
        VrrpLab lab = new VrrpLab(11);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v2("VI_1", A, 150).trackScript("chk", weight, false).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v2("VI_1", B, 100).build());
        a.start();
        b.start();
        VrrpScriptState chk = new VrrpScriptState("chk", 2, 2, false);
        chk.onResult(true).ifPresent(s -> a.scriptStatus(51, "chk", s));
        // the script runs every 0.5 s from 20 s and fails: fall 2 turns it BAD at 20.5 s
        for (long t = 20_000; t <= 20_500; t += 500) {
            lab.scheduler.schedule(t * MS - lab.now(), () -> chk.onResult(false).ifPresent(s -> a.scriptStatus(51, "chk", s)));
        }
        return lab;
    }

    @Test
    void weightMinus60On150Against100FailsOverAfterTheNextAdvertCarries90() {
        // keepalived.md §3: "Failing script: 150 → 90; B took over at 3.61 s"
        VrrpLab lab = weightTrap(-60);
        lab.runUntil(40 * SECOND);
        assertThat(lab.nodes.get("a").instance(51).effectivePriority()).isEqualTo(90);
        long last150 = lastAdvertBefore(lab, "a", 150, 40 * SECOND);
        assertThat(last150).isEqualTo(MDI_150 + 17 * SECOND); // 20.414 s; the 21.414 s advert carries 90
        assertThat(lab.sent).anyMatch(s -> s.node().equals("a") && s.priority() == 90);
        assertThat(lab.firstTransition("b", VrrpState.MASTER, 0)).isEqualTo(last150 + MDI_100);
        assertThat(lab.masters(51)).containsExactly("b");
    }

    @Test
    void weightMinus10On150Against100NeverFailsOverTheWeightTrap() {
        // keepalived.md §6.4: "too small a weight never moves the VIP" (#2108, #942)
        VrrpLab lab = weightTrap(-10);
        lab.runUntil(120 * SECOND);
        assertThat(lab.nodes.get("a").instance(51).effectivePriority()).isEqualTo(140);
        assertThat(lab.masters(51)).containsExactly("a");
        assertThat(lab.timeline).noneMatch(e -> e.node().equals("b") && e.to() == VrrpState.MASTER);
    }

    @Test
    void recoveredScriptMakesThePreemptingNodeTakeBackTheVip() {
        // keepalived.md §3: "A preempted back once the script recovered"
        VrrpLab lab = weightTrap(-60);
        lab.runUntil(40 * SECOND);
        VrrpLab.Node a = lab.nodes.get("a");
        a.scriptStatus(51, "chk", ScriptStatus.GOOD);
        lab.runUntil(60 * SECOND);
        long bTakeover = lab.firstTransition("b", VrrpState.MASTER, 0);
        long lastAccepted = bTakeover + 15 * SECOND; // B's advert at 39.02 s, the last before A went back to 150
        assertThat(lab.firstTransition("a", VrrpState.MASTER, 30 * SECOND)).isEqualTo(lastAccepted + MDI_150);
        assertThat(lab.masters(51)).containsExactly("a");
    }

    @Test
    void syncGroupMovesTogetherOnAFaultAndThePeerTakesBothAfterSkew() {
        // keepalived.md §2.4: VS_A's weight-0 script failed → VS_A FAULT → group FAULT → VS_B FAULT; the peer took
        // both in 0.6 s; §2.3 "2 packets from the failing instance, 1 from its sync-group sibling"
        VrrpLab lab = new VrrpLab(12);
        VrrpLab.Node a = lab.node("a", A);
        VrrpInstance a1 = a.add(v2("VS_A", A, 150).trackScript("chk", 0, false).build());
        VrrpInstance a2 = a.add(VrrpInstanceSettings.builder("VS_B", 52, A).priority(150).virtualAddress(ip("10.232.0.101")).build());
        a.group("G1", false, a1, a2);
        VrrpLab.Node b = lab.node("b", B);
        VrrpInstance b1 = b.add(v2("VS_A", B, 100).build());
        VrrpInstance b2 = b.add(VrrpInstanceSettings.builder("VS_B", 52, B).priority(100).virtualAddress(ip("10.232.0.101")).build());
        b.group("G1", false, b1, b2);
        a.scriptStatus(51, "chk", ScriptStatus.GOOD);
        a.start();
        b.start();
        lab.runUntil(10_200 * MS);
        assertThat(lab.masters(51)).containsExactly("a");
        assertThat(lab.masters(52)).containsExactly("a");
        assertThat(a.vipsHeld).containsExactlyInAnyOrder("VS_A", "VS_B");

        a.scriptStatus(51, "chk", ScriptStatus.BAD);
        lab.runUntil(20 * SECOND);
        assertThat(lab.sent.stream().filter(s -> s.node().equals("a") && s.priority() == 0 && s.vrid() == 51)).hasSize(2);
        assertThat(lab.sent.stream().filter(s -> s.node().equals("a") && s.priority() == 0 && s.vrid() == 52)).hasSize(1);
        assertThat(a1.state()).isEqualTo(VrrpState.FAULT);
        assertThat(a2.state()).isEqualTo(VrrpState.FAULT);
        assertThat(a.vipsHeld).isEmpty();
        assertThat(lab.masters(51)).containsExactly("b");
        assertThat(lab.masters(52)).containsExactly("b");
        assertThat(lab.timeline).filteredOn(e -> e.node().equals("b") && e.to() == VrrpState.MASTER)
                .extracting(VrrpLab.Event::at).containsOnly(10_200 * MS + SKEW_100);
        assertThat(lab.groupTimeline).extracting(e -> e.node() + ":" + e.to())
                .containsSubsequence("a:BACKUP", "a:MASTER", "a:FAULT")
                .containsSubsequence("b:BACKUP", "b:MASTER");

        // recovery: A's group comes back as BACKUP and, preempting, takes both back together
        a.scriptStatus(51, "chk", ScriptStatus.GOOD);
        lab.runUntil(40 * SECOND);
        assertThat(lab.masters(51)).containsExactly("a");
        assertThat(lab.masters(52)).containsExactly("a");
        assertThat(lab.firstTransition("a", VrrpState.MASTER, 20 * SECOND))
                .isEqualTo(lab.timeline.stream().filter(e -> e.node().equals("a") && e.instance().equals("VS_B")
                        && e.to() == VrrpState.MASTER && e.at() >= 20 * SECOND).findFirst().orElseThrow().at());
    }

    @Test
    void thirtyPercentLossForFiveMinutesAtV3100msNeverSplitsForGood() {
        // 30 % of A's frames lost both ways: three lost adverts in a row (p ≈ 0.027 per advert) let B take over,
        // and the first advert from A that gets through (periodic or "forcing new election") ends it
        VrrpLab lab = new VrrpLab(13);
        VrrpLab.Node a = lab.node("a", A);
        a.add(v3(A, 150, 10).build());
        VrrpLab.Node b = lab.node("b", B);
        b.add(v3(B, 100, 10).build());
        a.start();
        b.start();
        lab.runUntil(SECOND);
        a.port.setLoss(0.3);
        lab.runUntil(301 * SECOND);
        a.port.setLoss(0);
        lab.runUntil(303 * SECOND);

        List<long[]> windows = lab.doubleMasterWindows.getOrDefault(53, List.of());
        assertThat(windows).hasSizeBetween(20, 200); // the loss does bite
        long longest = windows.stream().mapToLong(w -> w[1] - w[0]).max().orElse(0);
        long total = windows.stream().mapToLong(w -> w[1] - w[0]).sum();
        assertThat(longest).isLessThan(SECOND);
        assertThat(total).isLessThan(30 * SECOND); // under 10 % of the 300 s
        assertThat(lab.masters(53)).isEqualTo(Set.of("a"));
        assertThat(lab.timeline).noneMatch(e -> e.node().equals("a") && e.from() == VrrpState.MASTER);
    }
}
