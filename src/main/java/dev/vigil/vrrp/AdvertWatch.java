package dev.vigil.vrrp;

/**
 * Something below the router that can take a steady master's repeated adverts off a backup's hands:
 * it absorbs every frame equal to the one it was armed with (but for the IPv4 identification and
 * header checksum, which a master changes with every advert), restarts a Master_Down timer of its own
 * on each, and wakes the router ({@link VrrpRouter#onAdvertWatchExpired}) only when that timer runs
 * out. Any other frame still reaches the router as before.
 *
 * <p>Why: a backup has nothing to do with an advert that says what the last one said but move its
 * Master_Down deadline, and a user-space process that must look at least once per
 * Master_Down_Interval wakes 3 to 4 times a second at advert_int 0.1 for nothing
 * (docs/benchmarks.md, VRRP profiling, session 12). The daemon's implementation is an eBPF socket
 * filter that times every VRID's Master_Down with one {@code bpf_timer} ({@code KernelAdvertWatch});
 * the simulation and the router's tests use {@link #NONE} or a scheduler-timed one.
 *
 * <p>All calls come on the router's scheduler thread.
 */
public interface AdvertWatch {

    /** Adverts absorbed since the watch was armed: how many, and when the last came (scheduler time). */
    record Absorbed(long count, long lastNanos) {
        public static final Absorbed NONE = new Absorbed(0, Long.MIN_VALUE);
    }

    /** No watch: every frame reaches the router. */
    AdvertWatch NONE = new AdvertWatch() {
        @Override
        public boolean arm(String iface, int vrid, boolean ipv6, byte[] frame, long masterDownNanos) {
            return false;
        }

        @Override
        public Absorbed peek(String iface, int vrid, boolean ipv6) {
            return Absorbed.NONE;
        }

        @Override
        public Absorbed disarm(String iface, int vrid, boolean ipv6) {
            return Absorbed.NONE;
        }
    };

    /**
     * Starts absorbing frames equal to {@code frame} for this VRID and family on {@code iface}, each
     * restarting a timer of {@code masterDownNanos}; the count starts at 0. The timer first starts
     * with the first frame absorbed. Arming an armed VRID replaces what it watches for.
     *
     * @return false when this watch cannot (no watch on the interface, a frame too long for it)
     */
    boolean arm(String iface, int vrid, boolean ipv6, byte[] frame, long masterDownNanos);

    /** What was absorbed since the arm, the watch staying armed. */
    Absorbed peek(String iface, int vrid, boolean ipv6);

    /** Stops absorbing (frames equal to the armed one reach the router again); what was absorbed since the arm. */
    Absorbed disarm(String iface, int vrid, boolean ipv6);
}
