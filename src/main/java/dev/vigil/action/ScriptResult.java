package dev.vigil.action;

import java.time.Duration;
import java.util.List;

/**
 * How one run of a script ended.
 *
 * @param exitCode  the exit status; for a process ended by a signal, 128 + signal, as a shell reports it
 * @param timedOut  true when Vigil killed the process group because the timeout passed
 * @param output    the last lines of combined stdout and stderr (bounded; for logs and the console)
 * @param elapsed   wall time from start to exit
 * @param startError set when the script could not be started at all (missing, not executable)
 */
public record ScriptResult(int exitCode, boolean timedOut, List<String> output, Duration elapsed, String startError) {

    public boolean succeeded() {
        return startError == null && !timedOut && exitCode == 0;
    }

    public static ScriptResult notStarted(String why) {
        return new ScriptResult(-1, false, List.of(), Duration.ZERO, why);
    }

    /** The output as one string, as heartbeat's ResourceManager matches it. */
    public String outputText() {
        return String.join("\n", output);
    }
}
