package dev.vigil.resource;

import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.time.Duration;

/** An operation on one resource script, named as the script's argument ({@code SCRIPT arg... start}). */
public enum ResourceOperation {
    START("start"),
    STOP("stop"),
    /** Whether the resource runs; read from the script's output with heartbeat's rule ({@link HeartbeatStatusRule}). */
    STATUS("status"),
    /** The script's own {@code restart} (LSB init scripts have one); else the layer runs stop then start. */
    RESTART("restart");

    private final String argument;

    ResourceOperation(String argument) {
        this.argument = argument;
    }

    public String argument() {
        return argument;
    }

    /** The timeout the policy gives this operation (a monitor poll uses {@code monitor_timeout} instead of {@code status_timeout}). */
    public Duration timeout(ResourcePolicy policy) {
        return switch (this) {
            case START -> policy.startTimeout();
            case STOP -> policy.stopTimeout();
            case STATUS -> policy.statusTimeout();
            case RESTART -> policy.restartTimeout();
        };
    }
}
