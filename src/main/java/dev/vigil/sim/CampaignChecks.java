package dev.vigil.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The invariants a fault campaign holds a {@link HolderTimeline} to, shared by both modes' campaigns:
 *
 * <ul>
 *   <li>at most one holder of each resource, except for windows no longer than a bound the protocol
 *       timers give (for VRRP: one advert interval plus the network's delay, the time a master needs
 *       to hear a higher priority), and except while the network itself is split or lossy: neither
 *       VRRP nor heartbeat v1 has quorum or fencing, so a partition legitimately gives each side a
 *       holder; those spans are passed in as <em>excused</em> and only the part of a window outside
 *       them counts;</li>
 *   <li>no outage longer than the failover bound (for VRRP: one advert interval plus the
 *       Master_Down_Interval of the lowest priority, RFC 5798 §6.4.2, plus the network's delay) while
 *       some node could hold the resource;</li>
 *   <li>once settled, exactly the expected holder, without a change.</li>
 * </ul>
 *
 * Each check returns the windows it measured, so the campaign's summary can report the worst ones.
 */
public final class CampaignChecks {

    private CampaignChecks() {
    }

    /** What one window check found: the worst window, the worst part outside the excused spans, and the violations. */
    public record WindowCheck(long worstNanos, long worstUnexcusedNanos, List<String> violations) {
    }

    /**
     * Double-holder windows of {@code resource} within [from, to): a violation when the part of a
     * window outside {@code excused} is longer than {@code boundNanos}.
     */
    public static WindowCheck doubleHolders(HolderTimeline t, String resource, long from, long to, long boundNanos,
                                            List<HolderTimeline.Window> excused) {
        return check("double holder", t.doubleHolders(resource, from, to), t, resource, boundNanos, excused);
    }

    /**
     * Outage windows of {@code resource} within [from, to): a violation when the part of a window
     * outside {@code excused} (spans in which no node could hold it) is longer than {@code boundNanos}.
     */
    public static WindowCheck outages(HolderTimeline t, String resource, long from, long to, long boundNanos,
                                      List<HolderTimeline.Window> excused) {
        return check("outage", t.outages(resource, from, to), t, resource, boundNanos, excused);
    }

    private static WindowCheck check(String what, List<HolderTimeline.Window> windows, HolderTimeline t, String resource,
                                     long boundNanos, List<HolderTimeline.Window> excused) {
        long worst = 0;
        long worstUnexcused = 0;
        List<String> violations = new ArrayList<>();
        for (HolderTimeline.Window w : windows) {
            worst = Math.max(worst, w.length());
            long unexcused = w.length() - overlap(w, excused);
            worstUnexcused = Math.max(worstUnexcused, unexcused);
            if (unexcused > boundNanos) {
                violations.add(String.format(Locale.ROOT, "%s of %s for %s over [%s, %s) (bound %s; holders %s)", what, resource,
                        seconds(unexcused), seconds(w.from()), seconds(w.to()), seconds(boundNanos),
                        t.holdersAt(resource, w.from())));
            }
        }
        return new WindowCheck(worst, worstUnexcused, violations);
    }

    /**
     * At {@code at}, exactly one node holds {@code resource} and it is one of {@code allowed}; empty
     * when so, else the violation.
     */
    public static List<String> holderAt(HolderTimeline t, String resource, long at, Set<String> allowed, String why) {
        List<String> h = t.holdersAt(resource, at);
        if (h.size() == 1 && allowed.contains(h.get(0))) return List.of();
        return List.of(String.format(Locale.ROOT, "%s held by %s at %s, expected one of %s (%s)", resource, h, seconds(at),
                allowed, why));
    }

    /** Over [from, to) one node held {@code resource} throughout: the cluster had settled. */
    public static List<String> steady(HolderTimeline t, String resource, long from, long to) {
        List<HolderTimeline.Hold> overlapping = t.holds(resource).stream().filter(h -> h.from() < to && h.to() > from).toList();
        if (overlapping.size() == 1 && overlapping.get(0).from() <= from && overlapping.get(0).to() >= to) return List.of();
        return List.of(String.format(Locale.ROOT, "%s not settled over [%s, %s): holds %s", resource, seconds(from), seconds(to),
                overlapping));
    }

    /** How much of {@code w} the (possibly overlapping) {@code cover} windows cover. */
    static long overlap(HolderTimeline.Window w, List<HolderTimeline.Window> cover) {
        List<HolderTimeline.Window> sorted = new ArrayList<>(cover);
        sorted.sort(Comparator.comparingLong(HolderTimeline.Window::from));
        long covered = 0;
        long reach = w.from();
        for (HolderTimeline.Window c : sorted) {
            long s = Math.max(c.from(), reach);
            long e = Math.min(c.to(), w.to());
            if (e > s) {
                covered += e - s;
                reach = e;
            }
        }
        return covered;
    }

    /** Nanoseconds as seconds with millisecond precision plus a tenth, for messages and summaries. */
    public static String seconds(long nanos) {
        if (nanos == Long.MAX_VALUE) return "end";
        return String.format(Locale.ROOT, "%.4fs", nanos / 1e9);
    }
}
