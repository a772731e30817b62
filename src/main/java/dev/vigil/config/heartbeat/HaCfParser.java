package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.DirectiveDoc.Status;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;
import dev.vigil.config.heartbeat.HaCf.ApiAuth;
import dev.vigil.config.heartbeat.HaCf.AutoFailback;
import dev.vigil.config.heartbeat.HaCfDirectives.Entry;
import dev.vigil.config.heartbeat.HaCfDirectives.Kind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads ha.cf the way heartbeat 3.0.6's {@code config.c:parse_config} and {@code init_config}
 * do, and reports what heartbeat would refuse (errors) or merely log (warnings), plus what Vigil
 * cannot honour. Never throws for any file content or I/O problem.
 */
public final class HaCfParser {

    /** heartbeat's {@code MAXMEDIA} and {@code MAXNODE} ({@code heartbeat.h}). */
    static final int MAX_MEDIA = 64;
    static final int MAX_NODES = 100;
    /** {@code HOSTLENG}: node names are kept in a 100-byte buffer. */
    static final int MAX_NODE_NAME = 99;

    /** Speeds heartbeat's {@code StringToBaud} knows; anything else is "invalid baudrate". */
    static final Set<Integer> BAUD_RATES = Set.of(9600, 19200, 38400, 57600, 115200, 230400, 460800);

    /** glibc's syslog facility names ({@code facilitynames[]}), which glue's {@code cl_syslogfac_str2int} matches exactly; plus "none". */
    static final List<String> FACILITIES = List.of("auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr",
            "mail", "news", "security", "syslog", "user", "uucp", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7", "none");

    /** Directives heartbeat refuses to see twice (set_baudrate, set_watchdogdev, set_pcmk_support); the rest: last one wins. */
    static final Set<String> ONCE_ONLY = Set.of("baud", "watchdog", "crm", "pacemaker");

    public ParseResult<HaCf> parse(Path file) {
        Diagnostics diagnostics = new Diagnostics();
        HaCf.Builder builder = new HaCf.Builder(file);
        try {
            Optional<List<ConfigText.Line>> lines = ConfigText.read(file, diagnostics);
            Run run = new Run(file, diagnostics, builder);
            if (lines.isPresent()) {
                run.parse(lines.get());
                run.finish();
            }
            return new ParseResult<>(builder.build(), diagnostics);
        } catch (RuntimeException | StackOverflowError e) {
            // Last line of defence of the "never throws" contract; the fuzz tests assert it never fires.
            diagnostics.error(file, 0, 0, "internal error while reading ha.cf: " + e, null);
            return new ParseResult<>(new HaCf.Builder(file).build(), diagnostics);
        }
    }

    /** The state of one parse: heartbeat applies directives in file order, and some plugins latch values on first use. */
    private static final class Run {
        final Path file;
        final Diagnostics d;
        final HaCf.Builder b;

        /** The udpport each UDP plugin latched when its first line was parsed ({@code bcast_init}, {@code ucast_init}, ucast6 {@code get_udpport}). */
        final Map<String, Integer> latchedPort = new HashMap<>();
        final Map<String, SourceLocation> firstMediumLine = new HashMap<>();
        Integer latchedBaud;
        SourceLocation firstSerial;
        SourceLocation baudLine;
        SourceLocation watchdogLine;
        SourceLocation pacemakerLine;
        SourceLocation autojoinLine;
        boolean autoFailbackSetAsBoolean;
        final Map<String, SourceLocation> scalarLines = new HashMap<>();
        final Map<String, SourceLocation> mediaSeen = new HashMap<>();
        /** Lines that tried to declare a medium or a node, valid or not: their own errors explain an empty list. */
        boolean mediumLineSeen;
        boolean nodeLineSeen;
        /** A rejected time value: comparing the others with a default in its place would only add noise. */
        boolean timingValueRejected;
        /** A Pacemaker line was refused: heartbeat would not manage resources at all, so auto_failback is moot. */
        boolean pacemakerRejected;
        boolean stopped;

        Run(Path file, Diagnostics d, HaCf.Builder b) {
            this.file = file;
            this.d = d;
            this.b = b;
        }

        SourceLocation at(int line, int column) {
            return new SourceLocation(file, line, column);
        }

        void error(SourceLocation at, String message, String hint) {
            d.error(at, message, hint);
        }

        void warning(SourceLocation at, String message, String hint) {
            d.warning(at, message, hint);
        }

        void parse(List<ConfigText.Line> lines) {
            for (ConfigText.Line line : lines) {
                if (d.errorCount() >= ConfigText.MAX_ERRORS) {
                    error(at(line.number(), 1), "too many errors; the rest of the file was not checked", null);
                    stopped = true;
                    return;
                }
                parseLine(line);
            }
        }

        void parseLine(ConfigText.Line line) {
            String text = line.text();
            // parse_config zaps everything from the first '#', then cuts at the first CR or LF.
            int hash = text.indexOf('#');
            if (hash >= 0) text = text.substring(0, hash);
            int cr = text.indexOf('\r');
            if (cr >= 0) {
                if (!text.substring(cr + 1).isBlank()) {
                    warning(at(line.number(), cr + 2), "text after a carriage return is ignored, as heartbeat ignores it",
                            "a lone CR inside a line usually means old Mac line endings; convert the file to LF");
                }
                text = text.substring(0, cr);
            }
            int start = 0;
            while (start < text.length() && Token.WHITESPACE.indexOf(text.charAt(start)) >= 0) start++;
            if (start >= text.length()) return;
            int end = start;
            while (end < text.length() && Token.WHITESPACE.indexOf(text.charAt(end)) < 0) end++;
            String name = text.substring(start, end);
            SourceLocation where = at(line.number(), start + 1);
            // parse_config skips DELIMS (blanks and commas) after the name for every kind of directive.
            int valuesStart = end;
            while (valuesStart < text.length() && Token.DELIMS.indexOf(text.charAt(valuesStart)) >= 0) valuesStart++;
            String rest = text.substring(valuesStart);
            int restColumn = valuesStart + 1;

            String effectiveName = name;
            if (name.equals("udp")) {
                // config.c DIRTYALIASKLUDGE: "WARNING: directive 'udp' replaced by 'bcast'".
                warning(where, "'udp' is the old name of 'bcast'; heartbeat replaces it with a warning", "write 'bcast'");
                effectiveName = "bcast";
            }
            Optional<Entry> found = HaCfDirectives.find(effectiveName);
            if (found.isEmpty()) {
                unknownDirective(name, where, Token.split(rest, restColumn, Token.WHITESPACE));
                return;
            }
            Entry entry = found.get();
            String separators = entry.kind() == Kind.VALUES || entry.kind() == Kind.MEDIUM_PER_VALUE
                    ? Token.DELIMS : Token.WHITESPACE;
            List<Token> values = Token.split(rest, restColumn, separators);
            boolean secretBearing = effectiveName.equals("stonith_host") || effectiveName.equals("stonith");
            b.directives.add(new HaCf.Directive(name, secretBearing ? List.of() : values.stream().map(Token::text).toList(), where));

            if (Set.of("bcast", "ucast", "mcast", "ucast6", "mcast6", "serial", "hbaping", "rds").contains(effectiveName)) mediumLineSeen = true;
            if (effectiveName.equals("node")) nodeLineSeen = true;
            SourceLocation afterName = at(line.number(), end + 1);
            if (values.isEmpty()) {
                error(afterName, "'" + name + "' needs a value", syntaxHint(entry));
                return;
            }
            if (entry.status() == Status.REJECTED && !effectiveName.equals("crm") && !effectiveName.equals("pacemaker")) {
                error(where, "'" + name + "' is not supported by Vigil: " + entry.doc().note(), null);
                return;
            }
            if (entry.scalar() && entry.kind() == Kind.VALUES) {
                SourceLocation earlier = scalarLines.put(effectiveName, where);
                if (earlier != null && !ONCE_ONLY.contains(effectiveName)) {
                    warning(where, "'" + name + "' was already set at line " + earlier.line()
                            + "; heartbeat applies both in turn, so this later value wins", "keep one '" + name + "' line");
                }
                if (values.size() > 1 && !ONCE_ONLY.contains(effectiveName)) {
                    warning(at(line.number(), values.get(1).column()),
                            "'" + name + "' takes one value but has " + values.size()
                                    + "; heartbeat applies each in turn, so '" + values.get(values.size() - 1).text() + "' wins",
                            "keep only the value you mean");
                }
            }
            switch (entry.kind()) {
                case VALUES -> {
                    for (Token v : values) option(effectiveName, name, v, at(line.number(), v.column()));
                }
                case MEDIUM_PER_VALUE -> {
                    for (Token v : values) mediumValue(effectiveName, v, at(line.number(), v.column()));
                }
                case MEDIUM_LINE -> mediumLine(effectiveName, values, where, at(line.number(), text.length() + 1));
                case WHOLE_LINE -> wholeLine(effectiveName, values, rest, restColumn, where, at(line.number(), text.length() + 1));
            }
            if (entry.status() == Status.IGNORED && entry.warnWhenIgnored() && meaningful(effectiveName, values)) {
                warning(where, "'" + name + "' has no effect in Vigil. " + entry.doc().note(), null);
            }
        }

        /** A boolean-valued ignored directive only matters when it turns something on. */
        boolean meaningful(String name, List<Token> values) {
            if (Set.of("use_logd", "use_apphbd", "record_config_changes", "record_pengine_inputs",
                    "enable_config_writes", "crmd_spawns_pengine").contains(name)) {
                return HeartbeatValues.parseBoolean(values.get(values.size() - 1).text()).orElse(false);
            }
            return true;
        }

        String syntaxHint(Entry entry) {
            String note = entry.doc().note();
            return note.startsWith("`") ? "syntax: " + note.substring(1, note.indexOf('`', 1)) : null;
        }

        void unknownDirective(String name, SourceLocation where, List<Token> values) {
            Optional<String> close = Suggestions.closest(name, HaCfDirectives.names());
            String hint;
            if (close.isPresent() && close.get().equalsIgnoreCase(name)) {
                hint = "directive names are case-sensitive: write '" + close.get() + "'";
            } else if (close.isPresent()) {
                hint = "did you mean '" + close.get() + "'?";
            } else if (!values.isEmpty() && values.get(0).text().equalsIgnoreCase(name)) {
                hint = "if '" + name + "' is a cluster node, declare it as 'node " + name + "'";
            } else {
                hint = "see the ha.cf directive list in docs/configuration.md";
            }
            // heartbeat: "Illegal directive [%s] in %s", counted as a configuration error.
            error(where, "unknown directive '" + name + "'", hint);
        }

        // ---------------------------------------------------------------- Directives[]: one value at a time

        void option(String name, String written, Token value, SourceLocation at) {
            String v = value.text();
            switch (name) {
                case "node" -> node(v, at);
                case "keepalive" -> time(v, at, "keepalive").ifPresent(ms -> {
                    if (ms <= 0) {
                        timingValueRejected = true;
                        error(at, "keepalive must be more than 0", "heartbeat refuses a zero keepalive");
                    }
                    else b.keepalive = Setting.at(Duration.ofMillis(ms), at);
                });
                case "deadtime" -> time(v, at, "deadtime").ifPresent(ms -> b.deadtime = Setting.at(Duration.ofMillis(ms), at));
                case "initdead" -> time(v, at, "initdead").ifPresent(ms -> b.initdead = Setting.at(Duration.ofMillis(ms), at));
                case "deadping" -> time(v, at, "deadping").ifPresent(ms -> b.deadping = Setting.at(Duration.ofMillis(ms), at));
                case "warntime" -> time(v, at, "warntime").ifPresent(ms -> {
                    if (ms <= 0) {
                        timingValueRejected = true;
                        error(at, "warntime must be more than 0", "heartbeat: 'Warn time [" + v + "] is invalid'");
                    }
                    else b.warntime = Setting.at(Duration.ofMillis(ms), at);
                });
                case "conn_logd_time" -> time(v, at, "conn_logd_time").ifPresent(ms -> {
                    if (ms <= 0) error(at, "conn_logd_time must be more than 0", null);
                });
                case "udpport" -> udpport(v, at);
                case "baud" -> baud(v, at);
                case "hopfudge" -> intInRange(v, at, "hopfudge", 0, 255).ifPresent(n -> b.hopfudge = Setting.at(n, at));
                case "debug" -> intInRange(v, at, "debug", 0, 255).ifPresent(n -> b.debugLevel = Setting.at(n, at));
                case "max_rexmit_delay" -> intInRange(v, at, "max_rexmit_delay", 1, Integer.MAX_VALUE)
                        .ifPresent(n -> b.maxRexmitDelay = Setting.at(Duration.ofMillis(n), at));
                case "compression_threshold" -> intInRange(v, at, "compression_threshold", 1, Integer.MAX_VALUE / 1024)
                        .ifPresent(n -> b.compressionThresholdKb = Setting.at(n, at));
                case "memreserve" -> intInRange(v, at, "memreserve", 1, Integer.MAX_VALUE);
                case "rtprio" -> intInRange(v, at, "rtprio", 1, 99);
                case "autojoin" -> autojoin(v, at);
                case "uuidfrom" -> oneOf(v, at, "uuidfrom", List.of("file", "nodename"))
                        .ifPresent(s -> b.uuidFrom = Setting.at(s.equals("file") ? HaCf.UuidSource.FILE : HaCf.UuidSource.NODENAME, at));
                case "hbgenmethod" -> oneOf(v, at, "hbgenmethod", List.of("file", "time"))
                        .ifPresent(s -> b.generationMethod = Setting.at(s.equals("file") ? HaCf.GenerationMethod.FILE : HaCf.GenerationMethod.TIME, at));
                case "msgfmt" -> oneOf(v, at, "msgfmt", List.of("classic", "netstring"))
                        .ifPresent(s -> b.messageFormat = Setting.at(s.equals("classic") ? HaCf.MessageFormat.CLASSIC : HaCf.MessageFormat.NETSTRING, at));
                case "compression" -> oneOf(v, at, "compression", List.of("zlib", "bz2")).ifPresent(s -> b.compression = Setting.at(s, at));
                case "auto_failback" -> autoFailback(v, at);
                case "nice_failback" -> niceFailback(v, at);
                case "logfacility" -> logFacility(v, at);
                case "logfile" -> {
                    path(v, at, "logfile");
                    b.logFile = Setting.at(v, at);
                }
                case "debugfile" -> {
                    path(v, at, "debugfile");
                    b.debugFile = Setting.at(v, at);
                }
                case "coreroot" -> path(v, at, "coreroot");
                case "watchdog" -> watchdog(v, at);
                case "use_logd" -> bool(v, at, "use_logd").ifPresent(x -> b.useLogd = Setting.at(x, at));
                case "log_badpack" -> bool(v, at, "log_badpack").ifPresent(x -> b.logBadPackets = Setting.at(x, at));
                case "realtime" -> bool(v, at, "realtime").ifPresent(x -> b.realtime = Setting.at(x, at));
                case "coredumps" -> bool(v, at, "coredumps").ifPresent(x -> b.coredumps = Setting.at(x, at));
                case "traditional_compression" -> bool(v, at, "traditional_compression").ifPresent(x -> b.traditionalCompression = Setting.at(x, at));
                case "syslogmsgfmt", "use_apphbd", "record_config_changes", "record_pengine_inputs", "enable_config_writes" -> bool(v, at, name);
                case "crm_daemon_dir" -> beforePacemaker(name, at);
                case "crmd_spawns_pengine" -> {
                    beforePacemaker(name, at);
                    bool(v, at, name);
                }
                case "crm", "pacemaker" -> pacemaker(written, v, at);
                case "cluster" -> b.clusterName = Setting.at(v, at);
                case "quorum_server" -> {
                    // Recorded by heartbeat, used only by the CCM/Pacemaker quorum plugins.
                }
                case "env" -> env(v, at);
                default -> throw new IllegalStateException("no handler for ha.cf directive " + name);
            }
        }

        OptionalLong time(String v, SourceLocation at, String name) {
            OptionalLong ms = HeartbeatValues.parseMillis(v);
            if (ms.isEmpty()) {
                timingValueRejected = true;
                String hint = v.matches("[0-9.]+\\s*[sS]")
                        ? "heartbeat reads plain numbers as seconds and knows no 's' suffix: write '" + v.substring(0, v.length() - 1) + "'"
                        : "write seconds ('2', '1.5') or milliseconds ('500ms'); 'us' also works";
                error(at, "'" + v + "' is not a time for " + name, hint);
            }
            return ms;
        }

        OptionalInt intInRange(String v, SourceLocation at, String name, int min, int max) {
            OptionalInt n = HeartbeatValues.parseInt(v);
            if (n.isEmpty()) {
                error(at, "'" + v + "' is not a number for " + name, null);
                return OptionalInt.empty();
            }
            if (n.getAsInt() < min || n.getAsInt() > max) {
                error(at, name + " " + v + " is out of range (" + min + (max == Integer.MAX_VALUE || max == Integer.MAX_VALUE / 1024 ? " or more" : "-" + max) + ")", null);
                return OptionalInt.empty();
            }
            return n;
        }

        Optional<Boolean> bool(String v, SourceLocation at, String name) {
            Optional<Boolean> x = HeartbeatValues.parseBoolean(v);
            if (x.isEmpty()) error(at, "'" + v + "' is not a boolean for " + name, "use on/off, yes/no, true/false, y/n or 1/0");
            return x;
        }

        Optional<String> oneOf(String v, SourceLocation at, String name, List<String> allowed) {
            // These are compared with strcmp in config.c: case matters.
            if (allowed.contains(v)) return Optional.of(v);
            Optional<String> close = Suggestions.closest(v, allowed);
            error(at, "'" + v + "' is not a valid " + name + " (expected " + String.join(" or ", allowed) + ")",
                    close.map(c -> "did you mean '" + c + "'?").orElse(null));
            return Optional.empty();
        }

        void path(String v, SourceLocation at, String name) {
            if (!v.startsWith("/")) {
                warning(at, name + " '" + v + "' is not an absolute path; heartbeat runs from / so it would be /" + v, "give the full path");
            }
        }

        void node(String name, SourceLocation at) {
            if (!validName(name, at, "node name")) return;
            Optional<HaCf.Node> earlier = b.nodes.stream()
                    .filter(n -> n.canonicalName().equals(HaCf.canonical(name))).findFirst();
            if (earlier.isPresent()) {
                warning(at, "node '" + name + "' is already declared at line " + earlier.get().location().line()
                        + " (node names are compared case-insensitively); heartbeat would list it twice", "remove the duplicate");
                return;
            }
            if (b.nodes.size() + b.pingTargets.size() >= MAX_NODES) {
                error(at, "too many nodes: heartbeat allows " + MAX_NODES + " including ping nodes", null);
                return;
            }
            b.nodes.add(new HaCf.Node(name, at));
        }

        /** Names that no host can have: heartbeat would accept them and then never find the node. */
        boolean validName(String name, SourceLocation at, String what) {
            if (HeartbeatValues.looksLikePlaceholder(name)) {
                error(at, what + " '" + name + "' looks like an unexpanded template placeholder; heartbeat would take it literally",
                        "put the real name in place of the placeholder");
                return false;
            }
            if (name.length() > MAX_NODE_NAME) {
                error(at, what + " '" + name + "' is longer than heartbeat's " + MAX_NODE_NAME + " characters", null);
                return false;
            }
            if (!HeartbeatValues.isHostName(name)) {
                warning(at, what + " '" + name + "' is not a usual host name; it must equal `uname -n` of that node", null);
            }
            return true;
        }

        void udpport(String v, SourceLocation at) {
            OptionalInt port = HeartbeatValues.parseInt(v);
            if (port.isEmpty() || port.getAsInt() <= 0 || port.getAsInt() > 65535) {
                error(at, "invalid udpport '" + v + "' (expected 1-65535)", null);
                return;
            }
            b.udpPort = Setting.at(port.getAsInt(), at);
            for (String plugin : List.of("bcast", "ucast", "ucast6")) {
                Integer latched = latchedPort.get(plugin);
                // heartbeat prints "udpport setting must precede media statements" every time; it only
                // matters when the port differs from the one the plugin already took.
                if (latched != null && latched != port.getAsInt()) {
                    warning(at, "udpport comes after the " + plugin + " line at line " + firstMediumLine.get(plugin).line()
                                    + ", whose plugin already took port " + latched + " (heartbeat reads udpport once, at the first "
                                    + plugin + " line); those media keep port " + latched,
                            "move udpport above the media lines");
                }
            }
        }

        void baud(String v, SourceLocation at) {
            if (baudLine != null) {
                error(at, "baud is already set at line " + baudLine.line() + "; heartbeat refuses a second one ('Baudrate multiply specified')",
                        "keep one baud line");
                return;
            }
            baudLine = at;
            OptionalInt rate = HeartbeatValues.parseInt(v);
            if (rate.isEmpty() || !BAUD_RATES.contains(rate.getAsInt())) {
                error(at, "invalid baud rate '" + v + "'", "use one of 9600, 19200, 38400, 57600, 115200, 230400, 460800");
                return;
            }
            b.baud = Setting.at(rate.getAsInt(), at);
            if (firstSerial != null) {
                warning(at, "baud comes after the serial line at line " + firstSerial.line() + ", which already runs at "
                                + latchedBaud + " baud: heartbeat's serial plugin reads baud once, when the first serial line is parsed",
                        "move baud above the serial lines");
            }
        }

        void autojoin(String v, SourceLocation at) {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "none" -> b.autojoin = Setting.at(HaCf.Autojoin.NONE, at);
                case "other", "any" -> {
                    b.autojoin = Setting.at(v.equalsIgnoreCase("any") ? HaCf.Autojoin.ANY : HaCf.Autojoin.OTHER, at);
                    autojoinLine = at;
                }
                default -> error(at, "invalid autojoin '" + v + "' (expected none, other or any)", null);
            }
        }

        void autoFailback(String v, SourceLocation at) {
            Optional<Boolean> on = HeartbeatValues.parseBoolean(v);
            if (on.isPresent()) {
                b.autoFailback = Setting.at(on.get() ? AutoFailback.ON : AutoFailback.OFF, at);
                autoFailbackSetAsBoolean = true;
            } else if (v.equalsIgnoreCase("legacy")) {
                b.autoFailback = Setting.at(AutoFailback.LEGACY, at);
            } else {
                error(at, "invalid auto_failback '" + v + "' (expected on, off or legacy)", null);
            }
        }

        void niceFailback(String v, SourceLocation at) {
            if (HeartbeatValues.parseBoolean(v).isEmpty()) {
                error(at, "'" + v + "' is not a boolean for nice_failback", null);
                return;
            }
            // config.c:set_nice_failback ignores the value: it converts to 'off' only when an earlier
            // auto_failback on/off already set heartbeat's nice_failback flag, and to 'legacy' otherwise.
            AutoFailback becomes = autoFailbackSetAsBoolean ? AutoFailback.OFF : AutoFailback.LEGACY;
            b.autoFailback = Setting.at(becomes, at);
            warning(at, "nice_failback is obsolete; heartbeat reads 'nice_failback " + v + "' as 'auto_failback "
                    + becomes.name().toLowerCase(Locale.ROOT) + "'", "write 'auto_failback on' or 'auto_failback off'");
        }

        void logFacility(String v, SourceLocation at) {
            if (FACILITIES.contains(v)) {
                b.logFacility = Setting.at(v, at);
                return;
            }
            Optional<String> close = Suggestions.closest(v, FACILITIES);
            error(at, "unknown syslog facility '" + v + "'; heartbeat stops with 'Log facility(" + v + ") not valid'",
                    close.map(c -> "did you mean '" + c + "'? (local0 to local7 exist)").orElse("use daemon, local0..local7 or none"));
        }

        void watchdog(String v, SourceLocation at) {
            if (watchdogLine != null) {
                error(at, "watchdog is already set at line " + watchdogLine.line() + "; heartbeat refuses a second one ('Watchdog device multiply specified')", null);
                return;
            }
            watchdogLine = at;
            path(v, at, "watchdog");
            b.watchdog = Setting.at(v, at);
        }

        void beforePacemaker(String name, SourceLocation at) {
            if (pacemakerLine != null) {
                // config.c:fail_if_after_pacemaker
                error(at, name + " must come before the crm/pacemaker line (line " + pacemakerLine.line() + "); heartbeat refuses it after", null);
            }
        }

        void pacemaker(String written, String v, SourceLocation at) {
            if (pacemakerLine != null) {
                error(at, "crm/pacemaker is already given at line " + pacemakerLine.line()
                        + "; heartbeat refuses a second one ('pacemaker/crm directive used multiple times!')", "keep one line");
                return;
            }
            pacemakerLine = at;
            String lower = v.toLowerCase(Locale.ROOT);
            Optional<Boolean> on = HeartbeatValues.parseBoolean(v);
            if (on.isPresent() && !on.get()) return;
            if (on.isPresent() || Set.of("minimal", "manual", "respawn", "ccm-only", "valgrind").contains(lower)) {
                pacemakerRejected = true;
                error(at, "'" + written + " " + v + "' runs a Pacemaker cluster: heartbeat then hands resources to Pacemaker's CRM and ignores haresources; "
                                + "Vigil implements heartbeat's v1 (haresources) mode only",
                        "for v1 resource management write '" + written + " off' (or drop the line) and list resources in haresources; "
                                + "a Pacemaker cluster needs Pacemaker on heartbeat or corosync, not Vigil");
                return;
            }
            error(at, "invalid " + written + " value '" + v + "'", "write '" + written + " off'");
        }

        void env(String v, SourceLocation at) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                error(at, "env expects NAME=value, got '" + v + "'", "heartbeat exports it as HA_NAME");
                return;
            }
            b.environment.add(new HaCf.EnvVar(v.substring(0, eq), v.substring(eq + 1), at));
        }

        // ---------------------------------------------------------------- media

        boolean roomForMedium(SourceLocation at) {
            if (b.media.size() >= MAX_MEDIA) {
                error(at, "too many media: heartbeat allows " + MAX_MEDIA, null);
                return false;
            }
            return true;
        }

        void noteDuplicate(String key, SourceLocation at, String what) {
            SourceLocation earlier = mediaSeen.putIfAbsent(key, at);
            if (earlier != null) {
                warning(at, what + " repeats line " + earlier.line() + "; every message would be sent twice on it", "remove the duplicate");
            }
        }

        int latchPort(String plugin, SourceLocation at) {
            firstMediumLine.putIfAbsent(plugin, at);
            return latchedPort.computeIfAbsent(plugin, p -> b.udpPort.value());
        }

        boolean device(String dev, SourceLocation at, String directive) {
            if (HeartbeatValues.looksLikePlaceholder(dev)) {
                error(at, directive + " interface '" + dev + "' looks like an unexpanded template placeholder", null);
                return false;
            }
            if (!HeartbeatValues.isInterfaceName(dev)) {
                error(at, "'" + dev + "' is not a network interface name (at most 15 characters, no '/')", null);
                return false;
            }
            return true;
        }

        void mediumValue(String name, Token value, SourceLocation at) {
            String v = value.text();
            switch (name) {
                case "bcast" -> {
                    if (!device(v, at, "bcast") || !roomForMedium(at)) return;
                    int port = latchPort("bcast", at);
                    noteDuplicate("bcast " + v, at, "bcast " + v);
                    b.media.add(new Medium.Bcast(v, port, at));
                }
                case "serial" -> {
                    if (!v.startsWith("/")) {
                        error(at, "serial port '" + v + "' is not a full path name", "write e.g. /dev/ttyS0");
                        return;
                    }
                    if (!roomForMedium(at)) return;
                    if (firstSerial == null) {
                        firstSerial = at;
                        latchedBaud = b.baud.value();
                    }
                    noteDuplicate("serial " + v, at, "serial " + v);
                    b.media.add(new Medium.Serial(v, latchedBaud, at));
                }
                case "ping" -> {
                    if (!validPingAddress(v, at, false)) return;
                    addPing(new PingTarget.Ping(v, at), at);
                }
                case "ping6" -> {
                    if (!validPingAddress(v, at, true)) return;
                    addPing(new PingTarget.Ping6(v, at), at);
                }
                default -> throw new IllegalStateException("no handler for medium " + name);
            }
        }

        boolean validPingAddress(String v, SourceLocation at, boolean six) {
            if (HeartbeatValues.looksLikePlaceholder(v)) {
                error(at, "ping address '" + v + "' looks like an unexpanded template placeholder", null);
                return false;
            }
            boolean ok = six ? HeartbeatValues.isIpv6(v) : HeartbeatValues.isAddressOrHostName(v);
            if (!ok) {
                error(at, "'" + v + "' is not " + (six ? "an IPv6 address" : "an IPv4 address or host name"), null);
            }
            return ok;
        }

        void addPing(PingTarget target, SourceLocation at) {
            if (b.nodes.size() + b.pingTargets.size() >= MAX_NODES) {
                error(at, "too many nodes: heartbeat allows " + MAX_NODES + " including ping nodes", null);
                return;
            }
            b.pingTargets.add(target);
        }

        void mediumLine(String name, List<Token> t, SourceLocation where, SourceLocation endOfLine) {
            int line = where.line();
            switch (name) {
                case "ucast", "ucast6" -> {
                    Token dev = t.get(0);
                    if (!device(dev.text(), at(line, dev.column()), name)) return;
                    if (t.size() < 2) {
                        error(endOfLine, name + " " + dev.text() + " is missing the peer address", "syntax: " + name + " DEV PEER");
                        return;
                    }
                    Token peer = t.get(1);
                    SourceLocation peerAt = at(line, peer.column());
                    if (HeartbeatValues.looksLikePlaceholder(peer.text())) {
                        error(peerAt, name + " peer '" + peer.text() + "' looks like an unexpanded template placeholder", null);
                        return;
                    }
                    if (name.equals("ucast") && !HeartbeatValues.isAddressOrHostName(peer.text())) {
                        error(peerAt, "'" + peer.text() + "' is not an IPv4 address or host name", null);
                        return;
                    }
                    if (name.equals("ucast6") && !validUcast6(peer.text())) {
                        error(peerAt, "'" + peer.text() + "' is not a unicast IPv6 address", "ucast6 refuses multicast, :: and ::1");
                        return;
                    }
                    extraWords(t, 2, line, name);
                    if (!roomForMedium(where)) return;
                    int port = latchPort(name, where);
                    noteDuplicate(name + " " + dev.text() + " " + peer.text(), where, name + " " + dev.text() + " " + peer.text());
                    b.media.add(name.equals("ucast")
                            ? new Medium.Ucast(dev.text(), peer.text(), port, where)
                            : new Medium.Ucast6(dev.text(), peer.text(), port, where));
                }
                case "mcast", "mcast6" -> mcast(name, t, where, endOfLine);
                case "ping_group" -> {
                    Token group = t.get(0);
                    if (t.size() < 2) {
                        error(endOfLine, "ping_group " + group.text() + " lists no address", "syntax: ping_group NAME ADDR...");
                        return;
                    }
                    List<String> addresses = new ArrayList<>();
                    for (Token a : t.subList(1, t.size())) {
                        if (validPingAddress(a.text(), at(line, a.column()), false)) addresses.add(a.text());
                    }
                    if (addresses.size() == t.size() - 1) addPing(new PingTarget.PingGroup(group.text(), addresses, where), where);
                }
                default -> throw new IllegalStateException("no handler for medium " + name);
            }
        }

        boolean validUcast6(String s) {
            if (!HeartbeatValues.isIpv6(s) || HeartbeatValues.isIpv6Multicast(s)) return false;
            String a = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
            return !a.equals("::") && !a.equals("::1") && !a.matches("(0{1,4}:){7}0{0,3}[01]") ;
        }

        void extraWords(List<Token> t, int used, int line, String name) {
            if (t.size() > used) {
                warning(at(line, t.get(used).column()), "extra words after the " + name + " arguments are ignored by heartbeat", null);
            }
        }

        void mcast(String name, List<Token> t, SourceLocation where, SourceLocation endOfLine) {
            int line = where.line();
            boolean six = name.equals("mcast6");
            String[] parts = {"interface", "group", "port", six ? "hops" : "ttl", "loop"};
            if (t.size() < 5) {
                error(endOfLine, name + " is missing its " + parts[t.size()],
                        "syntax: " + name + " DEV GROUP PORT " + (six ? "HOPS" : "TTL") + " LOOP, e.g. " + name
                                + (six ? " eth0 ff12::1:2:3:4 694 1 0" : " eth0 239.0.0.42 694 1 0"));
                return;
            }
            Token dev = t.get(0);
            if (!device(dev.text(), at(line, dev.column()), name)) return;
            Token group = t.get(1);
            boolean groupOk = six ? HeartbeatValues.isIpv6Multicast(group.text()) : HeartbeatValues.isIpv4Multicast(group.text());
            if (!groupOk) {
                error(at(line, group.column()), "'" + group.text() + "' is not " + (six ? "an IPv6 multicast address (ff00::/8)" : "a multicast address (224.0.0.0 to 239.255.255.255)"), null);
                return;
            }
            OptionalInt port = intInRange(t.get(2).text(), at(line, t.get(2).column()), name + " port", 1, 65535);
            // mcast.c and mcast6.c refuse a ttl / hop limit above 4.
            OptionalInt ttl = intInRange(t.get(3).text(), at(line, t.get(3).column()), name + " " + parts[3], 0, 4);
            OptionalInt loop = intInRange(t.get(4).text(), at(line, t.get(4).column()), name + " loop", 0, 1);
            if (port.isEmpty() || ttl.isEmpty() || loop.isEmpty()) return;
            extraWords(t, 5, line, name);
            if (!roomForMedium(where)) return;
            noteDuplicate(name + " " + dev.text() + " " + group.text() + " " + port.getAsInt(), where, name + " " + dev.text() + " " + group.text());
            b.media.add(six
                    ? new Medium.Mcast6(dev.text(), group.text(), port.getAsInt(), ttl.getAsInt(), loop.getAsInt() == 1, where)
                    : new Medium.Mcast(dev.text(), group.text(), port.getAsInt(), ttl.getAsInt(), loop.getAsInt() == 1, where));
        }

        // ---------------------------------------------------------------- WLdirectives[]

        void wholeLine(String name, List<Token> t, String rest, int restColumn, SourceLocation where, SourceLocation endOfLine) {
            int line = where.line();
            switch (name) {
                case "respawn", "failfast" -> {
                    Token user = t.get(0);
                    if (user.text().length() >= 64) {
                        error(at(line, user.column()), "user name for " + name + " is too long", null);
                        return;
                    }
                    if (t.size() < 2) {
                        error(endOfLine, name + " " + user.text() + " names no program", "syntax: " + name + " USER /full/path [ARGS]");
                        return;
                    }
                    Token path = t.get(1);
                    if (!path.text().startsWith("/")) {
                        error(at(line, path.column()), name + " command '" + path.text() + "' is not a full path name", "heartbeat needs the absolute path of the program");
                        return;
                    }
                    String command = rest.substring(path.column() - restColumn).strip();
                    b.clientChildren.add(new HaCf.ClientChild(user.text(), command, path.text(), name.equals("failfast"), where));
                }
                case "apiauth" -> apiauth(t, where);
                case "stonith" -> {
                    if (t.size() < 2) {
                        error(endOfLine, "stonith needs a device type and a configuration file", "syntax: stonith TYPE CONFIGFILE");
                        return;
                    }
                    if (b.stonith != null) {
                        warning(where, "stonith is already given at line " + b.stonith.location().line() + "; heartbeat keeps only this later one", null);
                    }
                    String configFile = rest.substring(t.get(1).column() - restColumn).strip();
                    b.stonith = new HaCf.StonithDevice(t.get(0).text(), configFile, where);
                }
                case "stonith_host" -> {
                    if (t.size() < 3) {
                        error(endOfLine, "stonith_host needs a host, a device type and the device parameters",
                                "syntax: stonith_host HOST|* TYPE PARAMS...");
                        return;
                    }
                    String host = HaCf.canonical(t.get(0).text());
                    String afterType = rest.substring(t.get(2).column() - restColumn).strip();
                    HaCf.StonithHost sh = new HaCf.StonithHost(host, t.get(1).text(), new Secret(afterType), where);
                    b.stonithHosts.add(sh);
                }
                default -> throw new IllegalStateException("no handler for " + name);
            }
        }

        void apiauth(List<Token> t, SourceLocation where) {
            int line = where.line();
            String client = t.get(0).text();
            List<String> uids = null;
            List<String> gids = null;
            for (Token tok : t.subList(1, t.size())) {
                SourceLocation at = at(line, tok.column());
                String s = tok.text();
                boolean uid = s.startsWith("uid=");
                if (!uid && !s.startsWith("gid=")) {
                    error(at, "apiauth expects uid=LIST or gid=LIST, got '" + s + "'", "syntax: apiauth CLIENT [uid=u1,u2] [gid=g1,g2]");
                    return;
                }
                if ((uid ? uids : gids) != null) {
                    error(at, "duplicate " + (uid ? "uid" : "gid") + " list in apiauth " + client, null);
                    return;
                }
                List<String> list = new ArrayList<>();
                for (String item : s.substring(4).split(",")) if (!item.isEmpty()) list.add(item);
                if (list.isEmpty()) {
                    error(at, "empty " + (uid ? "uid" : "gid") + " list in apiauth " + client, null);
                    return;
                }
                if (uid) uids = list;
                else gids = list;
            }
            if (uids == null && gids == null) {
                error(where, "apiauth " + client + " gives neither uid= nor gid=", "syntax: apiauth CLIENT [uid=u1,u2] [gid=g1,g2]");
                return;
            }
            if (b.apiAuth.containsKey(client)) {
                error(where, "apiauth for client '" + client + "' is already given at line "
                        + b.apiAuth.get(client).location().map(SourceLocation::line).orElse(0) + "; heartbeat refuses a duplicate", null);
                return;
            }
            b.apiAuth.put(client, new ApiAuth(client, uids == null ? List.of() : uids, gids == null ? List.of() : gids, false, Optional.of(where)));
        }

        // ---------------------------------------------------------------- init_config's checks

        void finish() {
            addBuiltInApiAuth();
            SourceLocation wholeFile = new SourceLocation(file, 0, 0);
            long keepalive = b.keepalive.value().toMillis();
            long deadtime = b.deadtime.value().toMillis();
            if (b.warntime == null) b.warntime = Setting.byDefault(Duration.ofMillis(deadtime / 2));
            boolean initdeadGiven = b.initdead != null;
            if (!initdeadGiven) {
                long initdead = deadtime > 10000 ? deadtime : deadtime < 6000 ? 12000 : 2 * deadtime;
                b.initdead = Setting.byDefault(Duration.ofMillis(initdead));
            }
            boolean deadpingGiven = b.deadping != null;
            if (!deadpingGiven) b.deadping = Setting.byDefault(b.deadtime.value());
            if (stopped) return;

            if (b.media.isEmpty() && !mediumLineSeen) {
                if (b.pingTargets.isEmpty()) {
                    error(wholeFile, "no heartbeat medium: heartbeat stops with 'No heartbeat media defined'",
                            "add a bcast, mcast, ucast or serial line, e.g. 'bcast eth1'");
                } else {
                    error(wholeFile, "no heartbeat medium: ping lines only watch ping nodes and carry no heartbeats between cluster nodes",
                            "add a bcast, mcast, ucast or serial line, e.g. 'bcast eth1'");
                }
            }
            if (b.nodes.isEmpty() && !nodeLineSeen && b.autojoin.value() != HaCf.Autojoin.ANY) {
                error(wholeFile, "no node declared: heartbeat stops with 'no nodes defined'", "declare each cluster node as 'node NAME' (its `uname -n`)");
            } else if (b.nodes.size() == 1) {
                warning(b.nodes.get(0).location(), "only one node is declared: there is nothing to fail over to", "declare the other node with 'node NAME'");
            }
            if (autojoinLine != null) {
                // config.c:r1_style_valid: "R1 style resource management conflicts with autojoin set".
                error(autojoinLine, "autojoin " + b.autojoin.value().name().toLowerCase(Locale.ROOT)
                                + " lets unknown nodes join, which heartbeat refuses in haresources (v1) mode",
                        "remove the autojoin line or write 'autojoin none', and declare every node with 'node'");
            }
            if (!timingValueRejected) timing(wholeFile, keepalive, deadtime, initdeadGiven, deadpingGiven);
            // init_config warns about 'legacy' only when heartbeat manages resources (DoManageResources).
            if (b.autoFailback.value() == AutoFailback.LEGACY && !pacemakerRejected) {
                SourceLocation at = b.autoFailback.source().orElse(wholeFile);
                warning(at, (b.autoFailback.isDefault() ? "auto_failback is not set, so heartbeat uses the deprecated 'legacy' mode"
                                : "auto_failback legacy is deprecated") + " (heartbeat warns 'Deprecated 'legacy' auto_failback option selected.')",
                        "write 'auto_failback on' (resources return to their preferred node) or 'auto_failback off'");
            }
            boolean logsSomewhere = b.logFile != null || b.debugFile != null
                    || !(b.logFacility.value().equals("none") || b.logFacility.value().equals("kern"));
            if (!logsSomewhere && !b.useLogd.isDefault() && !b.useLogd.value()) {
                // config.c:check_logd_usage
                error(b.useLogd.source().orElse(wholeFile), "no logfile, debugfile or logfacility and use_logd is off: heartbeat stops with 'No log entry found in ha.cf and use_logd is set to off'",
                        "add 'logfacility daemon' or 'logfile /var/log/ha-log'");
            }
            for (HaCf.StonithHost sh : b.stonithHosts) {
                if (!sh.host().equals("*") && b.nodes.stream().noneMatch(n -> n.canonicalName().equals(sh.host()))) {
                    warning(sh.location(), "stonith_host names '" + sh.host() + "', which is not a declared node; heartbeat uses the line only on a node of that name", null);
                }
            }
        }

        void timing(SourceLocation wholeFile, long keepalive, long deadtime, boolean initdeadGiven, boolean deadpingGiven) {
            SourceLocation deadAt = b.deadtime.source().or(() -> b.keepalive.source()).orElse(wholeFile);
            if (deadtime <= 2 * keepalive) {
                error(deadAt, "deadtime " + HeartbeatValues.format(b.deadtime.value()) + " must be more than twice keepalive "
                                + HeartbeatValues.format(b.keepalive.value()) + ": heartbeat refuses to start ('Dead time [" + deadtime
                                + "] is too small compared to keeplive [" + keepalive + "]')",
                        "raise deadtime above " + HeartbeatValues.format(Duration.ofMillis(2 * keepalive)) + " or lower keepalive");
            }
            long initdead = b.initdead.value().toMillis();
            SourceLocation initAt = b.initdead.source().orElse(wholeFile);
            if (initdead < deadtime) {
                error(initAt, "initdead " + HeartbeatValues.format(b.initdead.value()) + " is smaller than deadtime "
                                + HeartbeatValues.format(b.deadtime.value()) + ": heartbeat refuses to start ('Initial dead time ["
                                + initdead + "] is smaller than deadtime [" + deadtime + "]')",
                        "set initdead to at least twice deadtime");
            } else if (initdeadGiven) {
                List<String> reasons = new ArrayList<>();
                if (initdead < 10000) {
                    reasons.add("heartbeat warns 'Initial dead time [" + initdead + " ms] may be too small!': it should be >= 10 seconds");
                }
                if (initdead < 2 * deadtime) {
                    reasons.add("the stock ha.cf says it should be at least twice deadtime ("
                            + HeartbeatValues.format(Duration.ofMillis(2 * deadtime)) + ")");
                }
                if (!reasons.isEmpty()) {
                    warning(initAt, "initdead " + HeartbeatValues.format(b.initdead.value()) + " may be too short for a network that is slow to come up: "
                            + String.join("; ", reasons), null);
                }
            }
            long deadping = b.deadping.value().toMillis();
            if (deadpingGiven && deadping <= 2 * keepalive) {
                error(b.deadping.source().orElse(wholeFile), "deadping " + HeartbeatValues.format(b.deadping.value())
                        + " must be more than twice keepalive: heartbeat refuses to start ('Ping dead time [" + deadping
                        + "] is too small compared to keeplive [" + keepalive + "]')", null);
            }
            if (!b.warntime.isDefault()) {
                long warntime = b.warntime.value().toMillis();
                SourceLocation warnAt = b.warntime.source().get();
                if (warntime >= deadtime) {
                    warning(warnAt, "warntime " + HeartbeatValues.format(b.warntime.value()) + " is not less than deadtime "
                            + HeartbeatValues.format(b.deadtime.value()) + ": no 'Late heartbeat' warning can come before the node is declared dead",
                            "set warntime between keepalive and deadtime");
                } else if (warntime <= keepalive) {
                    warning(warnAt, "warntime " + HeartbeatValues.format(b.warntime.value()) + " is not more than keepalive "
                            + HeartbeatValues.format(b.keepalive.value()) + ": nearly every heartbeat would be logged as late",
                            "set warntime between keepalive and deadtime");
                }
            }
        }

        void addBuiltInApiAuth() {
            // parse_config:defserv[]: defaults for well-known clients the file did not name.
            builtIn("ipfail", List.of(HaCf.CCM_USER), List.of());
            builtIn("ccm", List.of(HaCf.CCM_USER), List.of());
            builtIn("ping", List.of(), List.of(HaCf.API_GROUP));
            builtIn("lha-snmpagent", List.of("root"), List.of());
            builtIn("anon", List.of("root"), List.of(HaCf.API_GROUP));
        }

        void builtIn(String client, List<String> uids, List<String> gids) {
            b.apiAuth.putIfAbsent(client, new ApiAuth(client, uids, gids, true, Optional.empty()));
        }
    }
}
