package dev.vigil.heartbeat.sim;

import dev.vigil.config.Secret;
import dev.vigil.heartbeat.HbLink;
import dev.vigil.heartbeat.HbStateStore;
import dev.vigil.heartbeat.HeartbeatNode;
import dev.vigil.heartbeat.HeartbeatSettings;
import dev.vigil.heartbeat.ResourceExecutor;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceGroup;
import dev.vigil.heartbeat.rm.ResourceOp;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.AuthMethod;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.sim.HolderTimeline;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.transport.Medium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * A heartbeat cluster on virtual time: every node is the daemon's own {@link HeartbeatNode}, its
 * media are ports of a {@link SimNetwork} carrying the real encoded, signed bytes, and its resource
 * executor records which node holds each group when (the {@link HolderTimeline}). For the console's
 * lab and fault campaigns: kill, restart or stop a node, pull one of its cables, split the LAN, add
 * loss, run for a while, then read the timeline.
 *
 * <p>Every node has a UDP link {@value #LAN} (broadcast on segment "lan"); with
 * {@link Builder#serial()} two-node clusters also get a null-modem serial line {@value #SERIAL}
 * (classic frames). Deterministic: the same seed and steps give the same run.
 */
public final class SimHeartbeatCluster {
    public static final String LAN = "eth0";
    public static final String SERIAL = "/dev/ttyS0";
    /** 2026-01-01T00:00:00Z: the simulated wall clock at virtual time 0. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private final SimScheduler scheduler;
    private final SimNetwork network;
    private final Map<String, Machine> machines = new LinkedHashMap<>();
    private final HolderTimeline timeline = new HolderTimeline();
    private final HeartbeatSettings template;
    private final HbCodec codec;
    private final long operationNanos;
    private final boolean serial;
    private final long seed;
    private final Logger log;
    private long packetsOnWire;
    private final List<Entry> journal = new ArrayList<>();

    /** One event of one node's run, for the cluster-wide journal. */
    public record Entry(long nanos, String node, String kind, String text) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%9.3f %s %s: %s", nanos / 1e9, node, kind, text);
        }
    }

    private SimHeartbeatCluster(Builder b) {
        this.scheduler = new SimScheduler();
        this.network = new SimNetwork(scheduler, b.seed);
        this.seed = b.seed;
        this.serial = b.serial;
        this.operationNanos = b.operationTime.toNanos();
        this.codec = new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret("simulated-cluster-key"))));
        this.log = b.logging ? null : NOPLogger.NOP_LOGGER;
        this.template = new HeartbeatSettings(b.nodes.get(0), b.nodes, b.keepalive, b.deadtime, b.warntime(), b.initdead(), 1,
                Duration.ofMillis(250), b.groups, b.autoFailback, b.resourceTimings);
        if (serial && b.nodes.size() != 2) throw new IllegalArgumentException("a serial line joins exactly two nodes");
        network.addTap((from, dest, payload, at) -> packetsOnWire++);
        for (String n : template.nodes()) machines.put(n, new Machine(n));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the cluster is set up; heartbeat's ha.cf and haresources in small. */
    public static final class Builder {
        private List<String> nodes = List.of("nodea", "nodeb");
        private Duration keepalive = Duration.ofSeconds(1);
        private Duration deadtime = Duration.ofSeconds(5);
        private Duration warntime;
        private Duration initdead;
        private AutoFailback autoFailback = AutoFailback.ON;
        private final List<ResourceGroup> groups = new ArrayList<>();
        private HeartbeatSettings.ResourceTimings resourceTimings = HeartbeatSettings.ResourceTimings.HEARTBEAT;
        private Duration operationTime = Duration.ofMillis(10);
        private boolean serial;
        private boolean logging;
        private long seed = 1;

        public Builder nodes(String... names) {
            this.nodes = List.of(names);
            return this;
        }

        /** {@code keepalive} and {@code deadtime}; warntime defaults to deadtime/2, initdead to heartbeat's default. */
        public Builder timings(Duration keepalive, Duration deadtime) {
            this.keepalive = keepalive;
            this.deadtime = deadtime;
            return this;
        }

        public Builder warntime(Duration warntime) {
            this.warntime = warntime;
            return this;
        }

        public Builder initdead(Duration initdead) {
            this.initdead = initdead;
            return this;
        }

        public Builder autoFailback(AutoFailback mode) {
            this.autoFailback = mode;
            return this;
        }

        /** One haresources line: {@code group("nodea", "IPaddr2::10.0.0.100/24/eth0", "apache")}. */
        public Builder group(String preferredNode, String... resources) {
            groups.add(new ResourceGroup(preferredNode, List.of(resources)));
            return this;
        }

        /** RQSTDELAY and the other resource-manager constants; heartbeat's by default. */
        public Builder resourceTimings(HeartbeatSettings.ResourceTimings timings) {
            this.resourceTimings = timings;
            return this;
        }

        /** How long each simulated resource operation takes (10 ms by default: an in-process address add). */
        public Builder operationTime(Duration d) {
            this.operationTime = d;
            return this;
        }

        /** Adds a serial line between the two nodes, next to the LAN. */
        public Builder serial() {
            this.serial = true;
            return this;
        }

        /** Sends the nodes' heartbeat log lines to slf4j ({@code heartbeat.sim.NODE}); off by default. */
        public Builder logging(boolean on) {
            this.logging = on;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        Duration warntime() {
            return warntime != null ? warntime : deadtime.dividedBy(2);
        }

        Duration initdead() {
            return initdead != null ? initdead : dev.vigil.heartbeat.membership.MembershipSettings.defaultInitdead(deadtime);
        }

        public SimHeartbeatCluster build() {
            return new SimHeartbeatCluster(this);
        }
    }

    // ------------------------------------------------------------------ steps

    /** Starts every node now. */
    public SimHeartbeatCluster start() {
        for (String n : machines.keySet()) start(n);
        return this;
    }

    /** Starts one node (a first start, or after {@link #kill}/{@link #stop}: a new generation). */
    public SimHeartbeatCluster start(String node) {
        machine(node).boot();
        return this;
    }

    /** The node's machine dies: no further word from it, and whatever it held is gone with it. */
    public SimHeartbeatCluster kill(String node) {
        machine(node).crash();
        return this;
    }

    /** Kill, then start again at once (a reboot, from the peers' point of view a new generation). */
    public SimHeartbeatCluster restart(String node) {
        kill(node);
        return start(node);
    }

    /** Clean shutdown ({@code /etc/init.d/heartbeat stop}): resources released, {@code shutdone} sent. */
    public SimHeartbeatCluster stop(String node) {
        Machine m = machine(node);
        if (m.node != null) m.node.shutdown();
        return this;
    }

    /** Pulls the cable of one of the node's links ({@link #LAN} or {@link #SERIAL}). */
    public SimHeartbeatCluster cutLink(String node, String link) {
        machine(node).port(link).setUp(false);
        return this;
    }

    public SimHeartbeatCluster restoreLink(String node, String link) {
        machine(node).port(link).setUp(true);
        return this;
    }

    /** Loss probability on every link of the node, both directions. */
    public SimHeartbeatCluster setLoss(String node, double probability) {
        for (SimNetwork.Port p : machine(node).ports.values()) p.setLoss(probability);
        return this;
    }

    /** Splits every segment: messages cross only within a group. */
    @SafeVarargs
    public final SimHeartbeatCluster partition(Set<String>... groups) {
        network.segment("lan").partition(groups);
        if (serial) network.segment("serial").partition(groups);
        return this;
    }

    public SimHeartbeatCluster heal() {
        network.segment("lan").heal();
        if (serial) network.segment("serial").heal();
        return this;
    }

    public SimHeartbeatCluster runFor(Duration d) {
        scheduler.runFor(d.toNanos());
        return this;
    }

    public SimHeartbeatCluster runUntil(long nanos) {
        scheduler.runUntil(nanos);
        return this;
    }

    // ------------------------------------------------------------------ reading

    public long now() {
        return scheduler.nanoTime();
    }

    public HolderTimeline timeline() {
        return timeline;
    }

    /** The node's current process; null before its first start. */
    public HeartbeatNode node(String name) {
        return machine(name).node;
    }

    public List<String> nodes() {
        return List.copyOf(machines.keySet());
    }

    /** The keys of the resource groups. */
    public List<String> groups() {
        return template.groups().stream().map(ResourceGroup::key).toList();
    }

    /** Messages the node has sent, over all its runs. */
    public long messagesSent(String node) {
        Machine m = machine(node);
        return m.sentByEarlierRuns + (m.node == null ? 0 : m.node.messagesSent());
    }

    /**
     * When {@code observer} (its current run) first logged {@code text} at or after {@code from}, e.g.
     * {@code "node nodea: is dead"} for the lab's fault-to-detection mark.
     */
    public java.util.Optional<Long> firstEvent(String observer, String text, long from) {
        HeartbeatNode n = node(observer);
        if (n == null) return java.util.Optional.empty();
        return n.events().stream().filter(e -> e.nanos() >= from && e.text().equals(text)).map(dev.vigil.heartbeat.NodeEvent::nanos)
                .findFirst();
    }

    /** Every node's events over every run, in the order they happened: what explains a lab lane or a failing seed. */
    public List<Entry> journal() {
        return List.copyOf(journal);
    }

    /** Payloads put on any wire (a message sent on two links counts twice), including dropped ones. */
    public long packetsOnWire() {
        return packetsOnWire;
    }

    /** The resources running on the node's machine now. */
    public Set<String> running(String node) {
        return Set.copyOf(machine(node).running);
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    public long seed() {
        return seed;
    }

    private Machine machine(String name) {
        Machine m = machines.get(name.toLowerCase(java.util.Locale.ROOT));
        if (m == null) throw new IllegalArgumentException("no node " + name + " in " + machines.keySet());
        return m;
    }

    // ------------------------------------------------------------------ one simulated machine

    private final class Machine implements HbStateStore, ResourceExecutor {
        final String name;
        final Map<String, SimNetwork.Port> ports = new LinkedHashMap<>();
        final Set<String> running = new HashSet<>();
        final UUID uuid;
        Long storedGeneration;
        HeartbeatNode node;
        /** Bumped at every crash, so operations of a dead run do not land on the next one. */
        int incarnation;
        long sentByEarlierRuns;

        Machine(String name) {
            this.name = name;
            this.uuid = UUID.nameUUIDFromBytes((seed + "/" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            int index = template.nodes().indexOf(name);
            ports.put(LAN, network.segment("lan").attach(name, d -> {
                if (node != null) node.receivedDatagram(LAN, d.payload(), d.fromNode());
            }, address(10, 0, 0, index + 1)));
            if (serial) {
                ports.put(SERIAL, network.segment("serial").attach(name, d -> {
                    if (node != null) node.receivedSerial(SERIAL, d.payload());
                }));
            }
        }

        SimNetwork.Port port(String link) {
            SimNetwork.Port p = ports.get(link);
            if (p == null) throw new IllegalArgumentException(name + " has no link " + link + "; it has " + ports.keySet());
            return p;
        }

        void boot() {
            if (node != null && (node.lifecycle() == HeartbeatNode.Lifecycle.RUNNING
                    || node.lifecycle() == HeartbeatNode.Lifecycle.STOPPING)) {
                throw new IllegalStateException(name + " is running; kill or stop it first");
            }
            if (node != null) sentByEarlierRuns += node.messagesSent();
            List<HbLink> links = new ArrayList<>();
            for (Map.Entry<String, SimNetwork.Port> e : ports.entrySet()) {
                Medium m = new PortMedium(e.getKey(), e.getValue());
                links.add(e.getKey().equals(SERIAL) ? HbLink.serial(m) : HbLink.udp(m));
            }
            SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode() + 7L * incarnation);
            Logger l = log != null ? log : LoggerFactory.getLogger("heartbeat.sim." + name);
            HeartbeatNode.Environment env = new HeartbeatNode.Environment(scheduler,
                    () -> EPOCH_MILLIS + scheduler.nanoTime() / 1_000_000L, () -> "0.00 0.00 0.00 1/100 1000", random, l);
            node = new HeartbeatNode(template.withLocalNode(name), links, codec, this, this, env);
            node.subscribe(e -> journal.add(new Entry(e.nanos(), name, e.kind(), e.text())));
            try {
                node.start();
            } catch (HeartbeatNode.StartException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        void crash() {
            if (node != null) node.halt();
            incarnation++;
            for (String r : new ArrayList<>(running)) stopped(r);
        }

        // ---- state store: survives crashes, like the disk

        @Override
        public OptionalLong storedGeneration() {
            return storedGeneration == null ? OptionalLong.empty() : OptionalLong.of(storedGeneration);
        }

        @Override
        public void persistGeneration(long generation) {
            storedGeneration = generation;
        }

        @Override
        public UUID uuid() {
            return uuid;
        }

        // ---- resources: each operation takes operationNanos

        @Override
        public CompletionStage<OperationResult> run(String group, String resource, ResourceOp op) {
            CompletableFuture<OperationResult> f = new CompletableFuture<>();
            int run = incarnation;
            scheduler.schedule(operationNanos, () -> {
                if (run != incarnation) return; // the machine died meanwhile; so did the script
                switch (op) {
                    case START -> {
                        running.add(resource);
                        if (isKey(group, resource)) timeline.acquired(group, name, scheduler.nanoTime());
                        f.complete(OperationResult.started(group, resource, true));
                    }
                    case STOP -> {
                        stopped(resource);
                        f.complete(OperationResult.stopped(group, resource, true));
                    }
                    case STATUS -> f.complete(OperationResult.status(group, resource, running.contains(resource)));
                }
            });
            return f;
        }

        private void stopped(String resource) {
            running.remove(resource);
            for (ResourceGroup g : template.groups()) {
                if (g.key().equals(resource)) timeline.released(g.key(), name, scheduler.nanoTime());
            }
        }

        private boolean isKey(String group, String resource) {
            return group.equals(resource);
        }
    }

    /** A {@link Medium} over a simulated port: the real encoded bytes, broadcast on its segment. */
    private static final class PortMedium implements Medium {
        private final String name;
        private final SimNetwork.Port port;

        PortMedium(String name, SimNetwork.Port port) {
            this.name = name;
            this.port = Objects.requireNonNull(port);
        }

        @Override
        public String linkName() {
            return name;
        }

        @Override
        public void send(byte[] message) {
            port.send(null, message);
        }

        @Override
        public void close() {
            // the port belongs to the simulated machine; it stays attached across restarts
        }
    }

    private static java.net.InetAddress address(int a, int b, int c, int d) {
        try {
            return java.net.InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
