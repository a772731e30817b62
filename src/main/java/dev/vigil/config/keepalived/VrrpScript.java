package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@code vrrp_script NAME { ... }} block. Defaults are keepalived 2.2.7's (its {@code -d} dump):
 * interval 1 s, no timeout of its own (0 = the interval is the limit), weight 0 (a failure puts the
 * tracking instances in FAULT), rise 1, fall 1.
 *
 * <p>Weight arithmetic (measured with keepalived 2.2.7, priority 100 and weight 10):
 * {@code weight 10}: +10 while the script succeeds; {@code weight -10}: -10 while it fails;
 * {@code weight 10 reverse}: -10 while it succeeds; {@code weight -10 reverse}: +10 while it fails.
 * See {@link #priorityDelta}.
 */
public record VrrpScript(String name, Optional<ScriptCommand> command, Duration interval, Optional<Duration> timeout,
                         int weight, boolean weightReverse, int rise, int fall, boolean initFail,
                         Optional<ScriptUser> user, SourceLocation location, Optional<SourceLocation> weightLocation) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    /**
     * What a tracked script with this weight adds to an instance's priority: a positive weight
     * counts while the script is up, a negative one while it is down, and {@code reverse} flips the
     * sign of the adjustment.
     */
    public static int priorityDelta(int weight, boolean reverse, boolean scriptUp) {
        if (weight > 0 && scriptUp) return reverse ? -weight : weight;
        if (weight < 0 && !scriptUp) return reverse ? -weight : weight;
        return 0;
    }
}
