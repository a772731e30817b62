package dev.vigil.heartbeat.membership;

/**
 * The two facts about the local host that go into every message and are not protocol state: the
 * wall-clock time for the {@code ts} field ({@code time(NULL)}, hex) and the load average for the
 * {@code ld} field (first line of {@code /proc/loadavg}). Injected so the state machine stays pure
 * and a simulation can pin both.
 */
public interface HostProbe {

    /** Seconds since the epoch at monotonic time {@code nowNanos}. */
    long epochSeconds(long nowNanos);

    /** The {@code ld} field; heartbeat writes {@code n/a} when it cannot read {@code /proc/loadavg}. */
    String loadAverage();

    /**
     * A probe whose wall clock is {@code epochSecondsAtZero} at monotonic time 0 and advances with it,
     * and whose load average never changes: what tests and the simulation use.
     */
    static HostProbe fixed(long epochSecondsAtZero, String loadAverage) {
        return new HostProbe() {
            @Override
            public long epochSeconds(long nowNanos) {
                return epochSecondsAtZero + Math.floorDiv(nowNanos, 1_000_000_000L);
            }

            @Override
            public String loadAverage() {
                return loadAverage;
            }
        };
    }
}
