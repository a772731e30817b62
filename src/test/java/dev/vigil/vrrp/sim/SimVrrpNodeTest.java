package dev.vigil.vrrp.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.VrrpInstanceSpec;
import dev.vigil.vrrp.VrrpNodeConfig;
import dev.vigil.vrrp.VrrpRouter;
import dev.vigil.vrrp.VrrpSyncGroupSpec;
import dev.vigil.vrrp.VrrpTrackScript;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.instance.VrrpTiming;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.VrrpFrameDecodeResult;
import dev.vigil.vrrp.wire.VrrpFrames;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The daemon's glue on the simulated LAN: the scenarios the console's lab and the fault campaign
 * rely on, with exact virtual timings.
 */
class SimVrrpNodeTest {

    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetAddress A = ip("10.0.0.1");
    static final InetAddress B = ip("10.0.0.2");
    static final InetAddress C = ip("10.0.0.3");
    static final InetAddress VIP = ip("10.0.0.100");
    static final InetAddress VIP2 = ip("10.0.0.101");

    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network = new SimNetwork(scheduler, 42);
    final SimAddressBook book = new SimAddressBook(scheduler);

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static VrrpInstanceSettings.Builder v3(String name, int vrid, InetAddress self, int priority, int centis) {
        return VrrpInstanceSettings.builder(name, vrid, self).version(3).priority(priority)
                .advertIntervalCentis(centis).virtualAddress(VIP);
    }

    SimVrrpNode node(String name, InetAddress self, int macSuffix, VrrpNodeConfig config) {
        return new SimVrrpNode(network, "lan", name, "eth0", new MacAddress(0x020000000000L | macSuffix), List.of(self),
                config, book);
    }

    SimVrrpNode node(String name, InetAddress self, int macSuffix, VrrpInstanceSettings... instances) {
        return node(name, self, macSuffix, VrrpNodeConfig.of(
                java.util.Arrays.stream(instances).map(s -> VrrpInstanceSpec.of(s, "eth0")).toList()));
    }

    static long lastAdvertAt(SimVrrpNode n) {
        return n.sentFrames().stream().filter(f -> VrrpFrames.decode(f.frame()).isOk())
                .mapToLong(SimVrrpNode.SentFrame::atNanos).max().orElseThrow();
    }

    static long advertsSent(SimVrrpNode n, long from, long to) {
        return n.sentFrames().stream().filter(f -> f.atNanos() >= from && f.atNanos() < to)
                .filter(f -> VrrpFrames.decode(f.frame()).isOk()).count();
    }

    @Test
    void higherPriorityHoldsTheAddressAndKillMinus9MovesItAfterMasterDownInterval() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        assertThat(book.holders(VIP)).containsExactly("a");
        assertThat(b.router().instance("VI_1").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.router().instance("VI_1").orElseThrow().masterAddress()).contains(A);

        long killedAt = scheduler.nanoTime();
        a.kill();
        scheduler.runFor(2 * S);
        long lastAdvert = lastAdvertAt(a);
        long takenAt = book.firstAdded("b", VIP, killedAt).orElseThrow();
        long masterDown = VrrpTiming.masterDownIntervalNanos(3, 100, 10, 3);
        // RFC 5798 §6.4.2: Master_Down_Interval after the last advert heard (plus the LAN's 0.1 ms)
        assertThat(takenAt - lastAdvert).isBetween(masterDown, masterDown + MS);
        // keepalived.md §2.3: the dead node keeps its address
        assertThat(book.holders(VIP)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aRestartedNodeRemovesItsStaleAddressBeforeAnythingElse() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        a.kill();
        scheduler.runFor(2 * S);
        assertThat(book.holders(VIP)).containsExactlyInAnyOrder("a", "b");

        SimVrrpNode again = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        long restartedAt = scheduler.nanoTime();
        again.start();
        scheduler.runFor(0);
        assertThat(book.holders(VIP)).containsExactly("b");
        scheduler.runFor(2 * S);
        // higher priority preempts back after one Master_Down_Interval
        assertThat(book.holders(VIP)).containsExactly("a");
        // after the restart, two holders only while the preempting advert crosses the LAN (0.1 ms): the new
        // master adds its address right after its advert, the old one removes it on receipt
        assertThat(book.multipleHolderWindows(VIP)).filteredOn(w -> w[0] >= restartedAt)
                .allSatisfy(w -> assertThat(w[1] - w[0]).isLessThanOrEqualTo(MS));
    }

    @Test
    void cleanStopSendsPriorityZeroAndTheBackupTakesOverAfterSkewTime() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        long stoppedAt = scheduler.nanoTime();
        a.stop();
        scheduler.runFor(S);
        assertThat(a.sentFrames().stream().map(f -> VrrpFrames.decode(f.frame()))
                .filter(VrrpFrameDecodeResult::isOk)
                .map(r -> ((VrrpFrameDecodeResult.Ok) r).frame().packet().priority()).toList())
                .last().isEqualTo(0);
        long takenAt = book.firstAdded("b", VIP, stoppedAt).orElseThrow();
        long skew = VrrpTiming.skewNanos(3, 100, 10);
        assertThat(takenAt - stoppedAt).isBetween(skew, skew + MS);
        assertThat(book.holders(VIP)).containsExactly("b");
        assertThat(a.router().instance("VI_1").orElseThrow().state()).isEqualTo(VrrpState.STOP);
    }

    /** keepalived.md §6.4: a weight too small never moves the VIP; one large enough does. */
    @Test
    void weightTrapTenDoesNotMoveTheAddressThirtyDoes() {
        assertThat(failoverAfterScriptFailure(-10)).isEmpty();
        Optional<Long> moved = failoverAfterScriptFailure(-30);
        assertThat(moved).isPresent();
        // the master advertises 70 from the next script run on; the backup discards it and takes over
        // Master_Down_Interval after the last advert it accepted (keepalived.md §2.3)
        assertThat(moved.get()).isLessThan(S + VrrpTiming.masterDownIntervalNanos(3, 80, 10, 3) + 2 * 10 * MS);
    }

    private Optional<Long> failoverAfterScriptFailure(int weight) {
        SimScheduler sch = new SimScheduler();
        SimNetwork net = new SimNetwork(sch, 7);
        SimAddressBook addresses = new SimAddressBook(sch);
        VrrpNodeConfig cfgA = new VrrpNodeConfig(
                List.of(VrrpInstanceSpec.of(v3("VI_1", 51, A, 100, 10).trackScript("chk", weight, false).build(), "eth0")),
                List.of(VrrpTrackScript.of("chk", "/bin/true")), List.of());
        SimVrrpNode a = new SimVrrpNode(net, "lan", "a", "eth0", new MacAddress(1), List.of(A), cfgA, addresses);
        SimVrrpNode b = new SimVrrpNode(net, "lan", "b", "eth0", new MacAddress(2), List.of(B),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(v3("VI_1", 51, B, 80, 10).build(), "eth0"))), addresses);
        a.start();
        b.start();
        sch.runFor(3 * S);
        assertThat(addresses.holders(VIP)).containsExactly("a");
        long failedAt = sch.nanoTime();
        a.setScriptResult("chk", false);
        sch.runFor(5 * S);
        assertThat(a.router().instance("VI_1").orElseThrow().effectivePriority()).isEqualTo(100 + weight);
        return addresses.firstAdded("b", VIP, failedAt).stream().mapToObj(t -> t - failedAt).findFirst();
    }

    /** keepalived.md §1.4: a stream of bad packets starves keepalived's master; never Vigil's. */
    @Test
    void badChecksumFramesAreCountedAndNeverDelayTheMastersAdverts() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        byte[] bad = a.sentFrames().get(a.sentFrames().size() - 1).frame().clone();
        bad[14 + 20 + 6] ^= 0x5a; // the VRRP checksum
        SimNetwork.Port attacker = network.segment("lan").attach("x", d -> { }, C);
        long from = scheduler.nanoTime();
        for (int i = 0; i < 71; i++) scheduler.schedule(i * 50 * MS, () -> attacker.send(null, bad));
        scheduler.runFor(3550 * MS);
        // 35.5 intervals: 35 or 36 adverts, as if nothing had been received (keepalived sent 12)
        assertThat(advertsSent(a, from, scheduler.nanoTime())).isBetween(35L, 36L);
        assertThat(book.holders(VIP)).containsExactly("a");
        assertThat(a.router().instance("VI_1").orElseThrow().counters()).containsEntry("chk_err", 71L);
        assertThat(b.router().instance("VI_1").orElseThrow().counters()).containsEntry("chk_err", 71L);
        assertThat(b.router().instance("VI_1").orElseThrow().counters().get("become_master")).isZero();
    }

    @Test
    void unicastPeersLearnEachOthersMacAndElectOneMaster() {
        VrrpInstanceSettings sa = VrrpInstanceSettings.builder("VU", 54, A).priority(150).virtualAddress(VIP)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpw").unicastPeer(UnicastPeer.of(B)).build();
        VrrpInstanceSettings sb = VrrpInstanceSettings.builder("VU", 54, B).priority(100).virtualAddress(VIP)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpw").unicastPeer(UnicastPeer.of(A)).build();
        SimVrrpNode a = node("a", A, 1, sa);
        SimVrrpNode b = node("b", B, 2, sb);
        a.start();
        b.start();
        scheduler.runFor(5 * S);
        assertThat(book.holders(VIP)).containsExactly("a");
        VrrpFrameDecodeResult.Ok first = a.sentFrames().stream().map(f -> VrrpFrames.decode(f.frame()))
                .filter(VrrpFrameDecodeResult::isOk).map(r -> (VrrpFrameDecodeResult.Ok) r).findFirst().orElseThrow();
        // the ARP request at start-up taught A the peer's MAC before its first advert
        assertThat(first.frame().destinationMac()).isEqualTo(b.mac());
        assertThat(first.frame().ipHeader().destination()).isEqualTo(B);
        assertThat(b.router().instance("VU").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void wrongPasswordIsIgnoredSoBothBecomeMaster() {
        VrrpInstanceSettings sa = VrrpInstanceSettings.builder("V", 51, A).priority(150).virtualAddress(VIP)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "one").build();
        VrrpInstanceSettings sb = VrrpInstanceSettings.builder("V", 51, B).priority(100).virtualAddress(VIP)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "two").build();
        SimVrrpNode a = node("a", A, 1, sa);
        SimVrrpNode b = node("b", B, 2, sb);
        a.start();
        b.start();
        scheduler.runFor(6 * S);
        assertThat(book.holders(VIP)).containsExactlyInAnyOrder("a", "b");
        assertThat(b.router().instance("V").orElseThrow().counters().get("auth_failure")).isPositive();
    }

    @Test
    void maintenanceFaultHandsOverAfterSkewAndRecoveryPreemptsBack() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        long faultAt = scheduler.nanoTime();
        a.router().setMaintenance("VI_1", true);
        scheduler.runFor(S);
        VrrpRouter.InstanceStatus st = a.router().instance("VI_1").orElseThrow();
        assertThat(st.state()).isEqualTo(VrrpState.FAULT);
        assertThat(st.maintenance()).isTrue();
        assertThat(book.holders(VIP)).containsExactly("b");
        assertThat(book.firstAdded("b", VIP, faultAt).orElseThrow() - faultAt)
                .isBetween(VrrpTiming.skewNanos(3, 100, 10), VrrpTiming.skewNanos(3, 100, 10) + MS);

        a.router().setMaintenance("VI_1", false);
        scheduler.runFor(S);
        assertThat(a.router().instance("VI_1").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        assertThat(book.holders(VIP)).containsExactly("a");
    }

    @Test
    void syncGroupMembersMoveTogetherWhenAWeightedScriptFails() {
        VrrpNodeConfig cfgA = new VrrpNodeConfig(List.of(
                VrrpInstanceSpec.of(v3("VI_1", 51, A, 150, 10).trackScript("chk", -60, false).build(), "eth0"),
                VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_2", 52, A).version(3).priority(150)
                        .advertIntervalCentis(10).virtualAddress(VIP2).trackScript("chk", -60, false).build(), "eth0")),
                List.of(VrrpTrackScript.of("chk", "/bin/true")),
                List.of(new VrrpSyncGroupSpec("G", List.of("VI_1", "VI_2"), true)));
        VrrpNodeConfig cfgB = new VrrpNodeConfig(List.of(
                VrrpInstanceSpec.of(v3("VI_1", 51, B, 100, 10).build(), "eth0"),
                VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_2", 52, B).version(3).priority(100)
                        .advertIntervalCentis(10).virtualAddress(VIP2).build(), "eth0")),
                List.of(), List.of(new VrrpSyncGroupSpec("G", List.of("VI_1", "VI_2"), false)));
        SimVrrpNode a = node("a", A, 1, cfgA);
        SimVrrpNode b = node("b", B, 2, cfgB);
        a.start();
        b.start();
        scheduler.runFor(3 * S);
        assertThat(book.holders(VIP)).containsExactly("a");
        assertThat(book.holders(VIP2)).containsExactly("a");
        assertThat(a.router().syncGroups()).singleElement().satisfies(g -> assertThat(g.state()).isEqualTo(VrrpState.MASTER));

        a.setScriptResult("chk", false);
        scheduler.runFor(3 * S);
        assertThat(book.holders(VIP)).containsExactly("b");
        assertThat(book.holders(VIP2)).containsExactly("b");
        assertThat(a.router().instances()).allSatisfy(i -> assertThat(i.effectivePriority()).isEqualTo(90));
        assertThat(b.router().syncGroups()).singleElement().satisfies(g -> assertThat(g.state()).isEqualTo(VrrpState.MASTER));
    }

    @Test
    void aPulledCableFaultsTheInstanceAndThePeerTakesOver() {
        SimVrrpNode a = node("a", A, 1, v3("VI_1", 51, A, 150, 10).trackInterface("eth0", 0, false).build());
        SimVrrpNode b = node("b", B, 2, v3("VI_1", 51, B, 100, 10).build());
        a.start();
        b.start();
        scheduler.runFor(2 * S);
        a.setLinkUp(false);
        scheduler.runFor(S);
        assertThat(a.router().instance("VI_1").orElseThrow().state()).isEqualTo(VrrpState.FAULT);
        assertThat(book.holders(VIP)).containsExactly("b");
        a.setLinkUp(true);
        scheduler.runFor(S);
        assertThat(book.holders(VIP)).containsExactly("a");
    }

    @Test
    void scriptsRunAtTheirInterval() {
        VrrpNodeConfig cfg = new VrrpNodeConfig(
                List.of(VrrpInstanceSpec.of(v3("VI_1", 51, A, 100, 10).trackScript("chk", 0, false).build(), "eth0")),
                List.of(new VrrpTrackScript("chk", List.of("/bin/true"), Duration.ofMillis(500), Duration.ofMillis(500),
                        1, 1, false, Optional.empty())),
                List.of());
        SimVrrpNode a = node("a", A, 1, cfg);
        a.start();
        scheduler.runFor(2 * S - 1);
        assertThat(a.scripts().runs("chk")).isEqualTo(4);
    }
}
