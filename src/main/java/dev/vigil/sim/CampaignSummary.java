package dev.vigil.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fault campaign run amounts to, in one line both modes print the same way:
 *
 * <pre>
 * CAMPAIGN mode=vrrp seeds=300 [1..300] faults=1841 {delay=190, kill=201, ...} violations=0
 *   worst-outage=3.6156s (seed 17) worst-double-holder=0.0001s (seed 5) worst-split=9.2301s (seed 40)
 * </pre>
 *
 * (on one line). {@code worst-outage} and {@code worst-double-holder} are the longest windows outside
 * the spans the campaign excuses (the network split or lossy, no node able to hold);
 * {@code worst-split} is the longest double-holder window counting those spans, what a partition
 * costs. Every violation is kept with its seed, so a failure replays from the seed alone.
 */
public final class CampaignSummary {

    private final String mode;
    private final String replayHint;
    private final Map<String, Long> faults = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long seeds;
    private long firstSeed = Long.MAX_VALUE;
    private long lastSeed = Long.MIN_VALUE;
    private final Worst outage = new Worst();
    private final Worst doubleHolder = new Worst();
    private final Worst split = new Worst();

    private static final class Worst {
        long nanos = -1;
        long seed;

        void offer(long seed, long n) {
            if (n > nanos) {
                nanos = n;
                this.seed = seed;
            }
        }

        String show() {
            return nanos < 0 ? "none" : CampaignChecks.seconds(nanos) + " (seed " + seed + ")";
        }
    }

    /**
     * @param mode       {@code vrrp} or {@code heartbeat}
     * @param replayHint how to replay one seed, e.g. {@code -Dvigil.campaign.vrrp.seed=SEED}
     */
    public CampaignSummary(String mode, String replayHint) {
        this.mode = mode;
        this.replayHint = replayHint;
    }

    public synchronized void seed(long seed) {
        seeds++;
        firstSeed = Math.min(firstSeed, seed);
        lastSeed = Math.max(lastSeed, seed);
    }

    public synchronized void fault(String kind) {
        faults.merge(kind, 1L, Long::sum);
    }

    public synchronized void violation(long seed, String text) {
        violations.add("seed " + seed + ": " + text);
    }

    public synchronized void violations(long seed, List<String> texts) {
        texts.forEach(t -> violation(seed, t));
    }

    public synchronized void outage(long seed, long nanos) {
        outage.offer(seed, nanos);
    }

    public synchronized void doubleHolder(long seed, long nanos) {
        doubleHolder.offer(seed, nanos);
    }

    public synchronized void split(long seed, long nanos) {
        split.offer(seed, nanos);
    }

    public synchronized long faultCount() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Long> faultsByKind() {
        return Map.copyOf(faults);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized long worstOutageNanos() {
        return outage.nanos;
    }

    public synchronized long worstDoubleHolderNanos() {
        return doubleHolder.nanos;
    }

    /** The summary line. */
    public synchronized String line() {
        StringBuilder f = new StringBuilder("{");
        faults.forEach((k, v) -> f.append(f.length() > 1 ? ", " : "").append(k).append('=').append(v));
        f.append('}');
        return String.format(Locale.ROOT,
                "CAMPAIGN mode=%s seeds=%d [%d..%d] faults=%d %s violations=%d worst-outage=%s worst-double-holder=%s worst-split=%s replay=%s",
                mode, seeds, seeds == 0 ? 0 : firstSeed, seeds == 0 ? 0 : lastSeed, faultCount(), f, violations.size(),
                outage.show(), doubleHolder.show(), split.show(), replayHint);
    }
}
