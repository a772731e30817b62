package dev.vigil.heartbeat;

import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceOp;
import java.util.concurrent.CompletionStage;

/**
 * Runs one operation of one haresources resource ({@code IPaddr2::10.0.0.1/24/eth0 start}) for a
 * {@link HeartbeatNode}. Implementations never block the caller; the stage may complete on any
 * thread (the node hops back onto its scheduler) and should not complete exceptionally: a failure
 * is an {@link OperationResult} with {@code success=false}.
 */
@FunctionalInterface
public interface ResourceExecutor {

    /**
     * @param group the group's key (its first resource)
     * @param resource the resource as haresources names it, e.g. {@code IPaddr2::10.0.0.1/24/eth0} or {@code apache}
     */
    CompletionStage<OperationResult> run(String group, String resource, ResourceOp op);
}
