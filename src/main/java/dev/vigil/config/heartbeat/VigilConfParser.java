package dev.vigil.config.heartbeat;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.DirectiveDoc;
import dev.vigil.config.DirectiveDoc.Status;
import dev.vigil.config.ParseResult;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;
import dev.vigil.config.heartbeat.VigilConf.Event;
import dev.vigil.config.heartbeat.VigilConf.Mail;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads {@code vigil.conf}, the file of Vigil's heartbeat-mode extensions (see {@link VigilConf}
 * for why it is not part of ha.cf). Same lexical rules as ha.cf: one directive per line, values
 * separated by blanks, {@code #} starts a comment, times in heartbeat's notation ({@code 30},
 * {@code 1.5}, {@code 500ms}). A missing file is not an error. Never throws.
 */
public final class VigilConfParser {

    public static final String FILE_NAME = "vigil.conf";

    private static final String TOP = "top level";
    private static final Map<String, DirectiveDoc> DIRECTIVES = new LinkedHashMap<>();
    private static final Map<String, String> RESOURCE_KEYS = new LinkedHashMap<>();

    private static void directive(String name, String note) {
        DIRECTIVES.put(name, new DirectiveDoc(ConfigFormat.VIGIL_CONF, TOP, name, Status.SUPPORTED, note));
    }

    static {
        directive("mail_to", "`mail_to ADDR[,ADDR...]`: alert recipients (repeatable). Mail is off without it.");
        directive("mail_from", "`mail_from ADDR`: the sender; default `vigil@` plus this node's name.");
        directive("smtp_server", "`smtp_server HOST [PORT]`: the relay, port 25 by default, as keepalived's `smtp_server`. Required with `mail_to`.");
        directive("smtp_helo", "`smtp_helo NAME`: the HELO/EHLO name; default this node's name.");
        directive("smtp_connect_timeout", "`smtp_connect_timeout TIME`: give up connecting after this long (default 30 s); mail never delays a failover.");
        directive("mail_on", "`mail_on EVENT...`: which events mail; `all`, `none`, or any of node_dead node_up link_dead link_up "
                + "takeover release split_brain resource_failed (default node_dead link_dead split_brain resource_failed).");
        directive("notify_script", "`notify_script PATH`: run on every node, link and resource event as `PATH EVENT SUBJECT DETAIL`; "
                + "absolute path, root-owned and not group/other-writable.");
        directive("notify_timeout", "`notify_timeout TIME`: a notify script still running after this long (default 30 s) has its process group killed.");
        directive("script_user", "`script_user USER [GROUP]`: run notify scripts as this user instead of root.");
        directive("resource_defaults", "`resource_defaults KEY=VALUE...`: the policy of every resource without its own `resource` line.");
        directive("resource", "`resource NAME KEY=VALUE...`: the policy of one haresources resource, named as written "
                + "(`IPaddr2::10.0.0.1/24`) or by its script (`apache2`). Keys below.");
        RESOURCE_KEYS.putAll(ResourcePolicyKeys.keys());
    }

    /** The reference rows, directives then resource keys. */
    public static List<DirectiveDoc> directives() {
        List<DirectiveDoc> rows = new ArrayList<>(DIRECTIVES.values());
        RESOURCE_KEYS.forEach((k, v) -> rows.add(new DirectiveDoc(ConfigFormat.VIGIL_CONF, "resource and resource_defaults keys",
                k + "=", Status.SUPPORTED, v)));
        return rows;
    }

    /** Reads {@code file}; a file that does not exist gives {@link VigilConf#absent} and no diagnostic. */
    public ParseResult<VigilConf> parse(Path file) {
        Diagnostics d = new Diagnostics();
        if (!Files.exists(file)) return new ParseResult<>(VigilConf.absent(file), d);
        try {
            Run run = new Run(file, d);
            Optional<List<ConfigText.Line>> lines = ConfigText.read(file, d);
            if (lines.isEmpty()) return new ParseResult<>(VigilConf.absent(file), d);
            for (ConfigText.Line line : lines.get()) {
                if (d.errorCount() >= ConfigText.MAX_ERRORS) break;
                run.line(line);
            }
            return new ParseResult<>(run.finish(), d);
        } catch (RuntimeException | StackOverflowError e) {
            d.error(file, 0, 0, "internal error while reading vigil.conf: " + e, null);
            return new ParseResult<>(VigilConf.absent(file), d);
        }
    }

    private static final class Run {
        final Path file;
        final Diagnostics d;
        final List<String> recipients = new ArrayList<>();
        SourceLocation mailToAt;
        String from;
        String smtpHost;
        int smtpPort = 25;
        SourceLocation smtpAt;
        String helo;
        Duration connectTimeout = Duration.ofSeconds(30);
        Set<Event> mailOn = VigilConf.DEFAULT_MAIL_ON;
        Path notifyScript;
        Duration notifyTimeout = VigilConf.DEFAULT_NOTIFY_TIMEOUT;
        String scriptUser;
        ResourcePolicy defaults = ResourcePolicy.DEFAULTS;
        SourceLocation defaultsAt;
        final Map<String, ResourcePolicy> resources = new LinkedHashMap<>();
        /** Per-resource keys as written, applied over the defaults at the end (defaults may come later in the file). */
        final Map<String, Map<String, Object>> resourceKeys = new LinkedHashMap<>();
        final Map<String, SourceLocation> resourceAt = new HashMap<>();
        final Map<String, SourceLocation> scalarAt = new HashMap<>();

        Run(Path file, Diagnostics d) {
            this.file = file;
            this.d = d;
        }

        SourceLocation at(int line, int column) {
            return new SourceLocation(file, line, column);
        }

        void line(ConfigText.Line line) {
            String text = line.text();
            int hash = text.indexOf('#');
            if (hash >= 0) text = text.substring(0, hash);
            List<Token> words = Token.split(text, 1, Token.WHITESPACE);
            if (words.isEmpty()) return;
            Token name = words.get(0);
            List<Token> values = words.subList(1, words.size());
            SourceLocation where = at(line.number(), name.column());
            String key = name.text().toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.containsKey(key)) {
                Optional<String> close = Suggestions.closest(key, DIRECTIVES.keySet());
                d.error(where, "unknown directive '" + name.text() + "' in vigil.conf", close.map(c -> "did you mean '" + c + "'?")
                        .orElse("vigil.conf knows: " + String.join(", ", DIRECTIVES.keySet())));
                return;
            }
            if (values.isEmpty()) {
                d.error(where, "'" + key + "' needs a value", DIRECTIVES.get(key).note().replace("`", ""));
                return;
            }
            if (!key.equals("mail_to") && !key.equals("resource") && !key.equals("mail_on")) {
                SourceLocation before = scalarAt.put(key, where);
                if (before != null) {
                    d.warning(where, "'" + key + "' is set again; line " + before.line() + " is overridden", null);
                }
            }
            switch (key) {
                case "mail_to" -> {
                    if (mailToAt == null) mailToAt = where;
                    for (Token t : Token.split(String.join(" ", values.stream().map(Token::text).toList()), 1, Token.DELIMS)) {
                        if (!looksLikeAddress(t.text())) {
                            d.error(where, "'" + t.text() + "' is not a mail address", "write user@domain");
                        } else {
                            recipients.add(t.text());
                        }
                    }
                }
                case "mail_from" -> {
                    if (!one(where, key, values)) return;
                    if (!looksLikeAddress(values.get(0).text())) {
                        d.error(at(line.number(), values.get(0).column()), "'" + values.get(0).text() + "' is not a mail address",
                                "write user@domain");
                    } else {
                        from = values.get(0).text();
                    }
                }
                case "smtp_server" -> {
                    if (values.size() > 2) {
                        d.error(where, "smtp_server takes a host and an optional port", "smtp_server mail.example.com 25");
                        return;
                    }
                    smtpHost = values.get(0).text();
                    smtpAt = where;
                    if (values.size() == 2) {
                        OptionalInt port = HeartbeatValues.parseInt(values.get(1).text());
                        if (port.isEmpty() || port.getAsInt() < 1 || port.getAsInt() > 65535) {
                            d.error(at(line.number(), values.get(1).column()), "'" + values.get(1).text() + "' is not a TCP port",
                                    "a number from 1 to 65535");
                        } else {
                            smtpPort = port.getAsInt();
                        }
                    }
                }
                case "smtp_helo" -> {
                    if (one(where, key, values)) helo = values.get(0).text();
                }
                case "smtp_connect_timeout" -> time(where, key, values).ifPresent(t -> connectTimeout = t);
                case "mail_on" -> mailOn(where, values);
                case "notify_script" -> {
                    if (!one(where, key, values)) return;
                    String p = values.get(0).text();
                    if (!p.startsWith("/")) {
                        d.error(at(line.number(), values.get(0).column()), "notify_script must be an absolute path, not '" + p + "'",
                                "write the full path, e.g. /etc/ha.d/notify.sh");
                    } else {
                        notifyScript = Path.of(p);
                    }
                }
                case "notify_timeout" -> time(where, key, values).ifPresent(t -> notifyTimeout = t);
                case "script_user" -> {
                    if (values.size() > 2) {
                        d.error(where, "script_user takes a user and an optional group", "script_user nobody nogroup");
                        return;
                    }
                    scriptUser = values.size() == 2 ? values.get(0).text() + " " + values.get(1).text() : values.get(0).text();
                }
                case "resource_defaults" -> {
                    Map<String, Object> keys = keys(line.number(), values);
                    defaults = apply(ResourcePolicy.DEFAULTS, keys, Optional.of(where));
                    defaultsAt = where;
                }
                case "resource" -> {
                    String res = values.get(0).text();
                    SourceLocation before = resourceAt.put(res, where);
                    if (before != null) {
                        d.error(where, "resource '" + res + "' already has a line (line " + before.line() + ")",
                                "put all its keys on one line");
                        return;
                    }
                    if (values.size() == 1) {
                        d.warning(where, "resource '" + res + "' sets nothing", "add KEY=VALUE, e.g. monitor_interval=10");
                    }
                    resourceKeys.put(res, keys(line.number(), values.subList(1, values.size())));
                }
                default -> throw new IllegalStateException("no handler for " + key);
            }
        }

        boolean one(SourceLocation where, String key, List<Token> values) {
            if (values.size() == 1) return true;
            d.error(where, "'" + key + "' takes one value, not " + values.size(), DIRECTIVES.get(key).note().replace("`", ""));
            return false;
        }

        Optional<Duration> time(SourceLocation where, String key, List<Token> values) {
            if (!one(where, key, values)) return Optional.empty();
            Optional<Duration> t = HeartbeatValues.parseDuration(values.get(0).text());
            if (t.isEmpty() || t.get().isZero()) {
                d.error(where, "'" + values.get(0).text() + "' is not a positive time", "seconds (30, 1.5) or milliseconds (500ms)");
                return Optional.empty();
            }
            return t;
        }

        void mailOn(SourceLocation where, List<Token> values) {
            Set<Event> events = EnumSet.noneOf(Event.class);
            List<String> words = new ArrayList<>();
            for (Token v : values) {
                for (Token t : Token.split(v.text(), v.column(), Token.DELIMS)) words.add(t.text().toLowerCase(Locale.ROOT));
            }
            for (String w : words) {
                if (w.equals("all")) {
                    events.addAll(EnumSet.allOf(Event.class));
                } else if (w.equals("none")) {
                    if (words.size() > 1) d.error(where, "'none' cannot be combined with other events", null);
                } else {
                    Optional<Event> e = EnumSet.allOf(Event.class).stream().filter(x -> x.word().equals(w)).findFirst();
                    if (e.isPresent()) {
                        events.add(e.get());
                    } else {
                        List<String> known = new ArrayList<>(EnumSet.allOf(Event.class).stream().map(Event::word).toList());
                        d.error(where, "unknown event '" + w + "'", Suggestions.closest(w, known).map(c -> "did you mean '" + c + "'?")
                                .orElse("events: all, none, " + String.join(", ", known)));
                    }
                }
            }
            mailOn = events;
        }

        Map<String, Object> keys(int lineNumber, List<Token> values) {
            return ResourcePolicyKeys.parse(values.stream()
                    .map(t -> new ResourcePolicyKeys.Word(t.text(), at(lineNumber, t.column()))).toList(), d);
        }

        ResourcePolicy apply(ResourcePolicy base, Map<String, Object> keys, Optional<SourceLocation> at) {
            return ResourcePolicyKeys.apply(base, keys, at);
        }

        VigilConf finish() {
            resourceKeys.forEach((name, keys) -> resources.put(name, apply(defaults, keys, Optional.of(resourceAt.get(name)))));
            for (Map.Entry<String, ResourcePolicy> e : resources.entrySet()) {
                checkPolicy(e.getValue(), e.getValue().location().orElse(at(0, 0)));
            }
            if (defaultsAt != null) checkPolicy(defaults, defaultsAt);
            Optional<Mail> mail = Optional.empty();
            if (!recipients.isEmpty()) {
                if (smtpHost == null) {
                    d.error(mailToAt, "mail_to is set but no smtp_server: no mail could be sent", "add 'smtp_server HOST [PORT]'");
                } else {
                    mail = Optional.of(new Mail(recipients, from == null ? "" : from, smtpHost, smtpPort, Optional.ofNullable(helo),
                            connectTimeout, mailToAt));
                }
            } else if (smtpAt != null) {
                d.warning(smtpAt, "smtp_server is set but no mail_to: no mail will be sent", "add 'mail_to ADDR'");
            }
            return new VigilConf(file, mail, mailOn, Optional.ofNullable(notifyScript), notifyTimeout, Optional.ofNullable(scriptUser),
                    defaults, resources);
        }

        void checkPolicy(ResourcePolicy p, SourceLocation where) {
            ResourcePolicyKeys.check(p, where, d);
        }

        static boolean looksLikeAddress(String s) {
            int at = s.indexOf('@');
            return at > 0 && at == s.lastIndexOf('@') && at < s.length() - 1 && s.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>');
        }
    }
}
