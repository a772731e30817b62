package dev.vigil.heartbeat.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Who held each resource group over (virtual) time: a node holds a group while the group's first
 * resource (its key, typically the address) runs there. What the console's lab draws and what a
 * fault campaign checks: never two holders, outages no longer than the protocol allows.
 */
public final class HolderTimeline {

    /** One node holding one group from {@code from} until {@code to} ({@link Long#MAX_VALUE} while it still holds). */
    public record Holding(String group, String node, long from, long to) {
        public boolean open() {
            return to == Long.MAX_VALUE;
        }

        public long end(long now) {
            return open() ? now : to;
        }
    }

    private final List<Holding> closed = new ArrayList<>();
    private final Map<String, Map<String, Long>> open = new LinkedHashMap<>();

    void began(String group, String node, long at) {
        open.computeIfAbsent(group, g -> new LinkedHashMap<>()).putIfAbsent(node, at);
    }

    void ended(String group, String node, long at) {
        Map<String, Long> g = open.get(group);
        if (g == null) return;
        Long from = g.remove(node);
        if (from != null) closed.add(new Holding(group, node, from, at));
    }

    /** Every holding of {@code group}, in order of start, open ones last-ended at {@link Long#MAX_VALUE}. */
    public List<Holding> holdings(String group) {
        List<Holding> out = new ArrayList<>();
        for (Holding h : closed) if (h.group().equals(group)) out.add(h);
        open.getOrDefault(group, Map.of()).forEach((node, from) -> out.add(new Holding(group, node, from, Long.MAX_VALUE)));
        out.sort((a, b) -> Long.compare(a.from(), b.from()));
        return out;
    }

    /** The nodes holding {@code group} at time {@code t}. */
    public List<String> holdersAt(String group, long t) {
        List<String> out = new ArrayList<>();
        for (Holding h : holdings(group)) if (h.from() <= t && t < h.to()) out.add(h.node());
        return out;
    }

    /** The nodes holding {@code group} now. */
    public List<String> holders(String group) {
        return List.copyOf(open.getOrDefault(group, Map.of()).keySet());
    }

    /** The single holder now, empty when none or several hold it. */
    public Optional<String> holder(String group) {
        List<String> h = holders(group);
        return h.size() == 1 ? Optional.of(h.get(0)) : Optional.empty();
    }

    /** The first time at or after {@code from} when {@code node} began to hold {@code group}; empty if it never did. */
    public Optional<Long> firstHeldBy(String group, String node, long from) {
        for (Holding h : holdings(group)) {
            if (h.node().equals(node) && h.to() > from) return Optional.of(Math.max(h.from(), from));
        }
        return Optional.empty();
    }

    /** How long, within [from, to), nobody held {@code group}. */
    public long outageNanos(String group, long from, long to) {
        return coverage(group, from, to, 0);
    }

    /** How long, within [from, to), two or more nodes held {@code group} at once. */
    public long doubleHolderNanos(String group, long from, long to) {
        return coverage(group, from, to, 2);
    }

    /** A span of time, for the lab's outage and double-holder shading. */
    public record Window(long from, long to) {
    }

    /** The spans within [from, to) in which nobody held {@code group}. */
    public List<Window> outageWindows(String group, long from, long to) {
        return windows(group, from, to, 0);
    }

    /** The spans within [from, to) in which two or more nodes held {@code group}. */
    public List<Window> doubleHolderWindows(String group, long from, long to) {
        return windows(group, from, to, 2);
    }

    private List<Window> windows(String group, long from, long to, int count) {
        List<Window> out = new ArrayList<>();
        List<Holding> hs = holdings(group);
        TreeSet<Long> points = boundaries(hs, from, to);
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

    private static TreeSet<Long> boundaries(List<Holding> hs, long from, long to) {
        TreeSet<Long> points = new TreeSet<>();
        points.add(from);
        points.add(to);
        for (Holding h : hs) {
            if (h.from() > from && h.from() < to) points.add(h.from());
            if (h.to() > from && h.to() < to) points.add(h.to());
        }
        return points;
    }

    private static boolean matches(List<Holding> hs, long t, int count) {
        int n = 0;
        for (Holding h : hs) if (h.from() <= t && t < h.to()) n++;
        return count == 0 ? n == 0 : n >= count;
    }

    /** Time in [from, to) with exactly {@code count} holders (0), or at least {@code count} (2 and more). */
    private long coverage(String group, long from, long to, int count) {
        List<Holding> hs = holdings(group);
        long total = 0;
        Long prev = null;
        for (long p : boundaries(hs, from, to)) {
            if (prev != null && matches(hs, prev, count)) total += p - prev;
            prev = p;
        }
        return total;
    }
}
