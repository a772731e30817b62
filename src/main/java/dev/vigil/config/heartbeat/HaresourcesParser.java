package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.SourceLocation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads haresources the way heartbeat's {@code ResourceManager} (its {@code ipres} sed/awk
 * pipeline) and {@code config.c:parse_ha_resources} read it. Never throws for any file content
 * or I/O problem.
 */
public final class HaresourcesParser {

    /**
     * {@code ResourceManager:isip}: the shell pattern {@code [0-9]*.[0-9]*.[0-9]*.[0-9]*}, i.e.
     * a word starting with a digit that has three more dots each followed by a digit.
     */
    private static final Pattern IS_IP = Pattern.compile("[0-9].*\\.[0-9].*\\.[0-9].*\\.[0-9].*", Pattern.DOTALL);

    /** Scripts whose first argument is {@code ip[/bits[/iface[/broadcast]]]}. */
    private static final List<String> IP_SCRIPTS = List.of("IPaddr", "IPaddr2", "IPsrcaddr");

    public ParseResult<Haresources> parse(Path file) {
        Diagnostics diagnostics = new Diagnostics();
        try {
            Optional<List<ConfigText.Line>> lines = ConfigText.read(file, diagnostics);
            List<Haresources.Group> groups = lines.map(l -> new Run(file, diagnostics).parse(l)).orElse(List.of());
            return new ParseResult<>(new Haresources(file, groups), diagnostics);
        } catch (RuntimeException | StackOverflowError e) {
            diagnostics.error(file, 0, 0, "internal error while reading haresources: " + e, null);
            return new ParseResult<>(new Haresources(file, List.of()), diagnostics);
        }
    }

    /**
     * One resource word read by haresources' rules ({@code Script::arg::arg}, a bare dotted IP
     * meaning {@code IPaddr::IP}, address checks for IPaddr/IPaddr2/IPsrcaddr), for other files that
     * list haresources-style resources (keepalived.conf's {@code vigil_resources}). Problems are
     * reported at {@code at}; empty when the word cannot be a resource.
     */
    public static Optional<Haresources.Resource> parseResource(String word, SourceLocation at, Diagnostics diagnostics) {
        return new Run(at.file(), diagnostics).resource(word, at);
    }

    /** A logical line: the joined text and, for every character, the physical line and column it came from. */
    private record Logical(String text, int[] lines, int[] columns) {
    }

    private static final class Run {
        final Path file;
        final Diagnostics d;
        boolean warnedCr;

        Run(Path file, Diagnostics d) {
            this.file = file;
            this.d = d;
        }

        List<Haresources.Group> parse(List<ConfigText.Line> physical) {
            List<Logical> logical = join(physical);
            List<Haresources.Group> groups = new ArrayList<>();
            for (Logical l : logical) {
                if (d.errorCount() >= ConfigText.MAX_ERRORS) {
                    d.error(file, l.lines()[0], 1, "too many errors; the rest of the file was not checked", null);
                    break;
                }
                group(l).ifPresent(groups::add);
            }
            checkKeys(groups);
            return groups;
        }

        /**
         * ipres: strip '#' comments, join lines that end in a backslash, squeeze blanks. The comment
         * is stripped from every physical line here (ResourceManager's sed strips it only from the
         * first line of a joined group, which would turn a comment on a continuation line into resources).
         */
        List<Logical> join(List<ConfigText.Line> physical) {
            List<Logical> out = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            List<Integer> lines = new ArrayList<>();
            List<Integer> columns = new ArrayList<>();
            for (int i = 0; i < physical.size(); i++) {
                ConfigText.Line line = physical.get(i);
                String s = line.text();
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                    if (!warnedCr) {
                        warnedCr = true;
                        d.warning(file, line.number(), s.length() + 1,
                                "CRLF line endings: heartbeat's ResourceManager keeps the carriage return as part of the last resource of each line, "
                                        + "so that resource fails to start; Vigil drops it", "convert the file with dos2unix");
                    }
                }
                int hash = s.indexOf('#');
                if (hash >= 0) s = s.substring(0, hash);
                boolean continued = s.endsWith("\\");
                if (continued) s = s.substring(0, s.length() - 1);
                for (int c = 0; c < s.length(); c++) {
                    text.append(s.charAt(c));
                    lines.add(line.number());
                    columns.add(c + 1);
                }
                if (continued && i == physical.size() - 1) {
                    d.warning(file, line.number(), s.length() + 1, "the last line ends with a backslash but no line follows", null);
                    continued = false;
                }
                if (!continued) {
                    out.add(new Logical(text.toString(), lines.stream().mapToInt(Integer::intValue).toArray(),
                            columns.stream().mapToInt(Integer::intValue).toArray()));
                    text.setLength(0);
                    lines.clear();
                    columns.clear();
                }
            }
            return out;
        }

        SourceLocation at(Logical l, int index) {
            return new SourceLocation(file, l.lines()[index], l.columns()[index]);
        }

        Optional<Haresources.Group> group(Logical l) {
            // awk splits at blanks and tabs; a stray CR inside a line is treated as a blank too.
            List<Token> words = Token.split(l.text(), 0, " \t\r\f");
            if (words.isEmpty()) return Optional.empty();
            Token nodeWord = words.get(0);
            SourceLocation where = at(l, nodeWord.column());
            String node = nodeWord.text();
            if (HeartbeatValues.looksLikePlaceholder(node)) {
                d.error(where, "node name '" + node + "' looks like an unexpanded template placeholder", "put the real node name here");
            }
            List<Haresources.Resource> resources = new ArrayList<>();
            for (Token w : words.subList(1, words.size())) {
                SourceLocation rAt = at(l, w.column());
                if (w.text().equals("\\")) {
                    d.error(rAt, "a backslash continues a line only right before the end of the line; here blanks follow it, "
                                    + "so heartbeat reads the next line as a group of its own",
                            "remove the blanks after the backslash");
                    continue;
                }
                resource(w.text(), rAt).ifPresent(resources::add);
            }
            if (words.size() == 1) {
                d.warning(where, "the line names node '" + node + "' but no resources", "list the group's resources after the node name");
            }
            return Optional.of(new Haresources.Group(node, resources, where));
        }

        Optional<Haresources.Resource> resource(String word, SourceLocation at) {
            boolean implied = IS_IP.matcher(word).matches();
            String canonical = implied ? "IPaddr::" + word : word;
            int sep = canonical.indexOf("::");
            String script = sep < 0 ? canonical : canonical.substring(0, sep);
            if (script.isEmpty()) {
                d.error(at, "resource '" + word + "' has no script name before '::'", "write Script::arg");
                return Optional.empty();
            }
            List<String> args = new ArrayList<>();
            if (sep >= 0) {
                String[] parts = canonical.substring(sep + 2).split("::", -1);
                boolean dropped = false;
                for (String p : parts) {
                    if (p.isEmpty()) dropped = true;
                    else args.add(p);
                }
                if (dropped) {
                    // resource2arg turns '::' into blanks and the shell drops empty words.
                    d.warning(at, "resource '" + word + "' has an empty argument; heartbeat drops it, shifting the ones after it", null);
                }
            }
            if (script.contains("/")) {
                d.warning(at, "script name '" + script + "' contains '/'; heartbeat looks scripts up by name in "
                        + Haresources.DEFAULT_RESOURCE_DIR + " and " + Haresources.DEFAULT_INIT_DIR, null);
            }
            if (IP_SCRIPTS.contains(script)) {
                if (args.isEmpty()) {
                    d.error(at, script + " needs an address: " + script + "::IP[/bits[/interface[/broadcast]]]", null);
                } else {
                    ipArgument(script, args.get(0), at);
                }
            }
            return Optional.of(new Haresources.Resource(word, script, args, implied, at));
        }

        void ipArgument(String script, String arg, SourceLocation at) {
            String[] f = arg.split("/", -1);
            if (!HeartbeatValues.isIpv4(f[0])) {
                d.error(at, "'" + f[0] + "' is not an IPv4 address, so " + script + " cannot start",
                        HeartbeatValues.looksLikePlaceholder(f[0]) || !f[0].matches("[0-9.]+") ? "put the real address here" : null);
                return;
            }
            if (f.length > 1 && !f[1].isEmpty()) {
                OptionalInt bits = HeartbeatValues.parseInt(f[1]);
                boolean ok = bits.isPresent() ? bits.getAsInt() >= 0 && bits.getAsInt() <= 32 : HeartbeatValues.isIpv4(f[1]);
                if (!ok) d.warning(at, "'" + f[1] + "' is not a prefix length (0-32) or netmask", null);
            }
            if (f.length > 2 && !f[2].isEmpty()) {
                if (f[2].matches("[0-9]+")) {
                    d.warning(at, script + " arguments are ip/bits/interface/broadcast: '" + f[2] + "' would be taken as the interface",
                            f[1].isEmpty() ? "an empty field shifts the ones after it; write " + f[0] + "/" + f[2] + (f.length > 3 ? "/" + f[3] : "") : null);
                } else if (!HeartbeatValues.isInterfaceName(f[2])) {
                    d.warning(at, "'" + f[2] + "' is not a network interface name", null);
                }
            }
            if (f.length > 3 && !f[3].isEmpty() && !HeartbeatValues.isIpv4(f[3])) {
                d.warning(at, "'" + f[3] + "' is not a broadcast address", null);
            }
            if (f.length > 4) {
                d.warning(at, script + " takes at most ip/bits/interface/broadcast; the rest is ignored", null);
            }
        }

        /**
         * The first resource names its group, and ResourceManager finds a group by searching every
         * line for " KEY " ({@code ipresline}): a key that appears on two lines makes
         * {@code takegroup KEY} start both.
         */
        void checkKeys(List<Haresources.Group> groups) {
            Map<String, Haresources.Group> byKey = new HashMap<>();
            for (Haresources.Group g : groups) {
                Optional<String> key = g.key();
                if (key.isEmpty()) continue;
                Haresources.Group earlier = byKey.putIfAbsent(key.get(), g);
                if (earlier != null) {
                    d.error(g.resources().get(0).location(), "resource '" + key.get() + "' already names the group at line "
                                    + earlier.location().line() + "; the first resource of a line must be unique",
                            "heartbeat finds a group by its first resource; reorder the resources or merge the lines");
                }
            }
            Map<String, SourceLocation> seen = new HashMap<>();
            for (Haresources.Group g : groups) {
                for (int i = 1; i < g.resources().size(); i++) {
                    Haresources.Resource r = g.resources().get(i);
                    Haresources.Group named = byKey.get(r.text());
                    if (named != null && named != g) {
                        d.error(r.location(), "'" + r.text() + "' is the key of the group at line " + named.location().line()
                                        + "; heartbeat's ResourceManager finds that group by searching every line for it, so it would take this line too", null);
                    }
                }
                for (int i = 0; i < g.resources().size(); i++) {
                    Haresources.Resource r = g.resources().get(i);
                    if (i == 0 && byKey.get(r.text()) != g) continue; // already an error: duplicate key
                    SourceLocation earlier = seen.putIfAbsent(r.canonical(), r.location());
                    if (earlier != null && earlier.line() != r.location().line()) {
                        d.warning(r.location(), "resource '" + r.text() + "' also appears at line " + earlier.line()
                                + "; two groups would start it on their own nodes", null);
                    }
                }
            }
        }
    }
}
