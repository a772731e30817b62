package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.action.AddressActions;
import dev.vigil.action.VirtualAddress;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.transport.FrameLink;
import dev.vigil.vrrp.instance.GarpSettings;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.VrrpFrames;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The glue's wire output against keepalived's own frames, and its bookkeeping. */
class VrrpRouterTest {

    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final MacAddress MAC_A = MacAddress.parse("02:00:0a:e8:00:01");
    static final MacAddress MAC_B = MacAddress.parse("02:00:0a:e8:00:02");
    static final InetAddress A = ip("10.232.0.1");
    static final InetAddress B = ip("10.232.0.2");

    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network = new SimNetwork(scheduler, 1);
    final SimAddressBook book = new SimAddressBook(scheduler);

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A frame from a keepalived capture ({@code src/test/resources/vrrp-fixtures/NAME.hex}). */
    static byte[] fixture(String name) {
        try (InputStream in = VrrpRouterTest.class.getResourceAsStream("/vrrp-fixtures/" + name + ".hex")) {
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split("\\s+");
                for (int i = 1; i < f.length; i++) hex.append(f[i]);
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    SimVrrpNode nodeA(VrrpInstanceSettings s) {
        return new SimVrrpNode(network, "lan", "a", "eth0", MAC_A, List.of(A),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
    }

    static byte[] firstAdvert(SimVrrpNode n) {
        return n.sentFrames().stream().map(SimVrrpNode.SentFrame::frame).filter(f -> VrrpFrames.decode(f).isOk())
                .findFirst().orElseThrow();
    }

    @Test
    void firstV3MulticastAdvertIsByteForByteKeepalivedsCapture() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VI_3", 52, A).version(3).priority(150).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).virtualAddress(ip("10.232.0.101")).build());
        a.start();
        scheduler.runFor(S);
        assertThat(HexFormat.of().formatHex(firstAdvert(a))).isEqualTo(HexFormat.of().formatHex(fixture("v3-ipv4-advert")));
    }

    @Test
    void firstV2PasswordAdvertIsByteForByteKeepalivedsCapture() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VI_2", 51, A).priority(150)
                .authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpw").virtualAddress(ip("10.232.0.100")).build());
        a.start();
        scheduler.runFor(5 * S);
        assertThat(HexFormat.of().formatHex(firstAdvert(a))).isEqualTo(HexFormat.of().formatHex(fixture("v2-authpass-advert")));
    }

    @Test
    void firstV3UnicastAdvertGoesToThePeersMacWithThePeerInThePseudoHeader() {
        // the peer only answers ARP, as a kernel does
        new SimVrrpNode(network, "lan", "b", "eth0", MAC_B, List.of(B), VrrpNodeConfig.of(List.of()), book);
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VU_3", 53, A).version(3).priority(150).advertIntervalCentis(100)
                .virtualAddress(ip("10.232.0.110")).unicastPeer(UnicastPeer.of(B)).build());
        a.start();
        scheduler.runFor(5 * S);
        assertThat(HexFormat.of().formatHex(firstAdvert(a))).isEqualTo(HexFormat.of().formatHex(fixture("v3-unicast-advert")));
    }

    @Test
    void ipv6AdvertMatchesKeepalivedsVrrpBytes() {
        InetAddress ll = ip("fe80::aff:fee8:1");
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_6", 62, ll).priority(150).advertIntervalCentis(100)
                .virtualAddress(ip("fe80::62")).virtualAddress(ip("fd00:232::62")).build();
        SimVrrpNode a = new SimVrrpNode(network, "lan", "a", "eth0", MAC_A, List.of(A, ll),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
        a.start();
        scheduler.runFor(5 * S);
        byte[] ours = firstAdvert(a);
        byte[] theirs = fixture("v3-ipv6-advert");
        // the kernel gave keepalived's socket a flow label (bytes 15..17); Vigil sends 0 (RFC 6437 allows it)
        assertThat(Arrays.copyOfRange(ours, 0, 15)).isEqualTo(Arrays.copyOfRange(theirs, 0, 15));
        assertThat(Arrays.copyOfRange(ours, 18, ours.length)).isEqualTo(Arrays.copyOfRange(theirs, 18, theirs.length));
    }

    @Test
    void ipIdentificationCountsPerInstanceFromOne() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VI", 52, A).version(3).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).build());
        a.start();
        scheduler.runFor(S);
        List<Integer> ids = a.sentFrames().stream().map(SimVrrpNode.SentFrame::frame).filter(f -> VrrpFrames.decode(f).isOk())
                .map(f -> ((f[18] & 0xff) << 8) | (f[19] & 0xff)).toList();
        assertThat(ids).hasSizeGreaterThan(3);
        for (int i = 0; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(i + 1);
    }

    @Test
    void newMasterAnnouncesEachAddressRepeatTimesAfterAddingItAndAgainAfterTheDelay() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VI", 52, A).version(3).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).build());
        a.start();
        scheduler.runFor(S);
        InetAddress vip = ip("10.232.0.100");
        long addedAt = book.firstAdded("a", vip, 0).orElseThrow();
        assertThat(book.announcements()).filteredOn(x -> x.address().equals(vip)).hasSize(5)
                .allSatisfy(x -> assertThat(x.atNanos()).isEqualTo(addedAt));
        scheduler.runFor(5 * S);
        assertThat(book.announcements()).filteredOn(x -> x.address().equals(vip)).hasSize(10);
    }

    /** keepalived.md §1.5: advert, then the addresses, then the gratuitous ARPs, even when adding takes time. */
    @Test
    void addressChangesRunInOrderAndAnnouncementsWaitForTheAdd() {
        List<String> done = new ArrayList<>();
        List<CompletableFuture<AddressActions.ActionResult>> pending = new ArrayList<>();
        AddressActions slow = new AddressActions() {
            @Override
            public CompletableFuture<ActionResult> add(VirtualAddress a) {
                CompletableFuture<ActionResult> f = new CompletableFuture<>();
                pending.add(f);
                return f.thenApply(r -> {
                    done.add("add");
                    return r;
                });
            }

            @Override
            public CompletableFuture<ActionResult> remove(VirtualAddress a) {
                done.add("remove");
                return CompletableFuture.completedFuture(ActionResult.success("removed"));
            }

            @Override
            public CompletableFuture<ActionResult> announce(VirtualAddress a) {
                done.add("announce");
                return CompletableFuture.completedFuture(ActionResult.success("announced"));
            }
        };
        List<byte[]> wire = new ArrayList<>();
        FrameLink link = new FrameLink() {
            @Override
            public String device() {
                return "eth0";
            }

            @Override
            public byte[] hardwareAddress() {
                return MAC_A.bytes();
            }

            @Override
            public boolean send(byte[] frame) {
                wire.add(frame);
                done.add("advert");
                return true;
            }
        };
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI", 52, A).version(3).advertIntervalCentis(10)
                .garp(new GarpSettings(0, 2, 0, 1, 0, 0)).virtualAddress(ip("10.232.0.100")).build();
        VrrpRouter r = new VrrpRouter(VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), scheduler,
                new VrrpIo(d -> link, slow, x -> CompletableFuture.completedFuture(true)), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        r.start();
        scheduler.runFor(400 * MS);
        assertThat(r.instance("VI").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        // the stale-address removal ran first, then the advert; the add is still in flight, so no announcement yet
        assertThat(done).startsWith("remove", "advert").doesNotContain("announce");
        r.setMaintenance("VI", true); // leaves MASTER: its removal must wait for the add
        pending.forEach(f -> f.complete(AddressActions.ActionResult.success("added")));
        int add = done.indexOf("add");
        assertThat(done.subList(add, done.size())).containsSubsequence("add", "announce", "remove");
        assertThat(done.lastIndexOf("remove")).isGreaterThan(done.indexOf("announce"));
    }

    @Test
    void framesForOtherHostsAndUnknownVridsAreIgnoredAndUndecodableOnesCounted() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VU", 53, A).version(3).advertIntervalCentis(100)
                .virtualAddress(ip("10.232.0.110")).unicastPeer(UnicastPeer.of(B)).build());
        a.start();
        scheduler.runFor(S);
        VrrpRouter r = a.router();
        // keepalived's unicast advert from .1 to .2: not for A, even though pcap would show it
        byte[] toB = fixture("v3-unicast-advert").clone();
        toB[6] = 0x02; // a different sender MAC than A's own
        r.onFrame("eth0", toB);
        assertThat(r.instance("VU").orElseThrow().counters().get("advert_rcvd")).isZero();
        // the v3 multicast capture names VRID 52, which A does not run
        r.onFrame("eth0", fixture("v3-ipv4-advert"));
        assertThat(r.interfaceDrops()).containsEntry("eth0", java.util.Map.of("unknown_vrid", 1L));
        byte[] bad = fixture("v3-unicast-advert").clone();
        bad[6] = 0x02;
        bad[14 + 20 + 6] ^= 1;
        r.onFrame("eth0", bad);
        assertThat(r.instance("VU").orElseThrow().counters()).containsEntry("chk_err", 1L);
        assertThat(r.instance("VU").orElseThrow().rejectedFrames()).containsEntry("chk_err", 1L);
    }

    @Test
    void twoInstancesWithOneVridOnOneInterfaceAreRefused() {
        VrrpInstanceSettings x = VrrpInstanceSettings.builder("X", 9, A).virtualAddress(ip("10.232.0.9")).build();
        VrrpInstanceSettings y = VrrpInstanceSettings.builder("Y", 9, A).virtualAddress(ip("10.232.0.10")).build();
        assertThatThrownBy(() -> new VrrpRouter(VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(x, "eth0"),
                VrrpInstanceSpec.of(y, "eth0"))), scheduler, new VrrpIo(d -> null, book.actionsFor("a"),
                s -> CompletableFuture.completedFuture(true)), Clock.systemUTC()))
                .hasMessageContaining("X and Y both use VRID 9");
    }

    @Test
    void transitionsReachListenersWithTheEffectivePriority() {
        SimVrrpNode a = nodeA(VrrpInstanceSettings.builder("VI", 52, A).version(3).priority(120).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).build());
        List<VrrpRouter.InstanceTransition> seen = new ArrayList<>();
        a.router().addListener(new VrrpRouter.Listener() {
            @Override
            public void instanceTransition(VrrpRouter.InstanceTransition t) {
                seen.add(t);
            }
        });
        a.start();
        scheduler.runFor(S);
        a.stop();
        assertThat(seen).extracting(VrrpRouter.InstanceTransition::to)
                .containsExactly(VrrpState.BACKUP, VrrpState.MASTER, VrrpState.STOP);
        assertThat(seen).allSatisfy(t -> assertThat(t.priority()).isEqualTo(120));
        assertThat(seen.get(1).at()).isEqualTo(Instant.EPOCH.plusNanos(seen.get(1).atNanos()));
    }

    /**
     * keepalived 2.2.7: vrrp_state_become_master adds the VIPs, then virtual_routes;
     * vrrp_restore_interface removes the routes, then the VIPs; a kill -9'd predecessor's routes are
     * removed at start like its addresses.
     */
    @Test
    void virtualRoutesFollowTheAddressesIntoMasterAndLeaveBeforeThem() {
        List<String> done = new ArrayList<>();
        AddressActions recording = new AddressActions() {
            CompletableFuture<ActionResult> ok(String what) {
                done.add(what);
                return CompletableFuture.completedFuture(ActionResult.success(what));
            }

            @Override
            public CompletableFuture<ActionResult> add(VirtualAddress a) {
                return ok("add " + a.address().getHostAddress());
            }

            @Override
            public CompletableFuture<ActionResult> remove(VirtualAddress a) {
                return ok("remove " + a.address().getHostAddress());
            }

            @Override
            public CompletableFuture<ActionResult> announce(VirtualAddress a) {
                return CompletableFuture.completedFuture(ActionResult.success("announced"));
            }

            @Override
            public CompletableFuture<ActionResult> addRoute(dev.vigil.action.VirtualRoute r) {
                return ok("add route " + r);
            }

            @Override
            public CompletableFuture<ActionResult> removeRoute(dev.vigil.action.VirtualRoute r) {
                return ok("remove route " + r);
            }
        };
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI", 52, A).version(3).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).build();
        dev.vigil.action.VirtualRoute r1 = dev.vigil.action.VirtualRoute.via("192.168.50.0/24", ip("10.232.0.254"));
        dev.vigil.action.VirtualRoute r2 = new dev.vigil.action.VirtualRoute("blackhole", "198.51.100.0/24", null, null, null,
                null, null, null, java.util.Map.of());
        VrrpInstanceSpec spec = new VrrpInstanceSpec(s, "eth0", List.of(VirtualAddress.of(ip("10.232.0.100"), 32, "eth0")),
                dev.vigil.vrrp.wire.VrrpCodec.IPV4_GROUP, List.of(r1, r2));
        VrrpRouter r = new VrrpRouter(VrrpNodeConfig.of(List.of(spec)), scheduler,
                new VrrpIo(d -> null, recording, x -> CompletableFuture.completedFuture(true)), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        r.start();
        scheduler.runFor(400 * MS);
        assertThat(r.instance("VI").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        String rm1 = "remove route 192.168.50.0/24 via 10.232.0.254";
        String rm2 = "remove route blackhole 198.51.100.0/24";
        assertThat(done).containsExactly(rm1, rm2, "remove 10.232.0.100",
                "add 10.232.0.100", "add route 192.168.50.0/24 via 10.232.0.254", "add route blackhole 198.51.100.0/24");
        done.clear();
        r.setMaintenance("VI", true); // FAULT: leaves MASTER
        scheduler.runFor(100 * MS);
        assertThat(done).containsExactly(rm1, rm2, "remove 10.232.0.100");
        r.setMaintenance("VI", false);
        scheduler.runFor(S);
        assertThat(r.instance("VI").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        done.clear();
        r.shutdown().join();
        assertThat(done).containsExactly(rm1, rm2, "remove 10.232.0.100");
    }

    /** Backup B (priority 100) of keepalived's captured master A (150, v3 0.1 s): Master_Down is 0.361 s. */
    SimVrrpNode backupOfCapturedMaster() {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_3", 52, B).version(3).priority(100).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).virtualAddress(ip("10.232.0.101")).build();
        SimVrrpNode b = new SimVrrpNode(network, "lan", "b", "eth0", MAC_B, List.of(B),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
        b.start();
        byte[] advert = fixture("v3-ipv4-advert");
        for (long t = 0; t <= S; t += 100 * MS) scheduler.schedule(t, () -> b.router().onFrame("eth0", advert));
        return b;
    }

    VrrpState stateOf(SimVrrpNode n) {
        return n.router().instance("VI_3").orElseThrow().state();
    }

    /**
     * A batching reader hands a frame over up to its hold-off after the kernel captured it: the backup's
     * Master_Down must run from the capture, as keepalived's runs from its read of the socket, so that
     * reading late never makes a takeover late.
     */
    @Test
    void masterDownRunsFromTheAdvertsCaptureTimeNotFromWhenItIsHandled() {
        SimVrrpNode b = backupOfCapturedMaster();
        byte[] advert = fixture("v3-ipv4-advert");
        // the master's last advert was captured at 1.05 s but is handled only at 1.2 s
        scheduler.schedule(1_200 * MS, () -> b.router().onFrame("eth0", advert, 1_050 * MS));
        scheduler.runUntil(1_400 * MS);
        assertThat(stateOf(b)).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(1_420 * MS); // 1.05 s + 0.361 s; from the handling it would be 1.561 s
        assertThat(stateOf(b)).isEqualTo(VrrpState.MASTER);
    }

    /** A capture time "from the future" or before an input already handled is clamped, never trusted. */
    @Test
    void aCaptureTimeLaterThanNowCountsAsNow() {
        SimVrrpNode b = backupOfCapturedMaster();
        byte[] advert = fixture("v3-ipv4-advert");
        scheduler.schedule(1_200 * MS, () -> b.router().onFrame("eth0", advert, 9 * S));
        scheduler.runUntil(1_560 * MS);
        assertThat(stateOf(b)).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(1_570 * MS);
        assertThat(stateOf(b)).isEqualTo(VrrpState.MASTER);
    }

    /**
     * Before a timer acts, the frames already captured but not yet read are handed over: a master's
     * advert that arrived before the backup's Master_Down deadline keeps it a backup, exactly as when
     * every frame is read the moment it arrives.
     */
    @Test
    void aTimerFirstReadsTheFramesCapturedBeforeItSoAPendingAdvertKeepsTheBackupBackup() {
        SimVrrpNode b = backupOfCapturedMaster();
        byte[] advert = fixture("v3-ipv4-advert");
        // captured at 1.3 s, still in the ring when Master_Down (1.361 s) comes due
        List<byte[]> ring = new ArrayList<>();
        scheduler.schedule(1_300 * MS, () -> ring.add(advert));
        int[] reads = {0};
        b.router().setPendingInput(() -> {
            reads[0]++;
            for (byte[] f : ring) b.router().onFrame("eth0", f, 1_300 * MS);
            ring.clear();
        });
        scheduler.runUntil(1_600 * MS);
        assertThat(reads[0]).isPositive();
        assertThat(stateOf(b)).isEqualTo(VrrpState.BACKUP);
        assertThat(b.router().lateTimers()).isZero();
        scheduler.runUntil(1_670 * MS); // 1.3 s + 0.361 s
        assertThat(stateOf(b)).isEqualTo(VrrpState.MASTER);
    }

    /**
     * An input that is not a frame (here a tracked link going down, also a script result or
     * maintenance) first hands over the frames that arrived before it: a quiet reader leaves a
     * Master_Down interval of them unread, and handled after the link event they would count as of
     * its time (input times only go forward), so a takeover from a master that died just before the
     * event would come that much late.
     */
    @Test
    void anInputThatIsNoFrameFirstReadsTheFramesCapturedBeforeItSoTheTakeoverStaysOnTime() {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_3", 52, B).version(3).priority(100).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).virtualAddress(ip("10.232.0.101")).trackInterface("eth1", 10, false).build();
        SimVrrpNode b = new SimVrrpNode(network, "lan", "b", "eth0", MAC_B, List.of(B),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
        b.router().onInterfaceState("eth1", true);
        b.start();
        byte[] advert = fixture("v3-ipv4-advert"); // priority 150, above the backup's 110 and 100
        for (long t = 0; t <= S; t += 100 * MS) scheduler.schedule(t, () -> b.router().onFrame("eth0", advert));
        // the master's last advert, captured at 1.3 s, is still in the ring when eth1 goes down at 1.35 s
        List<byte[]> ring = new ArrayList<>();
        scheduler.schedule(1_300 * MS, () -> ring.add(advert));
        b.router().setPendingInput(() -> {
            for (byte[] f : ring) b.router().onFrame("eth0", f, 1_300 * MS);
            ring.clear();
        });
        scheduler.schedule(1_350 * MS, () -> b.router().onInterfaceState("eth1", false));
        scheduler.runUntil(1_360 * MS);
        assertThat(ring).as("read by the link event").isEmpty();
        assertThat(stateOf(b)).isEqualTo(VrrpState.BACKUP);
        // Master_Down from the capture: 1.3 s + 3 x 0.1 s + skew (0.061 s at priority 100), not from 1.35 s
        scheduler.runUntil(1_665 * MS);
        assertThat(stateOf(b)).isEqualTo(VrrpState.MASTER);
    }

    /**
     * Each advert moves a backup's Master_Down later; the router keeps the task it has and lets it
     * re-arm when it comes due, instead of a cancel and a new task per advert. The takeover is still
     * exactly Master_Down_Interval after the last advert.
     */
    @Test
    void masterDownMovedLaterByEachAdvertIsNotRescheduledPerAdvert() {
        int[] schedules = {0};
        dev.vigil.core.Scheduler counting = countingScheduler(() -> schedules[0]++, () -> { });
        VrrpRouter r = startedBackupAt0_1s(counting);
        byte[] advert = fixture("v3-ipv4-advert");
        for (long t = 0; t <= 2 * S; t += 100 * MS) scheduler.schedule(t, () -> r.onFrame("eth0", advert));
        scheduler.runUntil(100 * MS);
        int before = schedules[0];
        scheduler.runUntil(2 * S); // 19 more adverts
        assertThat(schedules[0] - before).as("timer tasks for 19 adverts").isLessThanOrEqualTo(8);
        scheduler.runUntil(2 * S + 360 * MS);
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(2 * S + 362 * MS);
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
    }

    /**
     * A Master_Down task left where it was would come due at a deadline the adverts have moved (three
     * times a second at 0.1 s, each a wake-up of the daemon's loop of its own); the router moves it on
     * the advert instead when it would otherwise fire before the next one. While adverts keep coming
     * no timer fires at all, and the takeover after the last one is still exactly on time.
     */
    @Test
    void masterDownTaskIsMovedOnTheAdvertInsteadOfFiringStale() {
        int[] fired = {0};
        dev.vigil.core.Scheduler counting = countingScheduler(() -> { }, () -> fired[0]++);
        VrrpRouter r = startedBackupAt0_1s(counting);
        byte[] advert = fixture("v3-ipv4-advert");
        // adverts 3 ms late or early at random, as a loaded master's are
        java.util.Random jitter = new java.util.Random(7);
        for (long t = 0; t <= 5 * S; t += 100 * MS) {
            long at = t == 0 ? 0 : t + (jitter.nextInt(7) - 3) * MS;
            scheduler.schedule(at, () -> r.onFrame("eth0", advert));
        }
        scheduler.runUntil(110 * MS);
        int before = fired[0];
        scheduler.runUntil(5 * S + 5 * MS);
        assertThat(fired[0] - before).as("timer firings while 49 adverts came").isZero();
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(5 * S + 410 * MS);
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
    }

    /**
     * A quiet reader hands a backup's adverts over in batches, each advert with its capture time, up
     * to 128 ms after it came (100 instances at 0.1 s). The Master_Down task must still be moved on
     * those late hand-overs before it comes due: a task kept because it was far enough ahead of the
     * advert's capture would fire stale before the next batch, a wake-up per instance. The takeover
     * after the last advert is still on time.
     */
    @Test
    void masterDownTaskIsMovedOnAdvertsHandedOverLateInBatches() {
        int[] fired = {0};
        dev.vigil.core.Scheduler counting = countingScheduler(() -> { }, () -> fired[0]++);
        VrrpRouter r = startedBackupAt0_1s(counting);
        byte[] advert = fixture("v3-ipv4-advert");
        // adverts captured every 100 ms from 0 to 5 s; the ring is read every 128 ms
        long lastAdvert = 5 * S;
        for (long read = 0; read <= lastAdvert + 128 * MS; read += 128 * MS) {
            long at = read;
            scheduler.schedule(read, () -> {
                for (long c = Math.max(0, at - 127 * MS) / (100 * MS) * (100 * MS); c <= Math.min(at, lastAdvert); c += 100 * MS) {
                    if (c > at - 128 * MS || at == 0) r.onFrame("eth0", advert, c);
                }
            });
        }
        scheduler.runUntil(300 * MS);
        int before = fired[0];
        scheduler.runUntil(lastAdvert + 130 * MS);
        assertThat(fired[0] - before).as("timer firings while adverts came in batches").isZero();
        assertTakesOverMasterDownAfter(r, lastAdvert);
    }

    /**
     * A quiet reader hands over the ring only when a timer is due: three adverts per read, one read
     * per Master_Down. Judged advert by advert, the first two moves re-armed the task and the third
     * kept it two intervals short of the deadline, so it fired stale in between: two wake-ups per
     * Master_Down. A read is one batch (beginFrames/endFrames) and the task moves on its whole move.
     */
    @Test
    void aQuietReadOfSeveralAdvertsMovesMasterDownOnceSoItFiresOnlyWhenDue() {
        int[] fired = {0};
        dev.vigil.core.Scheduler counting = countingScheduler(() -> { }, () -> fired[0]++);
        VrrpRouter r = startedBackupAt0_1s(counting);
        byte[] advert = fixture("v3-ipv4-advert");
        long lastAdvert = 6 * S;
        long[] unread = {0}; // capture time of the oldest advert not yet read; one every 100 ms
        r.setPendingInput(() -> {
            r.beginFrames();
            try {
                for (; unread[0] <= Math.min(scheduler.nanoTime(), lastAdvert); unread[0] += 100 * MS) r.onFrame("eth0", advert, unread[0]);
            } finally {
                r.endFrames();
            }
        });
        scheduler.runUntil(S);
        int before = fired[0];
        scheduler.runUntil(5 * S);
        // Master_Down 0.361 s, the newest advert of a read up to 0.1 s old: a read every 0.26-0.36 s
        assertThat(fired[0] - before).as("timer firings in 4 s of quiet reads").isBetween(11, 16);
        assertTakesOverMasterDownAfter(r, lastAdvert);
    }

    /** Still backup now and at Master_Down_Interval (0.361 s) after {@code lastAdvert}, master just after it. */
    private void assertTakesOverMasterDownAfter(VrrpRouter r, long lastAdvert) {
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(lastAdvert + 360 * MS);
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(lastAdvert + 362 * MS);
        assertThat(r.instance("VI_3").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
    }

    /** The simulation's scheduler, telling {@code onSchedule} of each new task and {@code onFire} of each firing. */
    private dev.vigil.core.Scheduler countingScheduler(Runnable onSchedule, Runnable onFire) {
        return new dev.vigil.core.Scheduler() {
            @Override
            public long nanoTime() {
                return scheduler.nanoTime();
            }

            @Override
            public Timer schedule(long delayNanos, Runnable task) {
                onSchedule.run();
                return scheduler.schedule(delayNanos, () -> {
                    onFire.run();
                    task.run();
                });
            }
        };
    }

    /** A started backup (priority 100) of VRID 52 at v3 0.1 s on eth0, its timers on {@code timers}. */
    private VrrpRouter startedBackupAt0_1s(dev.vigil.core.Scheduler timers) {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_3", 52, B).version(3).priority(100).advertIntervalCentis(10)
                .virtualAddress(ip("10.232.0.100")).virtualAddress(ip("10.232.0.101")).build();
        VrrpRouter r = new VrrpRouter(VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), timers,
                new VrrpIo(d -> null, book.actionsFor("b"), x -> CompletableFuture.completedFuture(true)),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        r.onInterfaceState("eth0", true);
        r.start();
        return r;
    }
}
