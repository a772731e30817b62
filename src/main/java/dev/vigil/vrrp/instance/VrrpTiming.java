package dev.vigil.vrrp.instance;

/**
 * Skew_Time and Master_Down_Interval (RFC 3768 §6.1, RFC 5798 §6.1), computed exactly as keepalived
 * 2.2.7 does (include/vrrp.h {@code VRRP_TIMER_SKEW_CALC}, {@code VRRP_MS_DOWN_TIMER}): in integer
 * microseconds, truncating, then converted to nanoseconds.
 *
 * <ul>
 *   <li>v2: Skew_Time = (256 − priority) / 256 <em>seconds</em>, whatever the interval.</li>
 *   <li>v3: Skew_Time = (256 − priority) × Master_Adver_Interval / 256 centiseconds; keepalived evaluates
 *       it as {@code (256 − p) × cs × 625 / 16} µs. With RFC 5798's integer centiseconds a 0.01 s
 *       interval would give a skew of 0 (156 × 1 / 256 = 0 cs) and a 30 ms down interval; keepalived's
 *       microseconds give 6.093 ms and 36.093 ms, and the lab measured 36.5–38.8 ms (keepalived.md §4.1),
 *       so microseconds it is.</li>
 *   <li>Master_Down_Interval = {@code down_timer_adverts} (3 per the RFCs) × Master_Adver_Interval + Skew_Time.</li>
 * </ul>
 *
 * The skew uses the <em>effective</em> priority, as keepalived does.
 */
public final class VrrpTiming {

    /** keepalived TIMER_CENTI_HZ: microseconds in a centisecond. */
    private static final long MICROS_PER_CENTI = 10_000;
    private static final long NANOS_PER_MICRO = 1_000;

    private VrrpTiming() {
    }

    /** An interval in centiseconds as nanoseconds. */
    public static long centisToNanos(int centis) {
        return centis * MICROS_PER_CENTI * NANOS_PER_MICRO;
    }

    /**
     * Skew_Time in nanoseconds.
     *
     * @param version 2 or 3
     * @param priority the local effective priority, 0..255
     * @param masterAdverCentis Master_Adver_Interval in centiseconds (only v3 uses it)
     */
    public static long skewNanos(int version, int priority, int masterAdverCentis) {
        long weight = 256L - priority;
        long micros = version == 3
                ? (weight * masterAdverCentis * 625L) / 16L
                : (weight * 1_000_000L) / 256L;
        return micros * NANOS_PER_MICRO;
    }

    /** Master_Down_Interval in nanoseconds. */
    public static long masterDownIntervalNanos(int version, int priority, int masterAdverCentis, int downTimerAdverts) {
        return downTimerAdverts * centisToNanos(masterAdverCentis) + skewNanos(version, priority, masterAdverCentis);
    }
}
