package dev.vigil.vrrp.instance;

/**
 * The states of a VRRP instance as keepalived names them: the three RFC states (RFC 5798 §6.4.1–§6.4.3,
 * RFC 3768 §6.4) plus keepalived's FAULT and STOP (keepalived.md §2.3, §2.4). The {@code notify}
 * argument the glue passes to scripts is {@link #name()} (INIT never reaches a script).
 */
public enum VrrpState {
    /** Not started yet, or started and waiting for the first result of a weight-0 tracked script. */
    INIT,
    /** RFC 5798 §6.4.2: listens for the master, takes over when the Master_Down timer fires. */
    BACKUP,
    /** RFC 5798 §6.4.3: holds the virtual addresses and advertises every Advertisement_Interval. */
    MASTER,
    /** keepalived: a tracked interface or weight-0 script is down; sends nothing, holds nothing. */
    FAULT,
    /** keepalived: shut down; terminal. */
    STOP
}
