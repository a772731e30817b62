package dev.vigil.resource;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Runs one operation of one resource for the resource layer: off the caller's thread, the process
 * group killed after {@code timeout}. The stage completes normally on any thread; a failure is an
 * {@link OpOutcome} with {@code success=false}. Operations on the same resource run one after the
 * other (a monitor poll and heartbeat's own stop never overlap).
 */
public interface ResourceOps {

    CompletionStage<OpOutcome> run(String resource, ResourceOperation op, Duration timeout);

    /** Whether the resource's script has its own {@code restart} (LSB init scripts do; heartbeat resource.d scripts mostly not). */
    boolean hasRestart(String resource);
}
