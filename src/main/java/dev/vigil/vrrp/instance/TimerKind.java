package dev.vigil.vrrp.instance;

/**
 * The named one-shot timers an instance owns. {@link VrrpAction.SetTimer} replaces any pending timer
 * of the same kind; the glue fires it back through {@code onTimer(kind, now)}.
 *
 * <p>There is no preempt-delay timer: keepalived keeps {@code preempt_delay} as a deadline compared
 * when a lower-priority advert arrives (vrrp.c {@code vrrp_state_backup}); takeover still comes from
 * the Master_Down timer, which is why it lands at about preempt_delay + Master_Down_Interval
 * (keepalived.md §2.3).
 */
public enum TimerKind {
    /** RFC 5798 §6.2 Adver_Timer, armed only in MASTER. */
    ADVERT,
    /** RFC 5798 §6.2 Master_Down_Timer, armed only in BACKUP. */
    MASTER_DOWN,
    /** The second set of gratuitous ARPs/NAs, {@code garp_master_delay} after becoming master. */
    GARP_MASTER_DELAYED,
    /** The second set after a lower-priority advert, {@code garp_lower_prio_delay} later. */
    GARP_LOWER_PRIORITY_DELAYED
}
