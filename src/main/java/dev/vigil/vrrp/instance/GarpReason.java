package dev.vigil.vrrp.instance;

/** Why a burst of gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) is requested (keepalived.md §1.5). */
public enum GarpReason {
    /** Just became master: {@code garp_master_repeat} per address, right after the VIPs are added. */
    BECOME_MASTER,
    /** {@code garp_master_delay} after becoming master: the second set. */
    MASTER_DELAYED,
    /** {@code garp_master_refresh}: periodic, checked when an advert is sent. */
    MASTER_REFRESH,
    /** A lower-priority advert reached the master: {@code garp_lower_prio_repeat}. */
    LOWER_PRIORITY,
    /** {@code garp_lower_prio_delay} after that: the second set. */
    LOWER_PRIORITY_DELAYED
}
