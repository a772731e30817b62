package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One VRRP instance (virtual router) as a pure state machine: RFC 5798 §6 (RFC 3768 §6 for v2) with
 * keepalived 2.2.7's deviations, so that Vigil and keepalived nodes elect together. No clock, no I/O:
 * every entry point takes the current time and returns the {@link VrrpAction}s the glue must carry out,
 * in order.
 *
 * <pre>
 *                          +--------+
 *                          |  INIT  |   waits while a weight-0 script has no result yet
 *                          +--------+
 *            start()         |    |    |   start(), priority 255 (RFC 5798 §6.4.1)
 *        +-------------------+    |    +-------------------------------+
 *        |            tracking    |                                    |
 *        v            fault       v                                    v
 *   +--------+   fault       +--------+   recovered, owner        +--------+
 *   | BACKUP |-------------->| FAULT  |-------------------------->| MASTER |
 *   |        |<--------------|        |<--------------------------|        |
 *   +--------+   recovered   +--------+   fault: priority 0       +--------+
 *      |  ^                                                          |  ^
 *      |  |        higher priority advert, or equal priority         |  |
 *      |  +------- from a higher primary address (RFC 5798 §6.4.3) --+  |
 *      |                                                                |
 *      +---------- Master_Down timer fires (RFC 5798 §6.4.2) -----------+
 *
 *   every state --shutdown()--> STOP   (a master first sends priority 0 and removes the VIPs)
 * </pre>
 *
 * <h2>keepalived deviations reproduced (keepalived.md §2.3)</h2>
 * <ul>
 *   <li>Start in BACKUP even with {@code state MASTER}, unless priority 255 (then MASTER at once).</li>
 *   <li>FAULT state; MASTER → FAULT sends priority 0 (twice when the instance's own tracking failed,
 *       once when a sync-group sibling pulled it, as measured).</li>
 *   <li>The master answers a lower priority with an immediate advert ("forcing new election") unless
 *       {@code lower_prio_no_advert}, plus {@code garp_lower_prio_*} GARPs; {@code higher_prio_send_advert}
 *       sends one advert before yielding.</li>
 *   <li>Two address owners: lower ourselves to 254 with a configuration error.</li>
 *   <li>A backup discarding a lower-priority advert does not touch its timer: takeover is exactly
 *       Master_Down_Interval after the last accepted advert.</li>
 *   <li>{@code nopreempt}: any priority is accepted; cleared by {@code state MASTER} or priority 255.
 *       {@code preempt_delay}: the first lower advert opens a window during which lower adverts are still
 *       accepted; takeover ≈ delay + Master_Down_Interval.</li>
 *   <li>{@code down_timer_adverts} replaces the RFC's 3.</li>
 * </ul>
 *
 * <h2>Where Vigil deliberately differs</h2>
 * <ul>
 *   <li><b>Invalid adverts never touch a timer.</b> keepalived's dispatcher re-arms the master's advert
 *       timer on every packet received for the VRID, even rejected ones, so a stream of bad packets starves
 *       the master's adverts and the pair flaps (keepalived.md §1.4). Here the advert timer is re-armed only
 *       when an advert is actually sent.</li>
 *   <li>An effective-priority change in BACKUP moves the Master_Down deadline by the change in skew; keepalived
 *       moves it by the difference between the new full down interval and the old timer, which after a
 *       priority-0 advert adds a spurious three intervals.</li>
 *   <li>While a weight-0 script has no result yet the instance waits in INIT; keepalived files it as FAULT
 *       without notifying. Both notify BACKUP when the result arrives.</li>
 *   <li>Counters count what their names say ({@link VrrpCounter}).</li>
 * </ul>
 *
 * <p>Not thread-safe; driven from one event loop.
 */
public final class VrrpInstance {

    private static final int KIND_COUNT = TimerKind.values().length;

    private final VrrpInstanceSettings settings;
    /** The last advert checked and its verdict: the router hands a master's repeated advert over as the same object. */
    private ReceivedAdvert checkedAdvert;
    private boolean checkedWithAddresses;
    private AdvertValidator.Verdict checkedVerdict;
    private final String name;
    private final boolean preempt;
    private final long preemptDelayNanos;
    private final List<String> configurationWarnings = new ArrayList<>();
    private TrackState tracking;

    private final long[] counters = new long[VrrpCounter.values().length];
    private final long[] deadlines = new long[KIND_COUNT];
    private final boolean[] armed = new boolean[KIND_COUNT];

    private VrrpState state = VrrpState.INIT;
    private boolean started;
    private int basePriority;
    private int effectivePriority;
    /** RFC 5798 §6.1 Master_Adver_Interval, centiseconds; v3 backups learn it from the master. */
    private int masterAdverCentis;
    private boolean preemptWindowOpen;
    private long preemptDeadline;
    /** keepalived {@code master_saddr}: the source of the last advert a backup accepted or discarded. */
    private InetAddress masterAddress;
    private int masterPriority;
    private boolean vipsHeld;
    private long garpRefreshDue;
    /** Sync group: the down timer fired but the group held us in BACKUP (keepalived wantstate MASTER). */
    private boolean wantMaster;

    /** Set while this instance is a member of a sync group; then the group drives it. */
    VrrpSyncGroup group;

    public VrrpInstance(VrrpInstanceSettings settings) {
        this.settings = Objects.requireNonNull(settings);
        this.name = settings.name();
        this.basePriority = settings.priority();
        this.tracking = new TrackState(settings.trackedScripts(), settings.trackedInterfaces());
        this.effectivePriority = tracking.effectivePriority(basePriority);
        this.masterAdverCentis = settings.advertIntervalCentis();
        // keepalived vrrp_complete_instance: nopreempt needs initial state BACKUP and a non-owner priority
        boolean nopreempt = settings.nopreempt();
        if (nopreempt && settings.addressOwner()) {
            configurationWarnings.add("(" + name + ") nopreempt will not work with priority 255 - clearing");
            nopreempt = false;
        } else if (nopreempt && settings.initialState() == VrrpInstanceSettings.ConfiguredState.MASTER) {
            configurationWarnings.add("(" + name + ") nopreempt will not work with initial state MASTER - clearing");
            nopreempt = false;
        }
        this.preempt = !nopreempt;
        long delay = settings.preemptDelayNanos();
        if (delay > 0 && nopreempt) {
            configurationWarnings.add("(" + name + ") preempt_delay is incompatible with nopreempt mode - resetting");
            delay = 0;
        }
        this.preemptDelayNanos = delay;
    }

    // ------------------------------------------------------------------ queries

    public String name() {
        return name;
    }

    public VrrpInstanceSettings settings() {
        return settings;
    }

    public VrrpState state() {
        return state;
    }

    /** The priority we advertise: configured + tracking weights, clamped to 1..254; 255 for the owner. */
    public int effectivePriority() {
        return effectivePriority;
    }

    /**
     * The priority tracking adjusts: the configured one, or 254 once this owner met another owner and
     * stepped down (from then on it is no longer an owner and tracking weights apply).
     */
    public int basePriority() {
        return basePriority;
    }

    /** Preemption as configured after keepalived's clearing rules. */
    public boolean preempts() {
        return preempt;
    }

    /** Master_Adver_Interval in centiseconds (v3 backups: learned from the master). */
    public int masterAdvertIntervalCentis() {
        return masterAdverCentis;
    }

    /** Master_Down_Interval for the current priority and master interval. */
    public long masterDownIntervalNanos() {
        return VrrpTiming.masterDownIntervalNanos(settings.version(), effectivePriority, masterAdverCentis,
                settings.downTimerAdverts());
    }

    /** Skew_Time for the current priority and master interval. */
    public long skewNanos() {
        return VrrpTiming.skewNanos(settings.version(), effectivePriority, masterAdverCentis);
    }

    /** Whether the virtual addresses are (as far as this instance asked) configured. */
    public boolean holdsVirtualAddresses() {
        return vipsHeld;
    }

    /** The deadline of an armed timer, as last given in a {@link VrrpAction.SetTimer}. */
    public OptionalLong timerDeadline(TimerKind kind) {
        return armed[kind.ordinal()] ? OptionalLong.of(deadlines[kind.ordinal()]) : OptionalLong.empty();
    }

    /** The source of the last advert this backup accepted or discarded (keepalived's "master router"). */
    public InetAddress masterAddress() {
        return masterAddress;
    }

    /** The priority of the last advert this backup accepted. */
    public int masterPriority() {
        return masterPriority;
    }

    public long counter(VrrpCounter c) {
        return counters[c.ordinal()];
    }

    /**
     * Adverts that a watch below the router absorbed ({@code AdvertWatch}): each was equal to the
     * last advert this backup accepted, so each counts as received, as keepalived counts every one.
     */
    public void countRepeatedAdverts(long n) {
        if (n > 0) counters[VrrpCounter.ADVERT_RCVD.ordinal()] += n;
    }

    /** All counters under keepalived's names, in {@link VrrpCounter} order. */
    public Map<String, Long> stats() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (VrrpCounter c : VrrpCounter.values()) m.put(c.keepalivedName(), counters[c.ordinal()]);
        return Collections.unmodifiableMap(m);
    }

    /** The tracking as this instance applies it (after sync-group rules). */
    TrackState tracking() {
        return tracking;
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Startup (RFC 5798 §6.4.1). Report the initial status of tracked scripts and interfaces before
     * calling this ({@link #onScriptStatus}, {@link #onInterfaceState}); they apply from the start.
     */
    public List<VrrpAction> start(long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        markStarted(out);
        leaveInit(nowNanos, out, TransitionReason.STARTUP);
        return out;
    }

    /** A VRRP packet for this instance's VRID arrived. */
    public List<VrrpAction> onAdvert(ReceivedAdvert advert, long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        receive(advert, nowNanos, out);
        return out;
    }

    /** A timer set by a {@link VrrpAction.SetTimer} fired. Stale or early firings are harmless. */
    public List<VrrpAction> onTimer(TimerKind kind, long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        fire(kind, nowNanos, out);
        return out;
    }

    /** A tracked script's status changed (from its {@link VrrpScriptState}); untracked scripts are ignored. */
    public List<VrrpAction> onScriptStatus(String script, ScriptStatus status, long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        setScriptStatus(script, status, nowNanos, out);
        return out;
    }

    /** A tracked interface's link went up or down; untracked interfaces are ignored. */
    public List<VrrpAction> onInterfaceState(String iface, boolean up, long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        setInterfaceState(iface, up, nowNanos, out);
        return out;
    }

    /**
     * Shutdown (RFC 5798 §6.4.3: the master sends priority 0 and removes the VIPs). keepalived also
     * notifies STOP from every state (keepalived.md §2.4).
     */
    public List<VrrpAction> shutdown(long nowNanos) {
        requireStandalone();
        List<VrrpAction> out = new ArrayList<>();
        stop(out);
        return out;
    }

    // ------------------------------------------------------------------ package-private: sync group side

    void markStarted(List<VrrpAction> out) {
        if (started) throw new IllegalStateException("(" + name + ") already started");
        started = true;
        for (String w : configurationWarnings) out.add(new VrrpAction.Log(LogLevel.WARNING, w));
    }

    boolean started() {
        return started;
    }

    /** Leaves INIT if tracking and the group allow (start-up of a sync group member). */
    void comeUp(long now, List<VrrpAction> out) {
        if (state == VrrpState.INIT) leaveInit(now, out, TransitionReason.STARTUP);
    }

    /** Held in BACKUP by the group after the down timer fired, or master: keepalived wantstate MASTER. */
    boolean wantsMaster() {
        return state == VrrpState.MASTER || (state == VrrpState.BACKUP && wantMaster);
    }

    /** The instance's own tracking keeps it out of service (fault, or a weight-0 script's first result pending). */
    boolean ownTrackingDown() {
        return tracking.faulted() || tracking.initPending();
    }

    void applySyncGroupTracking(boolean syncGroupTrackingWeight, List<String> ignored) {
        if (started) throw new IllegalStateException("(" + name + ") must join its sync group before start");
        tracking = tracking.forSyncGroupMember(syncGroupTrackingWeight, name, ignored);
        effectivePriority = tracking.effectivePriority(basePriority);
    }

    void receive(ReceivedAdvert advert, long now, List<VrrpAction> out) {
        // keepalived ignores packets in FAULT and INIT without counting them
        if (state == VrrpState.BACKUP) receiveInBackup(advert, now, out);
        else if (state == VrrpState.MASTER) receiveInMaster(advert, now, out);
    }

    void fire(TimerKind kind, long now, List<VrrpAction> out) {
        int k = kind.ordinal();
        if (!armed[k]) return; // cancelled, or already handled: a late firing
        if (now < deadlines[k]) {
            // fired early (a coarse real timer): ask again rather than act before the deadline
            out.add(new VrrpAction.SetTimer(kind, deadlines[k]));
            return;
        }
        armed[k] = false;
        switch (kind) {
            case MASTER_DOWN -> {
                if (state == VrrpState.BACKUP) tryBecomeMaster(now, out, TransitionReason.MASTER_DOWN_TIMER);
            }
            case ADVERT -> {
                if (state == VrrpState.MASTER) advertiseAsMaster(now, out);
            }
            case GARP_MASTER_DELAYED -> {
                if (state == VrrpState.MASTER && settings.garp().masterRepeat() > 0) {
                    out.add(new VrrpAction.SendGratuitous(settings.garp().masterRepeat(), GarpReason.MASTER_DELAYED));
                }
            }
            case GARP_LOWER_PRIORITY_DELAYED -> {
                if (state == VrrpState.MASTER && settings.garp().lowerPrioRepeat() > 0) {
                    out.add(new VrrpAction.SendGratuitous(settings.garp().lowerPrioRepeat(), GarpReason.LOWER_PRIORITY_DELAYED));
                }
            }
        }
    }

    void setScriptStatus(String script, ScriptStatus status, long now, List<VrrpAction> out) {
        if (tracking.setScriptStatus(script, Objects.requireNonNull(status))) reevaluate(now, out);
    }

    void setInterfaceState(String iface, boolean up, long now, List<VrrpAction> out) {
        if (tracking.setInterfaceUp(iface, up)) reevaluate(now, out);
    }

    void stop(List<VrrpAction> out) {
        if (state == VrrpState.STOP) return;
        VrrpState from = state;
        disarmAll(out);
        if (from == VrrpState.MASTER) {
            sendAdvert(0, out);
            removeVips(out);
        }
        state = VrrpState.STOP;
        wantMaster = false;
        out.add(new VrrpAction.Transition(from, VrrpState.STOP, TransitionReason.SHUTDOWN, effectivePriority));
    }

    /** The group pulls this member to MASTER (keepalived vrrp_sync_master → vrrp_state_goto_master). */
    void forceMaster(long now, List<VrrpAction> out) {
        if (state == VrrpState.BACKUP) becomeMaster(now, out, TransitionReason.SYNC_GROUP);
    }

    /** The group pulls this member to BACKUP (keepalived vrrp_sync_backup). */
    void forceBackup(long now, List<VrrpAction> out) {
        switch (state) {
            case MASTER -> leaveMaster(now, out, VrrpState.BACKUP, TransitionReason.SYNC_GROUP, 0);
            case FAULT, INIT -> {
                if (started && !tracking.faulted() && !tracking.initPending()) {
                    enterBackup(now, out, TransitionReason.SYNC_GROUP);
                }
            }
            default -> { }
        }
    }

    /** The group pulls this member to FAULT (keepalived vrrp_sync_fault): one priority-0 advert from MASTER. */
    void forceFault(long now, List<VrrpAction> out) {
        if (!started) return;
        switch (state) {
            case MASTER -> leaveMaster(now, out, VrrpState.FAULT, TransitionReason.SYNC_GROUP, 1);
            case BACKUP, INIT -> enterFaultFromIdle(out, TransitionReason.SYNC_GROUP);
            default -> { }
        }
    }

    /** keepalived sends garp_lower_prio GARPs for every sync sibling too when its master hears a lower priority. */
    void lowerPriorityGarps(long now, List<VrrpAction> out) {
        if (state != VrrpState.MASTER) return;
        GarpSettings g = settings.garp();
        if (g.lowerPrioRepeat() > 0) {
            out.add(new VrrpAction.SendGratuitous(g.lowerPrioRepeat(), GarpReason.LOWER_PRIORITY));
            if (g.lowerPrioDelayNanos() > 0) arm(TimerKind.GARP_LOWER_PRIORITY_DELAYED, now + g.lowerPrioDelayNanos(), out);
        }
    }

    // ------------------------------------------------------------------ receiving

    private void receiveInBackup(ReceivedAdvert advert, long now, List<VrrpAction> out) {
        // skip_check_adv_addr: the address list is checked only when the master changes (keepalived.md §1.4, check 7)
        boolean checkAddresses = !settings.skipCheckAdvAddr() || !advert.source().equals(masterAddress);
        if (!validate(advert, checkAddresses, out)) return;
        int priority = advert.priority();
        if (priority == 0) {
            // RFC 5798 §6.4.2: the master is stopping; take over after Skew_Time only
            out.add(new VrrpAction.Log(LogLevel.DEBUG, "(" + name + ") Backup received priority 0 advertisement"));
            arm(TimerKind.MASTER_DOWN, now + skewNanos(), out);
            return;
        }
        boolean withinPreemptDelay = preemptDelayNanos > 0 && (!preemptWindowOpen || preemptDeadline > now);
        if (!preempt || priority >= effectivePriority || withinPreemptDelay) {
            if (settings.version() == 3) learnInterval(advert, out, "master");
            masterAddress = advert.source();
            masterPriority = priority;
            wantMaster = false;
            if (preemptDelayNanos > 0) {
                if (priority >= effectivePriority) {
                    preemptWindowOpen = false;
                } else if (!preemptWindowOpen) {
                    preemptWindowOpen = true;
                    preemptDeadline = now + preemptDelayNanos;
                    out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") start preempt delay"));
                }
            }
            arm(TimerKind.MASTER_DOWN, now + masterDownIntervalNanos(), out);
        } else {
            // RFC 5798 §6.4.2 "discard": the timer keeps running from the last accepted advert
            out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") received lower priority (" + priority
                    + ") advert from " + advert.source().getHostAddress() + " - discarding"));
            masterAddress = advert.source();
        }
    }

    private void receiveInMaster(ReceivedAdvert advert, long now, List<VrrpAction> out) {
        if (!validate(advert, true, out)) return;
        int priority = advert.priority();
        int addressOrder = compareAddresses(advert.source(), settings.primaryAddress());
        boolean higher = priority > effectivePriority || (priority == effectivePriority && addressOrder > 0);
        if (priority == 0 || (settings.higherPrioSendAdvert() && higher)) {
            // RFC 5798 §6.4.3: priority 0 → send an advert and reset the Adver_Timer
            sendAdvert(effectivePriority, out);
            arm(TimerKind.ADVERT, now + advertIntervalNanos(), out);
            if (priority == 0) return;
        }
        if (priority == effectivePriority) {
            if (addressOrder == 0) {
                out.add(new VrrpAction.Log(LogLevel.WARNING, "(" + name
                        + ") WARNING - equal priority advert received from remote host with our IP address."));
            } else if (effectivePriority == VrrpInstanceSettings.OWNER_PRIORITY) {
                // keepalived: two address owners is a configuration error; step down to 254 as a workaround
                out.add(new VrrpAction.Log(LogLevel.ERROR, "(" + name + ") CONFIGURATION ERROR: local instance and a remote"
                        + " instance are both configured as address owner, please fix - reducing local priority"));
                basePriority = VrrpInstanceSettings.OWNER_PRIORITY - 1;
                effectivePriority = basePriority;
                out.add(new VrrpAction.PriorityChanged(VrrpInstanceSettings.OWNER_PRIORITY, effectivePriority));
                higher = true;
            }
        }
        if (priority < effectivePriority || (priority == effectivePriority && addressOrder < 0)) {
            out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") Received advert from " + advert.source().getHostAddress()
                    + " with lower priority " + priority + ", ours " + effectivePriority
                    + (settings.lowerPrioNoAdvert() ? "" : ", forcing new election")));
            if (!settings.lowerPrioNoAdvert()) {
                sendAdvert(effectivePriority, out);
                arm(TimerKind.ADVERT, now + advertIntervalNanos(), out);
            }
            lowerPriorityGarps(now, out);
            out.add(new VrrpAction.MasterReceivedLowerPriority(advert.source(), priority));
            return;
        }
        if (higher) {
            out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") Master received advert from "
                    + advert.source().getHostAddress() + " with " + (priority > effectivePriority
                    ? "higher priority " + priority + ", ours " + effectivePriority
                    : "same priority " + priority + " but higher IP address than ours")));
            if (settings.version() == 3) learnInterval(advert, out, "new master");
            masterPriority = priority;
            leaveMaster(now, out, VrrpState.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT, 0);
        }
    }

    /** Runs the receive checks and counts; a refused advert produces nothing else. */
    private boolean validate(ReceivedAdvert advert, boolean checkAddresses, List<VrrpAction> out) {
        AdvertValidator.Verdict v;
        if (advert == checkedAdvert && checkAddresses == checkedWithAddresses) {
            v = checkedVerdict; // the checks are pure in the (final) settings and the advert
        } else {
            v = AdvertValidator.check(settings, advert, checkAddresses);
            checkedAdvert = advert;
            checkedWithAddresses = checkAddresses;
            checkedVerdict = v;
        }
        if (v.countsAsReceived()) counters[VrrpCounter.ADVERT_RCVD.ordinal()]++;
        if (!v.accepted()) {
            RejectReason reason = v.rejection().orElseThrow();
            counters[reason.counter().ordinal()]++;
            out.add(new VrrpAction.AdvertRejected(reason, advert.source()));
            return false;
        }
        if (advert.priority() == 0) counters[VrrpCounter.PRI_ZERO_RCVD.ordinal()]++;
        return true;
    }

    /** RFC 5798 §6.4.2/§6.4.3: a v3 backup adopts the master's Max Adver Int. */
    private void learnInterval(ReceivedAdvert advert, List<VrrpAction> out, String who) {
        int advertised = advert.advertInterval() & 0x0FFF;
        if (advertised != masterAdverCentis) {
            out.add(new VrrpAction.Log(LogLevel.DEBUG, "(" + name + ") advertisement interval updated from "
                    + masterAdverCentis * 10 + "ms to " + advertised * 10 + "ms by " + who));
            masterAdverCentis = advertised;
        }
    }

    /** Unsigned, byte by byte: RFC 5798 §6.4.3 compares primary addresses as unsigned integers. */
    static int compareAddresses(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) return 0; // keepalived vrrp_saddr_cmp: families differ → no order
        return Integer.signum(Arrays.compareUnsigned(x, y));
    }

    // ------------------------------------------------------------------ tracking

    private void reevaluate(long now, List<VrrpAction> out) {
        if (state == VrrpState.STOP) return;
        updateEffectivePriority(now, out);
        switch (state) {
            case INIT -> {
                if (started) leaveInit(now, out, TransitionReason.STARTUP);
            }
            case BACKUP, MASTER -> {
                if (tracking.faulted()) enterFault(now, out);
            }
            case FAULT -> {
                if (!tracking.faulted() && !tracking.initPending() && (group == null || group.mayComeUp(this))) {
                    if (settings.addressOwner() && basePriority == VrrpInstanceSettings.OWNER_PRIORITY) {
                        // keepalived try_up_instance: an owner leaves FAULT straight to MASTER
                        tryBecomeMaster(now, out, TransitionReason.ADDRESS_OWNER);
                    } else {
                        enterBackup(now, out, TransitionReason.TRACKING_RECOVERED);
                    }
                }
            }
            default -> { }
        }
    }

    private void updateEffectivePriority(long now, List<VrrpAction> out) {
        int newPriority = tracking.effectivePriority(basePriority);
        if (newPriority == effectivePriority) return;
        long oldSkew = skewNanos();
        int old = effectivePriority;
        effectivePriority = newPriority;
        out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") Changing effective priority from " + old + " to " + newPriority));
        out.add(new VrrpAction.PriorityChanged(old, newPriority));
        // keepalived vrrp_set_effective_priority: in BACKUP the pending takeover moves with the skew;
        // in MASTER the new priority simply goes out with the next periodic advert
        if (state == VrrpState.BACKUP && armed[TimerKind.MASTER_DOWN.ordinal()]) {
            long shifted = deadlines[TimerKind.MASTER_DOWN.ordinal()] + (skewNanos() - oldSkew);
            arm(TimerKind.MASTER_DOWN, Math.max(now, shifted), out);
        }
    }

    // ------------------------------------------------------------------ transitions

    private void leaveInit(long now, List<VrrpAction> out, TransitionReason reason) {
        if (tracking.faulted()) {
            enterFault(now, out);
            return;
        }
        // keepalived vrrp_init_state: a member of a faulted group starts in FAULT, pending script or not
        if (group != null && group.hasFaultedMember()) {
            enterFaultFromIdle(out, TransitionReason.SYNC_GROUP);
            return;
        }
        // keepalived num_script_init: wait for the first result of every weight-0 script
        if (tracking.initPending()) return;
        if (group != null) {
            // a sibling's pending script holds the whole group in INIT (keepalived num_member_init)
            if (!group.mayComeUp(this)) return;
            enterBackup(now, out, reason);
            if (settings.addressOwner()) {
                // keepalived vrrp_init_state: a member that wants MASTER while its group is BACKUP
                // times out after one interval and the smallest skew, then asks its group
                wantMaster = true;
                arm(TimerKind.MASTER_DOWN, now + VrrpTiming.centisToNanos(masterAdverCentis)
                        + VrrpTiming.skewNanos(settings.version(), VrrpInstanceSettings.OWNER_PRIORITY, masterAdverCentis), out);
            }
            return;
        }
        if (settings.addressOwner()) {
            // RFC 5798 §6.4.1: the owner sends an advert, GARPs, and becomes master at once
            becomeMaster(now, out, TransitionReason.ADDRESS_OWNER);
        } else {
            // keepalived.md §2.3: everyone else starts in BACKUP, whatever "state" says
            enterBackup(now, out, reason);
        }
    }

    private void enterBackup(long now, List<VrrpAction> out, TransitionReason reason) {
        VrrpState from = state;
        state = VrrpState.BACKUP;
        masterAdverCentis = settings.advertIntervalCentis();
        preemptWindowOpen = false;
        wantMaster = false;
        out.add(new VrrpAction.Transition(from, VrrpState.BACKUP, reason, effectivePriority));
        arm(TimerKind.MASTER_DOWN, now + masterDownIntervalNanos(), out);
    }

    private void tryBecomeMaster(long now, List<VrrpAction> out, TransitionReason reason) {
        if (group != null && !group.mayBecomeMaster(this)) {
            // keepalived vrrp_sync_can_goto_master: only when every sibling wants MASTER; wait another interval
            if (state != VrrpState.BACKUP) enterBackup(now, out, reason);
            wantMaster = true;
            out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") sync group " + group.name()
                    + " not ready for MASTER - staying BACKUP"));
            arm(TimerKind.MASTER_DOWN, now + masterDownIntervalNanos(), out);
            return;
        }
        becomeMaster(now, out, reason);
    }

    /** keepalived vrrp_state_master_tx + vrrp_state_become_master: advert first, then VIPs, then GARPs. */
    private void becomeMaster(long now, List<VrrpAction> out, TransitionReason reason) {
        VrrpState from = state;
        disarm(TimerKind.MASTER_DOWN, out);
        state = VrrpState.MASTER;
        wantMaster = false;
        preemptWindowOpen = false;
        masterAdverCentis = settings.advertIntervalCentis();
        // the advert goes first so the old master drops the VIPs before our GARPs (keepalived.md §1.5)
        sendAdvert(effectivePriority, out);
        addVips(out);
        GarpSettings g = settings.garp();
        if (g.masterRepeat() > 0) out.add(new VrrpAction.SendGratuitous(g.masterRepeat(), GarpReason.BECOME_MASTER));
        counters[VrrpCounter.BECOME_MASTER.ordinal()]++;
        out.add(new VrrpAction.Transition(from, VrrpState.MASTER, reason, effectivePriority));
        arm(TimerKind.ADVERT, now + advertIntervalNanos(), out);
        if (g.masterDelayNanos() > 0 && g.masterRepeat() > 0) arm(TimerKind.GARP_MASTER_DELAYED, now + g.masterDelayNanos(), out);
        if (g.masterRefreshNanos() > 0) garpRefreshDue = now + g.masterRefreshNanos();
    }

    private void advertiseAsMaster(long now, List<VrrpAction> out) {
        sendAdvert(effectivePriority, out);
        GarpSettings g = settings.garp();
        // keepalived checks the refresh when it sends an advert, so refresh granularity is one interval
        if (g.masterRefreshNanos() > 0 && g.masterRefreshRepeat() > 0 && now > garpRefreshDue) {
            out.add(new VrrpAction.SendGratuitous(g.masterRefreshRepeat(), GarpReason.MASTER_REFRESH));
            garpRefreshDue = now + g.masterRefreshNanos();
        }
        arm(TimerKind.ADVERT, now + advertIntervalNanos(), out);
    }

    /**
     * keepalived vrrp_state_leave_master: to BACKUP silently (the new master already advertises), to
     * FAULT with priority 0 so the backup takes over after Skew_Time.
     */
    private void leaveMaster(long now, List<VrrpAction> out, VrrpState to, TransitionReason reason, int priorityZeroAdverts) {
        disarm(TimerKind.ADVERT, out);
        disarm(TimerKind.GARP_MASTER_DELAYED, out);
        disarm(TimerKind.GARP_LOWER_PRIORITY_DELAYED, out);
        for (int i = 0; i < priorityZeroAdverts; i++) sendAdvert(0, out);
        removeVips(out);
        counters[VrrpCounter.RELEASE_MASTER.ordinal()]++;
        state = to;
        preemptWindowOpen = false;
        wantMaster = false;
        out.add(new VrrpAction.Transition(VrrpState.MASTER, to, reason, effectivePriority));
        if (to == VrrpState.BACKUP) arm(TimerKind.MASTER_DOWN, now + masterDownIntervalNanos(), out);
    }

    private void enterFault(long now, List<VrrpAction> out) {
        out.add(new VrrpAction.Log(LogLevel.INFO, "(" + name + ") entering FAULT state (" + String.join(", ", tracking.faultCauses()) + ")"));
        if (state == VrrpState.MASTER) {
            // keepalived down_instance → vrrp_state_leave_master(advF=true) sends priority 0 in
            // leave_master and again in vrrp_restore_interface: 2 packets on the wire (keepalived.md §2.3)
            leaveMaster(now, out, VrrpState.FAULT, TransitionReason.TRACKING_FAULT, 2);
        } else {
            enterFaultFromIdle(out, TransitionReason.TRACKING_FAULT);
        }
    }

    private void enterFaultFromIdle(List<VrrpAction> out, TransitionReason reason) {
        VrrpState from = state;
        disarm(TimerKind.MASTER_DOWN, out);
        state = VrrpState.FAULT;
        preemptWindowOpen = false;
        wantMaster = false;
        masterAdverCentis = settings.advertIntervalCentis();
        out.add(new VrrpAction.Transition(from, VrrpState.FAULT, reason, effectivePriority));
    }

    // ------------------------------------------------------------------ effects

    private long advertIntervalNanos() {
        return VrrpTiming.centisToNanos(settings.advertIntervalCentis());
    }

    private void sendAdvert(int priority, List<VrrpAction> out) {
        out.add(new VrrpAction.SendAdvert(priority));
        counters[VrrpCounter.ADVERT_SENT.ordinal()]++;
        if (priority == 0) counters[VrrpCounter.PRI_ZERO_SENT.ordinal()]++;
    }

    private void addVips(List<VrrpAction> out) {
        out.add(new VrrpAction.AddVirtualAddresses());
        vipsHeld = true;
    }

    private void removeVips(List<VrrpAction> out) {
        out.add(new VrrpAction.RemoveVirtualAddresses());
        vipsHeld = false;
    }

    private void arm(TimerKind kind, long at, List<VrrpAction> out) {
        armed[kind.ordinal()] = true;
        deadlines[kind.ordinal()] = at;
        out.add(new VrrpAction.SetTimer(kind, at));
    }

    private void disarm(TimerKind kind, List<VrrpAction> out) {
        if (!armed[kind.ordinal()]) return;
        armed[kind.ordinal()] = false;
        out.add(new VrrpAction.CancelTimer(kind));
    }

    private void disarmAll(List<VrrpAction> out) {
        for (TimerKind k : TimerKind.values()) disarm(k, out);
    }

    private void requireStandalone() {
        if (group != null) {
            throw new IllegalStateException("(" + name + ") is a member of sync group " + group.name()
                    + ": drive it through its VrrpSyncGroup");
        }
    }

    /** Timers currently armed, for diagnostics. */
    public Map<TimerKind, Long> armedTimers() {
        Map<TimerKind, Long> m = new EnumMap<>(TimerKind.class);
        for (TimerKind k : TimerKind.values()) if (armed[k.ordinal()]) m.put(k, deadlines[k.ordinal()]);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "VrrpInstance[" + name + " vrid " + settings.vrid() + " " + state + " prio " + effectivePriority + "]";
    }
}
