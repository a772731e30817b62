package dev.vigil.config.heartbeat;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The value syntaxes heartbeat's configuration files use, as heartbeat 3.0.6 and cluster-glue
 * read them. Each method answers "what would heartbeat make of this word", or empty when
 * heartbeat would reject it.
 */
public final class HeartbeatValues {
    private HeartbeatValues() {
    }

    private static final long MAX_MILLIS = Integer.MAX_VALUE;

    /**
     * A time as glue's {@code cl_get_msec} reads it: a number of seconds, fractions allowed
     * ({@code 1.5}), or a number followed by {@code ms}/{@code msec} or {@code us}/{@code usec}
     * (any case), rounded half up to whole milliseconds ({@code 499us} is 0 ms). {@code 5s} is not
     * a time: heartbeat rejects the unit. Vigil is stricter than {@code atof} only in refusing
     * numbers with two dots and values beyond 2^31 ms.
     */
    public static OptionalLong parseMillis(String word) {
        int i = 0;
        int dots = 0;
        int digits = 0;
        while (i < word.length() && (Character.isDigit(word.charAt(i)) && word.charAt(i) < 128 || word.charAt(i) == '.')) {
            if (word.charAt(i) == '.') dots++;
            else digits++;
            i++;
        }
        if (i == 0 || dots > 1 || digits == 0) return OptionalLong.empty();
        String unit = word.substring(i).toLowerCase(Locale.ROOT);
        double multiplier;
        switch (unit) {
            case "" -> multiplier = 1000.0;
            case "ms", "msec" -> multiplier = 1.0;
            case "us", "usec" -> multiplier = 0.001;
            default -> {
                return OptionalLong.empty();
            }
        }
        double value;
        try {
            value = Double.parseDouble(word.substring(0, i));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        double millis = value * multiplier + 0.5;
        if (!(millis < MAX_MILLIS)) return OptionalLong.empty();
        return OptionalLong.of((long) millis);
    }

    public static Optional<Duration> parseDuration(String word) {
        OptionalLong ms = parseMillis(word);
        return ms.isPresent() ? Optional.of(Duration.ofMillis(ms.getAsLong())) : Optional.empty();
    }

    /** How a duration is written back in heartbeat's terms, e.g. {@code 2s} is "2", 500 ms is "500ms". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : ms + "ms";
    }

    /** glue's {@code cl_str_to_boolean}: true/on/yes/y/1 and false/off/no/n/0, any case. */
    public static Optional<Boolean> parseBoolean(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "y", "1" -> {
                return Optional.of(Boolean.TRUE);
            }
            case "false", "off", "no", "n", "0" -> {
                return Optional.of(Boolean.FALSE);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** A plain decimal integer (heartbeat uses {@code atoi}, which would read "12abc" as 12; Vigil reports it). */
    public static OptionalInt parseInt(String word) {
        if (word.isEmpty() || word.length() > 10) return OptionalInt.empty();
        int start = word.charAt(0) == '-' || word.charAt(0) == '+' ? 1 : 0;
        if (start == word.length()) return OptionalInt.empty();
        for (int i = start; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < '0' || c > '9') return OptionalInt.empty();
        }
        long v = Long.parseLong(word);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) return OptionalInt.empty();
        return OptionalInt.of((int) v);
    }

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** A dotted-quad IPv4 address as {@code inet_pton} accepts it (no leading zeros, four parts). */
    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    public static boolean isIpv4Multicast(String s) {
        if (!isIpv4(s)) return false;
        int first = Integer.parseInt(s.substring(0, s.indexOf('.')));
        return first >= 224 && first <= 239;
    }

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** An IPv6 literal as {@code inet_pton(AF_INET6)} accepts it, optionally with a {@code %scope}. */
    public static boolean isIpv6(String s) {
        String addr = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
        if (addr.isEmpty() || !addr.contains(":") || !IPV6_CHARS.matcher(addr).matches()) return false;
        int doubleColon = addr.indexOf("::");
        if (doubleColon >= 0 && addr.indexOf("::", doubleColon + 1) >= 0) return false;
        String[] groups = addr.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) continue;
            if (g.contains(".")) {
                if (i != groups.length - 1 || !isIpv4(g)) return false;
                count += 2;
            } else {
                if (g.length() > 4) return false;
                count++;
            }
        }
        if (addr.startsWith(":") && !addr.startsWith("::")) return false;
        if (addr.endsWith(":") && !addr.endsWith("::")) return false;
        return doubleColon >= 0 ? count < 8 : count == 8;
    }

    public static boolean isIpv6Multicast(String s) {
        return isIpv6(s) && s.toLowerCase(Locale.ROOT).startsWith("ff");
    }

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");

    /** A DNS-style host name ({@code _} allowed, as real {@code uname -n} values have it). */
    public static boolean isHostName(String s) {
        return HOST_NAME.matcher(s).matches();
    }

    /** An address or a resolvable-looking name, as ucast, ping and stonith hosts take. */
    public static boolean isAddressOrHostName(String s) {
        return isIpv4(s) || isHostName(s);
    }

    /**
     * A Linux interface name: at most 15 bytes ({@code IFNAMSIZ} - 1), no slash or whitespace;
     * heartbeat copies it into {@code ifr_name} and the kernel refuses longer names.
     */
    public static boolean isInterfaceName(String s) {
        if (s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '/' || c >= 127) return false;
        }
        return true;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\$\\{[^}]*}|\\$[A-Z_][A-Z0-9_]*|\\{\\{.*}}|<[^>]+>|@[A-Za-z_][A-Za-z0-9_]*@|%\\([a-z_]+\\)s");

    /**
     * Whether a value is an unexpanded template placeholder ({@code ${NODE1}}, {@code {{ peer }}},
     * {@code <node>}, {@code @HOST@}): heartbeat would take it literally, and no host is called that.
     */
    public static boolean looksLikePlaceholder(String s) {
        return PLACEHOLDER.matcher(s).find();
    }
}
