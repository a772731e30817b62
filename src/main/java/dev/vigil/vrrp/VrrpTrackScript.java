package dev.vigil.vrrp;

import dev.vigil.config.keepalived.ScriptUser;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code vrrp_script} as the glue runs it: every {@code interval}, killed after {@code timeout},
 * its results counted by rise/fall ({@link dev.vigil.vrrp.instance.VrrpScriptState}).
 *
 * @param command  the argument vector (keepalived splits the quoted {@code script} line itself)
 * @param timeout  keepalived's default is the interval
 * @param user     {@code user USER [GROUP]}; empty for {@code script_user}'s default
 */
public record VrrpTrackScript(String name, List<String> command, Duration interval, Duration timeout, int rise,
                              int fall, boolean initFail, Optional<ScriptUser> user) {

    public VrrpTrackScript {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(user, "user");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        if (rise < 1 || fall < 1) throw new IllegalArgumentException("rise and fall must be at least 1");
    }

    /** A script with keepalived's defaults for everything but the command (interval 1 s, rise = fall = 1). */
    public static VrrpTrackScript of(String name, String... command) {
        return new VrrpTrackScript(name, List.of(command), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, false,
                Optional.empty());
    }
}
