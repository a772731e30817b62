package dev.vigil.heartbeat.rm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Which nodes really ran which resource when: the truth the simulated scripts keep, for "never held by both" checks. */
final class HolderTimeline {
    record Change(long atNanos, String node, String resource, boolean running) {}

    final List<Change> changes = new ArrayList<>();

    void record(long at, String node, String resource, boolean running) {
        changes.add(new Change(at, node, resource, running));
    }

    /** Nodes running the resource right after all changes up to {@code at}. */
    Set<String> holdersAt(String resource, long at) {
        Set<String> holders = new LinkedHashSet<>();
        for (Change c : changes) {
            if (c.atNanos > at) break;
            if (!c.resource.equals(resource)) continue;
            if (c.running) holders.add(c.node); else holders.remove(c.node);
        }
        return holders;
    }

    Set<String> holdersNow(String resource) {
        return holdersAt(resource, Long.MAX_VALUE);
    }

    /** Total time (ns) during which more than one node ran the resource, within [from, to). */
    long overlapNanos(String resource, long from, long to) {
        TreeMap<Long, Integer> delta = new TreeMap<>();
        Set<String> holders = new LinkedHashSet<>();
        long overlap = 0;
        long last = from;
        int count = 0;
        for (Change c : changes) {
            if (!c.resource.equals(resource)) continue;
            long t = Math.max(from, Math.min(to, c.atNanos));
            if (count > 1) overlap += t - last;
            last = t;
            if (c.running) holders.add(c.node); else holders.remove(c.node);
            count = holders.size();
        }
        if (count > 1 && to > last) overlap += to - last;
        delta.clear();
        return overlap;
    }

    /** The first time at or after {@code from} when exactly {@code node} runs the resource, or -1. */
    long firstTimeHeldOnlyBy(String resource, String node, long from) {
        Set<String> holders = new LinkedHashSet<>();
        for (Change c : changes) {
            if (!c.resource.equals(resource)) continue;
            if (c.running) holders.add(c.node); else holders.remove(c.node);
            if (c.atNanos >= from && holders.size() == 1 && holders.contains(node)) return c.atNanos;
        }
        if (holders.size() == 1 && holders.contains(node)) return from;
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) sb.append(String.format("%.3f %s %s %s%n", c.atNanos / 1e9, c.node, c.resource, c.running ? "UP" : "down"));
        return sb.toString();
    }
}
