package dev.vigil.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Who held each resource (a VIP, a heartbeat resource group) when, over virtual time, built from
 * "node took it at t" and "node released it at t" records. One timeline serves every simulated
 * world: the console's lab draws it, and the fault campaigns of both modes measure from it the
 * outage windows (nobody holds the resource) and the double-holder windows (two or more hold it:
 * split brain), which {@link CampaignChecks} then hold against the bounds the protocol timers give.
 *
 * <p>A hold that is still going has {@code to == Long.MAX_VALUE}. A hold released at the instant it
 * began is not recorded: nobody could have reached the resource through it.
 */
public final class HolderTimeline {

    /** {@code node} holding {@code resource} over [from, to); {@code to == Long.MAX_VALUE} while it still does. */
    public record Hold(String resource, String node, long from, long to) {
        public boolean open() {
            return to == Long.MAX_VALUE;
        }

        /** The end of the hold, or {@code now} while it is open. */
        public long end(long now) {
            return open() ? now : to;
        }
    }

    /** A span of time [from, to). */
    public record Window(long from, long to) {
        public long length() {
            return to - from;
        }
    }

    private final List<Hold> closed = new ArrayList<>();
    private final Map<String, Map<String, Long>> open = new LinkedHashMap<>();

    /** {@code node} holds {@code resource} from {@code at} on (a second acquisition while holding changes nothing). */
    public void acquired(String resource, String node, long at) {
        open.computeIfAbsent(resource, r -> new LinkedHashMap<>()).putIfAbsent(node, at);
    }

    /** {@code node} stopped holding {@code resource} at {@code at}; ignored when it did not hold it. */
    public void released(String resource, String node, long at) {
        Map<String, Long> r = open.get(resource);
        if (r == null) return;
        Long from = r.remove(node);
        if (from != null && at > from) closed.add(new Hold(resource, node, from, at));
    }

    /** Every resource ever held, in order of first acquisition. */
    public List<String> resources() {
        return List.copyOf(open.keySet());
    }

    /** Every hold of {@code resource}, in order of start; open ones end at {@link Long#MAX_VALUE}. */
    public List<Hold> holds(String resource) {
        List<Hold> out = new ArrayList<>();
        for (Hold h : closed) if (h.resource().equals(resource)) out.add(h);
        open.getOrDefault(resource, Map.of()).forEach((node, from) -> out.add(new Hold(resource, node, from, Long.MAX_VALUE)));
        out.sort(Comparator.comparingLong(Hold::from).thenComparing(Hold::node));
        return out;
    }

    /** The holds of {@code resource} that began before {@code end}, open ones closed at {@code end} (what the lab draws). */
    public List<Hold> holds(String resource, long end) {
        List<Hold> out = new ArrayList<>();
        for (Hold h : holds(resource)) {
            if (h.from() >= end) continue;
            out.add(h.to() > end ? new Hold(resource, h.node(), h.from(), end) : h);
        }
        return out;
    }

    /** The nodes holding {@code resource} now (after every record so far). */
    public List<String> holders(String resource) {
        return List.copyOf(open.getOrDefault(resource, Map.of()).keySet());
    }

    /** The single holder now; empty when nobody or several hold it. */
    public Optional<String> holder(String resource) {
        List<String> h = holders(resource);
        return h.size() == 1 ? Optional.of(h.get(0)) : Optional.empty();
    }

    /** The nodes holding {@code resource} at time {@code t}. */
    public List<String> holdersAt(String resource, long t) {
        List<String> out = new ArrayList<>();
        for (Hold h : holds(resource)) if (h.from() <= t && t < h.to() && !out.contains(h.node())) out.add(h.node());
        return out;
    }

    /** The first time at or after {@code from} when {@code node} held {@code resource}; empty if it never did. */
    public Optional<Long> firstHeldBy(String resource, String node, long from) {
        for (Hold h : holds(resource)) {
            if (h.node().equals(node) && h.to() > from) return Optional.of(Math.max(h.from(), from));
        }
        return Optional.empty();
    }

    /** When anybody first held {@code resource}. */
    public Optional<Long> firstAcquired(String resource) {
        return holds(resource).stream().map(Hold::from).findFirst();
    }

    /** The spans within [from, to) in which nobody held {@code resource}. */
    public List<Window> outages(String resource, long from, long to) {
        return windows(resource, from, to, 0);
    }

    /** The spans within [from, to) in which two or more nodes held {@code resource}. */
    public List<Window> doubleHolders(String resource, long from, long to) {
        return windows(resource, from, to, 2);
    }

    /** How long, within [from, to), nobody held {@code resource}. */
    public long outageNanos(String resource, long from, long to) {
        return total(outages(resource, from, to));
    }

    /** How long, within [from, to), two or more nodes held {@code resource} at once. */
    public long doubleHolderNanos(String resource, long from, long to) {
        return total(doubleHolders(resource, from, to));
    }

    public static long total(List<Window> windows) {
        return windows.stream().mapToLong(Window::length).sum();
    }

    /** Maximal spans (adjacent ones merged) with no holder ({@code count == 0}) or at least {@code count} holders. */
    private List<Window> windows(String resource, long from, long to, int count) {
        List<Window> out = new ArrayList<>();
        if (to <= from) return out;
        List<Hold> hs = holds(resource);
        TreeSet<Long> points = new TreeSet<>();
        points.add(from);
        points.add(to);
        for (Hold h : hs) {
            if (h.from() > from && h.from() < to) points.add(h.from());
            if (h.to() > from && h.to() < to) points.add(h.to());
        }
        Long prev = null;
        Long openFrom = null;
        for (long p : points) {
            if (prev != null) {
                boolean match = matches(hs, prev, count);
                if (match && openFrom == null) openFrom = prev;
                if (!match && openFrom != null) {
                    out.add(new Window(openFrom, prev));
                    openFrom = null;
                }
            }
            prev = p;
        }
        if (openFrom != null) out.add(new Window(openFrom, to));
        return out;
    }

    private static boolean matches(List<Hold> hs, long t, int count) {
        int n = 0;
        for (Hold h : hs) if (h.from() <= t && t < h.to()) n++;
        return count == 0 ? n == 0 : n >= count;
    }
}
