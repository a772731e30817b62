package dev.vigil.heartbeat.rm;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.HostProbe;
import dev.vigil.heartbeat.membership.Membership;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.MembershipSettings;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.wire.HbMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Drives one {@link ResourceManager} by hand: the peer's messages, membership events, virtual time,
 * and resource scripts that answer at once (or on demand), keeping what runs.
 */
final class RmDriver {
    static final String A = "nodea";
    static final String B = "nodeb";
    static final long SEC = 1_000_000_000L;
    static final long MS = 1_000_000L;
    /** The research testbed's haresources line, plus a two-resource group for nodeb. */
    static final ResourceGroup GROUP_A = ResourceGroup.of(A, "IPaddr2::10.231.0.100/24/hb0", "apache");
    static final ResourceGroup GROUP_B = ResourceGroup.of(B, "IPaddr2::10.231.0.200/24/hb0");

    final ResourceManager rm;
    final String me;
    final String peer;
    long now;
    boolean autoComplete = true;
    final Map<String, Boolean> running = new HashMap<>();
    final Set<String> failStart = new LinkedHashSet<>();
    final Set<String> failStop = new LinkedHashSet<>();
    final Deque<RmAction.RunResource> pending = new ArrayDeque<>();
    final List<RmAction> actions = new ArrayList<>();
    final List<RmAction.RunResource> runs = new ArrayList<>();
    final List<HbMessage> sent = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    RmDriver(String me, AutoFailback mode, ResourceGroup... groups) {
        this.me = me;
        this.peer = me.equals(A) ? B : A;
        List<ResourceGroup> g = groups.length == 0 ? List.of(GROUP_A, GROUP_B) : List.of(groups);
        this.rm = new ResourceManager(ResourceSettings.defaults(me, peer, g, mode));
    }

    static RmDriver nodeA(AutoFailback mode) {
        return new RmDriver(A, mode);
    }

    // ---------------------------------------------------------------- inputs

    RmDriver at(long nanos) {
        now = nanos;
        return this;
    }

    /** Runs the RM's timers up to {@code until}. */
    RmDriver advance(long until) {
        while (rm.nextDeadlineNanos() <= until) {
            now = Math.max(now, rm.nextDeadlineNanos());
            apply(rm.tick(now));
        }
        now = Math.max(now, until);
        return this;
    }

    RmDriver membership(MembershipAction a) {
        apply(rm.onMembership(a, now));
        return this;
    }

    RmDriver peerStatus(NodeStatus from, NodeStatus to) {
        return membership(new MembershipAction.NodeStatusChanged(peer, from, to));
    }

    RmDriver commUp() {
        return membership(new MembershipAction.CommUp());
    }

    /** The peer's message, fields as given after {@code t}. */
    RmDriver fromPeer(String type, String... kv) {
        return membership(new MembershipAction.Deliver(peer, peerMessage(type, kv)));
    }

    HbMessage peerMessage(String type, String... kv) {
        HbMessage.Builder b = HbMessage.builder().add("t", type);
        for (int i = 0; i + 1 < kv.length; i += 2) b.add(kv[i], kv[i + 1]);
        return b.add("src", peer).build();
    }

    /** Typical start: peer active, comm up, both starting, peer announces {@code hold} stable, RQSTDELAY passed if needed. */
    RmDriver stableWithPeerHolding(String hold) {
        peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE);
        commUp();
        fromPeer("resource", "rsc_hold", hold, "rtype", "full", "isstable", "1");
        advance(now + 11 * SEC);
        return this;
    }

    void completeAll() {
        while (!pending.isEmpty()) complete(pending.poll());
    }

    // ---------------------------------------------------------------- plumbing

    void apply(List<RmAction> out) {
        for (RmAction a : out) {
            actions.add(a);
            if (a instanceof RmAction.Broadcast b) {
                sent.add(b.body());
            } else if (a instanceof RmAction.Log l) {
                log.add(l.toString());
            } else if (a instanceof RmAction.RunResource r) {
                runs.add(r);
                pending.add(r);
            }
        }
        if (autoComplete) completeAll();
    }

    private void complete(RmAction.RunResource r) {
        OperationResult result;
        switch (r.op()) {
            case START: {
                boolean ok = !failStart.contains(r.resource());
                if (ok) running.put(r.resource(), true);
                result = OperationResult.started(r.group(), r.resource(), ok);
                break;
            }
            case STOP: {
                boolean ok = !failStop.contains(r.resource());
                if (ok) running.put(r.resource(), false);
                result = OperationResult.stopped(r.group(), r.resource(), ok);
                break;
            }
            default:
                result = OperationResult.status(r.group(), r.resource(), running.getOrDefault(r.resource(), false));
                break;
        }
        apply(rm.operationFinished(result, now));
    }

    // ---------------------------------------------------------------- views

    boolean isRunning(String resource) {
        return running.getOrDefault(resource, false);
    }

    /** Sent messages as "type rsc_hold info isstable" lines, empty parts dropped. */
    List<String> sentSummary() {
        List<String> out = new ArrayList<>();
        for (HbMessage m : sent) out.add(summary(m));
        return out;
    }

    static String summary(HbMessage m) {
        StringBuilder sb = new StringBuilder(m.type().orElse("?"));
        for (String f : List.of("rsc_hold", "info", "isstable", "node", "result", "dest", "ipaddr", "weown", "st")) {
            m.string(f).ifPresent(v -> sb.append(' ').append(f).append('=').append(v));
        }
        return sb.toString();
    }

    List<String> sentSince(int index) {
        return sentSummary().subList(index, sent.size());
    }

    void clear() {
        actions.clear();
        sent.clear();
        log.clear();
        runs.clear();
    }

    List<String> runsSummary() {
        List<String> out = new ArrayList<>();
        for (RmAction.RunResource r : runs) out.add(r.resource() + " " + r.op().argument());
        return out;
    }

    List<String> rscStatusChanges() {
        List<String> out = new ArrayList<>();
        for (RmAction a : actions) {
            if (a instanceof RmAction.RscStatusChanged c) out.add(c.current());
        }
        return out;
    }

    /**
     * The body as a real node would put it on the wire: through a membership with nodea's or nodeb's
     * captured identity, so field order and formats can be compared with the fixtures.
     */
    static HbMessage onTheWire(String node, HbMessage body) {
        MembershipSettings s = new MembershipSettings(node, List.of(A, B), List.of("hb0"), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(3), Duration.ofSeconds(10), 1, 0x6b05f989L, node.equals(A) ? HbFixtures.NODEA_UUID : HbFixtures.NODEB_UUID,
                Map.of(A, HbFixtures.NODEA_UUID, B, HbFixtures.NODEB_UUID), Duration.ofMillis(250));
        Membership m = new Membership(s, new SplittableRandom(3), HostProbe.fixed(0x6b05f989L, "1.85 1.23 0.63 2/136 19353"));
        for (MembershipAction a : m.send(body, 0)) {
            if (a instanceof MembershipAction.Broadcast b && b.message().type().equals(body.type())) return b.message();
        }
        throw new AssertionError("not sent: " + body);
    }
}
