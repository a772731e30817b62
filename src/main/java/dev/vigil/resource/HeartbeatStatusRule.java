package dev.vigil.resource;

import java.util.regex.Pattern;

/**
 * How heartbeat v1 decides whether a resource is running: not from the exit code of
 * {@code script status}, which it ignores, but from the text the script prints
 * ({@code /usr/share/heartbeat/ResourceManager}, function {@code we_own_resource}; research
 * heartbeat.md 4.3). Its shell {@code case} has two patterns, tried in order:
 * <ol>
 *   <li>{@code *[Nn][Oo][Tt]\ *[Rr]unning*}: "not", a space, then "running" somewhere later: stopped;</li>
 *   <li>{@code *[Rr]unning*|*OK*}: running ("OK" only in capitals);</li>
 * </ol>
 * and anything else is stopped. Init scripts with other wording are therefore misread exactly as
 * heartbeat misreads them, which is what a migrated cluster expects.
 */
public final class HeartbeatStatusRule {

    // Shell glob '*' matches any characters including newlines, hence DOTALL.
    private static final Pattern NOT_RUNNING = Pattern.compile("(?s).*[Nn][Oo][Tt] .*[Rr]unning.*");
    private static final Pattern RUNNING = Pattern.compile("(?s).*([Rr]unning|OK).*");

    private HeartbeatStatusRule() {
    }

    public static boolean isRunning(String statusOutput) {
        if (NOT_RUNNING.matcher(statusOutput).matches()) return false;
        return RUNNING.matcher(statusOutput).matches();
    }
}
