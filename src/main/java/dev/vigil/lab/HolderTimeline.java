package dev.vigil.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Who held a resource (a VIP, a resource group) when, built from "node took it at t" and "node
 * released it at t" records. The lab draws it; the lab and the fault campaign measure from it the
 * outage windows (nobody holds it, after someone first did) and the double-holder windows (two or
 * more hold it: split brain).
 */
public final class HolderTimeline {

    /** One node holding the resource over [from, to). */
    public record Hold(String node, long from, long to) {
    }

    /** A span of time [from, to). */
    public record Window(long from, long to) {
        public long length() {
            return to - from;
        }
    }

    private final Map<String, Long> heldSince = new HashMap<>();
    private final List<Hold> holds = new ArrayList<>();

    public void acquired(String node, long at) {
        heldSince.putIfAbsent(node, at);
    }

    public void released(String node, long at) {
        Long since = heldSince.remove(node);
        if (since != null && at > since) holds.add(new Hold(node, since, at));
    }

    /** Closes every open hold at {@code end}, and returns all holds in start order. */
    public List<Hold> holds(long end) {
        List<Hold> all = new ArrayList<>(holds);
        heldSince.forEach((node, since) -> {
            if (end > since) all.add(new Hold(node, since, end));
        });
        all.sort(Comparator.comparingLong(Hold::from).thenComparing(Hold::node));
        return all;
    }

    /** Windows where no node held the resource, from the first acquisition up to {@code end}. */
    public List<Window> outages(long end) {
        return windowsWhere(end, n -> n == 0);
    }

    /** Windows where two or more nodes held the resource. */
    public List<Window> doubleHolders(long end) {
        return windowsWhere(end, n -> n >= 2);
    }

    /** Who holds it at {@code end} (empty when nobody; several names when split). */
    public List<String> holdersAt(long t, long end) {
        List<String> r = new ArrayList<>();
        for (Hold h : holds(end)) if (h.from() <= t && t < h.to()) r.add(h.node());
        if (t == end) heldSince.keySet().stream().sorted().forEach(n -> {
            if (!r.contains(n)) r.add(n);
        });
        return r;
    }

    /** The first time after {@code after} at which {@code node} started holding it. */
    public Optional<Long> firstAcquisition(String node, long after, long end) {
        return holds(end).stream().filter(h -> h.node().equals(node) && h.from() >= after).map(Hold::from).findFirst();
    }

    public static long total(List<Window> windows) {
        return windows.stream().mapToLong(Window::length).sum();
    }

    private List<Window> windowsWhere(long end, java.util.function.IntPredicate count) {
        List<Hold> all = holds(end);
        if (all.isEmpty()) return List.of();
        TreeSet<Long> points = new TreeSet<>();
        for (Hold h : all) {
            points.add(h.from());
            points.add(h.to());
        }
        points.add(end);
        long start = all.get(0).from();
        List<Window> out = new ArrayList<>();
        Long prev = null;
        for (long p : points) {
            if (p < start) continue;
            if (prev != null && p > prev) {
                long mid = prev;
                int n = 0;
                for (Hold h : all) if (h.from() <= mid && mid < h.to()) n++;
                if (count.test(n)) {
                    if (!out.isEmpty() && out.get(out.size() - 1).to() == prev) {
                        out.set(out.size() - 1, new Window(out.get(out.size() - 1).from(), p));
                    } else {
                        out.add(new Window(prev, p));
                    }
                }
            }
            prev = p;
        }
        return out;
    }
}
