package dev.vigil.lab;

import dev.vigil.heartbeat.membership.MembershipSettings;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.sim.SimHeartbeatCluster;
import dev.vigil.sim.HolderTimeline;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.VrrpInstanceSpec;
import dev.vigil.vrrp.VrrpNodeConfig;
import dev.vigil.vrrp.VrrpTrackScript;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plays one scenario against a keepalived-style VRRP pair and a heartbeat-style pair. Both lanes run
 * Vigil's real glue and state machines ({@link SimVrrpNode}, {@link SimHeartbeatCluster}) on virtual
 * time, exchanging the real encoded bytes; nothing here models the protocols a second time.
 *
 * <p>Both clusters first settle (heartbeat's cold start alone takes initdead plus its fixed 10 s
 * RQSTDELAY, research heartbeat.md section 3); the shown window starts once they have.
 */
public final class LabRunner {
    private static final long S = 1_000_000_000L;
    private static final String VIP = "192.0.2.100";
    private static final String SCRIPT = "chk_service";
    /** Each lane's timeline follows one resource: the VIP, or the heartbeat group holding it. */
    private static final String LANE_RESOURCE = "vip";

    private LabRunner() {
    }

    public static LabResult run(LabScenario scenario, LabParams p) {
        List<String> problems = p.problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        long duration = nanos(p.duration());
        return new LabResult(scenario, duration, nanos(p.faultAt()), List.of(vrrpLane(scenario, p), heartbeatLane(scenario, p)));
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * S);
    }

    // ------------------------------------------------------------------------------------ VRRP lane

    private static LabResult.Lane vrrpLane(LabScenario s, LabParams p) {
        SimScheduler sched = new SimScheduler();
        SimNetwork net = new SimNetwork(sched, p.seed());
        SimAddressBook book = new SimAddressBook(sched);
        InetAddress a = ip("10.0.0.1");
        InetAddress b = ip("10.0.0.2");
        InetAddress vip = ip(VIP);
        List<SimVrrpNode> everA = new ArrayList<>();
        SimVrrpNode[] nodeA = {vrrpNode(net, book, "A", a, 1, p.priorityA(), p)};
        SimVrrpNode nodeB = vrrpNode(net, book, "B", b, 2, p.priorityB(), p);
        everA.add(nodeA[0]);
        nodeA[0].start();
        nodeB.start();
        long t0 = nanos(10);
        sched.runUntil(t0);
        long fault = t0 + nanos(p.faultAt());
        long recover = p.recovers() ? t0 + nanos(p.recoverAt()) : Long.MAX_VALUE;
        long end = t0 + nanos(p.duration());
        sched.runUntil(fault);
        switch (s) {
            case MASTER_KILLED -> {
                // The machine dies: the daemon falls silent and its addresses vanish from the LAN with it.
                // (A kill -9 of keepalived alone would leave them configured; research keepalived.md 2.3.)
                nodeA[0].kill();
                book.actionsFor("A").remove(dev.vigil.action.VirtualAddress.of(vip, 32, "eth0"));
            }
            case CLEAN_STOP -> nodeA[0].stop();
            case LINK_CUT -> nodeA[0].setLinkUp(false);
            case CHECK_FAILS -> nodeA[0].setScriptResult(SCRIPT, false);
            case PACKET_LOSS -> nodeA[0].port().setLoss(p.lossPercent() / 100.0);
            case PARTITION_HEAL, SERIAL_SURVIVES -> net.segment("lan").partition(Set.of("A"), Set.of("B"));
        }
        if (recover < end) {
            sched.runUntil(recover);
            switch (s) {
                case MASTER_KILLED, CLEAN_STOP -> {
                    // the node comes back: a new daemon on the same machine
                    nodeA[0] = vrrpNode(net, book, "A", a, 1, p.priorityA(), p);
                    everA.add(nodeA[0]);
                    nodeA[0].start();
                }
                case LINK_CUT -> nodeA[0].setLinkUp(true);
                case CHECK_FAILS -> nodeA[0].setScriptResult(SCRIPT, true);
                case PACKET_LOSS -> nodeA[0].port().setLoss(0);
                case PARTITION_HEAL, SERIAL_SURVIVES -> net.segment("lan").heal();
            }
        }
        sched.runUntil(end);

        HolderTimeline t = new HolderTimeline();
        for (SimAddressBook.Change c : book.history()) {
            if (!c.address().equals(vip)) continue;
            long at = Math.max(0, c.atNanos() - t0);
            if (c.added()) t.acquired(LANE_RESOURCE, c.node(), at);
            else t.released(LANE_RESOURCE, c.node(), at);
        }
        // A's last frame before the fault: VRRP's timers run from the last advert heard, not from the fault
        Long lastFromA = everA.get(0).sentFrames().stream().mapToLong(SimVrrpNode.SentFrame::atNanos)
                .filter(at -> at <= fault).max().stream().boxed().findFirst().map(at -> at - t0).orElse(null);
        long messages = nodeB.sentFrames().stream().filter(f -> f.atNanos() >= t0).count();
        for (SimVrrpNode n : everA) messages += n.sentFrames().stream().filter(f -> f.atNanos() >= t0).count();
        return lane("vrrp", "keepalived-style VRRP (v" + p.version() + ", advert_int " + trim(p.advertInt()) + " s)",
                t, end - t0, nanos(p.faultAt()), messages, vrrpExplanation(s, p), lastFromA);
    }

    private static SimVrrpNode vrrpNode(SimNetwork net, SimAddressBook book, String name, InetAddress self, int mac,
                                        int priority, LabParams p) {
        VrrpInstanceSettings settings = VrrpInstanceSettings.builder("VI_1", 51, self)
                .version(p.version())
                .priority(priority)
                .advertIntervalCentis((int) Math.round(p.advertInt() * 100))
                .nopreempt(!p.preempt())
                .virtualAddress(ip(VIP))
                .trackScript(SCRIPT, p.weight(), false)
                // keepalived tracks the instance's own interface unless dont_track_primary
                .trackInterface("eth0", 0, false)
                .build();
        VrrpTrackScript check = new VrrpTrackScript(SCRIPT, List.of("/bin/true"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, 1, false, Optional.empty());
        VrrpNodeConfig cfg = new VrrpNodeConfig(List.of(VrrpInstanceSpec.of(settings, "eth0")), List.of(check), List.of());
        return new SimVrrpNode(net, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self), cfg, book);
    }

    /** keepalived's arithmetic for a failing weighted check (keepalived.md 2.3, vrrp_track.c). */
    static String vrrpExplanation(LabScenario s, LabParams p) {
        int pA = p.priorityA();
        int pB = p.priorityB();
        int w = p.weight();
        return switch (s) {
            case CHECK_FAILS -> {
                if (w == 0) yield "weight 0: a failing check puts A in FAULT (priority 0 sent), so B takes over at once.";
                int effA = clamp(pA + (w < 0 ? w : 0));
                int effB = clamp(pB + (w > 0 ? w : 0));
                String how = w < 0 ? "A's failing check takes " + (-w) + " off A: " + pA + " → " + effA + "; B stays at " + effB
                        : "A's failing check loses A its +" + w + " bonus (A " + effA + ") while B's passing check gives B " + pB + " → " + effB;
                if (pA == 255) yield "A is the address owner (255): keepalived never adjusts an owner's priority, so no check moves it.";
                if (effB > effA) {
                    yield how + ". " + effB + " > " + effA + ", so B" + (p.preempt() ? " preempts and takes the address."
                            : " would take over, but nopreempt keeps it backup while A still advertises.");
                }
                int gap = pA - pB;
                yield how + ". " + effA + " ≥ " + effB + ": no failover. The weight trap: a failing check moves mastership only when |weight| exceeds the priority gap (" + pA + " − " + pB + " = " + gap + "); use |weight| > " + gap + ".";
            }
            case LINK_CUT -> "keepalived tracks the instance's own interface: link down puts A in FAULT, and B takes over after Master_Down_Interval.";
            case SERIAL_SURVIVES -> "VRRP has only the network: with it cut, each node stops hearing the other and both become master (split brain) until it heals.";
            case PARTITION_HEAL -> "During the partition each side hears no adverts and both are master; on healing the lower priority yields at the next advert.";
            case CLEAN_STOP -> "A stops cleanly and sends priority 0: B takes over after Skew_Time instead of the full Master_Down_Interval.";
            case MASTER_KILLED -> "A falls silent: B takes over Master_Down_Interval (3 × advert_int + skew) after A's last advert.";
            case PACKET_LOSS -> "Lost adverts delay nothing until three in a row are lost; then B becomes master until A's next advert reaches it.";
        };
    }

    private static int clamp(int prio) {
        return Math.max(1, Math.min(254, prio));
    }

    // ------------------------------------------------------------------------------- heartbeat lane

    private static LabResult.Lane heartbeatLane(LabScenario s, LabParams p) {
        Duration keepalive = Duration.ofNanos(nanos(p.keepalive()));
        Duration deadtime = Duration.ofNanos(nanos(p.deadtime()));
        SimHeartbeatCluster.Builder b = SimHeartbeatCluster.builder()
                .nodes("nodea", "nodeb")
                .timings(keepalive, deadtime)
                .autoFailback(p.autoFailback() ? AutoFailback.ON : AutoFailback.OFF)
                .group("nodea", "IPaddr2::" + VIP + "/24/eth0", "service")
                .seed(p.seed());
        if (s == LabScenario.SERIAL_SURVIVES) b.serial();
        SimHeartbeatCluster c = b.build().start();
        Duration initdead = MembershipSettings.defaultInitdead(deadtime);
        long t0 = initdead.toNanos() + nanos(10) + 2 * deadtime.toNanos() + nanos(2);
        c.runUntil(t0);
        Map<String, Long> sentAtStart = Map.of("nodea", c.messagesSent("nodea"), "nodeb", c.messagesSent("nodeb"));
        long fault = t0 + nanos(p.faultAt());
        long recover = p.recovers() ? t0 + nanos(p.recoverAt()) : Long.MAX_VALUE;
        long end = t0 + nanos(p.duration());
        c.runUntil(fault);
        switch (s) {
            case MASTER_KILLED -> c.kill("nodea");
            case CLEAN_STOP -> c.stop("nodea");
            case LINK_CUT -> c.cutLink("nodea", SimHeartbeatCluster.LAN);
            case CHECK_FAILS -> { } // heartbeat v1 does not look at services (see the explanation)
            case PACKET_LOSS -> c.setLoss("nodea", p.lossPercent() / 100.0);
            case PARTITION_HEAL -> c.partition(Set.of("nodea"), Set.of("nodeb"));
            case SERIAL_SURVIVES -> c.cutLink("nodea", SimHeartbeatCluster.LAN);
        }
        if (recover < end) {
            c.runUntil(recover);
            switch (s) {
                case MASTER_KILLED, CLEAN_STOP -> c.start("nodea");
                case LINK_CUT, SERIAL_SURVIVES -> c.restoreLink("nodea", SimHeartbeatCluster.LAN);
                case CHECK_FAILS -> { }
                case PACKET_LOSS -> c.setLoss("nodea", 0);
                case PARTITION_HEAL -> c.heal();
            }
        }
        c.runUntil(end);

        HolderTimeline t = new HolderTimeline();
        String group = c.groups().get(0);
        for (var h : c.timeline().holds(group)) {
            String node = h.node().equals("nodea") ? "A" : "B";
            t.acquired(LANE_RESOURCE, node, Math.max(0, h.from() - t0));
            if (!h.open()) t.released(LANE_RESOURCE, node, Math.max(0, h.to() - t0));
        }
        long messages = c.messagesSent("nodea") - sentAtStart.get("nodea") + c.messagesSent("nodeb") - sentAtStart.get("nodeb");
        return lane("heartbeat", "heartbeat-style v1 (keepalive " + trim(p.keepalive()) + " s, deadtime " + trim(p.deadtime())
                        + " s" + (s == LabScenario.SERIAL_SURVIVES ? ", LAN + serial" : "") + ")",
                t, end - t0, nanos(p.faultAt()), messages, heartbeatExplanation(s, p), null);
    }

    static String heartbeatExplanation(LabScenario s, LabParams p) {
        return switch (s) {
            case CHECK_FAILS -> "heartbeat v1 watches nodes, not services: A is alive, so it keeps the group although the service behind it is down. (Vigil's resource monitoring, off by default to match heartbeat, closes this gap.)";
            case LINK_CUT -> "With its only link cut, A hears nobody and B hears nothing from A: after deadtime each declares the other dead and both hold the group (v1 has no quorum or fencing).";
            case SERIAL_SURVIVES -> "The serial cable still carries heartbeats: nobody is declared dead, only the LAN link shows dead. This is why heartbeat pairs run a null-modem cable beside Ethernet.";
            case PARTITION_HEAL -> "Both sides declare the other dead after deadtime and both hold the group; on healing Vigil logs 'returning after partition' and renegotiates so that only the preferred node keeps it.";
            case CLEAN_STOP -> "A stops its resources and tells B (shutdone): B takes over at once, without waiting for deadtime.";
            case MASTER_KILLED -> "A falls silent: B declares it dead deadtime after its last heartbeat, then starts the group." + (p.autoFailback() ? " With auto_failback on, the group moves back when A returns." : "");
            case PACKET_LOSS -> "Lost heartbeats are retransmitted on request; only deadtime of silence makes a node dead, so moderate loss causes no failover.";
        };
    }

    // ---------------------------------------------------------------------------------- common

    private static LabResult.Lane lane(String protocol, String title, HolderTimeline t, long end, long faultAt, long messages,
                                       String explanation, Long lastHeardFromA) {
        List<HolderTimeline.Hold> holds = t.holds(LANE_RESOURCE, end);
        List<String> before = t.holdersAt(LANE_RESOURCE, Math.max(0, faultAt - 1));
        Long detection = null;
        for (HolderTimeline.Hold h : holds) {
            if (h.from() >= faultAt && !before.contains(h.node())) {
                detection = h.from();
                break;
            }
        }
        List<String> last = t.holders(LANE_RESOURCE);
        // nothing before the first acquisition counts as an outage: the lane starts once the cluster settled
        long first = t.firstAcquired(LANE_RESOURCE).orElse(end);
        return new LabResult.Lane(protocol, title, List.of("A", "B"), holds, t.outages(LANE_RESOURCE, first, end),
                t.doubleHolders(LANE_RESOURCE, 0, end), detection,
                messages, last.isEmpty() ? null : String.join(" + ", last), explanation, lastHeardFromA);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
