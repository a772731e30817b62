package dev.vigil.heartbeat.rm;

/**
 * The outcome of a {@link RmAction.RunResource}, fed back with
 * {@link ResourceManager#operationFinished}.
 *
 * @param success start/stop: exit code 0; ignored for status
 * @param running status: {@code HeartbeatStatusRule.isRunning(stdout)}; ignored for start/stop
 */
public record OperationResult(String group, String resource, ResourceOp op, boolean success, boolean running) {
    public static OperationResult started(String group, String resource, boolean success) {
        return new OperationResult(group, resource, ResourceOp.START, success, false);
    }

    public static OperationResult stopped(String group, String resource, boolean success) {
        return new OperationResult(group, resource, ResourceOp.STOP, success, false);
    }

    public static OperationResult status(String group, String resource, boolean running) {
        return new OperationResult(group, resource, ResourceOp.STATUS, true, running);
    }
}
