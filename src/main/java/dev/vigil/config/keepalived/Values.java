package dev.vigil.config.keepalived;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Value syntax of keepalived.conf: numbers, timers, booleans, address literals (never a DNS lookup). */
final class Values {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.\\-]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,10}");
    private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d{1,10}(\\.\\d{0,9})?|\\.\\d{1,9})");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "<[^<>]{0,64}>|\\[[^\\[\\]]{0,64}]|\\{\\{[^{}]{0,64}}}|__[A-Za-z0-9_]{1,64}__|@[A-Za-z0-9_]{1,64}@|\\$\\{?[A-Za-z_]|(?i:xx)");

    private Values() {
    }

    static Optional<Integer> integer(String s) {
        if (!INTEGER.matcher(s).matches()) return Optional.empty();
        long v = Long.parseLong(s);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return Optional.empty();
        return Optional.of((int) v);
    }

    /** A non-negative decimal number of seconds, as keepalived's timers are written ("2.71828"). */
    static Optional<BigDecimal> seconds(String s) {
        if (!DECIMAL.matcher(s).matches()) return Optional.empty();
        return Optional.of(new BigDecimal(s.startsWith("+") ? s.substring(1) : s));
    }

    /** Seconds to a Duration with keepalived's microsecond resolution. */
    static Duration duration(BigDecimal seconds) {
        BigDecimal micros = seconds.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP);
        return Duration.ofNanos(micros.longValueExact() * 1000);
    }

    /** keepalived's &lt;BOOL&gt;: on|off|true|false|yes|no. */
    static Optional<Boolean> bool(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> Optional.of(true);
            case "off", "false", "no" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** An IPv4 or IPv6 literal; names are refused (keepalived wants addresses here, and we never resolve). */
    static Optional<InetAddress> address(String s) {
        try {
            if (IPV4.matcher(s).matches()) return Optional.of(InetAddress.getByName(s));
            if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
                InetAddress a = InetAddress.getByName(s);
                return a instanceof Inet6Address ? Optional.of(a) : Optional.empty();
            }
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static int maxPrefix(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    static String family(InetAddress a) {
        return a instanceof Inet4Address ? "IPv4" : "IPv6";
    }

    /** A hint when a bad value looks like something a template engine or a how-to left behind. */
    static String placeholderHint(String value) {
        if (value.length() <= 256 && PLACEHOLDER.matcher(value).find()) {
            return "'" + value + "' looks like a template placeholder or masked value: put the real value here";
        }
        return null;
    }

    /**
     * Splits a script command line into arguments like keepalived 2.2.7 does: unquoted whitespace
     * separates, single or double quotes keep spaces inside one argument (and are removed), a
     * backslash outside quotes escapes the next character.
     */
    static List<String> argv(String commandLine) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < commandLine.length()) {
                cur.append(commandLine.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) args.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) args.add(cur.toString());
        return args;
    }
}
