package dev.vigil.vrrp;

import dev.vigil.action.AddressActions;
import dev.vigil.action.VirtualAddress;
import dev.vigil.action.VirtualRoute;
import dev.vigil.config.Secret;
import dev.vigil.core.Scheduler;
import dev.vigil.transport.FrameLink;
import dev.vigil.vrrp.instance.LogLevel;
import dev.vigil.vrrp.instance.ReceivedAdvert;
import dev.vigil.vrrp.instance.ScriptStatus;
import dev.vigil.vrrp.instance.SyncGroupAction;
import dev.vigil.vrrp.instance.TimerKind;
import dev.vigil.vrrp.instance.TrackedInterface;
import dev.vigil.vrrp.instance.TransitionReason;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpAction;
import dev.vigil.vrrp.instance.VrrpCounter;
import dev.vigil.vrrp.instance.VrrpInstance;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpScriptState;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.instance.VrrpSyncGroup;
import dev.vigil.vrrp.wire.ArpFrame;
import dev.vigil.vrrp.wire.ArpFrames;
import dev.vigil.vrrp.wire.IpHeader;
import dev.vigil.vrrp.wire.Ipv4Header;
import dev.vigil.vrrp.wire.Ipv6Header;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.NeighborFrameDecodeResult;
import dev.vigil.vrrp.wire.VrrpFrame;
import dev.vigil.vrrp.wire.VrrpFrameDecodeResult;
import dev.vigil.vrrp.wire.VrrpFrameDecoder;
import dev.vigil.vrrp.wire.VrrpFrames;
import dev.vigil.vrrp.wire.VrrpPacket;
import dev.vigil.vrrp.wire.VrrpRejectReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The glue of one node: drives every {@link VrrpInstance} and {@link VrrpSyncGroup} of a
 * {@link VrrpNodeConfig} on a {@link Scheduler}, turning their actions into frames, timers, address
 * changes and events, and received frames, script results and link changes into their inputs
 * (the steps of {@code dev.vigil.vrrp.instance}'s package documentation).
 *
 * <p>It does not know whether it runs in the daemon or in the simulation: all I/O goes through
 * {@link VrrpIo}, time through the {@link Scheduler}. Every method must be called on the scheduler's
 * thread; address actions and scripts complete elsewhere and are handed back through
 * {@link Scheduler#execute}.
 *
 * <p>What it adds to the state machines:
 * <ul>
 *   <li>Adverts as whole Ethernet frames: multicast, or one copy per {@code unicast_peer} to the
 *       peer's MAC address once learned (from its VRRP or ARP frames; the broadcast address until
 *       then, and an ARP request for each peer at start-up to learn it quickly). IP identification
 *       counts per instance from 1, as keepalived's (keepalived.md §1.1).</li>
 *   <li>Address changes run in order per instance (a remove never overtakes the add before it); the
 *       gratuitous ARPs of a new master go out after its addresses are up (keepalived.md §1.5:
 *       advert, then VIPs, then GARPs). {@code virtual_routes} follow the addresses when becoming
 *       MASTER and precede their removal when leaving it (keepalived 2.2.7 {@code vrrp_restore_interface}).</li>
 *   <li>Frames the codec refuses are counted by reason for the instance their VRID names and never
 *       reach a state machine, so they cannot disturb a timer (keepalived.md §1.4).</li>
 *   <li>Stale virtual addresses (a predecessor killed with -9 leaves them, keepalived.md §2.3) are
 *       removed at start-up, before anything else touches them.</li>
 *   <li>Maintenance: {@link #setMaintenance} puts an instance in FAULT through the state machine, by
 *       a tracked pseudo-interface with weight 0 that every instance carries, so a master leaves with
 *       priority 0 and its peer takes over after Skew_Time.</li>
 * </ul>
 */
public final class VrrpRouter {

    private static final Logger log = LoggerFactory.getLogger(VrrpRouter.class);

    /**
     * The tracked pseudo-interface behind {@link #setMaintenance}. Linux interface names cannot
     * contain ':' (dev_valid_name), so it never collides with a real one.
     */
    public static final String MAINTENANCE_INTERFACE = "vigil:maintenance";

    /**
     * The tracked pseudo-interface behind {@link #setResourceFault}: a resource group the instance
     * owns was given up (its restart budget is spent). Separate from maintenance so that neither
     * clears the other.
     */
    public static final String RESOURCES_INTERFACE = "vigil:resources";

    /** What happened, for notify scripts, the console, e-mail alerts and the simulation's records. */
    public interface Listener {
        default void instanceTransition(InstanceTransition t) {
        }

        default void groupTransition(GroupTransition t) {
        }

        default void priorityChanged(String instance, int from, int to, long atNanos) {
        }

        /** The master heard a lower priority (keepalived's {@code notify_master_rx_lower_pri}). */
        default void masterReceivedLowerPriority(String instance, InetAddress source, int priority, long atNanos) {
        }
    }

    /** An instance changed state; {@code priority} is its effective priority, as keepalived's notify passes it. */
    public record InstanceTransition(String instance, VrrpState from, VrrpState to, TransitionReason reason,
                                     int priority, long atNanos, Instant at) {
    }

    /** A sync group changed state. */
    public record GroupTransition(String group, VrrpState from, VrrpState to, long atNanos, Instant at) {
    }

    /** A snapshot of one instance for status displays. */
    public record InstanceStatus(String name, String interfaceName, int vrid, int version, boolean ipv6,
                                 VrrpState state, int priority, int effectivePriority, InetAddress primaryAddress,
                                 Optional<InetAddress> masterAddress, Optional<Instant> lastTransition,
                                 Optional<String> syncGroup, boolean maintenance, boolean unicast,
                                 int advertIntervalCentis, Map<String, Long> counters,
                                 Map<String, Long> rejectedFrames, long sendErrors, boolean advertWatched) {
    }

    /** A snapshot of one sync group. */
    public record GroupStatus(String name, VrrpState state, List<String> members) {
    }

    private final VrrpNodeConfig config;
    private final Scheduler scheduler;
    private final VrrpIo io;
    private final long anchorNanos;
    private final Instant anchorWall;
    private final Map<String, InstanceRuntime> byName = new LinkedHashMap<>();
    /**
     * Instances by interface, then by VRID (IPv6 at +256): the lookup every received frame makes, so
     * no key is built per frame.
     */
    private final Map<String, InstanceRuntime[]> byDispatch = new HashMap<>();
    private final Map<String, VrrpSyncGroup> groups = new LinkedHashMap<>();
    private final Map<String, ScriptRuntime> scripts = new LinkedHashMap<>();
    private static final byte[] NO_AUTH_DATA = new byte[0];
    private final VrrpFrameDecoder decoder = new VrrpFrameDecoder();
    private final Map<InetAddress, MacAddress> learnedMacs = new HashMap<>();
    /** Only unicast peers' MAC addresses are kept: anything else on the LAN could fill the table. */
    private final Set<InetAddress> peers = new java.util.HashSet<>();
    private final Map<String, Map<String, Long>> interfaceDrops = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean started;
    private boolean logging = true;
    private static final long REPEAT_LOG_WINDOW_NANOS = 60_000_000_000L;
    /** A timer later than this means the loop stalled long enough to matter at advert_int 0.01 (36 ms down interval). */
    private static final long LATE_TIMER_NANOS = 10_000_000L;
    private long lateTimers;
    private final Map<String, long[]> recentLines = new HashMap<>();
    private boolean stopped;
    private boolean halted;
    private Runnable pendingInput = () -> { };
    private long lastInputNanos = Long.MIN_VALUE;
    /** Open {@link #beginFrames} scopes; while one is open, kept timer tasks are judged at its end. */
    private int frameBatchDepth;
    private final List<InstanceRuntime.TimerSlot> deferredTimerMoves = new ArrayList<>();
    private AdvertWatch advertWatch = AdvertWatch.NONE;

    /**
     * @param wallClock only for the wall-clock times in events and status (the daemon: the system
     *                  clock; the simulation: a fixed epoch, so its records are reproducible)
     */
    public VrrpRouter(VrrpNodeConfig config, Scheduler scheduler, VrrpIo io, Clock wallClock) {
        this.config = Objects.requireNonNull(config);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.io = Objects.requireNonNull(io);
        this.anchorNanos = scheduler.nanoTime();
        this.anchorWall = wallClock.instant();
        for (VrrpInstanceSpec spec : config.instances()) {
            VrrpInstanceSettings s = withMaintenanceTracking(spec.settings());
            InstanceRuntime r = new InstanceRuntime(spec, new VrrpInstance(s));
            byName.put(spec.name(), r);
            InstanceRuntime[] slots = byDispatch.computeIfAbsent(spec.interfaceName(), k -> new InstanceRuntime[512]);
            int slot = s.vrid() + (s.ipv6() ? 256 : 0);
            InstanceRuntime clash = slots[slot];
            if (clash == null) slots[slot] = r;
            if (clash != null) {
                // keepalived refuses this too ("both use VRID ... on interface ...")
                throw new IllegalArgumentException(clash.name() + " and " + spec.name() + " both use VRID " + s.vrid()
                        + " with " + (s.ipv6() ? "IPv6" : "IPv4") + " on interface " + spec.interfaceName());
            }
        }
        for (VrrpInstanceSpec spec : config.instances()) {
            spec.settings().unicastPeers().forEach(p -> peers.add(p.address()));
        }
        for (VrrpSyncGroupSpec g : config.syncGroups()) {
            List<VrrpInstance> members = g.members().stream().map(m -> byName.get(m).fsm).toList();
            VrrpSyncGroup group = new VrrpSyncGroup(g.name(), members, g.trackingWeight());
            groups.put(g.name(), group);
            for (String m : g.members()) byName.get(m).group = group;
        }
        for (VrrpTrackScript s : config.scripts()) {
            scripts.put(s.name(), new ScriptRuntime(s, new VrrpScriptState(s.name(), s.rise(), s.fall(), s.initFail())));
        }
    }

    /** Turns this router's log lines off or on (the simulation's many nodes would flood the daemon's log). */
    public void setLogging(boolean on) {
        this.logging = on;
    }

    public void addListener(Listener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public VrrpNodeConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Starts every instance and group (RFC 5798 §6.4.1 via keepalived's start in BACKUP) and the
     * script checks. Report initial link states with {@link #onInterfaceState} before this.
     */
    public void start() {
        if (started) throw new IllegalStateException("already started");
        started = true;
        long now = scheduler.nanoTime();
        for (InstanceRuntime r : byName.values()) {
            // keepalived.md §2.3: kill -9 leaves the VIPs (and virtual_routes) behind; queued first, so
            // any later add follows it. Routes go before addresses, as when leaving MASTER.
            if (!r.spec.routes().isEmpty()) r.chain(() -> allRoutes(r.spec.routes(), x -> io.addresses().removeRoute(x), "remove stale route"));
            r.chain(() -> allOf(r.spec.addresses(), a -> io.addresses().remove(a), "remove stale"));
            if (r.fsm.settings().unicast()) askPeerMacs(r);
        }
        for (ScriptRuntime s : scripts.values()) {
            ScriptStatus initial = s.state.status();
            if (initial != ScriptStatus.UNKNOWN) deliverScriptStatus(s.spec.name(), initial, now);
        }
        Set<VrrpSyncGroup> startedGroups = new LinkedHashSet<>();
        for (InstanceRuntime r : byName.values()) {
            if (r.group == null) {
                apply(r, r.fsm.start(now));
            } else if (startedGroups.add(r.group)) {
                applyGroup(r.group.start(now));
            }
        }
        for (ScriptRuntime s : scripts.values()) runScript(s);
    }

    /**
     * A clean stop (SIGTERM): every master sends priority 0 and removes its addresses (RFC 5798
     * §6.4.3), every instance notifies STOP. Completes when the address changes are done.
     */
    public CompletableFuture<Void> shutdown() {
        if (stopped || halted) return CompletableFuture.completedFuture(null);
        for (InstanceRuntime r : byName.values()) r.unwatch(false);
        stopped = true;
        long now = scheduler.nanoTime();
        for (ScriptRuntime s : scripts.values()) s.cancel();
        Set<VrrpSyncGroup> done = new LinkedHashSet<>();
        for (InstanceRuntime r : byName.values()) {
            if (r.group == null) {
                apply(r, r.fsm.shutdown(now));
            } else if (done.add(r.group)) {
                applyGroup(r.group.shutdown(now));
            }
        }
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        for (InstanceRuntime r : byName.values()) {
            r.cancelTimers();
            chains.add(r.addressChain);
        }
        return CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new));
    }

    /**
     * The process vanished ({@code kill -9}, for the simulation): nothing more is sent, no timer
     * fires, and the addresses stay where they are.
     */
    public void halt() {
        for (InstanceRuntime r : byName.values()) r.unwatch(false);
        halted = true;
        for (ScriptRuntime s : scripts.values()) s.cancel();
        for (InstanceRuntime r : byName.values()) r.cancelTimers();
    }

    public boolean running() {
        return started && !stopped && !halted;
    }

    // ------------------------------------------------------------------ inputs

    /** A frame arrived on {@code iface} (VRRP, or ARP for learning unicast peers' MAC addresses) just now. */
    public void onFrame(String iface, byte[] frame) {
        onFrame(iface, frame, scheduler.nanoTime());
    }

    /**
     * A frame that arrived on {@code iface} at {@code receivedAtNanos} (scheduler time; the kernel's
     * capture time in the daemon). A backup's Master_Down_Interval runs from the advert's arrival, as
     * keepalived's does from its socket read, however late the frame is handled: handling it late
     * must not move a takeover later. Times before an input already handled count as that input's.
     */
    public void onFrame(String iface, byte[] frame, long receivedAtNanos) {
        if (!running()) return;
        if (frame.length >= 14 && (frame[12] & 0xff) == 0x08 && (frame[13] & 0xff) == 0x06) {
            learnFromArp(frame);
            return;
        }
        VrrpFrameDecodeResult decoded = decoder.decode(frame);
        if (decoded instanceof VrrpFrameDecodeResult.Invalid bad) {
            countUndecodable(iface, frame, bad);
            return;
        }
        VrrpFrame f = ((VrrpFrameDecodeResult.Ok) decoded).frame();
        IpHeader ip = f.ipHeader();
        VrrpPacket p = f.packet();
        InstanceRuntime r = dispatch(iface, p.vrid(), ip instanceof Ipv6Header);
        if (r == null) {
            // keepalived ignores unknown VRIDs silently (keepalived.md §1.4)
            countDrop(iface, "unknown_vrid");
            return;
        }
        MacAddress own = r.ownMacOrNull();
        if (own != null && own.equals(f.sourceMac())) return; // our own frame, looped back
        InetAddress destination = ip.destination();
        if (!destination.isMulticastAddress() && !destination.equals(r.fsm.settings().primaryAddress())) {
            // pcap sees unicast frames for other hosts too (flooded, or broadcast before MAC learning);
            // keepalived's socket would never have received them
            return;
        }
        if (peers.contains(ip.source())) learnedMacs.put(ip.source(), f.sourceMac());
        // a frame the watch let through: the adverts it absorbed came first
        if (r.watched) r.unwatch(true);
        ReceivedAdvert advert = r.lastAdvert;
        boolean repeated = true;
        // a repeated frame comes back from the decoder with the same packet and addresses: so is the advert
        if (advert == null || p != r.lastAdvertPacket || ip.source() != advert.source() || destination != advert.destination()
                || ip.ttlOrHopLimit() != advert.ttl()) {
            repeated = false;
            byte[] auth = p.version() == 2 ? p.authData().bytes() : NO_AUTH_DATA;
            advert = new ReceivedAdvert(ip.source(), destination, ip.ttlOrHopLimit(), p.version(), p.type(),
                    p.vrid(), p.priority(), p.count(), p.advertInterval(), p.version() == 2 ? p.authType().code() : 0,
                    auth, p.addresses(), true, true);
            r.lastAdvert = advert;
            r.lastAdvertPacket = p;
        }
        long now = inputTime(Math.min(receivedAtNanos, scheduler.nanoTime()));
        if (r.group == null) apply(r, r.fsm.onAdvert(advert, now));
        else applyGroup(r.group.onAdvert(r.name(), advert, now));
        if (repeated && advertWatch != AdvertWatch.NONE && r.watchable(advert, now)) r.watch(frame, now);
    }

    /**
     * Called before any instance acts on a timer, to hand over (through {@link #onFrame}) the frames
     * that arrived but have not been read yet (a batching reader): a frame that came before the
     * timer's deadline is then handled before the timer, so a backup never takes over from a master
     * whose advert is already here, and a master never advertises past a better master's advert.
     */
    public void setPendingInput(Runnable readPending) {
        this.pendingInput = Objects.requireNonNull(readPending);
    }

    /**
     * The watch that may absorb a steady master's repeated adverts for backups ({@link AdvertWatch}).
     * Set it before {@link #start}.
     */
    public void setAdvertWatch(AdvertWatch watch) {
        if (started) throw new IllegalStateException("set the advert watch before start");
        this.advertWatch = Objects.requireNonNull(watch);
    }

    /**
     * The watch on {@code iface} woke: a watched backup's master fell silent for a Master_Down
     * interval. Every watched instance there is handed back to its own timer, with the adverts the
     * watch absorbed counted as received (the last at its capture time), so the one whose master
     * stopped takes over now, as it would have without the watch; the others are watched again from
     * their next advert.
     */
    public void onAdvertWatchExpired(String iface) {
        if (!running()) return;
        InstanceRuntime[] slots = byDispatch.get(iface);
        if (slots == null) return;
        for (InstanceRuntime r : slots) {
            if (r != null && r.watched) r.unwatch(true);
        }
    }

    /**
     * The frames handed over until {@link #endFrames} are one read of a ring (a batching or quiet
     * reader's). A backup's Master_Down then moves once per read, by however many adverts the read
     * held, and whether its task is kept or moved is judged on that whole move: judged advert by
     * advert, a read of three adverts kept a task that fired stale two intervals later, a second
     * wake-up for each Master_Down (7.3 a second instead of 3.9 at one instance, 0.1 s).
     */
    public void beginFrames() {
        frameBatchDepth++;
    }

    /** Ends a {@link #beginFrames} scope: every timer whose deadline the read moved is judged now. */
    public void endFrames() {
        if (frameBatchDepth == 0 || --frameBatchDepth > 0) return;
        for (int i = 0; i < deferredTimerMoves.size(); i++) deferredTimerMoves.get(i).settleMove();
        deferredTimerMoves.clear();
    }

    /**
     * The time of an input that is not a frame (a link, a script, maintenance), after the frames that
     * arrived before it: a quiet reader may have left a Master_Down interval of them unread, and a
     * script result handled first would count them as of its own time (input times only go forward),
     * delaying a takeover from a master that died among them.
     */
    private long externalInputTime() {
        if (started) pendingInput.run();
        return inputTime(scheduler.nanoTime());
    }

    /**
     * Whether an instance on {@code iface} is master: it must then hear a better master at once
     * (RFC 5798 §6.4.3), where a backup's frames can wait for its next timer.
     */
    public boolean masterOn(String iface) {
        for (InstanceRuntime r : byName.values()) {
            if (r.fsm.state() == VrrpState.MASTER && r.spec.interfaceName().equals(iface)) return true;
        }
        return false;
    }

    /** Input times never go backwards for the state machines: a late-handled frame counts as of the last input. */
    private long inputTime(long t) {
        if (t > lastInputNanos) lastInputNanos = t;
        return lastInputNanos;
    }

    /** A tracked interface's link went up or down (also before {@link #start}, for the initial state). */
    public void onInterfaceState(String iface, boolean up) {
        if (stopped || halted) return;
        long now = externalInputTime();
        for (InstanceRuntime r : byName.values()) {
            if (r.fsm.settings().trackedInterfaces().stream().noneMatch(t -> t.name().equals(iface))) continue;
            unwatchForInput(r);
            if (r.group == null) apply(r, r.fsm.onInterfaceState(iface, up, now));
            else applyGroup(r.group.onInterfaceState(r.name(), iface, up, now));
        }
    }

    /**
     * Maintenance: {@code true} puts the instance in FAULT (a master sends priority 0, so its peer
     * takes over after Skew_Time; a sync group follows its member), {@code false} lets it come back.
     *
     * Also before {@link #start}, for maintenance kept across a restart: the instance then starts in
     * FAULT and never advertises.
     *
     * @throws IllegalArgumentException for an unknown instance
     */
    public void setMaintenance(String instance, boolean fault) {
        InstanceRuntime r = runtime(instance);
        if (stopped || halted) throw new IllegalStateException("the router is not running");
        r.maintenance = fault;
        long now = externalInputTime();
        unwatchForInput(r);
        if (r.group == null) apply(r, r.fsm.onInterfaceState(MAINTENANCE_INTERFACE, !fault, now));
        else applyGroup(r.group.onInterfaceState(r.name(), MAINTENANCE_INTERFACE, !fault, now));
    }

    /**
     * Vigil's resource layer gave up a group this instance owns: {@code true} puts the instance in
     * FAULT exactly as maintenance does (a master sends priority 0 and its peer takes over),
     * {@code false} lets it come back once the operator has reset the group.
     *
     * @throws IllegalArgumentException for an unknown instance
     */
    public void setResourceFault(String instance, boolean fault) {
        InstanceRuntime r = runtime(instance);
        if (!running()) throw new IllegalStateException("the router is not running");
        long now = externalInputTime();
        unwatchForInput(r);
        if (r.group == null) apply(r, r.fsm.onInterfaceState(RESOURCES_INTERFACE, !fault, now));
        else applyGroup(r.group.onInterfaceState(r.name(), RESOURCES_INTERFACE, !fault, now));
    }

    // ------------------------------------------------------------------ queries

    public List<InstanceStatus> instances() {
        List<InstanceStatus> out = new ArrayList<>();
        for (InstanceRuntime r : byName.values()) out.add(r.status());
        return out;
    }

    public Optional<InstanceStatus> instance(String name) {
        InstanceRuntime r = byName.get(name);
        return r == null ? Optional.empty() : Optional.of(r.status());
    }

    public List<GroupStatus> syncGroups() {
        List<GroupStatus> out = new ArrayList<>();
        for (VrrpSyncGroup g : groups.values()) {
            out.add(new GroupStatus(g.name(), g.state(), g.members().stream().map(VrrpInstance::name).toList()));
        }
        return out;
    }

    /** Frames dropped before any instance saw them, per interface and reason (unknown VRID, undecodable). */
    public Map<String, Map<String, Long>> interfaceDrops() {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        interfaceDrops.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        return copy;
    }

    /** Timers that fired more than 10 ms after their deadline: the event loop (or the process) was held up. */
    public long lateTimers() {
        return lateTimers;
    }

    /** The wall-clock time of a scheduler time. */
    public Instant wallTime(long nanos) {
        return anchorWall.plusNanos(nanos - anchorNanos);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    // ------------------------------------------------------------------ scripts

    private void runScript(ScriptRuntime s) {
        if (!running()) return;
        s.timer = scheduler.schedule(s.spec.interval().toNanos(), () -> runScript(s));
        // keepalived does not start a script while its previous run is still going
        if (s.running) return;
        s.running = true;
        CompletableFuture<Boolean> result;
        try {
            result = io.scripts().run(s.spec).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((ok, err) -> scheduler.execute(() -> {
            s.running = false;
            if (err != null) log.warn("VRRP_Script({}) could not run: {}", s.spec.name(), err.getMessage());
            onScriptResult(s, err == null && Boolean.TRUE.equals(ok));
        }));
    }

    private void onScriptResult(ScriptRuntime s, boolean success) {
        if (!running()) return;
        Optional<ScriptStatus> changed = s.state.onResult(success);
        if (changed.isEmpty()) return;
        logLine(LogLevel.INFO, "VRRP_Script(" + s.spec.name() + ") " + (changed.get() == ScriptStatus.GOOD ? "succeeded" : "failed"));
        deliverScriptStatus(s.spec.name(), changed.get(), externalInputTime());
    }

    private void deliverScriptStatus(String script, ScriptStatus status, long now) {
        for (InstanceRuntime r : byName.values()) {
            if (r.fsm.settings().trackedScripts().stream().noneMatch(t -> t.name().equals(script))) continue;
            unwatchForInput(r);
            if (r.group == null) apply(r, r.fsm.onScriptStatus(script, status, now));
            else applyGroup(r.group.onScriptStatus(r.name(), script, status, now));
        }
    }

    // ------------------------------------------------------------------ actions

    private void applyGroup(List<SyncGroupAction> actions) {
        for (SyncGroupAction a : actions) {
            if (a instanceof SyncGroupAction.ForInstance f) {
                apply(byName.get(f.instance()), List.of(f.action()));
            } else if (a instanceof SyncGroupAction.GroupTransition t) {
                long now = scheduler.nanoTime();
                logLine(LogLevel.INFO, "VRRP_Group(" + t.group() + ") Entering " + t.to() + " STATE");
                GroupTransition gt = new GroupTransition(t.group(), t.from(), t.to(), now, wallTime(now));
                for (Listener l : listeners) safely(() -> l.groupTransition(gt));
            } else if (a instanceof SyncGroupAction.Log l) {
                logLine(l.level(), l.message());
            }
        }
    }

    private void apply(InstanceRuntime r, List<VrrpAction> actions) {
        for (VrrpAction a : actions) {
            if (a instanceof VrrpAction.SendAdvert s) {
                if (!halted) sendAdvert(r, s.priority());
            } else if (a instanceof VrrpAction.SetTimer t) {
                r.setTimer(t.kind(), t.atNanos());
            } else if (a instanceof VrrpAction.CancelTimer c) {
                r.cancelTimer(c.kind());
            } else if (a instanceof VrrpAction.AddVirtualAddresses) {
                // keepalived 2.2.7 vrrp_state_become_master: VIPs, excluded VIPs, then virtual_routes (a
                // route with `src VIP` needs the address first)
                r.chain(() -> allOf(r.spec.addresses(), x -> io.addresses().add(x), "add"));
                if (!r.spec.routes().isEmpty()) r.chain(() -> allRoutes(r.spec.routes(), x -> io.addresses().addRoute(x), "add route"));
            } else if (a instanceof VrrpAction.RemoveVirtualAddresses) {
                // keepalived 2.2.7 vrrp_restore_interface: virtual_routes, then the addresses
                if (!r.spec.routes().isEmpty()) r.chain(() -> allRoutes(r.spec.routes(), x -> io.addresses().removeRoute(x), "remove route"));
                r.chain(() -> allOf(r.spec.addresses(), x -> io.addresses().remove(x), "remove"));
            } else if (a instanceof VrrpAction.SendGratuitous g) {
                // AddressActions.add announces once itself; the burst of a new master follows its add
                int times = g.reason() == dev.vigil.vrrp.instance.GarpReason.BECOME_MASTER
                        ? g.repeatPerAddress() - 1 : g.repeatPerAddress();
                if (times > 0) r.chain(() -> announce(r, times));
            } else if (a instanceof VrrpAction.Transition t) {
                r.unwatch(false);
                long now = scheduler.nanoTime();
                r.lastTransitionNanos = OptionalLong.of(now);
                logLine(LogLevel.INFO, "(" + r.name() + ") Entering " + t.to() + " STATE" + (t.from() == VrrpState.INIT ? " (init)" : ""));
                InstanceTransition it = new InstanceTransition(r.name(), t.from(), t.to(), t.reason(), t.priority(), now,
                        wallTime(now));
                for (Listener l : listeners) safely(() -> l.instanceTransition(it));
            } else if (a instanceof VrrpAction.PriorityChanged p) {
                long now = scheduler.nanoTime();
                for (Listener l : listeners) safely(() -> l.priorityChanged(r.name(), p.from(), p.to(), now));
            } else if (a instanceof VrrpAction.MasterReceivedLowerPriority m) {
                long now = scheduler.nanoTime();
                for (Listener l : listeners) safely(() -> l.masterReceivedLowerPriority(r.name(), m.source(), m.priority(), now));
            } else if (a instanceof VrrpAction.AdvertRejected rej) {
                log.debug("({}) advert from {} rejected: {}", r.name(), rej.source().getHostAddress(), rej.reason());
            } else if (a instanceof VrrpAction.Log l) {
                logLine(l.level(), l.message());
            }
        }
    }

    private void sendAdvert(InstanceRuntime r, int priority) {
        FrameLink link = io.links().apply(r.spec.interfaceName());
        Optional<MacAddress> mac = r.ownMac();
        if (link == null || mac.isEmpty()) {
            r.sendFailures++;
            return;
        }
        VrrpInstanceSettings s = r.fsm.settings();
        VrrpPacket packet = r.packet(priority);
        InetAddress src = s.primaryAddress();
        if (!s.unicast()) {
            InetAddress group = r.spec.multicastGroup();
            VrrpFrame frame = s.ipv6()
                    ? new VrrpFrame(MacAddress.ipv6Multicast((Inet6Address) group), mac.get(),
                            Ipv6Header.keepalived((Inet6Address) src, (Inet6Address) group, 0), packet)
                    : new VrrpFrame(MacAddress.ipv4Multicast((Inet4Address) group), mac.get(),
                            Ipv4Header.keepalived((Inet4Address) src, (Inet4Address) group, r.nextIpId()), packet);
            if (!link.send(VrrpFrames.encode(frame))) r.sendFailures++;
            return;
        }
        for (UnicastPeer peer : s.unicastPeers()) {
            MacAddress to = learnedMacs.getOrDefault(peer.address(), MacAddress.BROADCAST);
            VrrpFrame frame = s.ipv6()
                    ? VrrpFrames.unicastIpv6(mac.get(), to, (Inet6Address) src, (Inet6Address) peer.address(), 0, packet)
                    : VrrpFrames.unicastIpv4(mac.get(), to, (Inet4Address) src, (Inet4Address) peer.address(), r.nextIpId(), packet);
            if (!link.send(VrrpFrames.encode(frame))) r.sendFailures++;
        }
    }

    /** An ARP request for every IPv4 unicast peer, so that adverts go to its MAC address from the start. */
    private void askPeerMacs(InstanceRuntime r) {
        FrameLink link = io.links().apply(r.spec.interfaceName());
        Optional<MacAddress> mac = r.ownMac();
        if (link == null || mac.isEmpty() || !(r.fsm.settings().primaryAddress() instanceof Inet4Address src)) return;
        for (UnicastPeer p : r.fsm.settings().unicastPeers()) {
            if (p.address() instanceof Inet4Address peer) {
                link.send(ArpFrames.encode(new ArpFrame(MacAddress.BROADCAST, mac.get(), ArpFrame.OPERATION_REQUEST,
                        mac.get(), src, MacAddress.ZERO, peer)));
            }
        }
    }

    private void learnFromArp(byte[] frame) {
        NeighborFrameDecodeResult<ArpFrame> r = ArpFrames.decode(frame);
        if (r instanceof NeighborFrameDecodeResult.Ok<ArpFrame> ok) {
            ArpFrame arp = ok.frame();
            if (peers.contains(arp.senderProtocolAddress()) && !arp.senderHardwareAddress().isMulticast()) {
                learnedMacs.put(arp.senderProtocolAddress(), arp.senderHardwareAddress());
            }
        }
    }

    private CompletableFuture<Void> announce(InstanceRuntime r, int times) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < times; i++) all.add(allOf(r.spec.addresses(), a -> io.addresses().announce(a), "announce"));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Route changes one after another, in configuration order, whatever each one's outcome. */
    private static CompletableFuture<Void> allRoutes(List<VirtualRoute> routes,
                                                     Function<VirtualRoute, CompletableFuture<AddressActions.ActionResult>> op,
                                                     String what) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (VirtualRoute route : routes) {
            chain = chain.thenCompose(x -> {
                CompletableFuture<AddressActions.ActionResult> f;
                try {
                    f = op.apply(route);
                } catch (RuntimeException e) {
                    f = CompletableFuture.completedFuture(AddressActions.ActionResult.failure(e.toString()));
                }
                return f.handle((res, err) -> {
                    if (err != null) log.warn("{} {}: {}", what, route, err.toString());
                    else if (!res.ok()) log.warn("{} {}: {}", what, route, res.detail());
                    return null;
                });
            });
        }
        return chain;
    }

    private static CompletableFuture<Void> allOf(List<VirtualAddress> addresses,
                                                 Function<VirtualAddress, CompletableFuture<AddressActions.ActionResult>> op,
                                                 String what) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (VirtualAddress a : addresses) {
            CompletableFuture<AddressActions.ActionResult> f;
            try {
                f = op.apply(a);
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(AddressActions.ActionResult.failure(e.toString()));
            }
            fs.add(f.handle((res, err) -> {
                if (err != null) log.warn("{} {}: {}", what, a, err.toString());
                else if (!res.ok()) log.warn("{} {}: {}", what, a, res.detail());
                return null;
            }));
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
    }

    // ------------------------------------------------------------------ drops

    /**
     * Counts a frame the codec refused. When the IP payload is VRRP and names a VRID we run, the
     * drop is charged to that instance under keepalived's counter name (keepalived.md §1.4).
     */
    private void countUndecodable(String iface, byte[] frame, VrrpFrameDecodeResult.Invalid bad) {
        if (bad.reason() == VrrpRejectReason.NOT_VRRP || bad.reason() == VrrpRejectReason.UNSUPPORTED_ETHERTYPE) {
            countDrop(iface, bad.reason().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        int[] vridAndFamily = peekVrid(frame);
        InstanceRuntime r = vridAndFamily == null ? null
                : dispatch(iface, vridAndFamily[0], vridAndFamily[1] == 6);
        if (r == null) {
            countDrop(iface, bad.reason().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        String counter = bad.reason().keepalivedCounter().orElse(bad.reason().name().toLowerCase(java.util.Locale.ROOT));
        r.rejected.merge(counter, 1L, Long::sum);
        log.debug("({}) dropped a frame: {} ({})", r.name(), bad.reason(), bad.detail());
    }

    /** VRID and IP version of a frame carrying protocol 112, without trusting anything else in it. */
    private static int[] peekVrid(byte[] f) {
        if (f.length < 14) return null;
        int ethertype = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
        if (ethertype == 0x0800 && f.length >= 14 + 20) {
            int ihl = (f[14] & 0x0f) * 4;
            if ((f[14 + 9] & 0xff) != 112 || f.length < 14 + ihl + 2) return null;
            return new int[] {f[14 + ihl + 1] & 0xff, 4};
        }
        if (ethertype == 0x86dd && f.length >= 14 + 40 + 2) {
            if ((f[14 + 6] & 0xff) != 112) return null;
            return new int[] {f[14 + 40 + 1] & 0xff, 6};
        }
        return null;
    }

    private void countDrop(String iface, String reason) {
        interfaceDrops.computeIfAbsent(iface, k -> new LinkedHashMap<>()).merge(reason, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Before an input other than an advert reaches {@code r}: its watch (and its sync group's, whose
     * members the input may move too) is disarmed, and the adverts absorbed are handed over first, so
     * the state machine decides with the Master_Down deadline they moved.
     */
    private void unwatchForInput(InstanceRuntime r) {
        if (r.group == null) {
            r.unwatch(true);
            return;
        }
        for (VrrpInstance m : r.group.members()) byName.get(m.name()).unwatch(true);
    }

    private InstanceRuntime runtime(String instance) {
        InstanceRuntime r = byName.get(instance);
        if (r == null) throw new IllegalArgumentException("no vrrp_instance " + instance);
        return r;
    }

    private InstanceRuntime dispatch(String iface, int vrid, boolean ipv6) {
        InstanceRuntime[] slots = byDispatch.get(iface);
        return slots == null || vrid < 0 || vrid > 255 ? null : slots[vrid + (ipv6 ? 256 : 0)];
    }

    /**
     * Logs a line, but an identical line at most once a minute: at advert_int 0.01 a backup would
     * otherwise write "received lower priority ... - discarding" a hundred times a second
     * (keepalived prints it only with detailed logging).
     */
    private void logLine(LogLevel level, String message) {
        if (!logging) return;
        if (level != LogLevel.ERROR) {
            long now = scheduler.nanoTime();
            long[] seen = recentLines.get(message);
            if (seen != null && now - seen[0] < REPEAT_LOG_WINDOW_NANOS) {
                seen[1]++;
                return;
            }
            if (recentLines.size() > 1000) recentLines.clear();
            recentLines.put(message, new long[] {now, 0});
            if (seen != null && seen[1] > 0) message = message + " (and " + seen[1] + " more times in the last minute)";
        }
        switch (level) {
            case DEBUG -> log.debug(message);
            case INFO -> log.info(message);
            case WARNING -> log.warn(message);
            case ERROR -> log.error(message);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("event listener failed: {}", e.toString());
        }
    }

    /** The settings plus the maintenance pseudo-interface, tracked with weight 0 (down = FAULT). */
    static VrrpInstanceSettings withMaintenanceTracking(VrrpInstanceSettings s) {
        List<TrackedInterface> tracked = new ArrayList<>(s.trackedInterfaces());
        tracked.add(new TrackedInterface(MAINTENANCE_INTERFACE, 0, false));
        tracked.add(new TrackedInterface(RESOURCES_INTERFACE, 0, false));
        return new VrrpInstanceSettings(s.name(), s.vrid(), s.version(), s.priority(), s.advertIntervalCentis(),
                s.initialState(), s.nopreempt(), s.preemptDelayNanos(), s.acceptMode(), s.primaryAddress(),
                s.virtualAddresses(), s.unicastPeers(), s.checkUnicastSrc(), s.skipCheckAdvAddr(), s.lowerPrioNoAdvert(),
                s.higherPrioSendAdvert(), s.downTimerAdverts(), s.authType(), s.authPassword(), s.garp(),
                s.trackedScripts(), tracked);
    }

    private final class ScriptRuntime {
        final VrrpTrackScript spec;
        final VrrpScriptState state;
        Scheduler.Timer timer;
        boolean running;

        ScriptRuntime(VrrpTrackScript spec, VrrpScriptState state) {
            this.spec = spec;
            this.state = state;
        }

        void cancel() {
            if (timer != null) timer.cancel();
            timer = null;
        }
    }

    private final class InstanceRuntime {
        final VrrpInstanceSpec spec;
        final VrrpInstance fsm;
        VrrpSyncGroup group;
        /** One per {@link TimerKind}, by ordinal. */
        private final TimerSlot[] timers = new TimerSlot[TimerKind.values().length];
        final Map<String, Long> rejected = new LinkedHashMap<>();
        CompletableFuture<Void> addressChain = CompletableFuture.completedFuture(null);
        OptionalLong lastTransitionNanos = OptionalLong.empty();
        boolean maintenance;
        long sendFailures;
        private int ipId;
        private FrameLink macOf;
        private MacAddress mac;
        private int cachedPriority = -1;
        private VrrpPacket cachedPacket;
        /** The last advert handed to the instance and the packet it came from (see onFrame). */
        private ReceivedAdvert lastAdvert;
        private VrrpPacket lastAdvertPacket;
        /** The advert watch absorbs this backup's repeated adverts ({@link AdvertWatch}). */
        boolean watched;
        /**
         * The watch has absorbed adverts and runs the Master_Down timer itself: this instance's own
         * task is not scheduled (its deadline is still kept), which is the point of the watch.
         */
        private boolean watchTimes;
        /** Absorbed adverts already added to the counters, and the capture time of the last one handed to the state machine. */
        private long absorbedCounted;
        private long absorbedReplayedAt;
        /** The input time of the advert the watch was armed on: this instance's last input before the absorbed ones. */
        private long watchedSince;

        InstanceRuntime(VrrpInstanceSpec spec, VrrpInstance fsm) {
            this.spec = spec;
            this.fsm = fsm;
        }

        String name() {
            return spec.name();
        }

        Optional<MacAddress> ownMac() {
            return Optional.ofNullable(ownMacOrNull());
        }

        /** Read once per link: every received frame asks (a clone and a parse each time was 3 % of a backup's CPU). */
        MacAddress ownMacOrNull() {
            FrameLink link = io.links().apply(spec.interfaceName());
            if (link == null) return null;
            if (link != macOf) {
                byte[] hw = link.hardwareAddress();
                mac = hw.length == 6 ? MacAddress.of(hw) : null;
                macOf = link;
            }
            return mac;
        }

        /** keepalived numbers each instance's IPv4 adverts 1, 2, 3, ... from its start (keepalived.md §1.1). */
        int nextIpId() {
            ipId = (ipId + 1) & 0xffff;
            return ipId;
        }

        VrrpPacket packet(int priority) {
            if (priority != cachedPriority) {
                VrrpInstanceSettings s = fsm.settings();
                if (s.version() == 2) {
                    List<Inet4Address> vips = s.virtualAddresses().stream().map(a -> (Inet4Address) a).toList();
                    int seconds = s.advertIntervalCentis() / 100;
                    cachedPacket = s.authType() == VrrpInstanceSettings.AuthType.PASS
                            ? VrrpPacket.v2WithPassword(s.vrid(), priority, seconds, new Secret(s.authPassword()), vips)
                            : VrrpPacket.v2(s.vrid(), priority, seconds, vips);
                } else {
                    cachedPacket = VrrpPacket.v3(s.vrid(), priority, s.advertIntervalCentis(), s.virtualAddresses());
                }
                cachedPriority = priority;
            }
            return cachedPacket;
        }

        /**
         * Whether the advert just handled leaves this instance a backup that every equal advert would
         * only move on: it reset Master_Down by a whole interval, and no time alone changes what the
         * next equal one does (within a preempt delay, a lower-priority master's next advert may be
         * the one this backup preempts on; keepalived's vrrp_state_backup rule).
         */
        boolean watchable(ReceivedAdvert advert, long now) {
            if (watched || maintenance || fsm.state() != VrrpState.BACKUP || advert.priority() == 0) return false;
            if (fsm.preempts() && advert.priority() < fsm.effectivePriority()) return false;
            OptionalLong due = fsm.timerDeadline(TimerKind.MASTER_DOWN);
            return due.isPresent() && due.getAsLong() == now + fsm.masterDownIntervalNanos();
        }

        void watch(byte[] frame, long now) {
            VrrpInstanceSettings s = fsm.settings();
            if (!advertWatch.arm(spec.interfaceName(), s.vrid(), s.ipv6(), frame, fsm.masterDownIntervalNanos())) return;
            watched = true;
            watchTimes = false;
            absorbedCounted = 0;
            absorbedReplayedAt = Long.MIN_VALUE;
            watchedSince = now;
        }

        /**
         * Hands the adverts the watch absorbed to the state machine: all counted, and the last
         * replayed at its capture time when {@code replay} (it moves Master_Down as the advert itself
         * would have). Returns whether one was replayed.
         */
        private boolean credit(AdvertWatch.Absorbed a, boolean replay) {
            long n = a.count() - absorbedCounted;
            boolean replayed = false;
            if (replay && a.count() > 0 && a.lastNanos() > absorbedReplayedAt && lastAdvert != null) {
                absorbedReplayedAt = a.lastNanos();
                // at its own capture time, not the router's latest input time: other instances' inputs
                // (a master's advert timers) went on meanwhile, and counted as of the latest one the
                // replay would move this backup's takeover a whole Master_Down later. For this
                // instance it is still in order: any input of its own since the arm unwatched it first.
                long at = Math.max(watchedSince, Math.min(a.lastNanos(), scheduler.nanoTime()));
                if (group == null) apply(this, fsm.onAdvert(lastAdvert, at));
                else applyGroup(group.onAdvert(name(), lastAdvert, at));
                replayed = true;
                n--;
            }
            fsm.countRepeatedAdverts(n);
            absorbedCounted = a.count();
            return replayed;
        }

        /**
         * Disarms the watch; {@code replay}: the last absorbed advert reaches the state machine first
         * (not after a transition, when it would be judged in the new state).
         */
        void unwatch(boolean replay) {
            unwatch(replay, true);
        }

        /** As {@link #unwatch(boolean)}; {@code rearm} false from the Master_Down task itself, which goes on to fire. */
        private void unwatch(boolean replay, boolean rearm) {
            if (!watched) return;
            VrrpInstanceSettings s = fsm.settings();
            AdvertWatch.Absorbed a = advertWatch.disarm(spec.interfaceName(), s.vrid(), s.ipv6());
            watched = false;
            watchTimes = false;
            credit(a, replay && running());
            // the task the watch stood in for serves the deadline again
            OptionalLong due = fsm.timerDeadline(TimerKind.MASTER_DOWN);
            TimerSlot slot = timers[TimerKind.MASTER_DOWN.ordinal()];
            if (rearm && due.isPresent() && running() && (slot == null || slot.task == null)) setTimer(TimerKind.MASTER_DOWN, due.getAsLong());
        }

        /**
         * A deadline moved later keeps its scheduled task, which then re-arms itself for the new
         * deadline when it comes due: a backup's Master_Down moves with every advert (10 a second per
         * instance at 0.1 s), and a cancel and a new task each time was most of the scheduler work of a
         * backup of 255 instances. The state machine sees the same deadlines either way.
         *
         * <p>Left alone, though, that task comes due at a deadline adverts have long since moved: three
         * times a second per instance at 0.1 s (Master_Down_Interval is 3.6 intervals), each firing a
         * wake-up of its own between the master's bursts. So when the task would come due before the
         * deadline is likely to move again (less than one and a half of the last move ahead, the move
         * being one advert interval), it is moved now, on the advert's own wake-up: one new task every
         * third advert, and no firing at all while adverts keep coming, also when they are handed over
         * in batches up to one and a half intervals apart (a quiet reader's).
         */
        void setTimer(TimerKind kind, long at) {
            TimerSlot slot = timers[kind.ordinal()];
            if (halted) {
                if (slot != null) slot.cancel();
                return;
            }
            if (slot == null) slot = timers[kind.ordinal()] = new TimerSlot(kind);
            if (kind == TimerKind.MASTER_DOWN && watchTimes) {
                slot.cancel();
                slot.deadline = at;
                return;
            }
            boolean dueBefore = slot.task != null && slot.scheduledAt <= at;
            if (dueBefore && frameBatchDepth > 0 && !slot.moveDeferred) {
                slot.moveDeferred = true;
                slot.deadlineBeforeMove = slot.deadline;
                deferredTimerMoves.add(slot);
            }
            long moved = at - slot.deadline;
            slot.deadline = at;
            if (dueBefore && (slot.moveDeferred || keeps(slot, moved))) return;
            slot.arm(at);
        }

        /**
         * Whether a task due before its deadline, which just moved by {@code moved}, stays: it must
         * not come due before the deadline is likely to move again. Measured from the clock, not from
         * the advert's capture: a quiet reader hands adverts over up to its longest unread time after
         * they came, and a task kept because it was far enough ahead of the capture would fire stale
         * before the next read moves it.
         */
        private boolean keeps(TimerSlot slot, long moved) {
            return moved <= 0 || slot.scheduledAt - scheduler.nanoTime() >= moved + moved / 2;
        }

        void cancelTimer(TimerKind kind) {
            TimerSlot slot = timers[kind.ordinal()];
            if (slot != null) slot.cancel();
        }

        void cancelTimers() {
            for (TimerSlot slot : timers) if (slot != null) slot.cancel();
        }

        private void fire(TimerSlot slot, Scheduler.Timer self) {
            if (!running() || slot.task != self || slot.rearmedForLaterDeadline()) return;
            pendingInput.run();
            // the frames just handed over may have moved this deadline (a fresh advert resets
            // Master_Down) or cancelled it: then this firing is stale
            if (slot.task != self || slot.rearmedForLaterDeadline()) return;
            slot.task = null;
            if (!running()) return;
            TimerKind kind = slot.kind;
            if (watched) {
                if (kind == TimerKind.MASTER_DOWN) {
                    // the first Master_Down since the arm: if the watch absorbed adverts meanwhile, its
                    // own timer runs from the last of them and this task is no longer needed (unless
                    // the replay itself ended the watch, as any transition does: then it fires)
                    VrrpInstanceSettings s = fsm.settings();
                    watchTimes = true;
                    if (credit(advertWatch.peek(spec.interfaceName(), s.vrid(), s.ipv6()), true) && watched) return;
                    watchTimes = false;
                }
                unwatch(false, false);
            }
            long deadline = slot.deadline;
            long now = inputTime(scheduler.nanoTime());
            if (now - deadline > LATE_TIMER_NANOS) {
                lateTimers++;
                logLine(LogLevel.WARNING, "(" + name() + ") " + kind + " timer fired " + (now - deadline) / 1_000_000
                        + " ms late: the event loop or the whole process was held up");
            }
            if (group == null) apply(this, fsm.onTimer(kind, now));
            else applyGroup(group.onTimer(name(), kind, now));
        }

        /** One timer of the instance: the deadline the state machine asked for and the task that serves it. */
        private final class TimerSlot {
            final TimerKind kind;
            long deadline;
            long scheduledAt;
            Scheduler.Timer task;
            /** Inside a {@link #beginFrames} scope: the deadline moved, the task is judged at its end (cleared by arm and cancel). */
            boolean moveDeferred;
            long deadlineBeforeMove;

            TimerSlot(TimerKind kind) {
                this.kind = kind;
            }

            void arm(long at) {
                if (task != null) task.cancel();
                moveDeferred = false;
                scheduledAt = at;
                Firing firing = new Firing();
                firing.timer = scheduler.schedule(at - scheduler.nanoTime(), firing);
                task = firing.timer;
            }

            /**
             * The task of one arm, knowing its own timer (a firing of an earlier arm is stale). A class,
             * not a lambda capturing the timer: under C1 alone (the units' flags) each capturing lambda
             * is created through a method handle calling {@code Unsafe.allocateInstance}, which C1 does
             * not inline, and on a master that was 6 % of its CPU (perf, docs/benchmarks.md "Session 15").
             */
            private final class Firing implements Runnable {
                Scheduler.Timer timer;

                @Override
                public void run() {
                    fire(TimerSlot.this, timer);
                }
            }

            /** Whether the deadline moved later since the task was scheduled: then it is scheduled again for it. */
            boolean rearmedForLaterDeadline() {
                if (deadline - scheduler.nanoTime() <= 0) return false;
                arm(deadline);
                return true;
            }

            void cancel() {
                if (task != null) task.cancel();
                task = null;
                moveDeferred = false;
            }

            /** The end of a read that moved this deadline: keep the task or move it, on the read's whole move. */
            void settleMove() {
                if (!moveDeferred) return; // re-armed or cancelled since
                moveDeferred = false;
                if (scheduledAt <= deadline && keeps(this, deadline - deadlineBeforeMove)) return;
                arm(deadline);
            }
        }

        /** Runs {@code step} after every address change queued before it, whatever their outcome. */
        void chain(Supplier<CompletableFuture<Void>> step) {
            addressChain = addressChain.thenCompose(x -> {
                try {
                    return step.get();
                } catch (RuntimeException e) {
                    log.warn("({}) address action failed: {}", name(), e.toString());
                    return CompletableFuture.completedFuture(null);
                }
            });
        }

        InstanceStatus status() {
            VrrpInstanceSettings s = fsm.settings();
            long absorbedUncounted = 0;
            if (watched) {
                // shown, not handed over: a later replay counts the last of them as it moves the deadline
                absorbedUncounted = Math.max(0, advertWatch.peek(spec.interfaceName(), s.vrid(), s.ipv6()).count() - absorbedCounted);
            }
            Map<String, Long> counters = new LinkedHashMap<>(fsm.stats());
            rejected.forEach((k, v) -> counters.merge(k, v, Long::sum));
            if (absorbedUncounted > 0) counters.merge(VrrpCounter.ADVERT_RCVD.keepalivedName(), absorbedUncounted, Long::sum);
            Optional<InetAddress> master = fsm.state() == VrrpState.MASTER ? Optional.of(s.primaryAddress())
                    : Optional.ofNullable(fsm.masterAddress());
            Optional<Instant> last = lastTransitionNanos.isPresent()
                    ? Optional.of(wallTime(lastTransitionNanos.getAsLong())) : Optional.empty();
            return new InstanceStatus(name(), spec.interfaceName(), s.vrid(), s.version(), s.ipv6(), fsm.state(),
                    fsm.basePriority(), fsm.effectivePriority(), s.primaryAddress(), master, last,
                    Optional.ofNullable(group).map(VrrpSyncGroup::name), maintenance, s.unicast(),
                    s.advertIntervalCentis(), Collections.unmodifiableMap(counters), Map.copyOf(rejected), sendFailures, watched);
        }
    }
}
