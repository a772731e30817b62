package dev.vigil.vrrp;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long received frames waited between the pcap thread and the event loop. A backup re-arms its
 * Master_Down timer when it processes an advert, so every millisecond of wait here moves its
 * takeover later; at advert_int 0.01 the whole budget is 36 ms (keepalived.md §2.1).
 */
public final class LagMeter {

    /** Waits longer than this are counted as late. */
    static final long LATE_NANOS = 10_000_000L;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();

    public void record(long nanos) {
        count.incrementAndGet();
        if (nanos > LATE_NANOS) late.incrementAndGet();
        if (nanos > maxNanos.get()) maxNanos.accumulateAndGet(nanos, Math::max); // rarely a new maximum
    }

    public JsonObject toJson() {
        return new JsonObject().put("frames", count.get()).put("over10ms", late.get())
                .put("maxMs", maxNanos.get() / 1_000_000.0);
    }
}
