package dev.vigil.heartbeat.rm;

import dev.vigil.core.Scheduler;
import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.HostProbe;
import dev.vigil.heartbeat.membership.LogLevel;
import dev.vigil.heartbeat.membership.Membership;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.MembershipSettings;
import dev.vigil.heartbeat.wire.DecodeResult;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbMessage;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A small glue for tests: nodes made of a {@link Membership} and (optionally) a
 * {@link ResourceManager}, on {@link SimScheduler} virtual time, talking over {@link SimNetwork}
 * segments (one per medium) in real heartbeat bytes: every message is signed and encoded with
 * {@link HbCodec}, and decoded and verified on arrival. Resource scripts are simulated by
 * {@link Node#scripts}, which keeps the truth of what runs where in a {@link HolderTimeline}.
 */
final class SimCluster {
    static final long SEC = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long EPOCH = 0x6b05f984L;

    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network;
    final HbCodec codec = HbFixtures.codec();
    final List<String> media;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final HolderTimeline timeline = new HolderTimeline();
    private final long seed;
    /** Every decoded message each node received, for assertions on the wire traffic. */
    final List<String> wireLog = new ArrayList<>();
    boolean recordWire;

    SimCluster(long seed, String... media) {
        this.seed = seed;
        this.network = new SimNetwork(scheduler, seed);
        this.media = List.of(media.length == 0 ? new String[] {"hb0"} : media);
    }

    long now() {
        return scheduler.nanoTime();
    }

    void runFor(Duration d) {
        scheduler.runFor(d.toNanos());
    }

    void runUntil(long nanos) {
        scheduler.runUntil(nanos);
    }

    /** The research testbed's timings: keepalive 1, deadtime 5, warntime 3, initdead 10. */
    static MembershipSettings membershipSettings(String node, List<String> allNodes, List<String> media) {
        return new MembershipSettings(node, allNodes, media, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(10), 1, EPOCH + 1 + allNodes.indexOf(node) * 16L, UUID.nameUUIDFromBytes(node.getBytes()),
                Map.of(), Duration.ofMillis(250));
    }

    Node add(MembershipSettings ms, ResourceSettings rs) {
        Node n = new Node(ms, rs);
        nodes.put(ms.localNode(), n);
        return n;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    /** The simulated resource scripts of one node: latencies, injected failures, and the truth of what runs. */
    final class Scripts {
        final String node;
        final Map<String, Boolean> running = new HashMap<>();
        long startLatency = 1500 * MS;
        long stopLatency = 500 * MS;
        long statusLatency = 50 * MS;
        final Set<String> failStart = new LinkedHashSet<>();
        final Set<String> failStop = new LinkedHashSet<>();
        /** A failing stop that leaves the resource running (status says so). */
        boolean failedStopKeepsRunning = true;
        int runs;

        Scripts(String node) {
            this.node = node;
        }

        void set(String resource, boolean on) {
            Boolean was = running.put(resource, on);
            if (was == null || was != on) timeline.record(now(), node, resource, on);
        }

        boolean isRunning(String resource) {
            return running.getOrDefault(resource, false);
        }

        /** The machine is gone: nothing of it runs any more. */
        void powerOff() {
            for (String r : new ArrayList<>(running.keySet())) set(r, false);
        }
    }

    final class Node {
        final MembershipSettings baseSettings;
        final ResourceSettings resourceSettings;
        final Scripts scripts;
        final String name;
        final Map<String, SimNetwork.Port> ports = new LinkedHashMap<>();
        final List<String> log = new ArrayList<>();
        final List<String> rscStatusHistory = new ArrayList<>();
        Membership membership;
        ResourceManager rm;
        long generation;
        boolean up;
        private int incarnation;
        private Scheduler.Timer timer;
        final List<HbMessage> delivered = new ArrayList<>();
        /** Every message this node put on the wire, in order. */
        final List<HbMessage> sent = new ArrayList<>();
        final List<MembershipAction> membershipEvents = new ArrayList<>();
        Consumer<HbMessage> onDeliver = m -> { };

        Node(MembershipSettings ms, ResourceSettings rs) {
            this.baseSettings = ms;
            this.resourceSettings = rs;
            this.name = ms.localNode();
            this.scripts = new Scripts(name);
            this.generation = ms.generation();
            for (String medium : media) {
                SimNetwork.Segment seg = network.segment(medium);
                ports.put(medium, seg.attach(name, d -> receive(medium, d)));
            }
        }

        void start() {
            incarnation++;
            up = true;
            for (SimNetwork.Port p : ports.values()) p.setUp(true);
            membership = new Membership(baseSettings.withGeneration(generation), new SplittableRandom(seed * 31 + incarnation * 7L + name.hashCode()),
                    HostProbe.fixed(EPOCH, "0.00 0.00 0.00 1/1 1"));
            rm = resourceSettings == null ? null : new ResourceManager(resourceSettings);
            apply(membership.start(now()));
            reschedule();
        }

        /** kill -9 plus power off: no goodbye, nothing of it keeps running. */
        void crash() {
            up = false;
            incarnation++;
            if (timer != null) timer.cancel();
            for (SimNetwork.Port p : ports.values()) p.setUp(false);
            scripts.powerOff();
            log("--- crashed");
        }

        /** A new run with the next generation, as hb_generation + 1 after a restart. */
        void restart() {
            generation++;
            log("--- restarted");
            start();
        }

        void standby(AdminRequest which) {
            applyRm(rm.requestStandby(which, now()));
            reschedule();
        }

        void takeover(AdminRequest which) {
            applyRm(rm.requestTakeover(which, now()));
            reschedule();
        }

        void shutdown() {
            applyRm(rm.shutdown(now()));
            reschedule();
        }

        void resolveFailed(String group) {
            applyRm(rm.resolveFailedGroup(group, now()));
            reschedule();
        }

        /** Sends an arbitrary message through membership (a test probe for delivery). */
        void send(HbMessage body) {
            apply(membership.send(body, now()));
            reschedule();
        }

        /** A packet from outside the simulation (a captured real node), as if it arrived on {@code medium} now. */
        void inject(String medium, HbMessage message) {
            receive(medium, new SimNetwork.Delivery("captured", Set.of(), null, codec.encodeNetstring(message)));
        }

        private void receive(String medium, SimNetwork.Delivery d) {
            if (!up) return;
            DecodeResult r = codec.decode(d.payload());
            if (!(r instanceof Decoded dec)) throw new AssertionError(name + " got an undecodable packet: " + r);
            if (recordWire) wireLog.add(String.format("%.3f %s<-%s %s", now() / 1e9, name, d.fromNode(), dec.message()));
            apply(membership.received(dec.message(), medium, now()));
            reschedule();
        }

        private void apply(List<MembershipAction> actions) {
            for (MembershipAction a : actions) {
                if (a instanceof MembershipAction.Broadcast b) {
                    sent.add(b.message());
                    byte[] packet = codec.encodeNetstring(b.message());
                    for (SimNetwork.Port p : ports.values()) p.send(null, packet);
                } else if (a instanceof MembershipAction.Log l) {
                    log(l.level(), l.text());
                } else {
                    if (a instanceof MembershipAction.Deliver d) {
                        delivered.add(d.message());
                        onDeliver.accept(d.message());
                    } else if (!(a instanceof MembershipAction.PersistGeneration)) {
                        membershipEvents.add(a);
                    }
                    if (rm != null) applyRm(rm.onMembership(a, now()));
                }
            }
        }

        private void applyRm(List<RmAction> actions) {
            for (RmAction a : actions) {
                if (a instanceof RmAction.Broadcast b) {
                    apply(membership.send(b.body(), now()));
                } else if (a instanceof RmAction.Log l) {
                    log(l.level(), l.text());
                } else if (a instanceof RmAction.RunResource run) {
                    runScript(run);
                } else if (a instanceof RmAction.RscStatusChanged c) {
                    rscStatusHistory.add(String.format("%.3f %s", now() / 1e9, c.current()));
                } else if (a instanceof RmAction.GroupStateChanged g) {
                    log(String.format("group %s %s -> %s", g.group(), g.previous(), g.current()));
                }
            }
        }

        private void runScript(RmAction.RunResource run) {
            scripts.runs++;
            int inc = incarnation;
            long latency = run.op() == ResourceOp.START ? scripts.startLatency
                    : run.op() == ResourceOp.STOP ? scripts.stopLatency : scripts.statusLatency;
            scheduler.schedule(latency, () -> {
                if (!up || inc != incarnation) return;
                OperationResult result;
                switch (run.op()) {
                    case START: {
                        boolean ok = !scripts.failStart.contains(run.resource());
                        if (ok) scripts.set(run.resource(), true);
                        result = OperationResult.started(run.group(), run.resource(), ok);
                        break;
                    }
                    case STOP: {
                        boolean ok = !scripts.failStop.contains(run.resource());
                        if (ok || !scripts.failedStopKeepsRunning) scripts.set(run.resource(), false);
                        result = OperationResult.stopped(run.group(), run.resource(), ok);
                        break;
                    }
                    default:
                        result = OperationResult.status(run.group(), run.resource(), scripts.isRunning(run.resource()));
                        break;
                }
                applyRm(rm.operationFinished(result, now()));
                reschedule();
            });
        }

        private void reschedule() {
            if (!up) return;
            if (timer != null) timer.cancel();
            long next = membership.nextDeadlineNanos();
            if (rm != null) next = Math.min(next, rm.nextDeadlineNanos());
            if (next == Long.MAX_VALUE) return;
            int inc = incarnation;
            timer = scheduler.schedule(next - now(), () -> {
                if (!up || inc != incarnation) return;
                long t = now();
                apply(membership.tick(t));
                if (rm != null) applyRm(rm.tick(t));
                reschedule();
            });
        }

        void log(LogLevel level, String text) {
            log(level.tag() + ": " + text);
        }

        void log(String line) {
            log.add(String.format("%9.3f %s %s", now() / 1e9, name, line));
        }

        long countLog(String fragment) {
            return log.stream().filter(l -> l.contains(fragment)).count();
        }

        /** The time (s) of the first log line containing the fragment after {@code afterSeconds}, or -1. */
        double firstLogAfter(String fragment, double afterSeconds) {
            for (String l : log) {
                double t = Double.parseDouble(l.trim().split("\\s+")[0]);
                if (t >= afterSeconds && l.contains(fragment)) return t;
            }
            return -1;
        }
    }

    String dumpLogs() {
        List<String> all = new ArrayList<>();
        for (Node n : nodes.values()) all.addAll(n.log);
        all.sort((a, b) -> Double.compare(Double.parseDouble(a.trim().split("\\s+")[0]), Double.parseDouble(b.trim().split("\\s+")[0])));
        return String.join("\n", all);
    }
}
