package dev.vigil.vrrp.instance;

/** Why an instance changed state; carried by {@link VrrpAction.Transition} for logs and the console. */
public enum TransitionReason {
    /** start(): the RFC 5798 §6.4.1 Startup event, through keepalived's "Entering BACKUP STATE (init)". */
    STARTUP,
    /** Priority 255 at startup (RFC 5798 §6.4.1) or when recovering from FAULT (keepalived try_up_instance). */
    ADDRESS_OWNER,
    /** The Master_Down timer fired in BACKUP (RFC 5798 §6.4.2). */
    MASTER_DOWN_TIMER,
    /** A higher-priority advert, or an equal one from a higher primary address, reached the master (RFC 5798 §6.4.3). */
    HIGHER_PRIORITY_ADVERT,
    /** A weight-0 tracked script or interface went down (keepalived FAULT, keepalived.md §2.3). */
    TRACKING_FAULT,
    /** Every weight-0 tracked script and interface is up again. */
    TRACKING_RECOVERED,
    /** Moved by a sibling of its {@code vrrp_sync_group} (keepalived.md §2.4). */
    SYNC_GROUP,
    /** shutdown(). */
    SHUTDOWN
}
