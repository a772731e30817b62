package dev.vigil.config.keepalived;

import dev.vigil.config.DirectiveDoc.Status;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.HaresourcesParser;
import dev.vigil.config.heartbeat.ResourcePolicyKeys;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.config.keepalived.KeepalivedDirectives.Shape;
import dev.vigil.config.keepalived.KeepalivedDirectives.Spec;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a keepalived 2.2.7 configuration (VRRP side) into a {@link KeepalivedConfig}. It never
 * throws for anything in or about the file: every problem is a diagnostic and the model holds what
 * could be read. Keywords come from {@link KeepalivedDirectives}; semantics across blocks are
 * {@link KeepalivedChecks}'s job.
 */
public final class KeepalivedParser {
    private final String hostId;

    /** Conditional lines ({@code @id}) are matched against this host's config-id, keepalived's default. */
    public KeepalivedParser() {
        this(defaultHostId());
    }

    private KeepalivedParser(String hostId) {
        this.hostId = hostId;
    }

    /** Like keepalived's {@code -i ID}: the config-id that {@code @ID} line prefixes are matched against. */
    public KeepalivedParser withHostId(String id) {
        return new KeepalivedParser(Objects.requireNonNull(id, "id"));
    }

    public String hostId() {
        return hostId;
    }

    public ParseResult<KeepalivedConfig> parse(Path file) {
        Diagnostics out = new Diagnostics();
        Build build = new Build(file, out);
        try {
            KeepalivedLexer lexer = new KeepalivedLexer(hostId, out);
            List<SourceLine> lines = lexer.read(file);
            build.files.addAll(lexer.files());
            List<Node> nodes = new TreeBuilder(lines, out).build();
            build.top(nodes);
        } catch (RuntimeException | StackOverflowError e) {
            out.error(file, 0, 0, "internal error while reading the configuration: " + e.getClass().getSimpleName() + where(e)
                    + "; the result is incomplete", "please report this with the file attached");
        }
        return new ParseResult<>(build.result(), out);
    }

    /** The innermost frame of this package, so that a bug report says where it broke. */
    private static String where(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith(KeepalivedParser.class.getPackageName())) {
                return " at " + f.getFileName() + ":" + f.getLineNumber();
            }
        }
        return "";
    }

    /** keepalived's default config-id: the first label of the node name (uname -n). */
    static String defaultHostId() {
        String name = null;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: fall back below
        }
        if (name == null || name.isEmpty()) name = System.getenv("HOSTNAME");
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                name = "localhost";
            }
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** One parse: the drafts being filled and the diagnostics. */
    private static final class Build {
        final Path file;
        final Diagnostics out;
        final List<Path> files = new ArrayList<>();
        final GlobalDraft global = new GlobalDraft();
        final Map<String, VrrpScript> scripts = new LinkedHashMap<>();
        final Map<String, InstanceDraft> instances = new LinkedHashMap<>();
        final Map<String, VrrpSyncGroup> groups = new LinkedHashMap<>();

        Build(Path file, Diagnostics out) {
            this.file = file;
            this.out = out;
        }

        KeepalivedConfig result() {
            GlobalDefs g = global.build(file);
            List<VrrpInstance> built = new ArrayList<>();
            for (InstanceDraft d : instances.values()) {
                try {
                    built.add(d.build(g, resourceGroup(d.resources)));
                } catch (RuntimeException e) {
                    out.error(d.location, "internal error while building vrrp_instance " + d.name + ": " + e.getClass().getSimpleName(), null);
                }
            }
            resourceOwners(built);
            return new KeepalivedConfig(file, g, new ArrayList<>(scripts.values()), built, new ArrayList<>(groups.values()),
                    files.isEmpty() ? List.of(file) : files);
        }

        // ---------------------------------------------------------------- top level

        void top(List<Node> nodes) {
            for (Node n : nodes) {
                reportUnclosed(n);
                Optional<Spec> spec = dispatchable(n, KeepalivedDirectives.TOP);
                if (spec.isEmpty()) continue;
                switch (n.name()) {
                    case "global_defs" -> globalDefs(n);
                    case "vrrp_script" -> vrrpScript(n);
                    case "vrrp_instance" -> vrrpInstance(n);
                    case "vrrp_sync_group" -> syncGroup(n);
                    default -> out.error(n.at(), "'" + n.name() + "' is not handled here", null);
                }
            }
        }

        private void reportUnclosed(Node n) {
            if (n.isBlock() && !n.closed()) {
                out.error(n.at(), "'" + n.text() + " {' is never closed: '}' missing before the end of the file",
                        "everything after it was read as part of this block; add the '}' where the block should end");
            }
            if (n.isBlock()) for (Node c : n.children()) if (c.isBlock() && !c.closed()) reportUnclosed(c);
        }

        /**
         * Looks a keyword up in its context; handles unknown, IGNORED and REJECTED ones (reported,
         * and their blocks skipped whole) and returns the spec only for SUPPORTED keywords.
         */
        private Optional<Spec> dispatchable(Node n, String context) {
            Optional<Spec> spec = KeepalivedDirectives.find(context, n.name());
            if (spec.isEmpty() || n.keyword().quoted()) {
                if (!n.keyword().placeholder()) unknown(n, context);
                return Optional.empty();
            }
            Status status = spec.get().status();
            String what = n.isBlock() ? "'" + n.name() + "' block" + lines(n) : "'" + n.name() + "'";
            if (status == Status.IGNORED) {
                String note = spec.get().doc().note();
                out.warning(n.at(), what + ": " + (note.startsWith("LVS") ? "not handled by Vigil; ignored" : "ignored"),
                        note.startsWith("LVS") ? "Vigil implements the VRRP side only; run keepalived's checker or another load balancer for LVS"
                                : note);
                return Optional.empty();
            }
            if (status == Status.REJECTED) {
                out.error(n.at(), what + " is not supported by Vigil", spec.get().doc().note());
                return Optional.empty();
            }
            if (spec.get().shape() == Shape.BLOCK || spec.get().shape() == Shape.LIST) {
                if (!n.isBlock()) {
                    out.error(n.at(), "'" + n.name() + "' needs a '{ ... }' block", "write '" + n.text() + " {' and close it with '}'");
                    return Optional.empty();
                }
            } else if (n.isBlock()) {
                out.error(n.at(), "'" + n.name() + "' takes a value, not a block" + lines(n),
                        Values.placeholderHint(n.text() + " {") != null ? null : "write it as '" + n.name() + " VALUE' on one line");
                return Optional.empty();
            }
            return spec;
        }

        private void unknown(Node n, String context) {
            String name = n.name();
            StringBuilder msg = new StringBuilder("unknown keyword '").append(name).append("'");
            if (!context.equals(KeepalivedDirectives.TOP)) msg.append(" in ").append(context);
            if (n.isBlock()) msg.append("; its block").append(lines(n)).append(" is skipped");
            Set<String> elsewhere = KeepalivedDirectives.otherContexts(name, context);
            String hint;
            Set<String> known = KeepalivedDirectives.names(context);
            // global_defs spells the instance-level GARP/strict settings with a vrrp_ prefix
            Optional<String> close = known.contains("vrrp_" + name) ? Optional.of("vrrp_" + name) : Suggestions.closest(name, known);
            if (!elsewhere.isEmpty()) {
                hint = "'" + name + "' belongs in " + String.join(" or ", elsewhere) + ", not in " + context
                        + close.map(c -> "; here, did you mean '" + c + "'?").orElse("");
            } else if (close.isPresent()) {
                hint = "did you mean '" + close.get() + "'?";
            } else {
                hint = Values.placeholderHint(name);
            }
            out.error(n.at(), msg.toString(), hint);
        }

        private static String lines(Node n) {
            if (!n.isBlock()) return "";
            if (n.end() == null) return " (line " + n.at().line() + " to the end of the file)";
            if (n.end().file().equals(n.at().file()) && n.end().line() != n.at().line()) {
                return " (lines " + n.at().line() + "-" + n.end().line() + ")";
            }
            return "";
        }

        // ---------------------------------------------------------------- value helpers

        /** The single value of {@code KEY VALUE}, warning about extra words keepalived ignores; null when missing. */
        private Token value(Node n) {
            if (n.args().isEmpty()) {
                missingValue(n);
                return null;
            }
            if (n.args().size() > 1) extraWords(n, 1);
            Token t = n.args().get(0);
            return t.placeholder() ? null : t;
        }

        private void missingValue(Node n) {
            String hint = n.comment() != null
                    ? "'#" + n.comment().strip() + "' is a comment, not a value: '#' and '!' start a comment anywhere on a line"
                    : null;
            out.error(n.at(), "'" + n.name() + "' needs a value", hint);
        }

        private void extraWords(Node n, int used) {
            String extra = n.args().subList(used, n.args().size()).stream().map(Token::text).collect(Collectors.joining(" "));
            out.warning(n.args().get(used).at(), "extra words after '" + n.name() + "' ignored: '" + extra + "'",
                    "keepalived reads one directive per line; put '" + extra + "' on a line of its own if it is a directive");
        }

        private Optional<Integer> intValue(Node n, int min, int max) {
            Token t = value(n);
            if (t == null) return Optional.empty();
            Optional<Integer> v = Values.integer(t.text());
            if (v.isEmpty()) {
                out.error(t.at(), "'" + n.name() + "' needs a whole number, not '" + t.text() + "'", Values.placeholderHint(t.text()));
                return Optional.empty();
            }
            if (v.get() < min || v.get() > max) {
                out.error(t.at(), "'" + n.name() + "' " + v.get() + " is outside " + min + ".." + max, null);
                return Optional.empty();
            }
            return v;
        }

        private Optional<BigDecimal> secondsValue(Node n) {
            Token t = value(n);
            if (t == null) return Optional.empty();
            Optional<BigDecimal> v = Values.seconds(t.text());
            if (v.isEmpty()) {
                out.error(t.at(), "'" + n.name() + "' needs a number of seconds, not '" + t.text() + "'", Values.placeholderHint(t.text()));
            }
            return v;
        }

        private Optional<Duration> durationValue(Node n) {
            return secondsValue(n).map(Values::duration);
        }

        private Optional<InetAddress> addressValue(Node n) {
            Token t = value(n);
            if (t == null) return Optional.empty();
            return address(t, n.name());
        }

        private Optional<InetAddress> address(Token t, String what) {
            Optional<InetAddress> a = Values.address(t.text());
            if (a.isEmpty() && !t.placeholder()) {
                String hint = Values.placeholderHint(t.text());
                out.error(t.at(), "'" + t.text() + "' is not an IP address (" + what + ")",
                        hint != null ? hint : "write an IPv4 or IPv6 address; host names are not accepted here");
            }
            return a;
        }

        /** {@code KEY [<BOOL>]}: true without a value. */
        private boolean flagValue(Node n) {
            if (n.args().isEmpty()) return true;
            Token t = n.args().get(0);
            Optional<Boolean> b = Values.bool(t.text());
            if (b.isEmpty()) {
                out.error(t.at(), "'" + n.name() + "' takes on|off|true|false|yes|no or nothing, not '" + t.text() + "'", null);
                return true;
            }
            if (n.args().size() > 1) extraWords(n, 1);
            return b.get();
        }

        /** {@code KEY} alone: warns when words follow, since keepalived ignores them. */
        private void bareFlag(Node n) {
            if (!n.args().isEmpty()) extraWords(n, 0);
        }

        private Optional<ScriptUser> user(Node n, int from) {
            if (n.args().size() <= from) return Optional.empty();
            Optional<String> group = n.args().size() > from + 1 ? Optional.of(n.args().get(from + 1).text()) : Optional.empty();
            if (n.args().size() > from + 2) extraWords(n, from + 2);
            return Optional.of(new ScriptUser(n.args().get(from).text(), group));
        }

        /** {@code notify_* SCRIPT [USER [GROUP]]}: the script is one word (quoted when it has arguments). */
        private Optional<ScriptCommand> notifyScript(Node n) {
            Token t = value0(n);
            if (t == null) return Optional.empty();
            if (t.text().isBlank()) {
                out.error(t.at(), "'" + n.name() + "' has an empty script", null);
                return Optional.empty();
            }
            return Optional.of(new ScriptCommand(t.text(), Values.argv(t.text()), user(n, 1), n.at()));
        }

        /** The first value, without complaining about the rest (the caller reads it). */
        private Token value0(Node n) {
            if (n.args().isEmpty()) {
                missingValue(n);
                return null;
            }
            Token t = n.args().get(0);
            return t.placeholder() ? null : t;
        }

        /** Warns when a keyword that takes one value appears twice in a block: keepalived keeps the last. */
        private void once(Map<String, Node> seen, Node n) {
            Node first = seen.put(n.name(), n);
            if (first != null) {
                out.warning(n.at(), "'" + n.name() + "' given again (first at line " + first.at().line() + "); the last one wins",
                        "delete one of them");
            }
        }

        // ---------------------------------------------------------------- global_defs

        private void globalDefs(Node block) {
            if (global.location == null) global.location = block.at();
            Map<String, Node> seen = new HashMap<>();
            for (Node n : block.children()) {
                if (dispatchable(n, KeepalivedDirectives.GLOBAL).isEmpty()) continue;
                GlobalDraft g = global;
                switch (n.name()) {
                    case "notification_email" -> {
                        for (Node item : n.children()) {
                            if (item.isBlock()) out.error(item.at(), "unexpected block inside notification_email", null);
                            g.emails.add(item.keyword().text());
                            for (Token t : item.args()) g.emails.add(t.text());
                        }
                        if (n.children().isEmpty()) out.warning(n.at(), "empty notification_email block: no one gets alerts", null);
                    }
                    default -> {
                        once(seen, n);
                        globalScalar(g, n);
                    }
                }
            }
        }

        private void globalScalar(GlobalDraft g, Node n) {
            switch (n.name()) {
                case "router_id" -> str(n).ifPresent(v -> g.routerId = v);
                case "notification_email_from" -> str(n).ifPresent(v -> g.emailFrom = v);
                case "smtp_server" -> {
                    Token host = value0(n);
                    if (host == null) return;
                    int port = SmtpServer.DEFAULT_PORT;
                    if (n.args().size() > 1) {
                        Optional<Integer> p = Values.integer(n.args().get(1).text());
                        if (p.isEmpty() || p.get() < 1 || p.get() > 65535) {
                            out.error(n.args().get(1).at(), "smtp_server port must be 1..65535, not '" + n.args().get(1).text() + "'", null);
                        } else {
                            port = p.get();
                        }
                        if (n.args().size() > 2) extraWords(n, 2);
                    }
                    g.smtp = new SmtpServer(host.text(), port);
                }
                case "smtp_helo_name" -> str(n).ifPresent(v -> g.heloName = v);
                case "smtp_connect_timeout" -> intValue(n, 1, Integer.MAX_VALUE).ifPresent(v -> g.smtpTimeout = Duration.ofSeconds(v));
                case "smtp_alert" -> g.smtpAlert = flagValue(n);
                case "smtp_alert_vrrp" -> g.smtpAlertVrrp = flagValue(n);
                case "no_email_faults" -> {
                    bareFlag(n);
                    g.noEmailFaults = true;
                }
                case "enable_script_security" -> {
                    if (!n.args().isEmpty()) {
                        out.warning(n.args().get(0).at(), "enable_script_security takes no value: keepalived enables script security even with '"
                                + n.args().get(0).text() + "'", "delete the line to leave script security off");
                    }
                    g.scriptSecurity = true;
                }
                case "script_user" -> {
                    if (value0(n) != null) g.scriptUser = user(n, 0).orElse(null);
                }
                case "vrrp_version" -> intValue(n, 2, 3).ifPresent(v -> g.version = v);
                case "vrrp_garp_master_delay" -> durationValue(n).ifPresent(v -> g.garpDelay = v);
                case "vrrp_garp_master_repeat" -> intValue(n, 0, 65535).ifPresent(v -> g.garpRepeat = v);
                case "vrrp_garp_master_refresh" -> durationValue(n).ifPresent(v -> g.garpRefresh = v);
                case "vrrp_garp_master_refresh_repeat" -> intValue(n, 1, 65535).ifPresent(v -> g.garpRefreshRepeat = v);
                case "vrrp_garp_lower_prio_delay" -> durationValue(n).ifPresent(v -> g.garpLowerDelay = v);
                case "vrrp_garp_lower_prio_repeat" -> intValue(n, 0, 65535).ifPresent(v -> g.garpLowerRepeat = v);
                case "vrrp_garp_interval" -> positiveInterval(n).ifPresent(v -> g.garpInterval = v);
                case "vrrp_gna_interval" -> positiveInterval(n).ifPresent(v -> g.gnaInterval = v);
                case "vrrp_min_garp" -> g.minGarp = flagValue(n);
                case "vrrp_strict" -> {
                    bareFlag(n);
                    g.strict = true;
                }
                case "vrrp_mcast_group4" -> multicast(n, Inet4Address.class).ifPresent(a -> g.mcast4 = a);
                case "vrrp_mcast_group6" -> multicast(n, Inet6Address.class).ifPresent(a -> g.mcast6 = a);
                case "vrrp_skip_check_adv_addr" -> g.skipCheckAdvAddr = flagValue(n);
                case "vrrp_check_unicast_src" -> {
                    bareFlag(n);
                    g.checkUnicastSrc = true;
                }
                case "vrrp_lower_prio_no_advert" -> g.lowerPrioNoAdvert = flagValue(n);
                case "vrrp_higher_prio_send_advert" -> g.higherPrioSendAdvert = flagValue(n);
                case "vrrp_down_timer_adverts" -> intValue(n, 1, 100).ifPresent(v -> g.downTimerAdverts = v);
                case "vrrp_notify_fifo", "notify_fifo" -> str(n).ifPresent(v -> g.notifyFifo = v);
                case "vrrp_notify_fifo_script", "notify_fifo_script" -> g.notifyFifoScript = notifyScript(n).orElse(g.notifyFifoScript);
                case "vrrp_startup_delay" -> durationValue(n).ifPresent(v -> g.startupDelay = v);
                case "default_interface" -> str(n).ifPresent(v -> g.defaultInterface = v);
                case "dynamic_interfaces" -> g.dynamicInterfaces = true;
                case "vrrp_iptables", "vrrp_ipsets", "nftables", "vrrp_nftables" ->
                        g.firewallChain = n.name() + (n.args().isEmpty() ? "" : " " + n.args().stream().map(Token::text).collect(Collectors.joining(" ")));
                default -> out.error(n.at(), "'" + n.name() + "' is listed as supported but has no reader", null);
            }
        }

        private Optional<String> str(Node n) {
            Token t = value(n);
            return t == null ? Optional.empty() : Optional.of(t.text());
        }

        /** vrrp_garp_interval / vrrp_gna_interval: keepalived refuses 0 ("outside range [0.000001, 4294.967295]"). */
        private Optional<Duration> positiveInterval(Node n) {
            Optional<BigDecimal> s = secondsValue(n);
            if (s.isEmpty()) return Optional.empty();
            if (s.get().signum() == 0 || s.get().compareTo(new BigDecimal("4294.967295")) > 0) {
                out.warning(n.args().get(0).at(), "keepalived refuses " + n.name() + " '" + n.args().get(0).text()
                        + "' (valid: 0.000001..4294.967295) and keeps the default 0 (no delay)", "delete the line; 0 is already the default");
                return Optional.empty();
            }
            return Optional.of(Values.duration(s.get()));
        }

        private Optional<InetAddress> multicast(Node n, Class<? extends InetAddress> family) {
            Optional<InetAddress> a = addressValue(n);
            if (a.isEmpty()) return a;
            if (!family.isInstance(a.get()) || !a.get().isMulticastAddress()) {
                out.error(n.args().get(0).at(), "'" + n.name() + "' needs an " + (family == Inet4Address.class ? "IPv4" : "IPv6")
                        + " multicast address, not " + n.args().get(0).text(), null);
                return Optional.empty();
            }
            return a;
        }

        // ---------------------------------------------------------------- vrrp_script

        private Optional<String> blockName(Node n) {
            if (n.args().isEmpty()) {
                out.error(n.at(), "'" + n.name() + "' needs a name: '" + n.name() + " NAME {'", null);
                return Optional.empty();
            }
            if (n.args().size() > 1) extraWords(n, 1);
            return Optional.of(n.args().get(0).text());
        }

        private void vrrpScript(Node block) {
            Optional<String> name = blockName(block);
            if (name.isEmpty()) return;
            Map<String, Node> seen = new HashMap<>();
            ScriptCommand command = null;
            Duration interval = VrrpScript.DEFAULT_INTERVAL;
            Duration timeout = null;
            int weight = 0;
            boolean reverse = false;
            int rise = 1;
            int fall = 1;
            boolean initFail = false;
            ScriptUser user = null;
            SourceLocation weightAt = null;
            for (Node n : block.children()) {
                if (dispatchable(n, KeepalivedDirectives.SCRIPT).isEmpty()) continue;
                once(seen, n);
                switch (n.name()) {
                    case "script" -> {
                        if (n.args().isEmpty()) {
                            missingValue(n);
                        } else {
                            String line = n.args().stream().map(Token::text).collect(Collectors.joining(" "));
                            command = new ScriptCommand(line, Values.argv(line), Optional.empty(), n.at());
                        }
                    }
                    case "interval" -> {
                        Optional<BigDecimal> s = secondsValue(n);
                        if (s.isPresent() && s.get().signum() == 0) out.error(n.args().get(0).at(), "interval must be more than 0", null);
                        else if (s.isPresent()) interval = Values.duration(s.get());
                    }
                    case "timeout" -> {
                        Optional<Duration> d = durationValue(n);
                        if (d.isPresent()) timeout = d.get();
                    }
                    case "weight" -> {
                        Token t = value0(n);
                        if (t == null) break;
                        Optional<Integer> w = Values.integer(t.text());
                        if (w.isEmpty() || w.get() < -253 || w.get() > 253) {
                            out.error(t.at(), "weight must be a whole number in -253..253, not '" + t.text() + "'", null);
                            break;
                        }
                        weight = w.get();
                        weightAt = n.at();
                        reverse = reverseWord(n, 1);
                    }
                    case "rise" -> rise = intValue(n, 1, Integer.MAX_VALUE).orElse(rise);
                    case "fall" -> fall = intValue(n, 1, Integer.MAX_VALUE).orElse(fall);
                    case "init_fail" -> {
                        bareFlag(n);
                        initFail = true;
                    }
                    case "user" -> {
                        if (value0(n) != null) user = user(n, 0).orElse(null);
                    }
                    default -> out.error(n.at(), "'" + n.name() + "' has no reader", null);
                }
            }
            if (command == null) {
                out.error(block.at(), "vrrp_script " + name.get() + " has no 'script' line", "add e.g. script \"/usr/bin/pgrep -x haproxy\"");
            }
            if (scripts.containsKey(name.get())) {
                out.error(block.at(), "vrrp_script " + name.get() + " is defined twice (first at line " + scripts.get(name.get()).location().line()
                        + "); the first one is used", "rename or delete one of them (keepalived itself does not warn about this)");
                return;
            }
            scripts.put(name.get(), new VrrpScript(name.get(), Optional.ofNullable(command), interval, Optional.ofNullable(timeout), weight,
                    reverse, rise, fall, initFail, Optional.ofNullable(user), block.at(), Optional.ofNullable(weightAt)));
        }

        /** {@code ... weight W [reverse|noreverse|no_reverse]}: whether {@code reverse} follows at {@code index}. */
        private boolean reverseWord(Node n, int index) {
            if (n.args().size() <= index) return false;
            String w = n.args().get(index).text();
            if (n.args().size() > index + 1) extraWords(n, index + 1);
            if (w.equals("reverse")) return true;
            if (w.equals("noreverse") || w.equals("no_reverse")) return false;
            out.error(n.args().get(index).at(), "expected 'reverse' after the weight, not '" + w + "'", null);
            return false;
        }

        // ---------------------------------------------------------------- vrrp_instance

        private void vrrpInstance(Node block) {
            Optional<String> name = blockName(block);
            if (name.isEmpty()) return;
            InstanceDraft d = new InstanceDraft(name.get(), block.at());
            Map<String, Node> seen = new HashMap<>();
            for (Node n : block.children()) {
                d.written.add(n.name());
                if (vigilResources(d.resources, n)) continue;
                if (dispatchable(n, KeepalivedDirectives.INSTANCE).isEmpty()) continue;
                if (KeepalivedDirectives.find(KeepalivedDirectives.INSTANCE, n.name()).orElseThrow().shape() != Shape.LIST) once(seen, n);
                instanceDirective(d, n);
            }
            if (!d.written.contains("virtual_router_id")) {
                out.error(block.at(), "vrrp_instance " + d.name + " has no virtual_router_id", "add 'virtual_router_id N' (1..255), the same on every node");
            }
            if (!d.written.contains("interface")) {
                out.error(block.at(), "vrrp_instance " + d.name + " has no interface", "add 'interface IF': the interface the adverts go out on");
            }
            if (d.vips.isEmpty() && d.vipItems == 0) {
                out.warning(block.at(), "vrrp_instance " + d.name + " has no virtual_ipaddress: it moves no address",
                        "keepalived also warns 'No VIP specified; at least one is sensible'");
            } else if (!d.vips.isEmpty()) {
                boolean v6 = d.vips.get(0).isIpv6();
                for (VirtualAddress a : d.vips) {
                    if (a.isIpv6() != v6) {
                        out.error(a.location(), "virtual_ipaddress mixes IPv4 and IPv6: one advert carries one family",
                                "move the " + (a.isIpv6() ? "IPv6" : "IPv4") + " addresses to virtual_ipaddress_excluded or to another instance");
                        break;
                    }
                }
            }
            InstanceDraft first = instances.get(d.name);
            if (first != null) {
                out.error(block.at(), "vrrp_instance " + d.name + " is defined twice (first at line " + first.location.line()
                                + "); keepalived reports 'already defined' and ignores this one",
                        "one file describes one node: put the other node's instance in its own file, or use @id line prefixes");
                return;
            }
            instances.put(d.name, d);
        }

        private void instanceDirective(InstanceDraft d, Node n) {
            switch (n.name()) {
                case "state" -> {
                    Token t = value(n);
                    if (t == null) return;
                    switch (t.text()) {
                        case "MASTER" -> d.state = VrrpState.MASTER;
                        case "BACKUP" -> d.state = VrrpState.BACKUP;
                        default -> out.error(t.at(), "state must be MASTER or BACKUP, not '" + t.text() + "' (keepalived falls back to BACKUP)",
                                t.text().equalsIgnoreCase("master") || t.text().equalsIgnoreCase("backup")
                                        ? "keepalived wants it in capitals: " + t.text().toUpperCase(Locale.ROOT) : Values.placeholderHint(t.text()));
                    }
                    if (d.state != null) d.stateAt = n.at();
                }
                case "interface" -> str(n).ifPresent(v -> d.interfaceName = v);
                case "virtual_router_id" -> {
                    d.vridAt = n.at();
                    intValue(n, 1, 255).ifPresent(v -> d.vrid = v);
                }
                case "priority" -> {
                    Token t = value(n);
                    if (t == null) return;
                    Optional<Integer> p = Values.integer(t.text());
                    if (p.isEmpty()) {
                        out.error(t.at(), "priority needs a whole number, not '" + t.text() + "'", Values.placeholderHint(t.text()));
                    } else {
                        d.priority = p.get();
                        d.priorityAt = t.at();
                    }
                }
                case "advert_int" -> {
                    Optional<BigDecimal> s = secondsValue(n);
                    if (s.isPresent() && s.get().signum() == 0) {
                        out.error(n.args().get(0).at(), "advert_int must be more than 0", null);
                    } else if (s.isPresent()) {
                        d.advertInt = s.get();
                        d.advertIntAt = n.args().get(0).at();
                    }
                }
                case "version" -> intValue(n, 2, 3).ifPresent(v -> {
                    d.version = v;
                    d.versionAt = n.at();
                });
                case "nopreempt" -> {
                    bareFlag(n);
                    d.nopreempt = true;
                    d.nopreemptAt = n.at();
                }
                case "preempt" -> {
                    bareFlag(n);
                    d.nopreempt = false;
                    d.nopreemptAt = null;
                }
                case "preempt_delay" -> secondsValue(n).ifPresent(v -> {
                    if (v.compareTo(BigDecimal.valueOf(1000)) > 0) {
                        out.error(n.args().get(0).at(), "preempt_delay must be 0..1000 seconds, not " + v.toPlainString(), null);
                    } else {
                        d.preemptDelay = Values.duration(v);
                    }
                });
                case "authentication" -> authentication(d, n);
                case "virtual_ipaddress" -> {
                    d.vipItems += n.children().size();
                    d.vips.addAll(addressList(n));
                }
                case "virtual_ipaddress_excluded" -> d.excluded.addAll(addressList(n));
                case "virtual_routes" -> {
                    for (Node item : items(n)) route(item).ifPresent(d.routes::add);
                }
                case "virtual_rules" -> {
                    for (Node item : items(n)) {
                        List<String> words = new ArrayList<>();
                        words.add(item.keyword().text());
                        item.args().forEach(t -> words.add(t.text()));
                        d.rules.add(new VirtualRule(words, item.at()));
                    }
                }
                case "unicast_src_ip" -> addressValue(n).ifPresent(a -> {
                    d.unicastSrc = a;
                    d.unicastSrcAt = n.args().get(0).at();
                });
                case "unicast_peer" -> {
                    for (Node item : items(n)) peer(item).ifPresent(d.peers::add);
                }
                case "unicast_ttl" -> intValue(n, 1, 255).ifPresent(v -> d.unicastTtl = v);
                case "unicast_fault_no_peer" -> {
                    bareFlag(n);
                    d.unicastFaultNoPeer = true;
                }
                case "mcast_src_ip" -> addressValue(n).ifPresent(a -> d.mcastSrc = a);
                case "mcast_dst_ip" -> addressValue(n).ifPresent(a -> {
                    if (!a.isMulticastAddress()) out.error(n.args().get(0).at(), "mcast_dst_ip must be a multicast address", null);
                    else d.mcastDst = a;
                });
                case "track_interface" -> {
                    for (Node item : items(n)) trackInterface(item).ifPresent(d.trackInterfaces::add);
                }
                case "track_script" -> {
                    for (Node item : items(n)) trackScript(item).ifPresent(d.trackScripts::add);
                }
                case "notify_master" -> d.notify.master = notifyScript(n).orElse(null);
                case "notify_backup" -> d.notify.backup = notifyScript(n).orElse(null);
                case "notify_fault" -> d.notify.fault = notifyScript(n).orElse(null);
                case "notify_stop" -> d.notify.stop = notifyScript(n).orElse(null);
                case "notify" -> d.notify.any = notifyScript(n).orElse(null);
                case "notify_master_rx_lower_pri" -> d.notify.rxLower = notifyScript(n).orElse(null);
                case "smtp_alert" -> d.smtpAlert = flagValue(n);
                case "garp_master_delay" -> durationValue(n).ifPresent(v -> d.garpDelay = v);
                case "garp_master_repeat" -> intValue(n, 0, 65535).ifPresent(v -> d.garpRepeat = v);
                case "garp_master_refresh" -> durationValue(n).ifPresent(v -> d.garpRefresh = v);
                case "garp_master_refresh_repeat" -> intValue(n, 1, 65535).ifPresent(v -> d.garpRefreshRepeat = v);
                case "garp_lower_prio_delay" -> durationValue(n).ifPresent(v -> d.garpLowerDelay = v);
                case "garp_lower_prio_repeat" -> intValue(n, 0, 65535).ifPresent(v -> d.garpLowerRepeat = v);
                case "native_ipv6" -> {
                    bareFlag(n);
                    d.nativeIpv6 = true;
                }
                case "dont_track_primary" -> {
                    bareFlag(n);
                    d.dontTrackPrimary = true;
                }
                case "use_vmac" -> {
                    d.vmac = new VrrpInstance.Vmac(n.args().isEmpty() ? Optional.empty() : Optional.of(n.args().get(0).text()));
                    if (n.args().size() > 1) extraWords(n, 1);
                }
                case "vmac_xmit_base" -> {
                    bareFlag(n);
                    d.vmacXmitBase = true;
                }
                case "accept" -> {
                    bareFlag(n);
                    d.accept = true;
                }
                case "no_accept" -> {
                    bareFlag(n);
                    d.accept = false;
                }
                case "strict_mode" -> d.strict = flagValue(n);
                case "skip_check_adv_addr" -> d.skipCheckAdvAddr = flagValue(n);
                case "check_unicast_src" -> {
                    bareFlag(n);
                    d.checkUnicastSrc = true;
                }
                case "lower_prio_no_advert" -> d.lowerPrioNoAdvert = flagValue(n);
                case "higher_prio_send_advert" -> d.higherPrioSendAdvert = flagValue(n);
                case "down_timer_adverts" -> intValue(n, 1, 100).ifPresent(v -> d.downTimerAdverts = v);
                case "promote_secondaries" -> {
                    bareFlag(n);
                    d.promoteSecondaries = true;
                }
                default -> out.error(n.at(), "'" + n.name() + "' has no reader", null);
            }
        }

        /** The items of a list block; an item followed by its own block is an error (and skipped). */
        private List<Node> items(Node list) {
            List<Node> result = new ArrayList<>();
            for (Node item : list.children()) {
                if (item.isBlock()) {
                    out.error(item.at(), "unexpected block inside " + list.name() + lines(item),
                            list.name() + " lists one item per line; a '{' here usually means a missing '}' above");
                    continue;
                }
                if (item.keyword().placeholder()) continue;
                result.add(item);
            }
            return result;
        }

        private void authentication(InstanceDraft d, Node block) {
            AuthType type = null;
            Secret pass = null;
            SourceLocation passAt = null;
            Map<String, Node> seen = new HashMap<>();
            boolean passWritten = false;
            for (Node n : block.children()) {
                passWritten |= n.name().equals("auth_pass");
                if (dispatchable(n, KeepalivedDirectives.AUTH).isEmpty()) continue;
                once(seen, n);
                if (n.name().equals("auth_type")) {
                    Token t = value(n);
                    if (t == null) continue;
                    switch (t.text()) {
                        case "PASS" -> type = AuthType.PASS;
                        case "AH" -> type = AuthType.AH;
                        default -> out.error(t.at(), "auth_type must be PASS or AH, not '" + t.text() + "'", null);
                    }
                } else {
                    Token t = value(n);
                    if (t == null) continue;
                    pass = Authentication.secretOf(t.text());
                    passAt = t.at();
                }
            }
            if (type == null && pass != null) out.error(block.at(), "authentication has auth_pass but no auth_type", "add 'auth_type PASS'");
            if (type == AuthType.PASS && !passWritten) {
                out.error(block.at(), "auth_type PASS without an auth_pass", "add 'auth_pass SECRET' (8 characters are used)");
            }
            d.auth = new Authentication(Optional.ofNullable(type), Optional.ofNullable(pass), block.at(), Optional.ofNullable(passAt));
        }

        /** {@code IP[/LEN] [brd IP|+|-] [dev IF] [scope S] [label L] [peer IP] [no_track] ...} per item line. */
        private List<VirtualAddress> addressList(Node list) {
            List<VirtualAddress> result = new ArrayList<>();
            for (Node item : items(list)) {
                List<Token> words = new ArrayList<>();
                words.add(item.keyword());
                words.addAll(item.args());
                Optional<VirtualAddress> a = virtualAddress(words, item.at());
                a.ifPresent(result::add);
            }
            return result;
        }

        private Optional<VirtualAddress> virtualAddress(List<Token> words, SourceLocation at) {
            Token first = words.get(0);
            Optional<Prefix> prefix = prefix(first, "virtual address");
            if (prefix.isEmpty()) return Optional.empty();
            InetAddress addr = prefix.get().address;
            String brd = null, dev = null, scope = null, label = null;
            InetAddress peer = null;
            boolean noTrack = false;
            List<String> flags = new ArrayList<>();
            for (int i = 1; i < words.size(); i++) {
                Token w = words.get(i);
                String key = w.text();
                boolean hasNext = i + 1 < words.size();
                switch (key) {
                    case "brd", "broadcast", "dev", "scope", "label", "peer", "preferred_lft", "valid_lft", "metric", "table" -> {
                        if (!hasNext) {
                            out.error(w.at(), "'" + key + "' needs a value in this address line", null);
                            continue;
                        }
                        Token v = words.get(++i);
                        switch (key) {
                            case "brd", "broadcast" -> {
                                if (!v.text().equals("+") && !v.text().equals("-")) {
                                    Optional<InetAddress> b = address(v, "brd");
                                    if (b.isPresent() && b.get().getClass() != addr.getClass()) {
                                        out.error(v.at(), "brd " + v.text() + " is not " + Values.family(addr), null);
                                    }
                                }
                                brd = v.text();
                            }
                            case "dev" -> dev = v.text();
                            case "scope" -> {
                                if (!Set.of("site", "link", "host", "nowhere", "global").contains(v.text()) && Values.integer(v.text()).isEmpty()) {
                                    out.error(v.at(), "scope must be site, link, host, nowhere, global or a number, not '" + v.text() + "'", null);
                                } else {
                                    scope = v.text();
                                }
                            }
                            case "label" -> {
                                if (addr instanceof Inet6Address) {
                                    out.warning(v.at(), "keepalived ignores labels on IPv6 addresses ('Cannot specify label for IPv6 addresses')",
                                            "delete 'label " + v.text() + "'");
                                } else {
                                    label = v.text();
                                }
                            }
                            case "peer" -> peer = prefix(v, "peer").map(p -> p.address).orElse(null);
                            default -> flags.add(key + "=" + v.text());
                        }
                    }
                    case "no_track" -> noTrack = true;
                    case "track", "home", "nodad", "-nodad", "noprefixroute", "autojoin", "mngtmpaddr" -> flags.add(key);
                    default -> out.warning(w.at(), "unknown option '" + key + "' in address line; keepalived ignores it",
                            Values.address(key).isPresent() ? "put each address on its own line" : "known: brd dev scope label peer no_track home nodad noprefixroute autojoin");
                }
            }
            return Optional.of(new VirtualAddress(addr, prefix.get().length, Optional.ofNullable(brd), Optional.ofNullable(dev),
                    Optional.ofNullable(scope), Optional.ofNullable(label), Optional.ofNullable(peer), noTrack, flags, at));
        }

        private record Prefix(InetAddress address, int length) {
        }

        /** {@code IP} or {@code IP/LEN}; without a length, a host prefix. */
        private Optional<Prefix> prefix(Token t, String what) {
            String text = t.text();
            int slash = text.indexOf('/');
            String ip = slash < 0 ? text : text.substring(0, slash);
            Optional<InetAddress> a = Values.address(ip);
            if (a.isEmpty()) {
                if (!t.placeholder()) {
                    String hint = Values.placeholderHint(text);
                    out.error(t.at(), "'" + text + "' is not an IP address (" + what + ")", hint != null ? hint : "write IP or IP/LENGTH");
                }
                return Optional.empty();
            }
            int max = Values.maxPrefix(a.get());
            int len = max;
            if (slash >= 0) {
                Optional<Integer> l = Values.integer(text.substring(slash + 1));
                if (l.isEmpty() || l.get() < 0 || l.get() > max) {
                    out.error(t.at(), "invalid prefix length in '" + text + "' (0.." + max + ")", Values.placeholderHint(text));
                    return Optional.empty();
                }
                len = l.get();
            }
            return Optional.of(new Prefix(a.get(), len));
        }

        private static final Set<String> ROUTE_TYPES = Set.of("blackhole", "unreachable", "prohibit", "throw", "local", "broadcast", "multicast", "unicast");

        private Optional<VirtualRoute> route(Node item) {
            List<Token> w = new ArrayList<>();
            w.add(item.keyword());
            w.addAll(item.args());
            String type = "unicast";
            String destination = null;
            InetAddress via = null, src = null;
            String dev = null, scope = null, table = null;
            Long metric = null;
            Map<String, String> other = new LinkedHashMap<>();
            int i = 0;
            if (ROUTE_TYPES.contains(w.get(0).text())) type = w.get(i++).text();
            boolean ok = true;
            while (i < w.size()) {
                Token t = w.get(i);
                String key = t.text();
                Token v = i + 1 < w.size() ? w.get(i + 1) : null;
                switch (key) {
                    case "src", "via", "gw", "dev", "oif", "scope", "table", "metric", "preference", "priority", "to" -> {
                        if (v == null) {
                            out.error(t.at(), "'" + key + "' needs a value in this route", null);
                            return Optional.empty();
                        }
                        i += 2;
                        switch (key) {
                            case "src" -> {
                                Optional<InetAddress> a = address(v, "route src");
                                ok &= a.isPresent();
                                src = a.orElse(null);
                            }
                            case "via", "gw" -> {
                                if ((v.text().equals("inet") || v.text().equals("inet6")) && i < w.size()) v = w.get(i++);
                                Optional<InetAddress> a = address(v, "route gateway");
                                ok &= a.isPresent();
                                via = a.orElse(null);
                            }
                            case "dev", "oif" -> dev = v.text();
                            case "scope" -> scope = v.text();
                            case "table" -> table = v.text();
                            case "metric", "preference", "priority" -> {
                                Optional<Integer> m = Values.integer(v.text());
                                if (m.isEmpty() || m.get() < 0) {
                                    out.error(v.at(), "route metric must be a whole number, not '" + v.text() + "'", null);
                                    ok = false;
                                } else {
                                    metric = (long) m.get();
                                }
                            }
                            default -> {
                                destination = destination(v);
                                ok &= destination != null;
                            }
                        }
                    }
                    case "no_track", "onlink" -> {
                        other.put(key, "");
                        i++;
                    }
                    default -> {
                        if (destination == null) {
                            destination = destination(t);
                            ok &= destination != null;
                            i++;
                        } else if (v != null) {
                            other.put(key, v.text());
                            i += 2;
                        } else {
                            out.warning(t.at(), "unexpected word '" + key + "' at the end of this route; ignored", null);
                            i++;
                        }
                    }
                }
            }
            if (destination == null && ok) {
                out.error(item.at(), "route without a destination", "write e.g. '10.0.0.0/8 via 192.0.2.1' or 'default via 192.0.2.1'");
                return Optional.empty();
            }
            if (!ok) return Optional.empty();
            return Optional.of(new VirtualRoute(type, destination, Optional.ofNullable(via), Optional.ofNullable(src), Optional.ofNullable(dev),
                    Optional.ofNullable(scope), Optional.ofNullable(table), Optional.ofNullable(metric), other, item.at()));
        }

        private String destination(Token t) {
            if (t.text().equals("default")) return "default";
            return prefix(t, "route destination").map(p -> p.address.getHostAddress() + "/" + p.length).orElse(null);
        }

        private Optional<UnicastPeer> peer(Node item) {
            Optional<InetAddress> a = address(item.keyword(), "unicast_peer");
            if (a.isEmpty()) return Optional.empty();
            Integer min = null, max = null;
            List<Token> args = item.args();
            for (int i = 0; i < args.size(); i++) {
                String key = args.get(i).text();
                if ((key.equals("min_ttl") || key.equals("max_ttl")) && i + 1 < args.size()) {
                    Optional<Integer> v = Values.integer(args.get(i + 1).text());
                    if (v.isEmpty() || v.get() < 0 || v.get() > 255) {
                        out.error(args.get(i + 1).at(), key + " must be 0..255", null);
                    } else if (key.equals("min_ttl")) {
                        min = v.get();
                    } else {
                        max = v.get();
                    }
                    i++;
                } else {
                    out.warning(args.get(i).at(), "unexpected '" + key + "' after unicast peer " + item.keyword().text() + "; ignored",
                            Values.address(key).isPresent() ? "put each peer on its own line" : "only 'min_ttl N' and 'max_ttl N' may follow a peer");
                }
            }
            return Optional.of(new UnicastPeer(a.get(), min == null ? OptionalInt.empty() : OptionalInt.of(min),
                    max == null ? OptionalInt.empty() : OptionalInt.of(max), item.at()));
        }

        private Optional<TrackedInterface> trackInterface(Node item) {
            int weight = 0;
            boolean reverse = false;
            List<Token> args = item.args();
            if (!args.isEmpty()) {
                if (!args.get(0).text().equals("weight") || args.size() < 2) {
                    out.error(args.get(0).at(), "expected 'weight W' after tracked interface " + item.name(), "write '" + item.name() + " weight -20'");
                    return Optional.empty();
                }
                Optional<Integer> w = Values.integer(args.get(1).text());
                if (w.isEmpty() || w.get() < -253 || w.get() > 253) {
                    out.error(args.get(1).at(), "weight must be a whole number in -253..253, not '" + args.get(1).text() + "'", null);
                    return Optional.empty();
                }
                weight = w.get();
                reverse = reverseWord(item, 2);
            }
            return Optional.of(new TrackedInterface(item.name(), weight, reverse, item.at()));
        }

        private Optional<TrackedScript> trackScript(Node item) {
            List<Token> args = item.args();
            if (args.isEmpty()) return Optional.of(new TrackedScript(item.name(), OptionalInt.empty(), Optional.empty(), item.at(), Optional.empty()));
            if (!args.get(0).text().equals("weight") || args.size() < 2) {
                out.error(args.get(0).at(), "expected 'weight W' after tracked script " + item.name(),
                        Values.address(args.get(0).text()).isEmpty() && !args.get(0).text().equals("weight")
                                ? "put each script name on its own line" : "write '" + item.name() + " weight -20'");
                return Optional.empty();
            }
            Optional<Integer> w = Values.integer(args.get(1).text());
            if (w.isEmpty() || w.get() < -253 || w.get() > 253) {
                out.error(args.get(1).at(), "weight must be a whole number in -253..253, not '" + args.get(1).text() + "'", null);
                return Optional.empty();
            }
            Optional<Boolean> reverse = args.size() > 2 ? Optional.of(reverseWord(item, 2)) : Optional.empty();
            return Optional.of(new TrackedScript(item.name(), OptionalInt.of(w.get()), reverse, item.at(), Optional.of(args.get(0).at())));
        }

        // ---------------------------------------------------------------- Vigil resource groups

        /**
         * {@code vigil_resources}, {@code vigil_resource_defaults} and {@code vigil_resource} in a
         * vrrp_instance or vrrp_sync_group ({@link VigilResourceGroup}); true when {@code n} was one.
         */
        private boolean vigilResources(ResourceDraft r, Node n) {
            if (n.keyword().quoted() || !VIGIL_KEYWORDS.contains(n.name())) return false;
            if (n.isBlock()) {
                out.error(n.at(), "'" + n.name() + "' is written on one line, not as a block" + lines(n),
                        "keepalived 2.2.7 does not skip the block of a keyword it does not know: its '}' would close the "
                                + "enclosing block and cut it short on keepalived nodes; write '" + n.name() + " R1 R2 ...' "
                                + "(repeat the line to continue the list)");
                // read the items anyway so that the rest of the file is checked as meant
                if (n.name().equals("vigil_resources")) {
                    if (r.at == null) r.at = n.at();
                    for (Node item : n.children()) {
                        resourceWord(r, item.keyword());
                        for (Token t : item.args()) resourceWord(r, t);
                    }
                }
                return true;
            }
            switch (n.name()) {
                case "vigil_resources" -> {
                    if (n.args().isEmpty()) {
                        missingValue(n);
                        return true;
                    }
                    if (r.at == null) r.at = n.at();
                    for (Token t : n.args()) resourceWord(r, t);
                }
                case "vigil_resource_defaults" -> {
                    if (r.defaultsAt != null) {
                        out.warning(n.at(), "'vigil_resource_defaults' given again (first at line " + r.defaultsAt.line()
                                + "); the last one wins", "put all the default keys on one line");
                    }
                    if (n.args().isEmpty()) {
                        missingValue(n);
                        return true;
                    }
                    r.defaultsAt = n.at();
                    r.defaults = ResourcePolicyKeys.parse(words(n.args()), out);
                }
                case "vigil_resource" -> {
                    Token name = value0(n);
                    if (name == null) return true;
                    SourceLocation before = r.policyAt.get(name.text());
                    if (before != null) {
                        out.error(n.at(), "resource '" + name.text() + "' already has a vigil_resource line (line " + before.line() + ")",
                                "put all its keys on one line");
                        return true;
                    }
                    if (n.args().size() == 1) {
                        out.warning(n.at(), "vigil_resource '" + name.text() + "' sets nothing",
                                "add KEY=VALUE, e.g. monitor_interval=10; to add a resource to the group, write 'vigil_resources "
                                        + name.text() + "'");
                    }
                    r.policyAt.put(name.text(), n.at());
                    r.policies.put(name.text(), ResourcePolicyKeys.parse(words(n.args().subList(1, n.args().size())), out));
                }
                default -> throw new IllegalStateException(n.name());
            }
            return true;
        }

        private void resourceWord(ResourceDraft r, Token t) {
            if (t.placeholder()) return;
            if (t.text().indexOf('=') > 0 && !t.text().contains("::")) {
                out.error(t.at(), "'" + t.text() + "' looks like a policy key, not a resource",
                        "policy keys go on a 'vigil_resource NAME KEY=VALUE' or 'vigil_resource_defaults KEY=VALUE' line");
                return;
            }
            Diagnostics local = new Diagnostics();
            Optional<Haresources.Resource> res = HaresourcesParser.parseResource(t.text(), t.at(), local);
            out.addAll(local);
            res.ifPresent(x -> {
                if ((x.script().equals("IPaddr") || x.script().equals("IPaddr2")) && !x.arguments().isEmpty()) {
                    out.warning(t.at(), "address '" + x.arguments().get(0) + "' is added by the " + x.script()
                                    + " script while this is MASTER, but VRRP does not advertise it",
                            "an address that follows the master usually belongs in virtual_ipaddress");
                }
                r.resources.add(x);
            });
        }

        private static List<ResourcePolicyKeys.Word> words(List<Token> tokens) {
            return tokens.stream().map(t -> new ResourcePolicyKeys.Word(t.text(), t.at())).toList();
        }

        /** The finished group: policies applied over the defaults, names checked against the resources. */
        private Optional<VigilResourceGroup> resourceGroup(ResourceDraft r) {
            ResourcePolicy defaults = r.defaultsAt == null ? ResourcePolicy.DEFAULTS
                    : ResourcePolicyKeys.apply(ResourcePolicy.DEFAULTS, r.defaults, Optional.of(r.defaultsAt));
            if (r.defaultsAt != null) ResourcePolicyKeys.check(defaults, r.defaultsAt, out);
            Map<String, ResourcePolicy> policies = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (Haresources.Resource x : r.resources) {
                names.add(x.text());
                if (!names.contains(x.script())) names.add(x.script());
            }
            r.policies.forEach((name, keys) -> {
                SourceLocation at = r.policyAt.get(name);
                ResourcePolicy p = ResourcePolicyKeys.apply(defaults, keys, Optional.of(at));
                ResourcePolicyKeys.check(p, at, out);
                policies.put(name, p);
                if (r.at != null && !names.contains(name)) {
                    out.warning(at, "vigil_resource '" + name + "' names no resource of this group",
                            Suggestions.closest(name, names).map(c -> "did you mean '" + c + "'?")
                                    .orElse("the group's resources: " + String.join(" ", names)));
                }
            });
            if (r.at == null) {
                SourceLocation first = r.defaultsAt != null ? r.defaultsAt : r.policyAt.values().stream().findFirst().orElse(null);
                if (first != null) {
                    out.warning(first, "resource policies without a 'vigil_resources' line: they apply to nothing",
                            "list the resources this owns: 'vigil_resources R1 R2 ...'");
                }
                return Optional.empty();
            }
            return Optional.of(new VigilResourceGroup(r.resources, defaults, policies, r.at));
        }

        /**
         * One owner per resource group: an instance that belongs to a sync group that owns resources
         * must not own any itself (which one would start first, and on whose MASTER?); and one
         * resource listed by two owners is started by both, as heartbeat warns for haresources.
         */
        private void resourceOwners(List<VrrpInstance> built) {
            Map<String, VrrpInstance> byName = new HashMap<>();
            for (VrrpInstance i : built) byName.put(i.name(), i);
            for (VrrpSyncGroup g : groups.values()) {
                if (g.resourceGroup().isEmpty()) continue;
                for (VrrpSyncGroup.Member m : g.members()) {
                    VrrpInstance i = byName.get(m.instance());
                    if (i == null || i.resourceGroup().isEmpty()) continue;
                    out.error(i.resourceGroup().get().location(), "vrrp_instance " + i.name() + " has vigil_resources, and so does its "
                                    + "vrrp_sync_group " + g.name() + " (line " + g.resourceGroup().get().location().line() + ")",
                            "a group and its members change state together: keep the resources in the sync group only");
                }
            }
            Map<String, String> owner = new HashMap<>();
            List<Map.Entry<String, VigilResourceGroup>> owners = new ArrayList<>();
            for (VrrpInstance i : built) i.resourceGroup().ifPresent(x -> owners.add(Map.entry("vrrp_instance " + i.name(), x)));
            for (VrrpSyncGroup g : groups.values()) g.resourceGroup().ifPresent(x -> owners.add(Map.entry("vrrp_sync_group " + g.name(), x)));
            for (Map.Entry<String, VigilResourceGroup> e : owners) {
                for (Haresources.Resource x : e.getValue().resources()) {
                    String before = owner.putIfAbsent(x.canonical(), e.getKey());
                    if (before != null && !before.equals(e.getKey())) {
                        out.warning(x.location(), "resource '" + x.text() + "' is also owned by " + before
                                + "; each owner starts it when it becomes MASTER", "list each resource under one owner");
                    }
                }
            }
        }

        // ---------------------------------------------------------------- vrrp_sync_group

        private void syncGroup(Node block) {
            Optional<String> name = blockName(block);
            if (name.isEmpty()) return;
            List<VrrpSyncGroup.Member> members = new ArrayList<>();
            NotifyDraft notify = new NotifyDraft();
            Boolean smtp = null;
            List<TrackedScript> tracks = new ArrayList<>();
            List<TrackedInterface> ifaces = new ArrayList<>();
            boolean trackingWeight = false;
            boolean sawGroup = false;
            Map<String, Node> seen = new HashMap<>();
            ResourceDraft resources = new ResourceDraft();
            for (Node n : block.children()) {
                if (vigilResources(resources, n)) continue;
                if (KeepalivedDirectives.find(KeepalivedDirectives.SYNC_GROUP, n.name()).isEmpty() && n.args().isEmpty() && !n.isBlock()
                        && !n.keyword().placeholder()) {
                    out.error(n.at(), "unknown keyword '" + n.name() + "' in vrrp_sync_group",
                            "instance names go inside 'group { " + n.name() + " }'");
                    continue;
                }
                if (dispatchable(n, KeepalivedDirectives.SYNC_GROUP).isEmpty()) continue;
                switch (n.name()) {
                    case "group" -> {
                        sawGroup = true;
                        for (Node item : items(n)) {
                            members.add(new VrrpSyncGroup.Member(item.name(), item.at()));
                            for (Token t : item.args()) members.add(new VrrpSyncGroup.Member(t.text(), t.at()));
                        }
                    }
                    case "track_script" -> {
                        for (Node item : items(n)) trackScript(item).ifPresent(tracks::add);
                    }
                    case "track_interface" -> {
                        for (Node item : items(n)) trackInterface(item).ifPresent(ifaces::add);
                    }
                    case "notify_master" -> notify.master = notifyScript(n).orElse(null);
                    case "notify_backup" -> notify.backup = notifyScript(n).orElse(null);
                    case "notify_fault" -> notify.fault = notifyScript(n).orElse(null);
                    case "notify_stop" -> notify.stop = notifyScript(n).orElse(null);
                    case "notify" -> notify.any = notifyScript(n).orElse(null);
                    case "smtp_alert" -> {
                        once(seen, n);
                        smtp = flagValue(n);
                    }
                    case "sync_group_tracking_weight", "global_tracking" -> {
                        bareFlag(n);
                        trackingWeight = true;
                    }
                    default -> out.error(n.at(), "'" + n.name() + "' has no reader", null);
                }
            }
            if (!sawGroup) {
                out.error(block.at(), "vrrp_sync_group " + name.get() + " has no 'group { }' block: keepalived removes the group",
                        "list the instances inside 'group { INSTANCE ... }'");
            }
            if (groups.containsKey(name.get())) {
                out.error(block.at(), "vrrp_sync_group " + name.get() + " is defined twice (first at line " + groups.get(name.get()).location().line() + ")", null);
                return;
            }
            groups.put(name.get(), new VrrpSyncGroup(name.get(), members, notify.build(), Optional.ofNullable(smtp), tracks, ifaces,
                    trackingWeight, block.at(), resourceGroup(resources)));
        }
    }

    // -------------------------------------------------------------------- drafts

    private static final Set<String> VIGIL_KEYWORDS = Set.of("vigil_resources", "vigil_resource_defaults", "vigil_resource");

    /** What the vigil_* lines of one instance or sync group said, until the block ends. */
    private static final class ResourceDraft {
        SourceLocation at, defaultsAt;
        final List<Haresources.Resource> resources = new ArrayList<>();
        Map<String, Object> defaults = Map.of();
        final Map<String, Map<String, Object>> policies = new LinkedHashMap<>();
        final Map<String, SourceLocation> policyAt = new HashMap<>();
    }

    private static final class NotifyDraft {
        ScriptCommand master, backup, fault, stop, any, rxLower;

        Notifications build() {
            return new Notifications(Optional.ofNullable(master), Optional.ofNullable(backup), Optional.ofNullable(fault),
                    Optional.ofNullable(stop), Optional.ofNullable(any), Optional.ofNullable(rxLower));
        }
    }

    private static final class GlobalDraft {
        SourceLocation location;
        String routerId, emailFrom, heloName, notifyFifo, defaultInterface = GlobalDefs.DEFAULT_INTERFACE, firewallChain;
        final List<String> emails = new ArrayList<>();
        SmtpServer smtp;
        Duration smtpTimeout = GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT;
        Boolean smtpAlert, smtpAlertVrrp;
        boolean noEmailFaults, scriptSecurity, minGarp, strict, skipCheckAdvAddr, checkUnicastSrc, lowerPrioNoAdvert,
                higherPrioSendAdvert, dynamicInterfaces;
        ScriptUser scriptUser;
        int version = GlobalDefs.DEFAULT_VRRP_VERSION;
        Duration garpDelay = GarpSettings.DEFAULT_DELAY, garpRefresh = Duration.ZERO, garpLowerDelay;
        int garpRepeat = GarpSettings.DEFAULT_REPEAT, garpRefreshRepeat = GarpSettings.DEFAULT_REFRESH_REPEAT;
        Integer garpLowerRepeat;
        Duration garpInterval = Duration.ZERO, gnaInterval = Duration.ZERO, startupDelay;
        InetAddress mcast4 = literal("224.0.0.18"), mcast6 = literal("ff02::12");
        int downTimerAdverts = GlobalDefs.DEFAULT_DOWN_TIMER_ADVERTS;
        ScriptCommand notifyFifoScript;

        GlobalDefs build(Path file) {
            GarpSettings garp = new GarpSettings(garpDelay, garpRepeat, garpRefresh, garpRefreshRepeat,
                    garpLowerDelay != null ? garpLowerDelay : garpDelay, garpLowerRepeat != null ? garpLowerRepeat : garpRepeat);
            return new GlobalDefs(Optional.ofNullable(routerId), emails, Optional.ofNullable(emailFrom), Optional.ofNullable(smtp),
                    Optional.ofNullable(heloName), smtpTimeout, Optional.ofNullable(smtpAlert), Optional.ofNullable(smtpAlertVrrp),
                    noEmailFaults, scriptSecurity, Optional.ofNullable(scriptUser), version, garp, garpInterval, gnaInterval, minGarp,
                    strict, mcast4, mcast6, skipCheckAdvAddr, checkUnicastSrc, lowerPrioNoAdvert, higherPrioSendAdvert,
                    downTimerAdverts, Optional.ofNullable(notifyFifo), Optional.ofNullable(notifyFifoScript),
                    Optional.ofNullable(startupDelay), defaultInterface, dynamicInterfaces, Optional.ofNullable(firewallChain),
                    location != null ? location : new SourceLocation(file, 0, 0));
        }
    }

    private static InetAddress literal(String s) {
        return Values.address(s).orElseThrow();
    }

    private static final class InstanceDraft {
        final String name;
        final SourceLocation location;
        VrrpState state;
        SourceLocation stateAt, vridAt, priorityAt, advertIntAt, versionAt, nopreemptAt, unicastSrcAt;
        String interfaceName;
        int vrid;
        Integer priority, version, unicastTtl, garpRepeat, garpRefreshRepeat, garpLowerRepeat, downTimerAdverts;
        BigDecimal advertInt;
        boolean nopreempt, unicastFaultNoPeer, nativeIpv6, dontTrackPrimary, vmacXmitBase, checkUnicastSrc, promoteSecondaries;
        Boolean accept, strict, skipCheckAdvAddr, lowerPrioNoAdvert, higherPrioSendAdvert, smtpAlert;
        Duration preemptDelay = Duration.ZERO, garpDelay, garpRefresh, garpLowerDelay;
        Authentication auth;
        final List<VirtualAddress> vips = new ArrayList<>(), excluded = new ArrayList<>();
        final List<VirtualRoute> routes = new ArrayList<>();
        final List<VirtualRule> rules = new ArrayList<>();
        InetAddress unicastSrc, mcastSrc, mcastDst;
        final List<UnicastPeer> peers = new ArrayList<>();
        final List<TrackedInterface> trackInterfaces = new ArrayList<>();
        final List<TrackedScript> trackScripts = new ArrayList<>();
        final NotifyDraft notify = new NotifyDraft();
        final Set<String> written = new java.util.HashSet<>();
        int vipItems;
        VrrpInstance.Vmac vmac;
        final ResourceDraft resources = new ResourceDraft();

        InstanceDraft(String name, SourceLocation location) {
            this.name = name;
            this.location = location;
        }

        /**
         * Applies keepalived's defaults: the version comes from the instance, else IPv6 addresses or
         * native_ipv6 (which force VRRPv3), else vrrp_version; accept mode is on unless strict; GARP
         * settings fall back to the global ones.
         */
        VrrpInstance build(GlobalDefs g, Optional<VigilResourceGroup> resourceGroup) {
            boolean v6 = nativeIpv6 || (!vips.isEmpty() && vips.get(0).isIpv6());
            int effectiveVersion = version != null ? version : v6 ? 3 : g.vrrpVersion();
            boolean strictMode = strict != null ? strict : g.vrrpStrict();
            boolean acceptMode = accept != null ? accept : !strictMode;
            GarpSettings ga = g.garp();
            GarpSettings garp = new GarpSettings(
                    garpDelay != null ? garpDelay : ga.masterDelay(),
                    garpRepeat != null ? garpRepeat : ga.masterRepeat(),
                    garpRefresh != null ? garpRefresh : ga.masterRefresh(),
                    garpRefreshRepeat != null ? garpRefreshRepeat : ga.masterRefreshRepeat(),
                    garpLowerDelay != null ? garpLowerDelay : garpDelay != null ? garpDelay : ga.lowerPriorityDelay(),
                    garpLowerRepeat != null ? garpLowerRepeat : garpRepeat != null ? garpRepeat : ga.lowerPriorityRepeat());
            return new VrrpInstance(name, location, Optional.ofNullable(state), Optional.ofNullable(stateAt),
                    Optional.ofNullable(interfaceName), vrid, Optional.ofNullable(vridAt),
                    Optional.ofNullable(priority), Optional.ofNullable(priorityAt),
                    Optional.ofNullable(advertInt), Optional.ofNullable(advertIntAt),
                    effectiveVersion, Optional.ofNullable(versionAt),
                    nopreempt, Optional.ofNullable(nopreemptAt), preemptDelay, Optional.ofNullable(auth),
                    vips, excluded, routes, rules,
                    Optional.ofNullable(unicastSrc), Optional.ofNullable(unicastSrcAt), peers, Optional.ofNullable(unicastTtl), unicastFaultNoPeer,
                    Optional.ofNullable(mcastSrc), Optional.ofNullable(mcastDst), trackInterfaces, trackScripts,
                    notify.build(), Optional.ofNullable(smtpAlert), garp, nativeIpv6, dontTrackPrimary, Optional.ofNullable(vmac), vmacXmitBase,
                    acceptMode, strictMode, skipCheckAdvAddr != null ? skipCheckAdvAddr : g.skipCheckAdvAddr(),
                    checkUnicastSrc || g.checkUnicastSrc(),
                    lowerPrioNoAdvert != null ? lowerPrioNoAdvert : g.lowerPrioNoAdvert(),
                    higherPrioSendAdvert != null ? higherPrioSendAdvert : g.higherPrioSendAdvert(),
                    downTimerAdverts != null ? downTimerAdverts : g.downTimerAdverts(), promoteSecondaries, resourceGroup);
        }
    }
}
