package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code KEY=VALUE} words of a resource policy, shared by vigil.conf's {@code resource} /
 * {@code resource_defaults} lines and keepalived.conf's {@code vigil_resource} /
 * {@code vigil_resource_defaults} lines, so that one policy is written the same way in both modes.
 * Times are in heartbeat's notation ({@code 10}, {@code 1.5}, {@code 500ms}).
 */
public final class ResourcePolicyKeys {

    /** One {@code KEY=VALUE} word and where it was written. */
    public record Word(String text, SourceLocation at) {
    }

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("start_timeout", "time a `start` may take before its process group is killed (default 120 s)");
        KEYS.put("stop_timeout", "time a `stop` may take (default 120 s); a stop that times out is a failed stop");
        KEYS.put("status_timeout", "time a `status` may take (default 30 s)");
        KEYS.put("restart_timeout", "time a `restart` may take (default 240 s)");
        KEYS.put("monitor_interval", "poll `status` this often while the group runs here; 0 (default) is heartbeat's behaviour: no monitoring");
        KEYS.put("monitor_timeout", "a `status` poll taking longer counts as a failure (default 30 s)");
        KEYS.put("max_restarts", "restarts in place allowed within `restart_window` (default 3); one more failure gives the group to the peer");
        KEYS.put("restart_window", "the sliding window for `max_restarts` (default 300 s)");
    }

    private ResourcePolicyKeys() {
    }

    /** Every key with its reference note, in documentation order. */
    public static Map<String, String> keys() {
        return Collections.unmodifiableMap(KEYS);
    }

    /**
     * Reads {@code KEY=VALUE} words into typed values (Duration, or Integer for max_restarts).
     * Bad words are reported (unknown keys with a did-you-mean) and left out.
     */
    public static Map<String, Object> parse(List<Word> words, Diagnostics d) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Word t : words) {
            SourceLocation where = t.at();
            int eq = t.text().indexOf('=');
            if (eq <= 0) {
                d.error(where, "'" + t.text() + "' is not KEY=VALUE", "e.g. monitor_interval=10 max_restarts=3");
                continue;
            }
            String k = t.text().substring(0, eq).toLowerCase(Locale.ROOT);
            String v = t.text().substring(eq + 1);
            if (!KEYS.containsKey(k)) {
                d.error(where, "unknown resource key '" + k + "'", Suggestions.closest(k, KEYS.keySet())
                        .map(c -> "did you mean '" + c + "'?").orElse("keys: " + String.join(", ", KEYS.keySet())));
                continue;
            }
            if (k.equals("max_restarts")) {
                OptionalInt n = HeartbeatValues.parseInt(v);
                if (n.isEmpty() || n.getAsInt() < 0 || n.getAsInt() > 1000) {
                    d.error(where, "max_restarts must be a number from 0 to 1000, not '" + v + "'", null);
                } else {
                    keys.put(k, n.getAsInt());
                }
                continue;
            }
            Optional<Duration> t2 = HeartbeatValues.parseDuration(v);
            boolean zeroAllowed = k.equals("monitor_interval");
            if (t2.isEmpty() || (!zeroAllowed && t2.get().isZero())) {
                d.error(where, k + " must be a " + (zeroAllowed ? "" : "positive ") + "time, not '" + v + "'",
                        "seconds (10, 1.5) or milliseconds (500ms)");
            } else {
                keys.put(k, t2.get());
            }
        }
        return keys;
    }

    /** {@code base} with the keys given applied over it. */
    public static ResourcePolicy apply(ResourcePolicy base, Map<String, Object> keys, Optional<SourceLocation> at) {
        Duration start = (Duration) keys.getOrDefault("start_timeout", base.startTimeout());
        Duration stop = (Duration) keys.getOrDefault("stop_timeout", base.stopTimeout());
        Duration status = (Duration) keys.getOrDefault("status_timeout", base.statusTimeout());
        Duration restart = (Duration) keys.getOrDefault("restart_timeout", base.restartTimeout());
        Duration interval = (Duration) keys.getOrDefault("monitor_interval", base.monitorInterval());
        Duration monitorTimeout = (Duration) keys.getOrDefault("monitor_timeout", base.monitorTimeout());
        int maxRestarts = (Integer) keys.getOrDefault("max_restarts", base.maxRestarts());
        Duration window = (Duration) keys.getOrDefault("restart_window", base.restartWindow());
        return new ResourcePolicy(start, stop, status, restart, interval, monitorTimeout, maxRestarts, window, at);
    }

    /** Warnings about a complete policy that is legal but probably not meant. */
    public static void check(ResourcePolicy p, SourceLocation where, Diagnostics d) {
        if (p.monitored() && p.monitorInterval().toMillis() < 1000) {
            d.warning(where, "monitor_interval under 1 s runs the status script very often", "10 s or more is usual");
        }
    }

    /**
     * The same key as vigil.conf writes it, for a policy written back out ({@code vigil translate}):
     * only the keys that differ from {@code base}, in documentation order, times in seconds or ms.
     */
    public static String format(ResourcePolicy p, ResourcePolicy base) {
        StringBuilder sb = new StringBuilder();
        time(sb, "start_timeout", p.startTimeout(), base.startTimeout());
        time(sb, "stop_timeout", p.stopTimeout(), base.stopTimeout());
        time(sb, "status_timeout", p.statusTimeout(), base.statusTimeout());
        time(sb, "restart_timeout", p.restartTimeout(), base.restartTimeout());
        time(sb, "monitor_interval", p.monitorInterval(), base.monitorInterval());
        time(sb, "monitor_timeout", p.monitorTimeout(), base.monitorTimeout());
        if (p.maxRestarts() != base.maxRestarts()) sb.append(sb.isEmpty() ? "" : " ").append("max_restarts=").append(p.maxRestarts());
        time(sb, "restart_window", p.restartWindow(), base.restartWindow());
        return sb.toString();
    }

    private static void time(StringBuilder sb, String key, Duration v, Duration base) {
        if (v.equals(base)) return;
        if (!sb.isEmpty()) sb.append(' ');
        sb.append(key).append('=');
        long ms = v.toMillis();
        sb.append(ms % 1000 == 0 ? Long.toString(ms / 1000) : ms + "ms");
    }
}
