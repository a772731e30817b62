package dev.vigil.vrrp.instance;

import dev.vigil.core.Scheduler;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A test glue: N nodes on one {@link SimNetwork} segment, each running standalone instances or sync
 * groups, with timers on the {@link SimScheduler} through the {@link Scheduler} seam, as the daemon's
 * glue will. Adverts travel as a small private byte format (the real codec is another package's job);
 * the receiver turns them back into {@link ReceivedAdvert}s with TTL 255 to the multicast group.
 */
final class VrrpLab {

    static final InetAddress MCAST = Fixtures.MCAST;

    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network;
    final SimNetwork.Segment lan;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Every transition, in order. */
    final List<Event> timeline = new ArrayList<>();
    /** Every advert put on the wire (before loss). */
    final List<Sent> sent = new ArrayList<>();
    /** Per VRID: the intervals during which two or more nodes held MASTER. */
    final Map<Integer, List<long[]>> doubleMasterWindows = new HashMap<>();
    private final Map<Integer, Long> doubleMasterSince = new HashMap<>();

    record Event(long at, String node, String instance, VrrpState from, VrrpState to, TransitionReason reason) {
    }

    record GroupEvent(long at, String node, String group, VrrpState from, VrrpState to) {
    }

    record Sent(long at, String node, int vrid, int priority) {
    }

    final List<GroupEvent> groupTimeline = new ArrayList<>();

    VrrpLab(long seed) {
        network = new SimNetwork(scheduler, seed);
        lan = network.segment("lan");
        lan.setDelay(0, 0); // exact timing: a frame arrives at the instant it is sent (after the sender's task)
    }

    long now() {
        return scheduler.nanoTime();
    }

    Node node(String name, InetAddress address) {
        Node n = new Node(name, address);
        nodes.put(name, n);
        return n;
    }

    void runUntil(long t) {
        scheduler.runUntil(t);
    }

    void runFor(long nanos) {
        scheduler.runFor(nanos);
    }

    /** Nodes whose instance for this VRID is MASTER. */
    Set<String> masters(int vrid) {
        Set<String> m = new HashSet<>();
        for (Node n : nodes.values()) {
            VrrpInstance i = n.byVrid.get(vrid);
            if (i != null && n.alive && i.state() == VrrpState.MASTER) m.add(n.name);
        }
        return m;
    }

    /** The time of the first transition of {@code node}'s instance to {@code to} at or after {@code after}. */
    long firstTransition(String node, VrrpState to, long after) {
        return timeline.stream().filter(e -> e.node.equals(node) && e.to == to && e.at >= after)
                .mapToLong(Event::at).findFirst()
                .orElseThrow(() -> new AssertionError(node + " never went " + to + " after " + after + ": " + timeline));
    }

    private void checkMasters(int vrid) {
        int count = masters(vrid).size();
        Long since = doubleMasterSince.get(vrid);
        if (count >= 2 && since == null) {
            doubleMasterSince.put(vrid, now());
        } else if (count < 2 && since != null) {
            doubleMasterWindows.computeIfAbsent(vrid, k -> new ArrayList<>()).add(new long[] {since, now()});
            doubleMasterSince.remove(vrid);
        }
    }

    static byte[] encode(int version, int vrid, int priority, int interval, List<InetAddress> addresses) {
        ByteBuffer b = ByteBuffer.allocate(6 + 4 * addresses.size());
        b.put((byte) version).put((byte) vrid).put((byte) priority).putShort((short) interval).put((byte) addresses.size());
        for (InetAddress a : addresses) b.put(a.getAddress());
        return b.array();
    }

    static ReceivedAdvert decode(InetAddress source, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = b.get() & 0xFF;
        int vrid = b.get() & 0xFF;
        int priority = b.get() & 0xFF;
        int interval = b.getShort() & 0xFFFF;
        int count = b.get() & 0xFF;
        List<InetAddress> addrs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] a = new byte[4];
            b.get(a);
            try {
                addrs.add(InetAddress.getByAddress(a));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return ReceivedAdvert.wellFormed(source, MCAST, version, vrid, priority, interval, addrs);
    }

    /** One host: a port on the LAN, its instances and groups, and the glue that runs their actions. */
    final class Node {
        final String name;
        final InetAddress address;
        final SimNetwork.Port port;
        final Map<Integer, VrrpInstance> byVrid = new HashMap<>();
        final Map<String, VrrpSyncGroup> groupOf = new HashMap<>();
        final Map<String, Map<TimerKind, Scheduler.Timer>> timers = new HashMap<>();
        final Set<String> vipsHeld = new HashSet<>();
        boolean alive = true;

        Node(String name, InetAddress address) {
            this.name = name;
            this.address = address;
            this.port = lan.attach(name, this::deliver, address);
        }

        VrrpInstance add(VrrpInstanceSettings settings) {
            VrrpInstance i = new VrrpInstance(settings);
            byVrid.put(settings.vrid(), i);
            return i;
        }

        VrrpSyncGroup group(String groupName, boolean trackingWeight, VrrpInstance... members) {
            VrrpSyncGroup g = new VrrpSyncGroup(groupName, List.of(members), trackingWeight);
            for (VrrpInstance m : members) groupOf.put(m.name(), g);
            return g;
        }

        VrrpInstance instance(int vrid) {
            return Objects.requireNonNull(byVrid.get(vrid), "no VRID " + vrid + " on " + name);
        }

        /** Starts every standalone instance and every group. */
        void start() {
            Set<VrrpSyncGroup> started = new HashSet<>();
            for (VrrpInstance i : byVrid.values()) {
                VrrpSyncGroup g = groupOf.get(i.name());
                if (g == null) apply(i, i.start(now()));
                else if (started.add(g)) applyGroup(g.start(now()));
            }
        }

        /** A clean stop (SIGTERM): priority 0 from masters, then the node goes quiet. */
        void stop() {
            Set<VrrpSyncGroup> done = new HashSet<>();
            for (VrrpInstance i : byVrid.values()) {
                VrrpSyncGroup g = groupOf.get(i.name());
                if (g == null) apply(i, i.shutdown(now()));
                else if (done.add(g)) applyGroup(g.shutdown(now()));
            }
            alive = false;
            for (int vrid : byVrid.keySet()) checkMasters(vrid);
        }

        /** kill -9: the process vanishes; its VIPs stay configured (keepalived.md §2.3). */
        void kill() {
            alive = false;
            for (Map<TimerKind, Scheduler.Timer> m : timers.values()) m.values().forEach(Scheduler.Timer::cancel);
            timers.clear();
            for (int vrid : byVrid.keySet()) checkMasters(vrid);
        }

        void scriptStatus(int vrid, String script, ScriptStatus status) {
            if (!alive) return;
            VrrpInstance i = instance(vrid);
            VrrpSyncGroup g = groupOf.get(i.name());
            if (g == null) apply(i, i.onScriptStatus(script, status, now()));
            else applyGroup(g.onScriptStatus(i.name(), script, status, now()));
        }

        private void deliver(SimNetwork.Delivery d) {
            if (!alive) return;
            ReceivedAdvert a = decode(d.fromAddresses().iterator().next(), d.payload());
            VrrpInstance i = byVrid.get(a.vrid());
            if (i == null) return; // unknown VRID: ignored silently, as keepalived does
            VrrpSyncGroup g = groupOf.get(i.name());
            if (g == null) apply(i, i.onAdvert(a, now()));
            else applyGroup(g.onAdvert(i.name(), a, now()));
        }

        private void fire(VrrpInstance i, TimerKind kind) {
            if (!alive) return;
            timers.getOrDefault(i.name(), Map.of()).remove(kind);
            VrrpSyncGroup g = groupOf.get(i.name());
            if (g == null) apply(i, i.onTimer(kind, now()));
            else applyGroup(g.onTimer(i.name(), kind, now()));
        }

        void applyGroup(List<SyncGroupAction> actions) {
            for (SyncGroupAction a : actions) {
                if (a instanceof SyncGroupAction.ForInstance f) {
                    VrrpInstance i = byVrid.values().stream().filter(x -> x.name().equals(f.instance())).findFirst().orElseThrow();
                    apply(i, List.of(f.action()));
                } else if (a instanceof SyncGroupAction.GroupTransition t) {
                    groupTimeline.add(new GroupEvent(now(), name, t.group(), t.from(), t.to()));
                }
            }
        }

        void apply(VrrpInstance i, List<VrrpAction> actions) {
            for (VrrpAction a : actions) {
                if (a instanceof VrrpAction.SendAdvert s) {
                    VrrpInstanceSettings st = i.settings();
                    int interval = st.version() == 2 ? st.advertIntervalCentis() / 100 : st.advertIntervalCentis();
                    sent.add(new Sent(now(), name, st.vrid(), s.priority()));
                    port.send(null, encode(st.version(), st.vrid(), s.priority(), interval, st.virtualAddresses()));
                } else if (a instanceof VrrpAction.SetTimer s) {
                    Map<TimerKind, Scheduler.Timer> m = timers.computeIfAbsent(i.name(), k -> new EnumMap<>(TimerKind.class));
                    Scheduler.Timer old = m.remove(s.kind());
                    if (old != null) old.cancel();
                    m.put(s.kind(), scheduler.schedule(s.atNanos() - now(), () -> fire(i, s.kind())));
                } else if (a instanceof VrrpAction.CancelTimer c) {
                    Scheduler.Timer old = timers.getOrDefault(i.name(), Map.of()).remove(c.kind());
                    if (old != null) old.cancel();
                } else if (a instanceof VrrpAction.AddVirtualAddresses) {
                    vipsHeld.add(i.name());
                } else if (a instanceof VrrpAction.RemoveVirtualAddresses) {
                    vipsHeld.remove(i.name());
                } else if (a instanceof VrrpAction.Transition t) {
                    timeline.add(new Event(now(), name, i.name(), t.from(), t.to(), t.reason()));
                    checkMasters(i.settings().vrid());
                }
            }
        }
    }
}
