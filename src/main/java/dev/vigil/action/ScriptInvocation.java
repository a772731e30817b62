package dev.vigil.action;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A script to run: the argument vector (no shell involved, so arguments from configuration files
 * are never re-split or interpreted), extra environment, and limits.
 *
 * @param command        program and arguments
 * @param environment    added to a minimal environment (PATH, LANG=C), not to the daemon's own
 * @param workingDir     null for {@code /}
 * @param timeout        after this the whole process group gets SIGTERM ...
 * @param killGrace      ... and SIGKILL this much later if anything is left
 * @param maxOutputLines how many trailing lines of output to keep
 */
public record ScriptInvocation(List<String> command, Map<String, String> environment, Path workingDir,
                               Duration timeout, Duration killGrace, int maxOutputLines) {

    public ScriptInvocation {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(killGrace, "killGrace");
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
    }

    public static ScriptInvocation of(Duration timeout, String... command) {
        return new ScriptInvocation(List.of(command), Map.of(), null, timeout, Duration.ofSeconds(2), 50);
    }

    public ScriptInvocation withEnvironment(Map<String, String> env) {
        return new ScriptInvocation(command, env, workingDir, timeout, killGrace, maxOutputLines);
    }

    public ScriptInvocation withKillGrace(Duration grace) {
        return new ScriptInvocation(command, environment, workingDir, timeout, grace, maxOutputLines);
    }
}
