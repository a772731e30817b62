package dev.vigil.resource;

import java.util.List;

/**
 * How one resource operation ended, as the resource layer consumes it.
 *
 * @param success  start/stop/restart: the script exited 0 within its timeout
 * @param running  status: the resource runs (heartbeat's text rule for scripts, "the address is
 *                 on an interface" for in-process addresses); false for other operations
 * @param timedOut the process group was killed because the operation's timeout passed
 * @param exitCode the exit status (-1 when it never started or the operation ran in-process)
 * @param output   the last lines of output, for the console and {@code vigil resource status}
 * @param detail   one line for the log: why it failed, or what was done
 */
public record OpOutcome(boolean success, boolean running, boolean timedOut, int exitCode, List<String> output, String detail) {
    public OpOutcome {
        output = List.copyOf(output);
        detail = detail == null ? "" : detail;
    }

    public static OpOutcome ok(String detail) {
        return new OpOutcome(true, false, false, 0, List.of(), detail);
    }

    public static OpOutcome failed(String detail) {
        return new OpOutcome(false, false, false, -1, List.of(), detail);
    }

    public static OpOutcome status(boolean running, String detail) {
        return new OpOutcome(true, running, false, 0, List.of(), detail);
    }

    public static OpOutcome timedOut(String detail) {
        return new OpOutcome(false, false, true, -1, List.of(), detail);
    }
}
