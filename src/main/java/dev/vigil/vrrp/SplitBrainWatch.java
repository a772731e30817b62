package dev.vigil.vrrp;

import dev.vigil.vrrp.instance.VrrpState;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells when two masters for one VRID have been seen for longer than one advertisement interval.
 * A master that hears another master's advert of lower priority (or equal priority from a lower
 * address) keeps the role and answers with an advert (RFC 3768 §6.4.3, keepalived's "forcing new
 * election"); normally the other one hears it and steps down before its next advert. When it keeps
 * advertising as master longer than one interval it does not hear us (a one-way link, a filter
 * dropping VRRP in one direction): both nodes hold the addresses. keepalived only logs each advert
 * ("Received advert ... with lower priority"); Vigil raises one split-brain alert per episode.
 *
 * <p>An episode is one other master's run of adverts while this instance is MASTER; it ends when
 * this instance leaves MASTER or that master stays silent for three advert intervals (it stepped
 * down or died), so the next occurrence alerts again. Runs on the router's thread; reads the
 * router's status, nothing else.
 */
public final class SplitBrainWatch implements VrrpRouter.Listener {

    /**
     * One split brain.
     *
     * @param sinceNanos when the other master's first advert in this episode arrived
     * @param atNanos    when it was seen for longer than one advert interval (the alert's time)
     */
    public record SplitBrain(String instance, int vrid, InetAddress otherMaster, int otherPriority, int ourPriority,
                             long sinceNanos, long atNanos, Instant at) {
        /** One line for the log and the event stream. */
        public String text() {
            return "(" + instance + ") split brain: " + otherMaster.getHostAddress() + " also advertises as master for VRID " + vrid
                    + " (priority " + otherPriority + ", ours " + ourPriority + ") for " + (atNanos - sinceNanos) / 1_000_000
                    + " ms; it does not hear this node's adverts";
        }
    }

    private record Episode(InetAddress source, long firstNanos, long lastNanos, boolean reported) {
    }

    private final VrrpRouter router;
    private final List<Consumer<SplitBrain>> sinks = new CopyOnWriteArrayList<>();
    private final Map<String, Episode> episodes = new HashMap<>();
    private long alerts;

    public SplitBrainWatch(VrrpRouter router) {
        this.router = Objects.requireNonNull(router);
        router.addListener(this);
    }

    /** Receives each split brain once per episode, on the router's thread; must not block. */
    public SplitBrainWatch onSplitBrain(Consumer<SplitBrain> sink) {
        sinks.add(Objects.requireNonNull(sink));
        return this;
    }

    @Override
    public void masterReceivedLowerPriority(String instance, InetAddress source, int priority, long atNanos) {
        VrrpRouter.InstanceStatus st = router.instance(instance).orElse(null);
        if (st == null || st.state() != VrrpState.MASTER) return;
        long interval = st.advertIntervalCentis() * 10_000_000L;
        Episode e = episodes.get(instance);
        if (e == null || !e.source().equals(source) || atNanos - e.lastNanos() > 3 * interval) {
            e = new Episode(source, atNanos, atNanos, false);
        } else {
            e = new Episode(source, e.firstNanos(), atNanos, e.reported());
        }
        if (!e.reported() && atNanos - e.firstNanos() > interval) {
            e = new Episode(source, e.firstNanos(), atNanos, true);
            alerts++;
            SplitBrain sb = new SplitBrain(instance, st.vrid(), source, priority, st.effectivePriority(), e.firstNanos(), atNanos,
                    router.wallTime(atNanos));
            for (Consumer<SplitBrain> s : sinks) {
                try {
                    s.accept(sb);
                } catch (RuntimeException ex) {
                    // one failing sink (a closed event stream) must not silence the others
                }
            }
        }
        episodes.put(instance, e);
    }

    @Override
    public void instanceTransition(VrrpRouter.InstanceTransition t) {
        if (t.to() != VrrpState.MASTER) episodes.remove(t.instance());
    }

    /** Split brains reported since start. */
    public long alerts() {
        return alerts;
    }
}
