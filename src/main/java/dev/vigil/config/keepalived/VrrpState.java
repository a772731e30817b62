package dev.vigil.config.keepalived;

/** The {@code state} an instance is configured to start in (keepalived accepts only these two). */
public enum VrrpState {
    MASTER, BACKUP
}
