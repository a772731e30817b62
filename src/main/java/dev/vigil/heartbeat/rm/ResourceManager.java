package dev.vigil.heartbeat.rm;

import dev.vigil.heartbeat.membership.LogLevel;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.wire.HbMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Heartbeat's v1 ("haresources") resource manager for a two-node cluster, as a pure state machine
 * driven by membership events, peer messages, admin commands and script results
 * ({@code hb_resource.c}, the {@code rc.d} hooks, {@code mach_down}, {@code req_resource},
 * {@code hb_standby}; research heartbeat.md §1.6, §4.3, §5).
 *
 * <pre>
 *  phase (resourcestate)
 *
 *   INIT --comm up--> STARTING --peer's starting--> BOTH_STARTING
 *                        |  \                           |
 *                        |   +--a resource message------+--> RESOURCES_RECEIVED --peer stable, or RQSTDELAY (10 s)
 *                        |      (the peer's, or ours)                                   |   take our groups
 *                        |                                                              v   unless it holds them
 *                        +--------------------- peer stable -------------------------> STABLE --shutdown--> SHUTDOWN
 *   (auto_failback legacy: no phases; at comm up every own group is requested with ip-request)
 *
 *  standby handshake (going_standby), both sides, S = the set the requester gives up
 *
 *   requester  NOT --ask_resources S info=me--> ME --peer's info=other: release S, resource info=standby-->
 *              --own info=done--> DONE --peer's info=done--> NOT   (then resource ... isstable=1)
 *   taker      NOT --peer's info=me: reply info=other--> OTHER --peer's info=done: take S--> DONE
 *              --own info=done--> NOT   (then resource ... isstable=1)
 *
 *  peer death: stonith result=n_stnth (no STONITH device), take its groups (mach_down) and ours,
 *              resource rsc_hold=foreign info=mach_down
 * </pre>
 *
 * <p>Like heartbeat, the manager hears its own {@code resource}, {@code ask_resources} and
 * {@code shutdone} messages: each one it broadcasts is also fed back into its own handlers, which
 * is where heartbeat's standby and startup logic make their transitions.
 *
 * <p>Where heartbeat is unsafe or wrong Vigil decides differently, each noted at the code:
 * a failed stop leaves the group {@link GroupState#FAILED} and claimed instead of rebooting; a peer
 * returning after a partition makes both sides give up the groups the other side prefers and
 * renegotiate instead of restarting; a peer that restarted before we noticed its death is treated
 * as dead first, so groups it held are not orphaned; {@code rscstatus} tells the truth in
 * {@code legacy} mode.
 */
public final class ResourceManager {
    private static final long NEVER = Long.MAX_VALUE;
    static final String T_STARTING = "starting";
    static final String T_RESOURCES = "resource";
    static final String T_ASKRESOURCES = "ask_resources";
    static final String T_TAKEOVER = "hb_takeover";
    static final String T_IPREQUEST = "ip-request";
    static final String T_IPREQUEST_RESP = "ip-request-resp";
    static final String T_STONITH = "stonith";
    static final String T_SHUTDONE = "shutdone";
    static final String F_RESOURCES = "rsc_hold";
    static final String F_RTYPE = "rtype";
    static final String F_ISSTABLE = "isstable";
    static final String F_COMMENT = "info";
    static final String F_IPADDR = "ipaddr";
    static final String F_WEOWN = "weown";
    static final String F_OK = "ok";
    static final String F_NODE = "node";
    static final String F_APIRESULT = "result";
    static final String RSC_MGR = "/usr/share/heartbeat/ResourceManager";

    /** {@code enum hb_rsc_state}; the ordinal is the number heartbeat logs. */
    public enum Phase { INIT, STARTING, BOTH_STARTING, RESOURCES_RECEIVED, STABLE, SHUTDOWN }

    /** {@code enum standby}; the ordinal is the number heartbeat logs. */
    public enum Standby { NOT, ME, OTHER, DONE }

    private final ResourceSettings settings;
    private final boolean nice;
    private final boolean auto;
    private final String me;
    private final String peer;
    private final Map<String, GroupRunner> runners = new LinkedHashMap<>();
    private final List<Job> jobs = new ArrayList<>();
    private final Deque<HbMessage> ownMessages = new ArrayDeque<>();
    private final List<HbMessage> ownBeforeCommUp = new ArrayList<>();
    private final List<HbMessage> peerBeforeCommUp = new ArrayList<>();
    private final Map<String, Long> failedStartStandbyAt = new LinkedHashMap<>();

    private List<RmAction> out = new ArrayList<>();
    private String reportedStatus;

    private NodeStatus peerStatus = NodeStatus.INIT;
    /** {@code anypacketsyet}: we heard the peer's current run (or took over from it). */
    private boolean peerHeard;
    /** {@code has_resources}: the legacy-mode guess whether the peer may hold anything. */
    private boolean peerHasResources;
    private boolean commUp;

    private Phase phase = Phase.INIT;
    private ResourceSet claimed = ResourceSet.NONE; // i_hold_resources
    private ResourceSet peerClaimed = ResourceSet.NONE; // other_holds_resources
    private boolean peerStable;
    private boolean takeoverInProgress;
    private boolean failbackNeeded;
    private Standby standby = Standby.NOT;
    private ResourceSet standbySet = ResourceSet.ALL;
    private long standbyDeadline = NEVER;
    private long stableDeadline = NEVER;
    private long autoFailbackRetryAt = NEVER;
    private boolean shutdownRequested;
    private boolean shuttingDown;
    private boolean shutdownBlocked;
    private boolean shutdownComplete;
    private boolean conflictAnnounced;
    /** When a peer that heard our claim and still runs our groups is asked to stand by for them (hb_takeover). */
    private long conflictTakeoverAt = NEVER;
    /** The standby under way was started by auto_failback; retried if it is cancelled for want of a reply. */
    private boolean failbackRequested;
    /** We asked for the standby, gave our groups up and wait for the taker's "done". */
    private boolean requesterWaitingForDone;
    /** When to ask again for the peer's resource report if {@code starting} got no answer (see {@link #tick}). */
    private long startingRetryAt = NEVER;
    private long now;

    public ResourceManager(ResourceSettings settings) {
        this.settings = Objects.requireNonNull(settings);
        this.nice = settings.autoFailback().niceFailback();
        this.auto = settings.autoFailback().autoFailback();
        this.me = settings.localNode();
        this.peer = settings.peerNode();
        GroupRunner.Sink sink = new GroupRunner.Sink() {
            @Override
            public void run(String group, String resource, ResourceOp op) {
                out.add(new RmAction.RunResource(group, resource, op));
            }

            @Override
            public void stateChanged(String group, GroupState previous, GroupState current) {
                out.add(new RmAction.GroupStateChanged(group, previous, current));
            }

            @Override
            public void log(LogLevel level, String text) {
                ResourceManager.this.log(level, text);
            }
        };
        for (ResourceGroup g : settings.groups()) {
            runners.put(g.key(), new GroupRunner(g, sink, settings.stopRetries(), settings.stopRetryInterval().toNanos()));
        }
        reportedStatus = rscStatus();
    }

    // ------------------------------------------------------------------ entry points: membership

    /**
     * Feeds a membership action; the ones the resource layer cares about are
     * {@link MembershipAction.NodeStatusChanged}, {@link MembershipAction.CommUp},
     * {@link MembershipAction.Deliver}, {@link MembershipAction.PeerRestarted} and
     * {@link MembershipAction.PeerReturnedAfterPartition}; others are ignored.
     */
    public List<RmAction> onMembership(MembershipAction action, long nowNanos) {
        now = nowNanos;
        if (action instanceof MembershipAction.NodeStatusChanged c) {
            if (c.node().equals(peer)) peerStatusChanged(c.previous(), c.current());
        } else if (action instanceof MembershipAction.CommUp) {
            onCommUp();
        } else if (action instanceof MembershipAction.Deliver d) {
            onDelivered(d.from(), d.message());
        } else if (action instanceof MembershipAction.PeerRestarted r) {
            if (r.node().equals(peer)) onPeerRestarted();
        } else if (action instanceof MembershipAction.PeerReturnedAfterPartition p) {
            if (p.node().equals(peer)) onPartitionHealed();
        }
        return finish();
    }

    // ------------------------------------------------------------------ entry points: local

    /** The result of a {@link RmAction.RunResource}. */
    public List<RmAction> operationFinished(OperationResult result, long nowNanos) {
        now = nowNanos;
        GroupRunner r = runners.get(result.group());
        if (r == null || !r.onResult(result, nowNanos)) {
            log(LogLevel.WARN, "Ignoring unexpected result " + result);
        }
        return finish();
    }

    /** {@code hb_standby [all|local|foreign|failback]}: ask the peer to take our groups. */
    public List<RmAction> requestStandby(AdminRequest which, long nowNanos) {
        now = nowNanos;
        standbyCommand(which.standbySet());
        return finish();
    }

    /** {@code hb_takeover [all|local|foreign|failback]}: ask the peer to go standby so we take its groups. */
    public List<RmAction> requestTakeover(AdminRequest which, long nowNanos) {
        now = nowNanos;
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_TAKEOVER).add(F_RESOURCES, which.wireName()).build());
        return finish();
    }

    /**
     * Graceful shutdown ({@code hb_giveup_resources}): announce {@code resource info=shutdown}, stop
     * every group, send {@code shutdone}. Delayed while resource work is in flight.
     */
    public List<RmAction> shutdown(long nowNanos) {
        now = nowNanos;
        giveUpResources();
        return finish();
    }

    /**
     * The operator has stopped a {@link GroupState#FAILED} group by hand: it is stopped, may be
     * managed again, and a blocked shutdown proceeds.
     */
    public List<RmAction> resolveFailedGroup(String key, long nowNanos) {
        now = nowNanos;
        GroupRunner r = runners.get(key);
        if (r != null && r.resolveFailed()) {
            log(LogLevel.INFO, "Resource group " + key + " cleared by the operator; considered stopped");
            if (shutdownBlocked && noneFailed()) {
                shutdownBlocked = false;
                finishShutdown();
            }
            shutdownIfNeeded();
        }
        return finish();
    }

    /** Timers: RQSTDELAY, standby timeouts, stop retries, delayed standby after a failed start, auto-failback retries. */
    public List<RmAction> tick(long nowNanos) {
        now = nowNanos;
        for (GroupRunner r : runners.values()) r.tick(nowNanos);
        if (phase == Phase.RESOURCES_RECEIVED && nowNanos >= stableDeadline) {
            // polled_input_dispatch: the peer never said it was stable; take ours anyway.
            stableDeadline = NEVER;
            phase = Phase.STABLE;
            reqOurResources(false);
            log(LogLevel.INFO, "local resource transition completed.");
            sendResourcesHeld(true, null);
            auditResources();
        }
        if (awaitingReport() && nowNanos >= startingRetryAt) {
            if (shuttingDown) {
                startingRetryAt = NEVER;
            } else {
                log(LogLevel.WARN, "No resource report from " + peer + " yet; asking again.");
                sendStarting();
            }
        }
        if (nowNanos >= standbyDeadline) {
            standbyDeadline = NEVER;
            peerStable = true;
            standby = Standby.NOT;
            log(LogLevel.WARN, "No reply to standby request.  Standby request cancelled.");
            if (failbackRequested) {
                // Vigil: the handshake message was lost (membership gives up on old gaps); the groups
                // are still not home, so auto_failback tries again instead of never.
                failbackRequested = false;
                failbackNeeded = true;
                autoFailbackRetryAt = nowNanos + 1_000_000_000L;
            }
            shutdownIfNeeded();
        }
        if (nowNanos >= autoFailbackRetryAt) {
            autoFailbackRetryAt = NEVER;
            performAutoFailback();
        }
        if (nowNanos >= conflictTakeoverAt) {
            conflictTakeoverAt = NEVER;
            takeOverFromStubbornPeer();
        }
        for (Map.Entry<String, Long> e : new ArrayList<>(failedStartStandbyAt.entrySet())) {
            if (nowNanos >= e.getValue()) {
                failedStartStandbyAt.remove(e.getKey());
                GroupRunner r = runners.get(e.getKey());
                // ResourceManager: (sleep 30; hb_standby `StandbyGroupType $j`) &
                standbyCommand(isLocal(r) ? ResourceSet.LOCAL : ResourceSet.FOREIGN);
            }
        }
        return finish();
    }

    public long nextDeadlineNanos() {
        long d = Math.min(Math.min(standbyDeadline, autoFailbackRetryAt), conflictTakeoverAt);
        if (phase == Phase.RESOURCES_RECEIVED) d = Math.min(d, stableDeadline);
        if (awaitingReport()) d = Math.min(d, startingRetryAt);
        for (GroupRunner r : runners.values()) d = Math.min(d, r.nextDeadline());
        for (long t : failedStartStandbyAt.values()) d = Math.min(d, t);
        return d;
    }

    // ------------------------------------------------------------------ queries

    /**
     * {@code cl_status rscstatus}: what we hold ({@code none|local|foreign|all}) when nothing is in
     * flight, else {@code transition} ({@code hb_rsc_resource_state}).
     */
    public String rscStatus() {
        return isStable() ? holdings().wireName() : "transition";
    }

    public GroupState groupState(String key) {
        GroupRunner r = runners.get(key);
        if (r == null) throw new IllegalArgumentException("no resource group " + key);
        return r.state();
    }

    public Phase phase() {
        return phase;
    }

    public Standby standbyState() {
        return standby;
    }

    /** What we announce we hold ({@code i_hold_resources}). */
    public ResourceSet claimed() {
        return claimed;
    }

    /** What the peer last announced ({@code other_holds_resources}). */
    public ResourceSet peerClaimed() {
        return peerClaimed;
    }

    public boolean isShutdownComplete() {
        return shutdownComplete;
    }

    public ResourceSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ membership events

    private void peerStatusChanged(NodeStatus previous, NodeStatus current) {
        peerStatus = current;
        if (current == NodeStatus.DEAD && previous != NodeStatus.DEAD) {
            recoverDeadResources();
        } else if (current != NodeStatus.DEAD) {
            peerHeard = true;
            peerHasResources = true; // should_drop_message sets has_resources on a new run
            if (previous == NodeStatus.DEAD && current == NodeStatus.ACTIVE && nice && phase == Phase.STABLE && !shuttingDown) {
                // Vigil: a peer back without a start-up handshake (it started alone while cut off, in a
                // run we never heard) sends no "starting" and gets no report; tell it what we hold so
                // that a double claim is seen and resolved on both sides (resolveDoubleClaim).
                sendResourcesHeld(true, null);
            }
        }
    }

    /** comm_up_resource_action. */
    private void onCommUp() {
        if (commUp) return;
        commUp = true;
        if (nice) {
            sendStarting();
            phase = Phase.STARTING;
        } else {
            reqOurResources(false);
        }
        ownMessages.addAll(ownBeforeCommUp);
        ownBeforeCommUp.clear();
        List<HbMessage> early = new ArrayList<>(peerBeforeCommUp);
        peerBeforeCommUp.clear();
        for (HbMessage m : early) onDelivered(peer, m);
    }

    /**
     * Vigil: a peer that restarted before we declared it dead lost whatever it held; heartbeat only
     * notes the restart, so groups the peer held for us would stay orphaned. Treat its old run as dead.
     */
    private void onPeerRestarted() {
        peerHasResources = true;
        if (peerStatus == NodeStatus.DEAD) return;
        log(LogLevel.WARN, "Node " + peer + " restarted before it was declared dead; recovering what its previous run held");
        recoverDeadResources();
        peerHeard = true;
    }

    /**
     * Vigil's answer to "returning after partition". heartbeat gives up everything and restarts
     * itself, an outage on both sides. Vigil keeps the groups this node prefers, gives up the ones
     * the peer prefers, and runs the startup handshake again; a Vigil peer does the mirror image, so
     * every group ends up on exactly one node, its preferred one. A heartbeat peer restarts anyway;
     * its {@code shutdone} makes us take everything until it has rejoined.
     */
    private void onPartitionHealed() {
        log(LogLevel.WARN, "Partition with " + peer + " healed: giving up the resource groups " + peer
                + " prefers and renegotiating (Vigil does not restart itself)");
        standby = Standby.NOT;
        standbyDeadline = NEVER;
        takeoverInProgress = false;
        // A takeover still under way was for a death that turned out to be a partition: its completion
        // would claim the foreign groups we are about to give up.
        jobs.removeIf(j -> j.name.equals("mach_down"));
        failbackNeeded = false;
        autoFailbackRetryAt = NEVER;
        peerStable = false;
        peerClaimed = ResourceSet.NONE;
        claimed = claimed.minus(ResourceSet.FOREIGN);
        boolean allLocalHeld = true;
        for (GroupRunner r : runners.values()) {
            if (isLocal(r) && r.state() != GroupState.RUNNING) allLocalHeld = false;
        }
        if (!allLocalHeld) claimed = claimed.minus(ResourceSet.LOCAL);
        if (nice) {
            phase = Phase.STARTING;
            stableDeadline = NEVER;
        }
        List<GroupRunner> foreign = groups(ResourceSet.FOREIGN);
        for (GroupRunner r : foreign) r.release();
        addJob("partition heal", foreign, t -> {
            if (!noneFailed(foreign)) {
                claimed = claimed.plus(ResourceSet.FOREIGN);
                log(LogLevel.CRIT, "A resource group " + peer + " prefers failed to stop here after the partition; it stays claimed");
            }
            if (nice) {
                // The peer's report may have come while we were releasing; asking for it again then
                // would leave the peer waiting for a second "stable" from us that never comes.
                if (awaitingReport()) sendStarting();
            } else {
                reqOurResources(false);
            }
        });
    }

    // ------------------------------------------------------------------ peer messages

    private void onDelivered(String from, HbMessage m) {
        if (!from.equals(peer)) return;
        String type = m.type().orElse("");
        if (type.equals(T_SHUTDONE)) {
            onPeerShutdone();
            return;
        }
        // heartbeat registers these handlers in comm_up_resource_action and drops what comes earlier.
        // Two nodes come up within milliseconds of each other, so the peer's first ip-request or
        // starting can beat our comm-up; dropped, a legacy node would wait for ever for its group.
        // Vigil keeps them and handles them right after comm-up, in order.
        if (!commUp) {
            peerBeforeCommUp.add(m);
            return;
        }
        switch (type) {
            case T_STARTING:
            case T_RESOURCES:
                processResources(type, m, true);
                break;
            case T_ASKRESOURCES:
                askForResources(m, false);
                break;
            case T_TAKEOVER:
                onTakeoverRequest(m);
                break;
            case T_IPREQUEST:
                onIpRequest(m);
                break;
            case T_IPREQUEST_RESP:
                onIpRequestResp(m);
                break;
            default:
                break; // stonith notices, unknown types: no rc.d hook
        }
    }

    /** process_resources, for the nice_failback modes. */
    private void processResources(String type, HbMessage m, boolean fromPeer) {
        shutdownIfNeeded();
        if (!nice) return;
        Phase newPhase = phase;
        if (type.equals(T_STARTING) && fromPeer) {
            switch (phase) {
                case RESOURCES_RECEIVED:
                case STABLE:
                case SHUTDOWN:
                    break;
                case STARTING:
                    newPhase = Phase.BOTH_STARTING;
                    break;
                default:
                    log(LogLevel.ERROR, "Received '" + T_STARTING + "' message in state " + phase.ordinal());
                    return;
            }
            peerStable = false;
            startingRetryAt = now + settings.requestDelay().toNanos();
            if (takeoverInProgress) log(LogLevel.WARN, "T_STARTING received during takeover.");
            sendResourcesHeld(phase == Phase.STABLE, null);
        }
        if (type.equals(T_RESOURCES)) {
            Optional<String> hold = m.string(F_RESOURCES);
            if (hold.isEmpty()) {
                log(LogLevel.ERROR, T_RESOURCES + " message without " + F_RESOURCES + " field.");
                return;
            }
            ResourceSet n = ResourceSet.fromWire(hold.get()).orElseGet(() -> {
                log(LogLevel.ERROR, "encode_resources: bad resource type [" + hold.get() + "]");
                return ResourceSet.NONE;
            });
            boolean full = "full".equals(m.string(F_RTYPE).orElse(null));
            switch (phase) {
                case BOTH_STARTING:
                case STARTING:
                    newPhase = Phase.RESOURCES_RECEIVED;
                    break;
                case RESOURCES_RECEIVED:
                case STABLE:
                case SHUTDOWN:
                    break;
                default:
                    return; // before our comm-up: heartbeat has no handler yet
            }
            if (fromPeer) {
                if (standby == Standby.DONE && requesterWaitingForDone && "1".equals(m.string(F_ISSTABLE).orElse(null))) {
                    // Vigil: the taker reports stable only after its own "done"; that "done" was lost.
                    log(LogLevel.INFO, "Other node completed standby takeover of " + standbySet.wireName() + " resources.");
                    standbyDeadline = NEVER;
                    standby = Standby.NOT;
                    failbackRequested = false;
                    requesterWaitingForDone = false;
                }
                if (standby == Standby.OTHER && "standby".equals(m.string(F_COMMENT).orElse(null))) {
                    standbyDeadline = now + settings.standbyTimeout().toNanos(); // the requester is giving them up
                }
                peerClaimed = full ? n : (n == ResourceSet.NONE ? ResourceSet.NONE : peerClaimed.plus(n));
                Optional<String> stable = m.string(F_ISSTABLE);
                if (stable.isPresent()) {
                    if (stable.get().equals("1")) {
                        if (!peerStable) {
                            log(LogLevel.INFO, "remote resource transition completed.");
                            peerStable = true;
                            sendResourcesHeld(phase == Phase.STABLE, null);
                            performAutoFailback();
                        }
                    } else {
                        if (peerStable) startingRetryAt = now + settings.requestDelay().toNanos();
                        peerStable = false;
                    }
                }
                if (phase != Phase.STABLE && phase != Phase.SHUTDOWN && peerStable) {
                    log(LogLevel.INFO, "remote resource transition completed.");
                    reqOurResources(false);
                    newPhase = Phase.STABLE;
                    sendResourcesHeld(true, null);
                    performAutoFailback();
                }
            } else {
                claimed = full ? n : (n == ResourceSet.NONE ? ResourceSet.NONE : claimed.plus(n));
                String comment = m.string(F_COMMENT).orElse("");
                if (comment.equals("mach_down")) {
                    log(LogLevel.INFO, "mach_down takeover complete.");
                    takeoverInProgress = false;
                    claimed = claimed.plus(ResourceSet.FOREIGN);
                    failbackNeeded = true;
                    peerStable = true;
                } else if (comment.equals("shutdown")) {
                    newPhase = Phase.SHUTDOWN;
                }
            }
        }
        if (type.equals(T_SHUTDONE)) {
            if (fromPeer) {
                peerStable = true;
                peerClaimed = ResourceSet.NONE;
                if (claimed != ResourceSet.ALL && !shuttingDown) {
                    ResourceSet rtype = claimed == ResourceSet.FOREIGN ? ResourceSet.LOCAL
                            : claimed == ResourceSet.LOCAL ? ResourceSet.FOREIGN : ResourceSet.ALL;
                    standby = Standby.DONE;
                    requesterWaitingForDone = false;
                    standbySet = rtype;
                    goStandby(false, rtype);
                }
            } else {
                newPhase = Phase.SHUTDOWN;
                claimed = ResourceSet.NONE;
            }
        }
        phase = newPhase;
        // heartbeat arms local_takeover_time once per process; Vigil re-arms it on every entry
        // (a partition heal runs the handshake again).
        if (phase == Phase.RESOURCES_RECEIVED && stableDeadline == NEVER) stableDeadline = now + settings.requestDelay().toNanos();
        if (phase != Phase.RESOURCES_RECEIVED) stableDeadline = NEVER;
        auditResources();
        if (fromPeer && type.equals(T_RESOURCES)) resolveDoubleClaim();
        shutdownIfNeeded();
    }

    /**
     * Vigil: the peer claims its own groups while we still run some of them (we took them when it
     * died or was cut off, and it took them back on a lone start after initdead, or while
     * partitioned; no side saw "returning after partition"). heartbeat logs "Both machines own
     * foreign resources!" and leaves both running for good; the preferred node keeps them and we
     * give ours up, the same rule as after a healed partition.
     */
    private void resolveDoubleClaim() {
        if (!nice || shuttingDown || standby != Standby.NOT || phase != Phase.STABLE) return;
        List<GroupRunner> theirs = new ArrayList<>();
        if (peerClaimed.includes(ResourceSet.LOCAL) && claimed.includes(ResourceSet.FOREIGN)) {
            for (GroupRunner r : groups(ResourceSet.FOREIGN)) {
                if (r.isHeld()) theirs.add(r);
            }
        }
        boolean peerClaimsOurs = peerRunsOurGroups();
        if (!theirs.isEmpty()) {
            log(LogLevel.WARN, "Both nodes hold the resource groups " + peer + " prefers: giving them up to " + peer);
            claimed = claimed.minus(ResourceSet.FOREIGN);
            failbackNeeded = false;
            for (GroupRunner r : theirs) r.release();
            // the report sent when they are down also tells the peer that we keep ours
            conflictAnnounced = peerClaimsOurs;
            if (peerClaimsOurs) conflictTakeoverAt = now + settings.requestDelay().toNanos();
            addJob("double claim", theirs, t -> {
                if (!noneFailed(theirs)) {
                    claimed = claimed.plus(ResourceSet.FOREIGN);
                    log(LogLevel.CRIT, "A resource group " + peer + " prefers failed to stop here; it stays claimed");
                }
                sendResourcesHeld(true, null);
            });
        } else if (peerClaimsOurs && !conflictAnnounced) {
            // We keep them; the peer gives them up once it hears our claim, which it may have missed
            // (sent while cut off). Once per conflict, so a peer that cannot stop them is not flooded.
            conflictAnnounced = true;
            conflictTakeoverAt = now + settings.requestDelay().toNanos();
            log(LogLevel.WARN, "Both nodes hold the resource groups this node prefers: keeping them, telling " + peer);
            sendResourcesHeld(true, null);
        } else if (!peerClaimsOurs) {
            conflictAnnounced = false;
            conflictTakeoverAt = NEVER;
        }
    }

    /**
     * Vigil: RQSTDELAY after we told the peer that we keep the groups we prefer, it still runs them.
     * A Vigil peer gives them up as soon as it hears the claim; heartbeat 3.0.6 logs "Both machines own
     * foreign resources!" and leaves both running until an operator steps in (a mixed pair under 40 %
     * loss held the address twice until the campaign tore it down, docs/reliability.md §1b). The step an
     * operator takes is {@code hb_takeover local} on the preferred node: the peer's
     * {@code rc.d/hb_takeover} runs {@code hb_standby foreign}, and the standby handshake moves the
     * groups here (we already run them, so our side starts nothing).
     */
    private void takeOverFromStubbornPeer() {
        if (!peerRunsOurGroups() || shuttingDown || standby != Standby.NOT || phase != Phase.STABLE) return;
        log(LogLevel.WARN, peer + " still runs the resource groups this node prefers " + settings.requestDelay().toSeconds()
                + " s after our claim (heartbeat leaves both running): asking it to stand by for them (hb_takeover local)");
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_TAKEOVER).add(F_RESOURCES, ResourceSet.LOCAL.wireName()).build());
    }

    /** The peer claims the groups we prefer while we claim and run some of them too. */
    private boolean peerRunsOurGroups() {
        return peerClaimed.includes(ResourceSet.FOREIGN) && claimed.includes(ResourceSet.LOCAL)
                && groups(ResourceSet.LOCAL).stream().anyMatch(GroupRunner::isHeld);
    }

    /** ask_for_resources: the standby handshake. */
    private void askForResources(HbMessage m, boolean fromMe) {
        if (!nice) {
            log(LogLevel.INFO, "Standby mode only implemented when nice_failback on");
            return;
        }
        if (phase == Phase.SHUTDOWN) return;
        String info = m.string(F_COMMENT).orElse(null);
        String from = fromMe ? me : peer;
        ResourceSet rtype = m.string(F_RESOURCES).map(s -> ResourceSet.fromWire(s).orElseGet(() -> {
            log(LogLevel.ERROR, "encode_resources: bad resource type [" + s + "]");
            return ResourceSet.NONE;
        })).orElse(ResourceSet.ALL);
        if (info == null) {
            log(LogLevel.ERROR, "Received standby message without info/from");
            return;
        }
        if (standbyDeadline != NEVER && now < standbyDeadline && info.equalsIgnoreCase("me")) {
            long secsLeft = (standbyDeadline - now + 999_999_999L) / 1_000_000_000L;
            log(LogLevel.WARN, "Standby in progress- new request from " + from + " ignored [" + secsLeft + " seconds left]");
            return;
        }
        Standby original = standby;
        boolean ignored = false;
        switch (standby) {
            case NOT:
                if (!peerStable) {
                    log(LogLevel.WARN, "standby message [" + info + "] from " + from + " ignored.  Other side is in flux.");
                    return;
                }
                if (phase != Phase.STABLE) {
                    log(LogLevel.WARN, "standby message [" + info + "] from " + from + " ignored.  local resources in flux.");
                    return;
                }
                standbySet = rtype;
                if (info.equalsIgnoreCase("me")) {
                    peerStable = false;
                    log(LogLevel.INFO, from + " wants to go standby [" + rtype.wireName() + "]");
                    if (fromMe) {
                        standbyDeadline = now + settings.standbyReplyTimeout().toNanos();
                        standby = Standby.ME;
                    } else {
                        standby = Standby.OTHER;
                        sendStandbyMsg("other");
                        // Vigil: until the requester answers (its "resource info=standby" comes at once),
                        // wait only as long as it waits for our "other"; if that was lost it has given up.
                        standbyDeadline = now + settings.standbyReplyTimeout().toNanos();
                    }
                } else {
                    ignored = true;
                }
                break;
            case ME:
                if (!fromMe) {
                    standbySet = rtype;
                    standbyDeadline = now + settings.standbyTimeout().toNanos();
                    if (info.equalsIgnoreCase("other")) {
                        log(LogLevel.INFO, "standby: " + from + " can take our " + rtype.wireName() + " resources");
                        goStandby(true, rtype);
                    } else {
                        ignored = true;
                    }
                } else if (info.equalsIgnoreCase("done")) {
                    log(LogLevel.INFO, "Local standby process completed [" + rtype.wireName() + "].");
                    standby = Standby.DONE;
                    requesterWaitingForDone = true;
                    claimed = claimed.minus(standbySet);
                    standbyDeadline = now + settings.standbyTimeout().toNanos();
                } else {
                    ignored = true;
                }
                break;
            case OTHER:
                standbySet = rtype;
                if (info.equalsIgnoreCase("done")) {
                    standbyDeadline = now + settings.standbyTimeout().toNanos();
                    if (!fromMe) {
                        log(LogLevel.INFO, "standby: acquire [" + rtype.wireName() + "] resources from " + from);
                        goStandby(false, standbySet);
                        standby = Standby.DONE;
                        requesterWaitingForDone = false;
                    } else {
                        ignored = true;
                    }
                } else if (!fromMe || !info.equalsIgnoreCase("other")) {
                    ignored = true;
                }
                break;
            case DONE:
            default:
                standbySet = rtype;
                if (info.equals("done")) {
                    standbyDeadline = NEVER;
                    standby = Standby.NOT;
                    failbackRequested = false;
                    requesterWaitingForDone = false;
                    if (fromMe) {
                        log(LogLevel.INFO, "Standby resource acquisition done [" + rtype.wireName() + "].");
                        // The requester gave up S; we (the taker) now hold S seen from our side.
                        claimed = claimed.plus(rtype == ResourceSet.ALL ? ResourceSet.ALL : rtype.seenFromPeer());
                    } else {
                        log(LogLevel.INFO, "Other node completed standby takeover of " + rtype.wireName() + " resources.");
                    }
                    sendResourcesHeld(true, null);
                } else {
                    ignored = true;
                }
                break;
        }
        if (ignored) {
            log(LogLevel.ERROR, "Ignored standby message '" + info + "' from " + from + " in state " + original.ordinal());
        }
        shutdownIfNeeded();
    }

    /** rc.d/hb_takeover: the peer wants our groups, so we go standby for the complementary set. */
    private void onTakeoverRequest(HbMessage m) {
        String hold = m.string(F_RESOURCES).orElse("");
        ResourceSet mine;
        switch (hold) {
            case "local":
                mine = ResourceSet.FOREIGN;
                break;
            case "foreign":
                mine = ResourceSet.LOCAL;
                break;
            default:
                mine = ResourceSet.ALL; // "all", and hb_standby with an empty argument for anything else
                break;
        }
        standbyCommand(mine);
    }

    /** rc.d/ip-request: give the group up if we run it, then answer. */
    private void onIpRequest(HbMessage m) {
        String key = m.string(F_IPADDR).orElse(null);
        if (key == null) return;
        String requester = peer;
        GroupRunner r = runners.get(key);
        if (r != null && r.isHeld()) {
            r.release();
            addJob("ip-request " + key, List.of(r), t -> {
                if (r.state() == GroupState.FAILED) {
                    // rc.d/ip-request-resp takes the group only on ok=OK; it may still run here
                    log(LogLevel.CRIT, "Not handing " + key + " to " + requester + ": it failed to stop here");
                    sendIpRequestResp(requester, key, true, "NO");
                } else {
                    sendIpRequestResp(requester, key, true);
                }
            });
        } else {
            sendIpRequestResp(requester, key, false);
        }
    }

    /** rc.d/ip-request-resp: the holder let go (or never had it); take the group. */
    private void onIpRequestResp(HbMessage m) {
        if (!m.dest().map(me::equals).orElse(false)) return;
        String key = m.string(F_IPADDR).orElse(null);
        String ok = m.string(F_OK).orElse("");
        if (key == null || shuttingDown) return;
        log(LogLevel.INFO, "received ip-request-resp " + key + " " + ok + " " + m.string(F_WEOWN).orElse(""));
        GroupRunner r = runners.get(key);
        if (ok.equals("OK") && r != null) {
            r.acquire();
            addJob("ip-request-resp " + key, List.of(r), t -> { });
        }
    }

    /** HBDoMsg_T_SHUTDONE from the peer: it let go of everything. */
    private void onPeerShutdone() {
        if (commUp) processResources(T_SHUTDONE, null, true);
        peerHasResources = false;
        peerStable = false;
        peerClaimed = ResourceSet.NONE;
        log(LogLevel.INFO, "Received shutdown notice from '" + peer + "'.");
        takeoverFromNode();
    }

    // ------------------------------------------------------------------ heartbeat's resource actions

    /** hb_rsc_recover_dead_resources. */
    private void recoverDeadResources() {
        boolean heard = peerHeard;
        peerHeard = false;
        if (standby != Standby.NOT) {
            log(LogLevel.INFO, "Cancelling pending standby operation");
            standby = Standby.NOT;
            failbackRequested = false;
            requesterWaitingForDone = false;
            standbyDeadline = NEVER;
            if (!peerStable && claimed == ResourceSet.ALL) peerStable = true;
            shutdownIfNeeded();
        }
        if (shuttingDown) return;
        failbackNeeded = true;
        boolean needStonith = true;
        if (heard) {
            needStonith = nice ? peerClaimed != ResourceSet.NONE : peerHasResources;
        }
        if (needStonith) {
            sendStonith("n_stnth");
            log(LogLevel.WARN, "No STONITH device configured.");
            log(LogLevel.WARN, "Shared disks are not protected.");
            takeoverFromNode();
        } else {
            log(LogLevel.INFO, "Dead node " + peer + " gave up resources.");
            sendStonith("unneeded");
            if (nice) {
                if (claimed == ResourceSet.ALL) {
                    peerStable = true;
                    return;
                }
                if (!claimed.includes(ResourceSet.LOCAL)) reqOurResources(true);
                if (!claimed.includes(ResourceSet.FOREIGN)) takeoverFromNode();
            } else {
                takeoverFromNode();
            }
        }
    }

    /** takeover_from_node plus the mach_down script it triggers. */
    private void takeoverFromNode() {
        if (shuttingDown) {
            log(LogLevel.INFO, "Resource takeover cancelled - shutdown in progress.");
            shutdownIfNeeded();
            return;
        }
        log(LogLevel.INFO, "Resources being acquired from " + peer + ".");
        List<GroupRunner> theirs = groups(ResourceSet.FOREIGN);
        for (GroupRunner r : theirs) {
            log(LogLevel.INFO, "Taking over resource group " + r.key());
            r.acquire();
        }
        addJob("mach_down", theirs, t -> {
            if (nice) {
                log(LogLevel.INFO, "/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired");
                broadcast(HbMessage.builder().add(HbMessage.TYPE, T_RESOURCES).add(F_RESOURCES, ResourceSet.FOREIGN.wireName())
                        .add(F_COMMENT, "mach_down").build());
            }
            log(LogLevel.INFO, "mach_down takeover complete for node " + peer + ".");
        });
        if (nice) {
            // Claimed now, so a peer coming back cannot think our interim resource message leaves them free.
            claimed = claimed.plus(ResourceSet.FOREIGN);
            peerClaimed = ResourceSet.NONE;
            peerStable = true;
            takeoverInProgress = true;
        }
        reqOurResources(true);
        peerHeard = true;
    }

    /** req_our_resources plus the req_resource script it runs per group. */
    private void reqOurResources(boolean getThemAnyway) {
        if (shuttingDown) return;
        if (nice) {
            if ((peerClaimed.includes(ResourceSet.FOREIGN) || claimed.includes(ResourceSet.LOCAL)) && !getThemAnyway
                    && standby == Standby.NOT) {
                log(LogLevel.INFO, "Local Resource acquisition completed. (none)");
                return;
            }
            claimed = claimed.plus(ResourceSet.LOCAL);
        }
        // heartbeat counts nodes whose status reads "active"; a restarted node that has heard only an
        // ACK from its peer so far would think itself alone and take a group the peer still runs.
        // Comm-up means every node was heard or declared dead, so "alone" is "the peer is dead".
        boolean alone = peerStatus == NodeStatus.DEAD;
        List<GroupRunner> ours = groups(ResourceSet.LOCAL);
        List<GroupRunner> waitFor = new ArrayList<>();
        for (GroupRunner r : ours) {
            if (r.isHeld()) continue; // req_resource: "Do we already have this resource?"
            if (nice || alone) {
                // HA_DONTASK: "Pretend the current owner gave it up peacefully"
                sendIpRequestResp(me, r.key(), true);
                r.acquire();
                waitFor.add(r);
            } else {
                broadcast(HbMessage.builder().add(HbMessage.TYPE, T_IPREQUEST).add(F_IPADDR, r.key()).build());
            }
        }
        // heartbeat's child announces "req_our_resources()" as soon as it has asked for the groups,
        // before they run; Vigil announces once they are up, so "stable" means what it says.
        addJob("req_our_resources", waitFor, t -> {
            if (ours.isEmpty()) {
                log(LogLevel.INFO, "No local resources [" + RSC_MGR + " listkeys " + me + "] to acquire.");
            } else {
                log(LogLevel.INFO, "Local Resource acquisition completed.");
            }
            sendResourcesHeld(true, "req_our_resources()");
        });
    }

    /** go_standby: release (we are the requester) or acquire (we are the taker) a set of groups. */
    private void goStandby(boolean requester, ResourceSet set) {
        ResourceSet heldBefore = claimed;
        if (requester) {
            peerStable = false;
            claimed = claimed.minus(set);
            sendResourcesHeld(false, "standby");
        }
        ResourceSet act;
        switch (set) {
            case FOREIGN:
                act = requester ? ResourceSet.FOREIGN : ResourceSet.LOCAL;
                break;
            case LOCAL:
                act = requester ? ResourceSet.LOCAL : ResourceSet.FOREIGN;
                break;
            case ALL:
                act = ResourceSet.ALL;
                break;
            default:
                log(LogLevel.ERROR, "no resources to " + (requester ? "give up" : "acquire"));
                return;
        }
        List<GroupRunner> affected = groups(act);
        log(LogLevel.INFO, (requester ? "give up " : "acquire ") + act.wireName() + " HA resources (standby).");
        for (GroupRunner r : affected) {
            if (requester) {
                r.release();
            } else {
                r.acquire();
            }
        }
        addJob("go_standby", affected, t -> {
            if (requester && !noneFailed(affected)) {
                abortStandby(ResourceSet.ofBits(heldBefore.bits() & set.bits()), affected);
                return;
            }
            log(LogLevel.INFO, act.wireName() + " HA resource " + (requester ? "release" : "acquisition") + " completed (standby).");
            sendStandbyMsg("done");
        });
    }

    /**
     * Vigil: a group of the standby set failed to stop. Telling the peer "done" would make it start
     * a group that may still run here, so keep claiming the set, restart what did stop, and leave the
     * peer to time out its side of the handshake.
     */
    private void abortStandby(ResourceSet wasHeld, List<GroupRunner> affected) {
        log(LogLevel.CRIT, "Standby aborted: a resource group failed to stop; not telling " + peer + " to take over");
        claimed = claimed.plus(wasHeld);
        standby = Standby.NOT;
        standbyDeadline = NEVER;
        peerStable = true; // it waits in its half of the handshake; nothing of ours is in flux any more
        List<GroupRunner> restart = new ArrayList<>();
        for (GroupRunner r : affected) {
            if (r.state() != GroupState.FAILED) {
                r.acquire();
                restart.add(r);
            }
        }
        addJob("standby abort", restart, t -> sendResourcesHeld(true, null));
    }

    /** PerformAutoFailback: hand the peer's groups back once it is stable. */
    private void performAutoFailback() {
        if (shuttingDown || !claimed.includes(ResourceSet.FOREIGN) || !failbackNeeded || !auto) {
            failbackNeeded = false;
            shutdownIfNeeded();
            return;
        }
        if (standby != Standby.NOT || !peerStable || phase != Phase.STABLE) {
            log(LogLevel.DEBUG, "Auto failback delayed.");
            autoFailbackRetryAt = now + 1_000_000_000L;
            return;
        }
        standbySet = ResourceSet.FOREIGN;
        sendStandbyMsg("me");
        failbackNeeded = false;
        failbackRequested = true;
    }

    /** What hb_standby writes into the FIFO: {@code ask_resources rsc_hold=S info=me}. */
    private void standbyCommand(ResourceSet set) {
        log(LogLevel.INFO, "Going standby [" + set.wireName() + "].");
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_ASKRESOURCES).add(F_RESOURCES, set.wireName()).add(F_COMMENT, "me").build());
    }

    /** hb_giveup_resources. */
    private void giveUpResources() {
        if (shuttingDown) return;
        // hb_rsc_isstable's special case: a shutdown before the startup handshake need not wait for it.
        boolean mayProceed = isStable() || (nice && phase == Phase.INIT && noWorkInFlight());
        if (!mayProceed) {
            if (!shutdownRequested) {
                log(LogLevel.WARN, "Shutdown delayed until current resource activity finishes.");
                shutdownRequested = true;
            }
            return;
        }
        shutdownRequested = false;
        shuttingDown = true;
        claimed = ResourceSet.NONE;
        phase = Phase.SHUTDOWN;
        stableDeadline = NEVER;
        if (nice) sendResourcesHeld(false, "shutdown");
        log(LogLevel.INFO, "Heartbeat shutdown in progress.");
        log(LogLevel.INFO, "Giving up all HA resources.");
        List<GroupRunner> all = new ArrayList<>(runners.values());
        for (GroupRunner r : all) r.release();
        addJob("shutdown", all, t -> {
            if (!noneFailed()) {
                // Vigil: shutdone makes the peer take over everything, including a group that may still run here.
                shutdownBlocked = true;
                log(LogLevel.CRIT, "Shutdown blocked: a resource group failed to stop and may still run; not sending "
                        + T_SHUTDONE + " so " + peer + " will not start it. Clear it to finish the shutdown.");
                return;
            }
            finishShutdown();
        });
    }

    private void finishShutdown() {
        log(LogLevel.INFO, "All HA resources relinquished.");
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_SHUTDONE).add(HbMessage.STATUS, NodeStatus.DEAD.wireName()).build());
        shutdownComplete = true;
        out.add(new RmAction.ShutdownComplete());
    }

    private void shutdownIfNeeded() {
        if (shutdownRequested) giveUpResources();
    }

    /** AuditResources: log duplicated or orphaned resources. */
    private void auditResources() {
        if (!nice) return;
        if (claimed.includes(ResourceSet.LOCAL) && peerClaimed.includes(ResourceSet.FOREIGN)) {
            log(LogLevel.ERROR, "Both machines own our resources!");
        }
        if (peerClaimed.includes(ResourceSet.LOCAL) && claimed.includes(ResourceSet.FOREIGN)) {
            log(LogLevel.ERROR, "Both machines own foreign resources!");
        }
        if (isStable() && !shuttingDown && phase != Phase.SHUTDOWN) {
            if (!claimed.includes(ResourceSet.LOCAL) && !peerClaimed.includes(ResourceSet.FOREIGN)) {
                log(LogLevel.ERROR, "No one owns our local resources!");
                if (phase == Phase.STABLE && peerStatus == NodeStatus.ACTIVE && !groups(ResourceSet.LOCAL).isEmpty()) {
                    // Vigil: heartbeat only logs this. It happens when the peer saw a partition we did
                    // not (it gave our groups back and renegotiates, we never asked): take them.
                    log(LogLevel.WARN, "Taking our own resource groups, which nobody holds.");
                    reqOurResources(true);
                }
            }
            if (!peerClaimed.includes(ResourceSet.LOCAL) && !claimed.includes(ResourceSet.FOREIGN)) {
                log(LogLevel.ERROR, "No one owns foreign resources!");
            }
        }
    }

    /** hb_rsc_isstable. */
    private boolean isStable() {
        if (!noWorkInFlight()) return false;
        if (!nice) return true;
        return peerStable && !takeoverInProgress && standby == Standby.NOT && standbyDeadline == NEVER
                && (phase == Phase.STABLE || phase == Phase.SHUTDOWN || phase == Phase.INIT);
    }

    private boolean noWorkInFlight() {
        if (!jobs.isEmpty()) return false;
        for (GroupRunner r : runners.values()) {
            if (!r.settled() || r.state() == GroupState.FAILED) return false;
        }
        return true;
    }

    /**
     * What {@code rscstatus} reports. In the nice_failback modes that is heartbeat's claim; in legacy
     * heartbeat never tracks holdings and always reports {@code none}, Vigil reports what runs.
     */
    private ResourceSet holdings() {
        if (nice) return claimed;
        ResourceSet held = ResourceSet.NONE;
        for (GroupRunner r : runners.values()) {
            if (r.state() == GroupState.RUNNING) held = held.plus(isLocal(r) ? ResourceSet.LOCAL : ResourceSet.FOREIGN);
        }
        return held;
    }

    // ------------------------------------------------------------------ messages

    /** hb_send_resources_held. */
    private void sendResourcesHeld(boolean stable, String comment) {
        if (!nice) return;
        HbMessage.Builder b = HbMessage.builder().add(HbMessage.TYPE, T_RESOURCES).add(F_RESOURCES, claimed.wireName())
                .add(F_RTYPE, "full").add(F_ISSTABLE, stable ? "1" : "0");
        if (comment != null) b.add(F_COMMENT, comment);
        broadcast(b.build());
    }

    private void sendStandbyMsg(String state) {
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_ASKRESOURCES).add(F_RESOURCES, standbySet.wireName())
                .add(F_COMMENT, state).build());
    }

    /**
     * {@code starting} asks the peer for its resource report. Vigil: asked again every RQSTDELAY
     * while none came; membership gives up on a message lost for longer than the dead interval, and
     * heartbeat has no timeout in this phase, so a lost answer would leave us in transition for good.
     */
    private void sendStarting() {
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_STARTING).build());
        startingRetryAt = now + settings.requestDelay().toNanos();
    }

    /**
     * Starting and waiting for the peer's resource report, or stable while the peer said it is not
     * (its "starting" or an isstable=0 report) and no standby is under way: both end only with a
     * message from the peer.
     */
    private boolean awaitingReport() {
        if (phase == Phase.STARTING || phase == Phase.BOTH_STARTING) return true;
        return phase == Phase.STABLE && !peerStable && standby == Standby.NOT && standbyDeadline == NEVER && !takeoverInProgress
                && peerStatus.isAlive();
    }

    private void sendStonith(String result) {
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_STONITH).add(F_NODE, peer).add(F_APIRESULT, result).build());
    }

    private void sendIpRequestResp(String dest, String key, boolean weown) {
        sendIpRequestResp(dest, key, weown, "OK");
    }

    private void sendIpRequestResp(String dest, String key, boolean weown, String ok) {
        broadcast(HbMessage.builder().add(HbMessage.TYPE, T_IPREQUEST_RESP).add(HbMessage.DEST, dest).add(F_IPADDR, key)
                .add(F_WEOWN, weown ? "yes" : "no").add(F_OK, ok).build());
    }

    /** Sends, and like heartbeat's loopback hears our own resource-protocol messages. */
    private void broadcast(HbMessage body) {
        out.add(new RmAction.Broadcast(body));
        String type = body.type().orElse("");
        if (type.equals(T_RESOURCES) || type.equals(T_ASKRESOURCES) || type.equals(T_SHUTDONE)) ownMessages.add(body);
    }

    private void onOwnMessage(HbMessage m) {
        if (!commUp) {
            // heartbeat's handlers exist from comm-up on; with real process timing our own messages of
            // the start-up work (a takeover at initdead) reach them after it, so hold them until then.
            ownBeforeCommUp.add(m);
            return;
        }
        String type = m.type().orElse("");
        switch (type) {
            case T_RESOURCES:
            case T_SHUTDONE:
                processResources(type, m, false);
                break;
            case T_ASKRESOURCES:
                askForResources(m, true);
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static final class Job {
        final String name;
        final List<GroupRunner> groups;
        final LongConsumer onDone;

        Job(String name, List<GroupRunner> groups, LongConsumer onDone) {
            this.name = name;
            this.groups = List.copyOf(groups);
            this.onDone = onDone;
        }
    }

    private void addJob(String name, List<GroupRunner> groups, LongConsumer onDone) {
        jobs.add(new Job(name, groups, onDone));
    }

    /** Runs own messages and finished jobs until nothing moves, then reports rscstatus changes. */
    private List<RmAction> finish() {
        boolean moved = true;
        while (moved) {
            moved = false;
            while (!ownMessages.isEmpty()) {
                onOwnMessage(ownMessages.poll());
                moved = true;
            }
            for (GroupRunner r : runners.values()) {
                if (r.startFailed && r.settled()) {
                    r.startFailed = false;
                    failedStartStandbyAt.put(r.key(), now + settings.failedStartStandbyDelay().toNanos());
                }
            }
            for (Job j : new ArrayList<>(jobs)) {
                boolean done = true;
                for (GroupRunner r : j.groups) done &= r.settled();
                if (done) {
                    jobs.remove(j);
                    j.onDone.accept(now);
                    moved = true;
                }
            }
        }
        String status = rscStatus();
        if (!status.equals(reportedStatus)) {
            out.add(new RmAction.RscStatusChanged(reportedStatus, status));
            reportedStatus = status;
        }
        List<RmAction> result = out;
        out = new ArrayList<>();
        return Collections.unmodifiableList(result);
    }

    private List<GroupRunner> groups(ResourceSet set) {
        List<GroupRunner> out = new ArrayList<>();
        for (GroupRunner r : runners.values()) {
            if (isLocal(r) ? set.includes(ResourceSet.LOCAL) : set.includes(ResourceSet.FOREIGN)) out.add(r);
        }
        return out;
    }

    private boolean isLocal(GroupRunner r) {
        return r.group.preferredNode().equals(me);
    }

    private boolean noneFailed() {
        return noneFailed(runners.values());
    }

    private static boolean noneFailed(Iterable<GroupRunner> rs) {
        for (GroupRunner r : rs) {
            if (r.state() == GroupState.FAILED) return false;
        }
        return true;
    }

    private void log(LogLevel level, String text) {
        out.add(new RmAction.Log(level, text));
    }
}
