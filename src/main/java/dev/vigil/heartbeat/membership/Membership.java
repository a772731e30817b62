package dev.vigil.heartbeat.membership;

import dev.vigil.heartbeat.wire.HbField;
import dev.vigil.heartbeat.wire.HbMessage;
import dev.vigil.heartbeat.wire.HbValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Heartbeat's membership layer, as a pure state machine: our status and keepalives, the liveness of
 * every peer and of every medium towards it, generations, sequence numbers, ACKs and
 * retransmission, the {@code reqnodes}/{@code repnodes} join exchange (research heartbeat.md §1.4,
 * §1.5, §3; {@code heartbeat.c}, {@code hb_rexmit.c}).
 *
 * <pre>
 *  our status (set_local_status)
 *
 *    init --start()--> up --every peer heard from or dead, then reqnodes/repnodes--> active
 *                          (no live peer, or a peer without `protocol`: active at once)
 *
 *  a peer (mark_node_dead, HBDoMsg_T_STATUS, should_drop_message)
 *
 *          status st=init|up|active                     no status for its dead interval
 *    init ------------------------> init/up/active -----------------------------------> dead
 *     ^  (dead interval = initdead until comm is up,    ^   |                            |
 *     |   then the dt the peer advertises)             |   +--higher hg: "Heartbeat     |
 *     |                                                |      restart on node X" -------+--> init
 *     |                                                +--same hg, newer status:        |
 *     |                                                   "returning after partition" --+
 *
 *  a link = one medium towards one peer: dead --any packet on it--> up --silent for the peer's dead interval--> dead
 * </pre>
 *
 * <p>Every entry point takes the monotonic time and returns {@link MembershipAction}s for the glue
 * to perform in order. Time-driven work happens in {@link #tick}; the glue calls it at
 * {@link #nextDeadlineNanos()}. One deadline instead of set/cancel-timer actions: there are many
 * timers (keepalive, one per peer and per link, one per missing packet, the join retry), and a
 * single "wake me at" value means the glue keeps one timer, never cancels, and cannot run a stale
 * callback; calling {@code tick} early or twice does nothing.
 *
 * <p>Not thread-safe: the glue calls it from one thread (the event loop).
 */
public final class Membership {
    static final String T_STATUS = "status";
    static final String T_ACK = "NS_ackmsg";
    static final String T_REXMIT = "NS_rexmit";
    static final String T_NAK_REXMIT = "NS_nak_rexmit";
    static final String T_REQNODES = "reqnodes";
    static final String T_REPNODES = "repnodes";
    static final String NOSEQ_PREFIX = "NS_";
    static final String F_ACKSEQ = "ackseq";
    static final String F_FIRSTSEQ = "firstseq";
    static final String F_LASTSEQ = "lastseq";
    static final String F_INFO = "info";
    static final String F_NODELIST = "nodelist";
    static final String F_DELNODELIST = "delnodelist";

    /** {@code ACK_MSG_DIV}: a peer's message is ACKed when {@code seq % 10} equals that peer's trigger. */
    static final int ACK_DIVISOR = 10;
    /** {@code FLOWCONTROL_LIMIT} = MAXMSGHIST/2: a bigger gap is not worth asking for. */
    static final long GAP_LIMIT = TransmitHistory.CAPACITY / 2;
    /** {@code MAX_REXMIT_BATCH}: retransmissions per request, so a serial link is not flooded. */
    static final int MAX_REXMIT_BATCH = 50;
    /** {@code hb_add_deadtime(2000)} at start, popped after 5 s ({@code master_control_process}). */
    static final long DEADTIME_BOOST_MS = 2000;
    static final long DEADTIME_BOOST_NANOS = 5_000_000_000L;
    /** {@code send_reqnodes_msg} repeats every second until a {@code repnodes} arrives. */
    static final long REQNODES_RETRY_NANOS = 1_000_000_000L;

    private static final long NEVER = Long.MAX_VALUE;
    private static final long MS = 1_000_000L;

    private enum Comm {
        /** Waiting to hear from every node, or for initdead to declare the silent ones dead. */
        STARTING,
        /** Everyone heard or dead ({@code COMM_LINKSUP}); asking a peer for the node list. */
        AWAITING_NODE_LIST,
        /** {@code comm_now_up} done: we are active. */
        UP
    }

    private final MembershipSettings settings;
    private final RandomGenerator random;
    private final HostProbe host;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final TransmitHistory history = new TransmitHistory();
    private final int selfAckTrigger;
    private final long keepaliveNanos;

    private List<MembershipAction> out = new ArrayList<>();
    private boolean started;
    private NodeStatus localStatus = NodeStatus.INIT;
    private Comm comm = Comm.STARTING;
    private long nextSeq = 1;
    private long advertisedDeadtimeMs;
    private long deadtimeBoostEnds = NEVER;
    private long nextKeepalive = NEVER;
    private long nextReqnodes = NEVER;
    private boolean flowControl = true;

    /** How often the replay line may be logged per peer (keepalived's and Vigil's repeat window). */
    private static final long REPLAY_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private long replaysDropped;

    /**
     * @param random draws each node's ACK trigger and the retransmission-request delays; seed it for
     *     a reproducible run
     */
    public Membership(MembershipSettings settings, RandomGenerator random, HostProbe host) {
        this.settings = Objects.requireNonNull(settings);
        this.random = Objects.requireNonNull(random);
        this.host = Objects.requireNonNull(host);
        this.keepaliveNanos = settings.keepalive().toNanos();
        this.advertisedDeadtimeMs = settings.deadtime().toMillis();
        this.selfAckTrigger = random.nextInt(ACK_DIVISOR);
        for (String name : settings.peers()) {
            Peer p = new Peer(name, random.nextInt(ACK_DIVISOR), settings.deadtime().toMillis());
            p.uuid = settings.knownUuids().get(name);
            for (String link : settings.links()) p.links.put(link, new PeerLink());
            peers.put(name, p);
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Starts the node: asks for the generation to be persisted, sends {@code st=init} and
     * {@code st=up} twice with {@code dt} = deadtime + 2 s, and starts the timers (research §1.5:
     * "st=init, then up ×2").
     */
    public List<MembershipAction> start(long nowNanos) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        out.add(new MembershipAction.PersistGeneration(settings.generation()));
        log(LogLevel.INFO, "Heartbeat generation: " + settings.generation());
        for (Peer p : peers.values()) {
            p.lastStatusNanos = nowNanos;
            for (PeerLink l : p.links.values()) l.lastHeardNanos = nowNanos;
        }
        // hb_add_deadtime(2000) sends the still-"init" status, set_local_status(up) another, then one more.
        advertisedDeadtimeMs = settings.deadtime().toMillis() + DEADTIME_BOOST_MS;
        deadtimeBoostEnds = nowNanos + DEADTIME_BOOST_NANOS;
        sendStatus(nowNanos);
        setLocalStatus(NodeStatus.UP, nowNanos);
        sendStatus(nowNanos);
        nextKeepalive = nowNanos + keepaliveNanos;
        checkCommUp(nowNanos);
        return drainOut();
    }

    /**
     * An authenticated message (the glue decoded and verified it with the codec) that arrived on the
     * medium named {@code link}. The same message normally arrives once per medium: the first copy
     * is processed, later ones only prove their link alive.
     */
    public List<MembershipAction> received(HbMessage message, String link, long nowNanos) {
        if (started && message != null) onMessage(message, link, nowNanos);
        return drainOut();
    }

    /** Does whatever is due: keepalives, dead peers and links, retransmission requests, join retries. */
    public List<MembershipAction> tick(long nowNanos) {
        if (!started) return drainOut();
        Comm before = comm;
        checkTimeouts(nowNanos);
        if (comm == Comm.AWAITING_NODE_LIST && nowNanos >= nextReqnodes) sendReqnodes(nowNanos);
        if (nowNanos >= deadtimeBoostEnds) {
            // hb_pop_deadtime: back to the configured deadtime, and say so at once.
            deadtimeBoostEnds = NEVER;
            advertisedDeadtimeMs = settings.deadtime().toMillis();
            sendStatus(nowNanos);
        }
        if (nowNanos >= nextKeepalive) {
            sendStatus(nowNanos);
            nextKeepalive += keepaliveNanos;
            // After a stall send one status, not a burst of missed ones.
            if (nextKeepalive <= nowNanos) nextKeepalive = nowNanos + keepaliveNanos;
        }
        checkCommUp(nowNanos);
        // Comm coming up shortens every peer's interval from initdead to its deadtime: a peer last heard
        // longer ago than that is overdue at once, so it is judged in this tick, not left in the past
        // (found by MembershipPropertiesTest, seed -609492529388110539).
        if (comm != before) checkTimeouts(nowNanos);
        return drainOut();
    }

    /** check_for_timeouts: dead peers, dead links, and gaps not worth waiting for. */
    private void checkTimeouts(long nowNanos) {
        for (Peer p : peers.values()) {
            if (p.status != NodeStatus.DEAD && nowNanos >= p.lastStatusNanos + intervalNanos(p)) markDead(p);
        }
        for (Peer p : peers.values()) {
            for (Map.Entry<String, PeerLink> e : p.links.entrySet()) {
                PeerLink l = e.getValue();
                if (l.status == LinkStatus.UP && nowNanos >= l.lastHeardNanos + intervalNanos(p)) {
                    l.status = LinkStatus.DEAD;
                    log(LogLevel.INFO, "Link " + p.name + ":" + e.getKey() + " dead.");
                    out.add(new MembershipAction.LinkStatusChanged(p.name, e.getKey(), false));
                }
            }
        }
        for (Peer p : peers.values()) retransmissionWork(p, nowNanos);
    }

    /**
     * Sends a message of the resource layer (or an admin command) to the cluster: appends the
     * standard fields in heartbeat's order ({@code src, srcuuid, seq, hg, ts, ld, ttl};
     * {@code NS_*} types get no {@code seq} and no {@code ld}) and a {@code destuuid} after a
     * {@code dest} we know ({@code ha_msg_internal.c:add_control_msg_fields}), keeps it for
     * retransmission and returns the {@link MembershipAction.Broadcast}.
     *
     * @throws IllegalArgumentException when the message has no {@code t} field
     */
    public List<MembershipAction> send(HbMessage body, long nowNanos) {
        Objects.requireNonNull(body);
        if (body.type().isEmpty()) throw new IllegalArgumentException("message has no type: " + body);
        emit(body, nowNanos);
        return drainOut();
    }

    /** When {@link #tick} has something to do next; {@link Long#MAX_VALUE} before {@link #start}. */
    public long nextDeadlineNanos() {
        if (!started) return NEVER;
        long d = Math.min(nextKeepalive, deadtimeBoostEnds);
        if (comm == Comm.AWAITING_NODE_LIST) d = Math.min(d, nextReqnodes);
        for (Peer p : peers.values()) {
            long interval = intervalNanos(p);
            if (p.status != NodeStatus.DEAD) d = Math.min(d, p.lastStatusNanos + interval);
            for (PeerLink l : p.links.values()) {
                if (l.status == LinkStatus.UP) d = Math.min(d, l.lastHeardNanos + interval);
            }
            for (long since : p.seq.missingSince.values()) d = Math.min(d, since + interval);
            if (p.status.isAlive()) {
                for (long due : p.seq.rexmitDue.values()) d = Math.min(d, due);
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ queries (cl_status)

    public MembershipSettings settings() {
        return settings;
    }

    /** Our own status: {@code cl_status nodestatus <us>}. */
    public NodeStatus localStatus() {
        return localStatus;
    }

    public boolean isCommUp() {
        return comm == Comm.UP;
    }

    /** {@code cl_status nodestatus <node>}; empty for a node not in the configuration. */
    public Optional<NodeStatus> nodeStatus(String node) {
        String n = lower(node);
        if (settings.localNode().equals(n)) return Optional.of(localStatus);
        Peer p = peers.get(n);
        return p == null ? Optional.empty() : Optional.of(p.status);
    }

    /** {@code cl_status listhblinks <node>}: the media names; empty for an unknown node. */
    public List<String> links(String node) {
        String n = lower(node);
        if (!settings.nodes().contains(n)) return List.of();
        return settings.links();
    }

    /**
     * {@code cl_status hblinkstatus <node> <link>}. Our own links read {@code up} once we send on
     * them (heartbeat hears its own broadcasts; on a serial line it would say {@code dead}).
     */
    public Optional<LinkStatus> linkStatus(String node, String link) {
        String n = lower(node);
        if (settings.localNode().equals(n)) {
            return settings.links().contains(link) ? Optional.of(started ? LinkStatus.UP : LinkStatus.DEAD) : Optional.empty();
        }
        Peer p = peers.get(n);
        if (p == null || !p.links.containsKey(link)) return Optional.empty();
        return Optional.of(p.links.get(link).status);
    }

    /** The dead interval we use for a peer: the {@code dt} it last advertised, else our deadtime. */
    public Optional<Duration> peerDeadtime(String node) {
        Peer p = peers.get(lower(node));
        return p == null ? Optional.empty() : Optional.of(Duration.ofMillis(p.deadIntervalMs));
    }

    /** The generation a peer is running, 0 before we heard it. */
    /** Packets of a peer's earlier generation dropped as replays ({@code should_drop_message}). */
    public long replaysDropped() {
        return replaysDropped;
    }

    public long peerGeneration(String node) {
        Peer p = peers.get(lower(node));
        return p == null ? 0 : p.generation;
    }

    /** Sequence numbers of a peer's messages we are still asking for. */
    public List<Long> missingFrom(String node) {
        Peer p = peers.get(lower(node));
        return p == null ? List.of() : List.copyOf(p.seq.missingSince.keySet());
    }

    /** The last sequence number we used; 0 before the first message. */
    public long lastSequenceSent() {
        return nextSeq - 1;
    }

    // ------------------------------------------------------------------ receiving

    private enum Verdict {
        /** Ignore entirely (replay, bad fields, a message for someone else without sequence). */
        DROP,
        /** A copy of something already processed: it only proves its link alive. */
        DUPLICATE,
        /** Process it. */
        KEEP,
        /** Sequenced but addressed to another node ({@code should_drop_message} DROPIT after the seq work). */
        NOT_FOR_US
    }

    private void onMessage(HbMessage m, String link, long now) {
        String type = m.type().orElse(null);
        String from = m.src().map(Membership::lower).orElse(null);
        if (type == null || from == null || m.string(HbMessage.TIMESTAMP).isEmpty()) {
            log(LogLevel.ERROR, "process_clustermsg: missing from/ts/type: iface " + link + ", from " + (from == null ? "<?>" : from));
            return;
        }
        boolean noSeq = type.startsWith(NOSEQ_PREFIX);
        long seq = 0;
        if (m.has(HbMessage.SEQ)) {
            OptionalLong s = m.seq();
            if (s.isEmpty() || s.getAsLong() <= 0) {
                log(LogLevel.ERROR, "process_clustermsg: has bad cseq: iface " + link + ", from " + from);
                return;
            }
            seq = s.getAsLong();
        } else if (!noSeq) {
            log(LogLevel.ERROR, "process_clustermsg: missing seqno: iface " + link + ", from " + from);
            return;
        }
        OptionalLong msgtime = m.timestamp();
        if (msgtime.isEmpty() || msgtime.getAsLong() == 0) return;
        if (from.equals(settings.localNode())) return; // our own broadcast looped back
        Peer peer = peers.get(from);
        if (peer == null) {
            log(LogLevel.ERROR, "process_status_message: bad node [" + from + "] in message");
            return;
        }
        learnUuid(peer, m);

        Verdict verdict = classify(peer, m, type, seq, noSeq, now);
        switch (verdict) {
            case DROP:
                return;
            case DUPLICATE:
                refreshLink(peer, link, now);
                return;
            case NOT_FOR_US:
                deliverReady(peer);
                return;
            case KEEP:
            default:
                break;
        }
        refreshLink(peer, link, now);
        peer.anyPacketsYet = true;
        switch (type) {
            case T_STATUS:
                onStatus(peer, m, seq, msgtime.getAsLong(), now);
                break;
            case T_ACK:
                onAck(peer, m);
                break;
            case T_REXMIT:
                onRexmitRequest(peer, m, now);
                break;
            case T_REQNODES:
                answerReqnodes(peer, now);
                break;
            case T_REPNODES:
                onRepnodes(peer, m, now);
                break;
            default:
                if (!noSeq) peer.seq.hold(seq, m);
                break;
        }
        if (!noSeq) deliverReady(peer);
        checkCommUp(now);
    }

    /** heartbeat.c:should_drop_message, plus Vigil's ordered delivery bookkeeping. */
    private Verdict classify(Peer peer, HbMessage m, String type, long seq, boolean noSeq, long now) {
        String dest = m.dest().orElse(null);
        if (noSeq) {
            if (type.equals(T_NAK_REXMIT)) {
                onNak(peer, m, dest);
                return Verdict.DROP;
            }
            // A peer we declared dead must come back with a status first (see the partition case below).
            if (peer.status == NodeStatus.DEAD) return Verdict.DROP;
            return dest == null || dest.equals(settings.localNode()) ? Verdict.KEEP : Verdict.DROP;
        }
        long gen = 0;
        if (m.has(HbMessage.GENERATION)) {
            OptionalLong g = m.generation();
            if (g.isEmpty()) {
                log(LogLevel.ERROR, "should_drop_message: bad generation number");
                return Verdict.DROP;
            }
            gen = g.getAsLong();
        }
        boolean toUs = isToUs(m, dest);
        if (gen < peer.generation) {
            // heartbeat logs this line for every replayed packet; a flood of replays then becomes a flood of
            // synchronous log writes on the loop that also sends our heartbeats, and the peer declares us dead
            // (measured: HeartbeatHostileInputInteropTest). Vigil logs it once per REPLAY_LOG_INTERVAL per peer
            // with the count in between, and counts every drop (replaysDropped).
            replaysDropped++;
            if (peer.lastReplayLogNanos == Long.MIN_VALUE || now - peer.lastReplayLogNanos >= REPLAY_LOG_INTERVAL_NANOS) {
                log(LogLevel.ERROR, "should_drop_message: attempted replay attack [" + peer.name + "]? [gen = " + gen
                        + ", curgen = " + peer.generation + "]"
                        + (peer.replaysUnlogged > 0 ? " (" + peer.replaysUnlogged + " more dropped since the last report)" : ""));
                peer.lastReplayLogNanos = now;
                peer.replaysUnlogged = 0;
            } else {
                peer.replaysUnlogged++;
            }
            return Verdict.DROP;
        }
        boolean isStatus = type.equals(T_STATUS);
        if (gen > peer.generation) {
            // A new run of the peer: everything we tracked about the old one is void.
            long previous = peer.generation;
            endRun(peer);
            if (previous > 0) {
                log(LogLevel.INFO, "Heartbeat restart on node " + peer.name);
                out.add(new MembershipAction.PeerRestarted(peer.name, previous, gen));
            }
            peer.generation = gen;
            peer.heardStatusThisRun = false;
            peer.lastStatusSeq = 0;
            peer.lastStatusTs = 0;
            peer.ackedByPeer = 0;
        } else if (peer.status == NodeStatus.DEAD && peer.heardStatusThisRun) {
            // Same run, but we declared it dead. (A run whose first message was not a status is new to
            // us, not returning: heardStatusThisRun tells the two apart.) Only a status newer than its last one revives it;
            // anything else from it waits (heartbeat would act on it, half-dead).
            if (!isStatus || seq <= peer.lastStatusSeq) return Verdict.DROP;
            log(LogLevel.CRIT, "Cluster node " + peer.name + " returning after partition.");
            log(LogLevel.INFO, "For information on cluster partitions, See URL: http://linux-ha.org/wiki/Split_Brain");
            log(LogLevel.WARN, "Deadtime value may be too small.");
            log(LogLevel.INFO, "See FAQ for information on tuning deadtime.");
            log(LogLevel.INFO, "URL: http://linux-ha.org/wiki/FAQ#Heavy_Load");
            sendStatus(now);
            out.add(new MembershipAction.PeerReturnedAfterPartition(peer.name));
        }

        PeerSequence t = peer.seq;
        if (t.lastSeq == 0 || seq == t.lastSeq + 1) {
            t.startAt(seq);
            t.lastSeq = seq;
            ackIfNeeded(peer, seq, now);
            return toUs ? Verdict.KEEP : Verdict.NOT_FOR_US;
        }
        if (seq == t.lastSeq) return Verdict.DUPLICATE;
        if (seq > t.lastSeq) {
            long lost = seq - t.lastSeq - 1;
            log(LogLevel.WARN, lost + " lost packet(s) for [" + peer.name + "] [" + t.lastSeq + ":" + seq + "]");
            if (lost > GAP_LIMIT) {
                flushDeliveries(peer);
                t.reset();
                t.startAt(seq);
                t.lastSeq = seq;
                log(LogLevel.ERROR, "lost a lot of packets!");
                return toUs ? Verdict.KEEP : Verdict.NOT_FOR_US;
            }
            for (long k = t.lastSeq + 1; k < seq; k++) {
                t.missingSince.put(k, now);
                t.rexmitDue.put(k, now + firstRexmitDelayNanos());
            }
            t.lastSeq = seq;
            while (t.missingSince.size() > GAP_LIMIT) giveUp(peer, t.missingSince.firstKey(), false);
            return toUs ? Verdict.KEEP : Verdict.NOT_FOR_US;
        }
        if (t.isMissing(seq)) {
            long firstMissing = t.firstMissing();
            t.forget(seq);
            if (t.missingSince.isEmpty()) log(LogLevel.INFO, "No pkts missing from " + peer.name + "!");
            if (seq == firstMissing) ackAfterGapFilled(peer, firstMissing, now);
            return toUs ? Verdict.KEEP : Verdict.NOT_FOR_US;
        }
        return Verdict.DUPLICATE;
    }

    private boolean isToUs(HbMessage m, String dest) {
        Optional<UUID> destUuid = m.destUuid();
        if (destUuid.isPresent()) return destUuid.get().equals(settings.localUuid());
        return dest == null || dest.equals(settings.localNode());
    }

    /** HBDoMsg_T_STATUS. */
    private void onStatus(Peer peer, HbMessage m, long seq, long msgtime, long now) {
        String st = m.status().orElse(null);
        if (st == null) {
            log(LogLevel.ERROR, "HBDoMsg_T_STATUS: status update without st field");
            return;
        }
        // A retransmitted older status must not move the peer backwards.
        if (peer.heardStatusThisRun && msgtime < peer.lastStatusTs && seq < peer.lastStatusSeq) return;
        if (flowControl && !m.has(HbMessage.PROTOCOL)) {
            log(LogLevel.INFO, "flow control disabled due to different version heartbeat");
            flowControl = false;
        }
        if (peer.heardStatusThisRun && peer.status != NodeStatus.DEAD) {
            long intervalMs = (now - peer.lastStatusNanos) / MS;
            if (intervalMs > settings.deadtime().toMillis()) {
                // heartbeat also calls mark_node_dead here, on a node whose heartbeat just arrived, and
                // then takes its resources; Vigil's timers are exact, so this only follows a stall of
                // ours, and the peer is plainly alive: log it, nothing more.
                log(LogLevel.CRIT, "Late heartbeat: Node " + peer.name + ": interval " + intervalMs + " ms (> deadtime)");
            } else if (intervalMs > settings.warntime().toMillis()) {
                log(LogLevel.WARN, "Late heartbeat: Node " + peer.name + ": interval " + intervalMs + " ms");
            }
        }
        Optional<NodeStatus> parsed = NodeStatus.fromWire(st);
        if (parsed.isEmpty()) {
            log(LogLevel.WARN, "Status update for node " + peer.name + ": unknown status [" + st + "] ignored");
        } else if (parsed.get() != peer.status) {
            log(LogLevel.INFO, "Status update for node " + peer.name + ": status " + st);
            changeStatus(peer, parsed.get());
        }
        OptionalLong dt = m.deadtimeMillis();
        if (dt.isPresent() && dt.getAsLong() > 0) peer.deadIntervalMs = dt.getAsLong();
        peer.lastStatusTs = msgtime;
        peer.lastStatusNanos = now;
        peer.lastStatusSeq = seq;
        peer.heardStatusThisRun = true;
        if (parsed.isPresent() && parsed.get() == NodeStatus.DEAD) {
            // It told us itself; its run is over.
            endRun(peer);
        }
    }

    /** HBDoMsg_T_ACKMSG: a peer has everything of ours up to ackseq. */
    private void onAck(Peer peer, HbMessage m) {
        OptionalLong ack = m.hex(F_ACKSEQ);
        if (ack.isEmpty() || ack.getAsLong() <= peer.ackedByPeer) return;
        if (ack.getAsLong() > history.highest()) {
            log(LogLevel.ERROR, "HBDoMsg_T_ACK: corrupted ackseq current hiseq = " + history.highest() + " ackseq =" + ack.getAsLong()
                    + " in this message");
            return;
        }
        peer.ackedByPeer = ack.getAsLong();
    }

    /** process_rexmit: resend byte-identical copies from the history, or say they are gone. */
    private void onRexmitRequest(Peer peer, HbMessage m, long now) {
        // heartbeat writes firstseq/lastseq with ha_msg_add_int and reads them with atoi: decimal.
        OptionalLong f = m.decimal(F_FIRSTSEQ);
        OptionalLong l = m.decimal(F_LASTSEQ);
        if (f.isEmpty() || l.isEmpty() || f.getAsLong() <= 0 || l.getAsLong() <= 0 || f.getAsLong() > l.getAsLong()) {
            log(LogLevel.ERROR, "Invalid rexmit seqnos");
            return;
        }
        long first = f.getAsLong();
        long last = l.getAsLong();
        if (last - first >= TransmitHistory.CAPACITY) first = last - TransmitHistory.CAPACITY + 1; // bounded work
        long acceptWindow = settings.maxRexmitDelay().toNanos() - 10 * MS; // ACCEPT_REXMIT_REQ_MS
        int sent = 0;
        for (long s = first; s <= last; s++) {
            if (s <= peer.ackedByPeer) continue;
            if (s < history.lowestRetained()) {
                nak(peer, s, "seqno too low", now);
                continue;
            }
            if (s > history.highest()) {
                log(LogLevel.WARN, "Rexmit of seq " + s + " requested. " + history.highest() + " is max.");
                continue;
            }
            HbMessage old = history.get(s);
            if (old == null) {
                nak(peer, s, "seqno not found", now);
                continue;
            }
            long lastRexmit = history.lastRetransmit(s);
            if (lastRexmit != Long.MIN_VALUE && now - lastRexmit < acceptWindow) continue;
            if (++sent > MAX_REXMIT_BATCH) return;
            history.markRetransmitted(s, now);
            out.add(new MembershipAction.Broadcast(old));
        }
    }

    private void nak(Peer peer, long seq, String reason, long now) {
        log(LogLevel.ERROR, "Cannot rexmit pkt " + seq + " for " + peer.name + ": " + reason);
        emit(HbMessage.builder().add(HbMessage.TYPE, T_NAK_REXMIT).addHex(F_FIRSTSEQ, seq).add(HbMessage.DEST, peer.name)
                .add(F_INFO, reason).build(), now);
    }

    /** A peer cannot resend something: stop waiting for it. */
    private void onNak(Peer peer, HbMessage m, String dest) {
        OptionalLong nseq = m.hex(F_FIRSTSEQ);
        if (nseq.isEmpty() || nseq.getAsLong() <= 0) {
            log(LogLevel.ERROR, "should_drop_message: bad nak seq number");
            return;
        }
        if (dest == null) log(LogLevel.WARN, "should_drop_message: tonodename not found heartbeat version not matching?");
        boolean forUs = dest == null || dest.equals(settings.localNode());
        if (forUs) log(LogLevel.ERROR, "Irretrievably lost packet: node " + peer.name + " seq " + nseq.getAsLong());
        if (peer.seq.isMissing(nseq.getAsLong())) {
            giveUp(peer, nseq.getAsLong(), false);
            deliverReady(peer);
        }
    }

    /** HBDoMsg_T_REQNODES: without this answer a real node stays {@code up} for ever (research serial §"Join"). */
    private void answerReqnodes(Peer peer, long now) {
        StringBuilder nodelist = new StringBuilder();
        for (String n : settings.nodes()) nodelist.append(n).append(' ');
        emit(HbMessage.builder().add(HbMessage.DEST, peer.name).add(HbMessage.TYPE, T_REPNODES)
                .add(F_NODELIST, nodelist.toString()).add(F_DELNODELIST, " ").build(), now);
    }

    /** HBDoMsg_T_REPNODES: the join answer; heartbeat would also edit its node table from it. */
    private void onRepnodes(Peer peer, HbMessage m, long now) {
        m.string(F_NODELIST).ifPresent(list -> {
            List<String> theirs = new ArrayList<>();
            for (String n : list.trim().split("\\s+")) {
                if (!n.isEmpty()) theirs.add(lower(n));
            }
            List<String> ours = new ArrayList<>(settings.nodes());
            Collections.sort(theirs);
            Collections.sort(ours);
            if (!theirs.equals(ours)) {
                log(LogLevel.WARN, "Node list from " + peer.name + " " + theirs + " differs from ours " + ours
                        + "; ignored (Vigil does not change the node list at run time)");
            }
        });
        commNowUp(now);
    }

    // ------------------------------------------------------------------ liveness and comm

    private long intervalNanos(Peer p) {
        // Before comm is up every node gets initdead (check_for_timeouts).
        return comm == Comm.STARTING ? settings.initdead().toNanos() : p.deadIntervalMs * MS;
    }

    /** mark_node_dead, without the resource work heartbeat does in it: that is the resource layer's, on the event. */
    private void markDead(Peer p) {
        log(LogLevel.WARN, "node " + p.name + ": is dead");
        endRun(p);
        changeStatus(p, NodeStatus.DEAD);
        p.anyPacketsYet = false;
        p.ackedByPeer = 0;
        p.lastStatusTs = 0;
    }

    private void changeStatus(Peer p, NodeStatus now) {
        NodeStatus old = p.status;
        p.status = now;
        out.add(new MembershipAction.NodeStatusChanged(p.name, old, now));
    }

    private void refreshLink(Peer peer, String linkName, long now) {
        PeerLink l = peer.links.get(linkName);
        if (l == null) return; // a medium we were not configured with
        l.lastHeardNanos = now;
        if (l.status != LinkStatus.UP) {
            l.status = LinkStatus.UP;
            log(LogLevel.INFO, "Link " + peer.name + ":" + linkName + " up.");
            out.add(new MembershipAction.LinkStatusChanged(peer.name, linkName, true));
        }
    }

    /** check_comm_isup: everyone heard from or declared dead. */
    private void checkCommUp(long now) {
        if (comm != Comm.STARTING) return;
        for (Peer p : peers.values()) {
            if (!p.anyPacketsYet && p.status != NodeStatus.DEAD) return;
        }
        comm = Comm.AWAITING_NODE_LIST;
        if (flowControl) {
            sendReqnodes(now);
        } else {
            commNowUp(now); // mixed versions: no node-list exchange
        }
    }

    /** send_reqnodes_msg: ask the first live peer, again every second, until one answers. */
    private void sendReqnodes(long now) {
        Peer target = null;
        for (Peer p : peers.values()) {
            if (p.status != NodeStatus.DEAD) {
                target = p;
                break;
            }
        }
        if (target == null) {
            commNowUp(now);
            return;
        }
        emit(HbMessage.builder().add(HbMessage.TYPE, T_REQNODES).add(HbMessage.DEST, target.name).build(), now);
        nextReqnodes = now + REQNODES_RETRY_NANOS;
    }

    private void commNowUp(long now) {
        if (comm == Comm.UP) return;
        comm = Comm.UP;
        nextReqnodes = NEVER;
        log(LogLevel.INFO, "Comm_now_up(): updating status to active");
        setLocalStatus(NodeStatus.ACTIVE, now);
        out.add(new MembershipAction.CommUp());
    }

    private void setLocalStatus(NodeStatus status, long now) {
        if (status == localStatus) return;
        localStatus = status;
        sendStatus(now);
        log(LogLevel.INFO, "Local status now set to: '" + status.wireName() + "'");
    }

    private void sendStatus(long now) {
        HbMessage.Builder b = HbMessage.builder().add(HbMessage.TYPE, T_STATUS).add(HbMessage.STATUS, localStatus.wireName())
                .addHex(HbMessage.DEADTIME, advertisedDeadtimeMs);
        if (flowControl) b.addDecimal(HbMessage.PROTOCOL, 1);
        emit(b.build(), now);
    }

    // ------------------------------------------------------------------ sequencing, ACKs, retransmission

    /** send_ack_if_needed: ACK every tenth in-order message, at the peer's trigger. */
    private void ackIfNeeded(Peer peer, long seq, long now) {
        if (!flowControl) return;
        long firstMissing = peer.seq.firstMissing();
        if (firstMissing != 0 && seq > firstMissing) return;
        if (seq % ACK_DIVISOR != peer.ackTrigger) return;
        sendAck(peer.name, seq, now);
    }

    /** is_lost_packet: once the first gap closes, ACK the highest trigger point now contiguous. */
    private void ackAfterGapFilled(Peer peer, long oldFirstMissing, long now) {
        if (!flowControl) return;
        long newFirst = peer.seq.firstMissing();
        long lastToAck = newFirst == 0 ? peer.seq.lastSeq : newFirst - 1;
        long x = lastToAck % ACK_DIVISOR;
        long ackSeq = x >= peer.ackTrigger
                ? lastToAck / ACK_DIVISOR * ACK_DIVISOR + peer.ackTrigger
                : (lastToAck / ACK_DIVISOR - 1) * ACK_DIVISOR + peer.ackTrigger;
        if (ackSeq >= oldFirstMissing) ackIfNeeded(peer, ackSeq, now);
    }

    private void sendAck(String node, long seq, long now) {
        emit(HbMessage.builder().add(HbMessage.TYPE, T_ACK).add(HbMessage.DEST, node).addHex(F_ACKSEQ, seq).build(), now);
    }

    private void retransmissionWork(Peer p, long now) {
        PeerSequence t = p.seq;
        if (t.missingSince.isEmpty()) return;
        long interval = intervalNanos(p);
        boolean gaveUp = false;
        for (Map.Entry<Long, Long> e : new ArrayList<>(t.missingSince.entrySet())) {
            if (now >= e.getValue() + interval) {
                // Vigil: a gap older than the peer's dead interval is not worth holding later messages for.
                log(LogLevel.ERROR, "Irretrievably lost packet: node " + p.name + " seq " + e.getKey());
                giveUp(p, e.getKey(), true);
                gaveUp = true;
            }
        }
        if (p.status.isAlive()) {
            for (Map.Entry<Long, Long> e : new ArrayList<>(t.rexmitDue.entrySet())) {
                if (now >= e.getValue()) {
                    emit(HbMessage.builder().add(HbMessage.TYPE, T_REXMIT).add(HbMessage.DEST, p.name)
                            .addDecimal(F_FIRSTSEQ, e.getKey()).addDecimal(F_LASTSEQ, e.getKey()).build(), now);
                    t.rexmitDue.put(e.getKey(), now + settings.maxRexmitDelay().toNanos());
                }
            }
        }
        if (gaveUp) deliverReady(p);
    }

    private void giveUp(Peer p, long seq, boolean quiet) {
        p.seq.forget(seq);
        if (p.seq.missingSince.isEmpty() && !quiet) log(LogLevel.INFO, "No pkts missing from " + p.name + "!");
    }

    /** schedule_rexmit_request: a random 50..max ms first, so a merely reordered packet is not asked for. */
    private long firstRexmitDelayNanos() {
        long max = settings.maxRexmitDelay().toMillis();
        long min = max < 100 ? 0 : 50;
        return random.nextLong(min, max + 1) * MS;
    }

    private void deliverReady(Peer p) {
        for (HbMessage m : p.seq.drain()) out.add(new MembershipAction.Deliver(p.name, m));
    }

    private void flushDeliveries(Peer p) {
        for (HbMessage m : p.seq.flush()) out.add(new MembershipAction.Deliver(p.name, m));
    }

    /** A run of the peer ended (death, restart): hand on what it said, in order, then forget it. */
    private void endRun(Peer p) {
        flushDeliveries(p);
        p.seq.reset();
    }

    // ------------------------------------------------------------------ sending

    private void emit(HbMessage body, long now) {
        String type = body.type().orElseThrow();
        boolean noSeq = type.startsWith(NOSEQ_PREFIX);
        HbMessage.Builder b = body.toBuilder();
        Optional<String> dest = body.dest();
        if (dest.isPresent() && !body.has(HbMessage.DEST_UUID)) {
            UUID u = uuidOf(lower(dest.get()));
            if (u != null) b.addUuid(HbMessage.DEST_UUID, u);
        }
        putDefault(b, body, noSeq, HbMessage.SRC, new HbValue.Text(settings.localNode()));
        putDefault(b, body, noSeq, HbMessage.SRC_UUID, new HbValue.Binary(uuidBytes(settings.localUuid())));
        long seq = 0;
        if (!noSeq) {
            seq = nextSeq++;
            b.set(HbMessage.SEQ, Long.toHexString(seq));
        }
        putDefault(b, body, noSeq, HbMessage.GENERATION, new HbValue.Text(Long.toHexString(settings.generation())));
        putDefault(b, body, noSeq, HbMessage.TIMESTAMP, new HbValue.Text(Long.toHexString(host.epochSeconds(now))));
        if (!noSeq) b.set(HbMessage.LOAD, host.loadAverage());
        putDefault(b, body, noSeq, HbMessage.TTL, new HbValue.Text(Integer.toString(settings.hopfudge() + settings.nodes().size())));
        HbMessage msg = b.build();
        if (!noSeq) {
            history.add(seq, msg);
            // heartbeat hears its own messages and ACKs them at its own trigger, before they hit the wire.
            if (flowControl && seq % ACK_DIVISOR == selfAckTrigger) sendAck(settings.localNode(), seq, now);
        }
        out.add(new MembershipAction.Broadcast(msg));
    }

    /** ha_msg_mod semantics (replace in place, else append); NS_* messages keep a field they already carry. */
    private static void putDefault(HbMessage.Builder b, HbMessage body, boolean noSeq, String name, HbValue value) {
        if (noSeq && body.has(name)) return;
        Optional<HbField> existing = body.first(name);
        if (existing.isPresent() && existing.get().type() != value.type()) b.remove(name);
        b.set(name, value);
    }

    private UUID uuidOf(String node) {
        if (node.equals(settings.localNode())) return settings.localUuid();
        Peer p = peers.get(node);
        if (p != null && p.uuid != null) return p.uuid;
        return settings.knownUuids().get(node);
    }

    private void learnUuid(Peer peer, HbMessage m) {
        Optional<UUID> u = m.srcUuid();
        if (u.isEmpty()) return;
        if (peer.uuid != null && !peer.uuid.equals(u.get())) {
            log(LogLevel.WARN, "node " + peer.name + " changed its uuid");
        }
        peer.uuid = u.get();
    }

    private static byte[] uuidBytes(UUID u) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(16);
        bb.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return bb.array();
    }

    private void log(LogLevel level, String text) {
        out.add(new MembershipAction.Log(level, text));
    }

    private List<MembershipAction> drainOut() {
        List<MembershipAction> result = out;
        out = new ArrayList<>();
        return Collections.unmodifiableList(result);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static final class Peer {
        final String name;
        /** Which of this peer's sequence numbers we ACK ({@code seq % 10}); random per node, as heartbeat. */
        final int ackTrigger;
        NodeStatus status = NodeStatus.INIT;
        long generation;
        boolean anyPacketsYet;
        boolean heardStatusThisRun;
        /** Monotonic time of its last status ({@code local_lastupdate}). */
        long lastStatusNanos;
        long lastStatusSeq;
        /** Its {@code ts} on that status ({@code rmt_lastupdate}). */
        long lastStatusTs;
        /** The dead interval it advertises in {@code dt}. */
        long deadIntervalMs;
        /** The highest of our sequence numbers it has ACKed. */
        long ackedByPeer;
        UUID uuid;
        final Map<String, PeerLink> links = new LinkedHashMap<>();
        final PeerSequence seq = new PeerSequence();
        /** When the last "attempted replay attack" line was logged, and the replays dropped since without a line. */
        long lastReplayLogNanos = Long.MIN_VALUE;
        long replaysUnlogged;

        Peer(String name, int ackTrigger, long deadIntervalMs) {
            this.name = name;
            this.ackTrigger = ackTrigger;
            this.deadIntervalMs = deadIntervalMs;
        }
    }

    private static final class PeerLink {
        LinkStatus status = LinkStatus.DEAD;
        long lastHeardNanos;
    }
}
