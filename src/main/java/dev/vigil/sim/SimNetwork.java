package dev.vigil.sim;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The in-memory network of the deterministic simulation: segments (one L2 broadcast domain each,
 * like a switch or a bridge), ports attached to them, and the faults an operator meets on a bad
 * day: a cable pulled (port down), packet loss, delay with jitter, partitions. Every random choice
 * comes from one seeded {@link Random}, so a run is reproducible from its seed.
 *
 * <p>Payloads are the bytes the real codecs produce (VRRP frames, heartbeat datagrams), so the
 * simulation exercises encoding and decoding as well as the state machines.
 */
public final class SimNetwork {

    private final SimScheduler scheduler;
    private final Random random;
    private final Map<String, Segment> segments = new HashMap<>();
    private final List<Tap> taps = new ArrayList<>();

    public SimNetwork(SimScheduler scheduler, long seed) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.random = new Random(seed);
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    public Random random() {
        return random;
    }

    public Segment segment(String name) {
        return segments.computeIfAbsent(name, Segment::new);
    }

    /** Sees every payload put on the wire (before loss), e.g. to count messages per lane in the lab. */
    public void addTap(Tap tap) {
        taps.add(tap);
    }

    @FunctionalInterface
    public interface Tap {
        void sent(Port from, InetAddress destination, byte[] payload, long atNanos);
    }

    /** A broadcast domain. */
    public final class Segment {
        private final String name;
        private final List<Port> ports = new ArrayList<>();
        private long delayNanos = 100_000; // 0.1 ms: a quiet switched LAN
        private long jitterNanos;
        private Map<String, Integer> partitionOf = Map.of();
        private java.util.Set<String> oneWay = java.util.Set.of();
        private long delivered;
        private long dropped;

        private Segment(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /**
         * Attaches a node's interface. {@code receiver} gets each payload delivered to it, on the
         * scheduler's thread; {@code addresses} are the unicast addresses it answers to.
         */
        public Port attach(String node, Consumer<Delivery> receiver, InetAddress... addresses) {
            Port p = new Port(this, node, receiver, Set.of(addresses));
            ports.add(p);
            return p;
        }

        public void setDelay(long delayNanos, long jitterNanos) {
            this.delayNanos = delayNanos;
            this.jitterNanos = jitterNanos;
        }

        /**
         * Splits the segment: payloads cross only between nodes of the same group. Nodes not named
         * in any group are cut off from everyone.
         */
        @SafeVarargs
        public final void partition(Set<String>... groups) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < groups.length; i++) for (String n : groups[i]) m.put(n, i);
            partitionOf = m;
        }

        public void heal() {
            partitionOf = Map.of();
            oneWay = java.util.Set.of();
        }

        /**
         * Drops everything {@code from} sends to {@code to}, while the other direction still flows:
         * a filter or a half-broken link. {@link #heal} lifts it.
         */
        public void blockOneWay(String from, String to) {
            java.util.Set<String> s = new java.util.HashSet<>(oneWay);
            s.add(from + "\u0000" + to);
            oneWay = java.util.Set.copyOf(s);
        }

        public long delivered() {
            return delivered;
        }

        public long dropped() {
            return dropped;
        }

        public List<Port> ports() {
            return List.copyOf(ports);
        }

        private boolean connected(Port a, Port b) {
            if (!oneWay.isEmpty() && oneWay.contains(a.node + "\u0000" + b.node)) return false;
            if (partitionOf.isEmpty()) return true;
            Integer ga = partitionOf.get(a.node);
            Integer gb = partitionOf.get(b.node);
            return ga != null && ga.equals(gb);
        }

        private void send(Port from, InetAddress destination, byte[] payload) {
            long now = scheduler.nanoTime();
            for (Tap t : taps) t.sent(from, destination, payload, now);
            if (!from.up) {
                dropped++;
                return;
            }
            for (Port to : ports) {
                if (to == from) continue;
                if (destination != null && !to.addresses.contains(destination)) continue;
                if (!to.up || !connected(from, to) || lost(from) || lost(to)) {
                    dropped++;
                    continue;
                }
                long delay = delayNanos + (jitterNanos > 0 ? (long) (random.nextDouble() * jitterNanos) : 0);
                byte[] copy = payload.clone();
                scheduler.schedule(delay, () -> {
                    // the cable may have been pulled while the frame was in flight
                    if (!to.up) {
                        dropped++;
                        return;
                    }
                    delivered++;
                    to.receiver.accept(new Delivery(from.node, from.addresses, destination, copy));
                });
            }
        }

        private boolean lost(Port p) {
            return p.lossProbability > 0 && random.nextDouble() < p.lossProbability;
        }
    }

    /** One node's interface on a segment. */
    public final class Port {
        private final Segment segment;
        private final String node;
        private final Consumer<Delivery> receiver;
        private final Set<InetAddress> addresses;
        private boolean up = true;
        private double lossProbability;

        private Port(Segment segment, String node, Consumer<Delivery> receiver, Set<InetAddress> addresses) {
            this.segment = segment;
            this.node = node;
            this.receiver = receiver;
            this.addresses = addresses;
        }

        /** Sends to every other port ({@code destination == null}: broadcast/multicast) or to the port owning {@code destination}. */
        public void send(InetAddress destination, byte[] payload) {
            segment.send(this, destination, payload);
        }

        public String node() {
            return node;
        }

        public Segment segment() {
            return segment;
        }

        public Set<InetAddress> addresses() {
            return addresses;
        }

        public boolean isUp() {
            return up;
        }

        /** Cable in or out: a down port neither sends nor receives. */
        public void setUp(boolean up) {
            this.up = up;
        }

        /** Probability that a payload sent from or to this port is lost, applied per crossing. */
        public void setLoss(double probability) {
            if (probability < 0 || probability > 1) throw new IllegalArgumentException("loss must be within 0..1");
            this.lossProbability = probability;
        }
    }

    /** A payload as it arrives at a port. */
    public record Delivery(String fromNode, Set<InetAddress> fromAddresses, InetAddress destination, byte[] payload) {
    }
}
