package dev.vigil.heartbeat.rm;

/** A resource script operation, named as the script's argument. */
public enum ResourceOp {
    START("start"),
    STOP("stop"),
    /** Whether it runs: decided from the script's stdout, not its exit code ({@code HeartbeatStatusRule}). */
    STATUS("status");

    private final String argument;

    ResourceOp(String argument) {
        this.argument = argument;
    }

    public String argument() {
        return argument;
    }
}
