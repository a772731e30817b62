package dev.vigil.vrrp.instance;

/**
 * Gratuitous ARP / unsolicited NA schedule of one instance (keepalived.conf {@code garp_master_*},
 * {@code garp_lower_prio_*}, defaulting to the {@code vrrp_garp_*} globals).
 *
 * @param masterDelayNanos {@code garp_master_delay}: second set after becoming master; 0 = none
 * @param masterRepeat {@code garp_master_repeat}: per address, per set
 * @param masterRefreshNanos {@code garp_master_refresh}: periodic refresh while master; 0 = off
 * @param masterRefreshRepeat {@code garp_master_refresh_repeat}
 * @param lowerPrioDelayNanos {@code garp_lower_prio_delay}: second set after a lower-priority advert; 0 = none
 * @param lowerPrioRepeat {@code garp_lower_prio_repeat}; 0 = send none on a lower-priority advert
 */
public record GarpSettings(
        long masterDelayNanos,
        int masterRepeat,
        long masterRefreshNanos,
        int masterRefreshRepeat,
        long lowerPrioDelayNanos,
        int lowerPrioRepeat) {

    private static final long SECOND = 1_000_000_000L;

    public GarpSettings {
        if (masterDelayNanos < 0 || masterRefreshNanos < 0 || lowerPrioDelayNanos < 0) {
            throw new IllegalArgumentException("GARP delays must not be negative");
        }
        if (masterRepeat < 0 || masterRefreshRepeat < 0 || lowerPrioRepeat < 0) {
            throw new IllegalArgumentException("GARP repeats must not be negative");
        }
    }

    /**
     * keepalived 2.2.7's defaults: 5 per address, 5 more after 5 s, no refresh (1 per refresh when
     * enabled); the lower-priority settings inherit the master ones when unset (vrrp.c
     * {@code vrrp_complete_init}), so 5 + 5 after 5 s there too (keepalived.md §1.5).
     */
    public static GarpSettings keepalivedDefaults() {
        return new GarpSettings(5 * SECOND, 5, 0, 1, 5 * SECOND, 5);
    }

    /** {@code vrrp_strict}: keepalived sends no lower-priority GARPs in strict mode. */
    public static GarpSettings strictDefaults() {
        return new GarpSettings(5 * SECOND, 5, 0, 1, 0, 0);
    }
}
