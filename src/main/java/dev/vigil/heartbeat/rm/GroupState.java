package dev.vigil.heartbeat.rm;

/** Where one resource group stands on this node. */
public enum GroupState {
    STOPPED,
    /** Checking status and starting resources left to right. */
    STARTING,
    RUNNING,
    /** Stopping resources right to left, retrying failed stops. */
    STOPPING,
    /**
     * A stop failed after every retry and status still says running. heartbeat reboots here
     * ({@code RecoverFromFailedStop}); Vigil keeps the group claimed so the peer is never told to
     * start it, and waits for the operator ({@link ResourceManager#resolveFailedGroup}).
     */
    FAILED
}
