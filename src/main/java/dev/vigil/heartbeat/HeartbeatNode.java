package dev.vigil.heartbeat;

import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.core.Scheduler;
import dev.vigil.heartbeat.membership.HbGeneration;
import dev.vigil.heartbeat.membership.HostProbe;
import dev.vigil.heartbeat.membership.LinkStatus;
import dev.vigil.heartbeat.membership.LogLevel;
import dev.vigil.heartbeat.membership.Membership;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.rm.AdminRequest;
import dev.vigil.heartbeat.rm.GroupState;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceGroup;
import dev.vigil.heartbeat.rm.ResourceManager;
import dev.vigil.heartbeat.rm.ResourceSet;
import dev.vigil.heartbeat.rm.RmAction;
import dev.vigil.heartbeat.wire.DecodeResult;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbMessage;
import dev.vigil.heartbeat.wire.RejectReason;
import dev.vigil.heartbeat.wire.Rejected;
import dev.vigil.heartbeat.wire.SerialFrameSplitter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;

/**
 * One heartbeat node: the glue between the pure state machines ({@link Membership},
 * {@link ResourceManager}) and the world (media, a resource executor, a state store, a clock).
 * The daemon runs it on the Vert.x event loop; the simulation runs the very same class on virtual
 * time, which is why nothing here knows Vert.x.
 *
 * <p>Data flow: bytes from a medium are decoded and verified by the {@link HbCodec} (a rejected
 * packet is counted by reason and logged without any key, rate-limited), handed to membership,
 * whose actions are performed in order: {@code Broadcast} is signed, encoded (netstring for UDP,
 * classic for serial) and sent on every medium ({@code send_to_all_media}); membership events and
 * delivered messages go to the resource manager; its {@code Broadcast}s go back through
 * membership (which adds {@code src, seq, hg, ts...}), its {@code RunResource}s to the executor,
 * whose results come back on the scheduler. One timer, re-armed after every step at the earlier of
 * the two machines' {@code nextDeadlineNanos()}, drives both.
 *
 * <p>Log lines keep heartbeat's wording ({@code node X: is dead}, {@code Status update for node X:
 * status active}, {@code Link X:Y dead.}) so log watchers written for heartbeat keep matching.
 *
 * <p>Threading: every method must be called on the scheduler's thread.
 */
public final class HeartbeatNode {
    /** Recent events kept for {@code vigil status} and a console that connects late. */
    static final int EVENT_HISTORY = 200;
    /** At most one log line per rejection reason in this interval (a misconfigured peer sends several a second). */
    static final long REJECT_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;
    private static final long STUCK_RETRY_NANOS = 100_000_000L;

    /** Where the node stands in its life. */
    public enum Lifecycle { NEW, RUNNING, STOPPING, STOPPED, HALTED, FAILED }

    /**
     * The node's surroundings.
     *
     * @param wallClockMillis the wall clock, for the {@code ts} field ({@code time(NULL)}), the initial
     *     generation and event times
     * @param loadAverage the {@code ld} field (first line of {@code /proc/loadavg})
     * @param random ACK triggers and retransmission delays; seed it for a reproducible simulation
     * @param log where heartbeat's log lines go (the daemon: the slf4j logger named {@code heartbeat})
     */
    public record Environment(Scheduler scheduler, LongSupplier wallClockMillis, Supplier<String> loadAverage, RandomGenerator random,
                              Logger log) {
        public Environment {
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(wallClockMillis, "wallClockMillis");
            Objects.requireNonNull(loadAverage, "loadAverage");
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(log, "log");
        }
    }

    /** A start that could not happen; the message is one line for the operator. */
    public static final class StartException extends Exception {
        public StartException(String message) {
            super(message);
        }
    }

    /** One haresources group as this node sees it. {@code holder} is empty when no node is known to hold it. */
    public record GroupView(String key, String preferred, Optional<String> holder, GroupState state, List<String> resources) {
    }

    private final HeartbeatSettings settings;
    private final List<HbLink> links;
    private final List<String> linkNames;
    private final HbCodec codec;
    private final ResourceExecutor executor;
    private final HbStateStore store;
    private final Environment env;
    private final Scheduler scheduler;
    private final Logger log;

    private Membership membership;
    private ResourceManager rm;
    private Lifecycle lifecycle = Lifecycle.NEW;
    private long generation;
    private Scheduler.Timer timer;
    private long timerDeadline = NEVER;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Map<String, SerialFrameSplitter> splitters = new LinkedHashMap<>();
    private final Map<String, GroupState> groupStates = new LinkedHashMap<>();
    private final Map<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Long> rejectLoggedAt = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Long> rejectSuppressed = new EnumMap<>(RejectReason.class);
    private final Map<String, Long> sentByType = new LinkedHashMap<>();
    private final Deque<NodeEvent> events = new ArrayDeque<>();
    private final List<Consumer<NodeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterAlert>> alertListeners = new CopyOnWriteArrayList<>();
    /** Links seen dead, so that {@code link_up} alerts a recovery and not every link's first packet. */
    private final java.util.Set<String> deadLinks = new java.util.HashSet<>();
    private final List<GroupStateListener> groupListeners = new CopyOnWriteArrayList<>();
    private long messagesSent;
    private long packetsAccepted;
    private long encodeFailures;
    private int operationsInFlight;
    private boolean stuckDeadlineLogged;

    public HeartbeatNode(HeartbeatSettings settings, List<HbLink> links, HbCodec codec, ResourceExecutor executor, HbStateStore store,
                         Environment env) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.links = List.copyOf(links);
        if (this.links.isEmpty()) throw new IllegalArgumentException("a heartbeat node needs at least one medium");
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (HbLink l : this.links) names.add(l.name());
        this.linkNames = List.copyOf(names);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.store = Objects.requireNonNull(store, "store");
        this.env = Objects.requireNonNull(env, "env");
        this.scheduler = env.scheduler();
        this.log = env.log();
        for (ResourceGroup g : settings.groups()) groupStates.put(g.key(), GroupState.STOPPED);
    }

    // ------------------------------------------------------------------ life

    /**
     * Joins the cluster: takes the next generation from the store and writes it before anything is
     * sent (heartbeat's {@code IncrGeneration}), then starts membership ({@code st=init}, {@code up}
     * twice) and the resource manager.
     *
     * @throws StartException when the state cannot be read or written; nothing was sent then
     */
    public void start() throws StartException {
        if (lifecycle != Lifecycle.NEW) throw new IllegalStateException("node already started");
        UUID uuid;
        OptionalLong stored;
        try {
            uuid = store.uuid();
            stored = store.storedGeneration();
        } catch (IOException e) {
            lifecycle = Lifecycle.FAILED;
            throw new StartException(e.getMessage());
        }
        long now = scheduler.nanoTime();
        generation = HbGeneration.next(stored, env.wallClockMillis().getAsLong() / 1000);
        HostProbe probe = new HostProbe() {
            @Override
            public long epochSeconds(long nowNanos) {
                return env.wallClockMillis().getAsLong() / 1000;
            }

            @Override
            public String loadAverage() {
                return env.loadAverage().get();
            }
        };
        membership = new Membership(settings.membershipSettings(linkNames, generation, uuid), env.random(), probe);
        rm = settings.resourceSettings().map(ResourceManager::new).orElse(null);
        lifecycle = Lifecycle.RUNNING;
        try {
            perform(membership.start(now));
        } catch (GenerationNotStored e) {
            lifecycle = Lifecycle.FAILED;
            cancelTimer();
            throw new StartException(e.getMessage());
        }
        event("node", "Heartbeat started on " + settings.localNode() + ", generation " + generation);
        rearm();
    }

    /**
     * Leaves the cluster cleanly ({@code hb_giveup_resources}): resources stopped right to left,
     * {@code shutdone} sent, then heartbeats go on for a short linger so the peer can still ask for a
     * retransmission, and the node stops. Completes when stopped. Blocked while a group failed to
     * stop (the peer must not be told to take it); see {@link ResourceManager#resolveFailedGroup}.
     */
    public CompletionStage<Void> shutdown() {
        if (lifecycle == Lifecycle.NEW || lifecycle == Lifecycle.FAILED) {
            lifecycle = Lifecycle.STOPPED;
            stopped.complete(null);
        } else if (lifecycle == Lifecycle.RUNNING) {
            lifecycle = Lifecycle.STOPPING;
            event("node", "Heartbeat shutdown in progress.");
            if (rm == null) {
                shutdownComplete();
            } else {
                performRm(rm.shutdown(scheduler.nanoTime()));
            }
            rearm();
        }
        return stopped;
    }

    /**
     * Stops at once without a word: the process was killed or the machine died. Nothing is sent or
     * released; results of operations still running are ignored.
     */
    public void halt() {
        if (lifecycle == Lifecycle.HALTED || lifecycle == Lifecycle.STOPPED) return;
        lifecycle = Lifecycle.HALTED;
        cancelTimer();
        stopped.complete(null);
    }

    private boolean active() {
        return lifecycle == Lifecycle.RUNNING || lifecycle == Lifecycle.STOPPING;
    }

    // ------------------------------------------------------------------ input

    /** One UDP datagram from the medium named {@code link}; {@code source} is for the log only. */
    public void receivedDatagram(String link, byte[] packet, String source) {
        if (!active()) return;
        receivedPacket(link, packet, 0, packet.length, source);
        rearm();
    }

    /** Bytes read from a serial line: split into classic frames, each decoded as a packet. */
    public void receivedSerial(String link, byte[] chunk) {
        if (!active()) return;
        SerialFrameSplitter splitter = splitters.computeIfAbsent(link, l -> new SerialFrameSplitter());
        for (byte[] frame : splitter.feed(chunk)) {
            if (!active()) break;
            receivedPacket(link, frame, 0, frame.length, link);
        }
        rearm();
    }

    private void receivedPacket(String link, byte[] buf, int off, int len, String source) {
        DecodeResult r = codec.decode(buf, off, len);
        if (r instanceof Decoded d) {
            packetsAccepted++;
            perform(membership.received(d.message(), link, scheduler.nanoTime()));
        } else {
            rejected(link, source, (Rejected) r);
        }
    }

    /** {@code hb_standby [all|local|foreign|failback]}. */
    public void requestStandby(AdminRequest which) {
        requireResourceManager();
        event("admin", "standby " + which.wireName() + " requested");
        performRm(rm.requestStandby(which, scheduler.nanoTime()));
        rearm();
    }

    /** {@code hb_takeover [all|local|foreign|failback]}. */
    public void requestTakeover(AdminRequest which) {
        requireResourceManager();
        event("admin", "takeover " + which.wireName() + " requested");
        performRm(rm.requestTakeover(which, scheduler.nanoTime()));
        rearm();
    }

    /** The operator stopped a {@link GroupState#FAILED} group by hand. */
    public void resolveFailedGroup(String key) {
        requireResourceManager();
        performRm(rm.resolveFailedGroup(key, scheduler.nanoTime()));
        rearm();
    }

    private void requireResourceManager() {
        if (!active()) throw new IllegalStateException("heartbeat is not running on this node");
        if (rm == null) throw new IllegalStateException("no resource manager: heartbeat's v1 resource manager needs a two-node cluster");
    }

    // ------------------------------------------------------------------ performing actions

    /** Thrown out of {@link #perform} when the generation cannot be stored: nothing after it may be sent. */
    private static final class GenerationNotStored extends RuntimeException {
        GenerationNotStored(String message) {
            super(message);
        }
    }

    private void perform(List<MembershipAction> actions) {
        for (MembershipAction a : actions) {
            if (!active()) return;
            if (a instanceof MembershipAction.Broadcast b) {
                transmit(b.message());
            } else if (a instanceof MembershipAction.Log l) {
                log(l.level(), l.text());
            } else if (a instanceof MembershipAction.PersistGeneration p) {
                try {
                    store.persistGeneration(p.generation());
                } catch (IOException e) {
                    throw new GenerationNotStored(e.getMessage());
                }
            } else if (a instanceof MembershipAction.NodeStatusChanged c) {
                event("node", c.current() == NodeStatus.DEAD ? "node " + c.node() + ": is dead"
                        : "Status update for node " + c.node() + ": status " + c.current().wireName());
                nodeAlert(c);
                feedRm(a);
            } else if (a instanceof MembershipAction.LinkStatusChanged l) {
                event("link", "Link " + l.node() + ":" + l.link() + " " + (l.up() ? "up." : "dead."));
                linkAlert(l);
            } else if (a instanceof MembershipAction.PeerRestarted r) {
                event("node", "Heartbeat restart on node " + r.node());
                feedRm(a);
            } else if (a instanceof MembershipAction.PeerReturnedAfterPartition p) {
                event("node", "Cluster node " + p.node() + " returning after partition.");
                splitBrainCheck(p.node()); // before the resource manager starts giving groups up
                feedRm(a);
            } else {
                feedRm(a); // Deliver, CommUp
            }
        }
    }

    private void feedRm(MembershipAction a) {
        if (rm != null) performRm(rm.onMembership(a, scheduler.nanoTime()));
    }

    private void performRm(List<RmAction> actions) {
        for (RmAction a : actions) {
            if (!active()) return;
            if (a instanceof RmAction.Broadcast b) {
                perform(membership.send(b.body(), scheduler.nanoTime()));
            } else if (a instanceof RmAction.RunResource r) {
                runResource(r);
            } else if (a instanceof RmAction.Log l) {
                log(l.level(), l.text());
            } else if (a instanceof RmAction.GroupStateChanged g) {
                groupStates.put(g.group(), g.current());
                event("resource", "Resource group " + g.group() + ": " + describe(g.current()));
                groupAlert(g);
                for (GroupStateListener l : groupListeners) l.changed(g.group(), g.previous(), g.current());
            } else if (a instanceof RmAction.RscStatusChanged c) {
                event("resource", "rscstatus " + c.current());
            } else if (a instanceof RmAction.ShutdownComplete) {
                shutdownComplete();
            }
        }
    }

    private static String describe(GroupState s) {
        return switch (s) {
            case STOPPED -> "stopped";
            case STARTING -> "starting";
            case RUNNING -> "running";
            case STOPPING -> "stopping";
            case FAILED -> "FAILED to stop; it may still run here and stays claimed until cleared";
        };
    }

    private void runResource(RmAction.RunResource r) {
        operationsInFlight++;
        CompletionStage<OperationResult> stage;
        try {
            stage = executor.run(r.group(), r.resource(), r.op());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, error) -> scheduler.execute(() -> operationDone(r, result, error)));
    }

    private void operationDone(RmAction.RunResource r, OperationResult result, Throwable error) {
        operationsInFlight--;
        if (!active()) return;
        OperationResult res = result;
        if (error != null || res == null) {
            log(LogLevel.ERROR, r.resource() + " " + r.op().argument() + ": " + (error == null ? "no result" : error));
            res = new OperationResult(r.group(), r.resource(), r.op(), false, false);
        }
        if (!res.success() && r.op() == dev.vigil.heartbeat.rm.ResourceOp.START) {
            // a failed stop is retried; it is alerted when the group ends FAILED (groupAlert)
            alert(VigilConf.Event.RESOURCE_FAILED, r.resource(), "Resource " + r.resource() + " of group " + r.group()
                    + " failed to start on " + settings.localNode());
        }
        performRm(rm.operationFinished(res, scheduler.nanoTime()));
        rearm();
    }

    private void shutdownComplete() {
        log(LogLevel.INFO, "Heartbeat shutdown complete.");
        // Keep heartbeating a little so a peer that missed shutdone can ask for it again.
        long linger = Math.min(2_000_000_000L, Math.max(500_000_000L, 2 * settings.keepalive().toNanos()));
        scheduler.schedule(linger, () -> {
            if (lifecycle != Lifecycle.STOPPING) return;
            lifecycle = Lifecycle.STOPPED;
            cancelTimer();
            stopped.complete(null);
        });
    }

    /** send_to_all_media: each framing is encoded once, then sent on every medium that uses it. */
    private void transmit(HbMessage message) {
        byte[] netstring = null;
        byte[] classic = null;
        try {
            for (HbLink l : links) {
                if (l.framing() == HbLink.Framing.NETSTRING) {
                    if (netstring == null) netstring = codec.encodeNetstring(message);
                    l.medium().send(netstring);
                } else {
                    if (classic == null) classic = codec.encodeClassic(message);
                    l.medium().send(classic);
                }
            }
        } catch (IllegalArgumentException e) {
            encodeFailures++;
            log(LogLevel.ERROR, "cannot send " + message.type().orElse("?") + " message: " + e.getMessage());
            return;
        }
        messagesSent++;
        sentByType.merge(message.type().orElse("?"), 1L, Long::sum);
    }

    private void rejected(String link, String source, Rejected r) {
        rejections.merge(r.reason(), 1L, Long::sum);
        long now = scheduler.nanoTime();
        Long last = rejectLoggedAt.get(r.reason());
        if (last != null && now - last < REJECT_LOG_INTERVAL_NANOS) {
            rejectSuppressed.merge(r.reason(), 1L, Long::sum);
            return;
        }
        rejectLoggedAt.put(r.reason(), now);
        long suppressed = Optional.ofNullable(rejectSuppressed.remove(r.reason())).orElse(0L);
        // Rejected.detail names the claimed sender, key index and method, never a key.
        String text = "Rejected packet on " + link + " from " + source + ": " + r.reason().counterName() + ": " + r.detail()
                + (suppressed > 0 ? " (" + suppressed + " more like it not logged)" : "");
        log.warn(text);
        event("auth", text);
    }

    // ------------------------------------------------------------------ the timer

    private void rearm() {
        if (!active()) return;
        long d = membership.nextDeadlineNanos();
        if (rm != null) d = Math.min(d, rm.nextDeadlineNanos());
        if (d == timerDeadline && timer != null) return;
        cancelTimer();
        if (d == NEVER) return;
        timerDeadline = d;
        timer = scheduler.schedule(d - scheduler.nanoTime(), this::onTimer);
    }

    private void onTimer() {
        timer = null;
        timerDeadline = NEVER;
        if (!active()) return;
        long now = scheduler.nanoTime();
        perform(membership.tick(now));
        if (rm != null && active()) performRm(rm.tick(now));
        if (!active()) return;
        long next = membership.nextDeadlineNanos();
        if (rm != null) next = Math.min(next, rm.nextDeadlineNanos());
        if (next <= now) {
            // A deadline that tick() did not move would spin the loop at full speed; never let a
            // state-machine bug take the event loop (and every other node's heartbeats) with it.
            if (!stuckDeadlineLogged) log(LogLevel.ERROR, "internal: a timer did not advance after tick; retrying every 100 ms");
            stuckDeadlineLogged = true;
            cancelTimer();
            timerDeadline = now + STUCK_RETRY_NANOS;
            timer = scheduler.schedule(STUCK_RETRY_NANOS, this::onTimer);
            return;
        }
        rearm();
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel();
        timer = null;
        timerDeadline = NEVER;
    }

    // ------------------------------------------------------------------ log and events

    private void log(LogLevel level, String text) {
        switch (level) {
            case DEBUG -> log.debug(text);
            case INFO -> log.info(text);
            case WARN -> log.warn(text);
            case ERROR -> log.error(text);
            case CRIT -> log.error("CRIT: " + text);
        }
        if (level == LogLevel.ERROR || level == LogLevel.CRIT) event("log", level.tag() + ": " + text);
    }

    private void event(String kind, String text) {
        long now = scheduler.nanoTime();
        NodeEvent e = new NodeEvent(now, Instant.ofEpochMilli(env.wallClockMillis().getAsLong()), kind, text);
        events.addLast(e);
        while (events.size() > EVENT_HISTORY) events.removeFirst();
        for (Consumer<NodeEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                log.warn("event listener failed: {}", ex.toString());
            }
        }
    }

    // ------------------------------------------------------------------ alerts (vigil.conf mail_on, notify_script)

    private void nodeAlert(MembershipAction.NodeStatusChanged c) {
        if (c.node().equals(settings.localNode())) return;
        if (c.current() == NodeStatus.DEAD) {
            alert(VigilConf.Event.NODE_DEAD, c.node(), "node " + c.node() + ": is dead");
        } else if (c.current() == NodeStatus.ACTIVE && c.previous() != NodeStatus.ACTIVE) {
            alert(VigilConf.Event.NODE_UP, c.node(), "Status update for node " + c.node() + ": status active");
        }
    }

    private void linkAlert(MembershipAction.LinkStatusChanged l) {
        if (l.node().equals(settings.localNode())) return;
        String key = l.node() + ":" + l.link();
        if (!l.up()) {
            deadLinks.add(key);
            alert(VigilConf.Event.LINK_DEAD, key, "Link " + key + " dead.");
        } else if (deadLinks.remove(key)) {
            alert(VigilConf.Event.LINK_UP, key, "Link " + key + " up.");
        }
    }

    private void groupAlert(RmAction.GroupStateChanged g) {
        if (g.current() == GroupState.RUNNING) {
            alert(VigilConf.Event.TAKEOVER, g.group(), "Resource group " + g.group() + " is running on " + settings.localNode());
        } else if (g.current() == GroupState.STOPPED && g.previous() == GroupState.STOPPING) {
            alert(VigilConf.Event.RELEASE, g.group(), "Resource group " + g.group() + " released by " + settings.localNode());
        } else if (g.current() == GroupState.FAILED) {
            alert(VigilConf.Event.RESOURCE_FAILED, g.group(), "Resource group " + g.group() + " failed to stop on "
                    + settings.localNode() + "; it stays claimed here until cleared");
        }
    }

    /**
     * heartbeat's "returning after partition": the peer was declared dead, so it took the groups
     * (mach_down) while alive and cut off, exactly as this node did. If this node holds groups at
     * that moment both sides held resources: split brain, whatever the resource manager does next.
     */
    private void splitBrainCheck(String peer) {
        List<String> held = new ArrayList<>();
        groupStates.forEach((k, st) -> {
            if (st == GroupState.RUNNING || st == GroupState.STARTING || st == GroupState.FAILED) held.add(k);
        });
        if (held.isEmpty()) return;
        String text = "Split brain: " + peer + " returned after a partition while both nodes held resources ("
                + settings.localNode() + " holds " + String.join(", ", held) + ")";
        log.warn(text);
        event("split-brain", text);
        alert(VigilConf.Event.SPLIT_BRAIN, peer, text);
    }

    private void alert(VigilConf.Event kind, String subject, String detail) {
        if (alertListeners.isEmpty()) return;
        ClusterAlert a = new ClusterAlert(kind, subject, detail, scheduler.nanoTime(), Instant.ofEpochMilli(env.wallClockMillis().getAsLong()));
        for (Consumer<ClusterAlert> l : alertListeners) {
            try {
                l.accept(a);
            } catch (RuntimeException ex) {
                log.warn("alert listener failed: {}", ex.toString());
            }
        }
    }

    /**
     * Every future {@link ClusterAlert}, on the scheduler's thread; the listener must not block (mail
     * and scripts go to their own threads). Returns the unsubscribe hook.
     */
    public Runnable subscribeAlerts(Consumer<ClusterAlert> listener) {
        alertListeners.add(listener);
        return () -> alertListeners.remove(listener);
    }

    /** Told when heartbeat's resource manager moves a group (the resource layer's monitoring follows it). */
    @FunctionalInterface
    public interface GroupStateListener {
        void changed(String group, GroupState previous, GroupState current);
    }

    /** Every future group state change, on the scheduler's thread; returns the unsubscribe hook. */
    public Runnable onGroupState(GroupStateListener listener) {
        groupListeners.add(listener);
        return () -> groupListeners.remove(listener);
    }

    /** The resource layer gave a group up (monitoring past its restart budget): history, and the resource_failed alert. */
    public void resourceGivenUp(String group, String text) {
        event("resource", text);
        alert(VigilConf.Event.RESOURCE_FAILED, group, text);
    }

    /** An event from the resource layer (monitor failure, restart, give-up) into the node's history. */
    public void resourceEvent(String text) {
        event("resource", text);
    }

    /** Every future event, as it happens, on the scheduler's thread; returns the unsubscribe hook. */
    public Runnable subscribe(Consumer<NodeEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ------------------------------------------------------------------ queries

    public HeartbeatSettings settings() {
        return settings;
    }

    public String localNode() {
        return settings.localNode();
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Completes when the node has stopped (clean shutdown or halt). */
    public CompletionStage<Void> whenStopped() {
        return stopped;
    }

    /** This run's generation ({@code hg}); 0 before start. */
    public long generation() {
        return generation;
    }

    /** {@code cl_status nodestatus}: empty for a node not in ha.cf; {@code dead} for ourselves once stopped. */
    public Optional<NodeStatus> nodeStatus(String node) {
        String n = node.toLowerCase(java.util.Locale.ROOT);
        if (!settings.nodes().contains(n)) return Optional.empty();
        if (membership == null) return Optional.of(NodeStatus.INIT);
        if (n.equals(settings.localNode()) && !active()) return Optional.of(NodeStatus.DEAD);
        return membership.nodeStatus(n);
    }

    /** The link names ({@code cl_status listhblinks}), one per configured device or tty. */
    public List<String> linkNames() {
        return linkNames;
    }

    /** {@code cl_status hblinkstatus}: empty for an unknown node or link. */
    public Optional<LinkStatus> linkStatus(String node, String link) {
        String n = node.toLowerCase(java.util.Locale.ROOT);
        if (!settings.nodes().contains(n) || !linkNames.contains(link)) return Optional.empty();
        if (membership == null) return Optional.of(LinkStatus.DEAD);
        if (n.equals(settings.localNode()) && !active()) return Optional.of(LinkStatus.DEAD);
        if (n.equals(settings.localNode()) && links.stream().noneMatch(l -> l.name().equals(link) && l.framing() == HbLink.Framing.NETSTRING)) {
            // heartbeat learns its own links' state from its own packets; a serial line does not echo them (research, serial §"Membership")
            return Optional.of(LinkStatus.DEAD);
        }
        return membership.linkStatus(n, link);
    }

    /** {@code cl_status rscstatus}: none|local|foreign|all|transition. */
    public String rscStatus() {
        return rm == null ? ResourceSet.NONE.wireName() : rm.rscStatus();
    }

    /**
     * The resource manager's handshake state, e.g. {@code STABLE standby=NOT claimed=local peer=all}:
     * for the status JSON and for explaining a node that stays in {@code transition}.
     */
    public String resourceState() {
        if (rm == null) return "none";
        return rm.phase() + " standby=" + rm.standbyState() + " claimed=" + rm.claimed().wireName() + " peer="
                + rm.peerClaimed().wireName();
    }

    public boolean managesResources() {
        return rm != null;
    }

    /**
     * Who holds each group, as far as this node knows: itself when the group runs (or is on its
     * way up) here, else the peer when the peer announced it holds that set (nice_failback's
     * {@code rsc_hold}), else nobody known.
     */
    public List<GroupView> groups() {
        List<GroupView> out = new ArrayList<>();
        String peer = settings.peers().isEmpty() ? null : settings.peers().get(0);
        for (ResourceGroup g : settings.groups()) {
            GroupState st = groupStates.getOrDefault(g.key(), GroupState.STOPPED);
            Optional<String> holder = Optional.empty();
            if (st == GroupState.RUNNING || st == GroupState.STARTING || st == GroupState.FAILED) {
                holder = Optional.of(settings.localNode());
            } else if (rm != null && peer != null && membership != null
                    && membership.nodeStatus(peer).map(NodeStatus::isAlive).orElse(false)) {
                // rsc_hold words are the peer's own view: its "local" groups are the ones it prefers.
                ResourceSet needed = g.preferredNode().equals(peer) ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
                if (rm.peerClaimed().includes(needed)) holder = Optional.of(peer);
            }
            out.add(new GroupView(g.key(), g.preferredNode(), holder, st, g.resources()));
        }
        return out;
    }

    public List<NodeEvent> events() {
        return List.copyOf(events);
    }

    /** Rejected packets by reason since start. */
    public Map<RejectReason, Long> rejections() {
        return Map.copyOf(rejections);
    }

    /** Messages sent (each counted once, however many media carried it). */
    public long messagesSent() {
        return messagesSent;
    }

    /** Messages sent by type ({@code status}, {@code NS_ackmsg}, {@code resource}, ...). */
    public Map<String, Long> messagesSentByType() {
        return Map.copyOf(sentByType);
    }

    /** Packets that decoded and verified (including our own broadcasts heard back). */
    /** Authentic packets of a peer's earlier generation, dropped as replays. */
    public long replaysDropped() {
        return membership == null ? 0 : membership.replaysDropped();
    }

    public long packetsAccepted() {
        return packetsAccepted;
    }

    public long encodeFailures() {
        return encodeFailures;
    }

    /** Resource operations started and not yet reported back. */
    public int operationsInFlight() {
        return operationsInFlight;
    }

    @Override
    public String toString() {
        return "HeartbeatNode[" + settings.localNode() + ", " + lifecycle + "]";
    }
}
