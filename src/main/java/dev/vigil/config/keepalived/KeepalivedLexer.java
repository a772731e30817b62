package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.SourceLocation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * keepalived.conf preprocessor and tokenizer. It does what keepalived 2.2.7's reader does, in its
 * order (keepalived.conf(5) "ADVANCED CONFIGURATION", checked against {@code keepalived -t} and
 * {@code -d} dumps, research keepalived.md section 5):
 * <ol>
 * <li>{@code #} or {@code !} outside double quotes ends the line, anywhere in it.</li>
 * <li>{@code include FILE...} is recognised before anything else on the line (so it takes no
 *     {@code @id} or {@code $NAME}); globs and {@code {a,b}} are relative to the including file.
 *     A plain {@code include} that matches nothing is a warning (keepalived logs "Config files
 *     missing" and exits 0); {@code includea|r|m|w|b} make it an error. keepalived has no cycle
 *     detection (it recurses until it runs out of descriptors); we report the cycle.</li>
 * <li>{@code @ID rest} keeps {@code rest} only when ID is the host id; {@code @^ID} only when not.</li>
 * <li>{@code $NAME=value} defines a parameter; ending the value with {@code \} continues it on the
 *     following lines, each becoming a line of its own when used. This is the only place keepalived
 *     2.2.7 honours a trailing backslash: elsewhere it stays part of the word and the next line is a
 *     new statement (seen with {@code -t}: "Unknown keyword 'arg2'").</li>
 * <li>{@code $NAME} (followed by a space or the end) and {@code ${NAME}} are replaced when defined,
 *     recursively, and the result is read again (it may start with {@code @ID} or define more).
 *     Undefined ones stay as written.</li>
 * <li>Words are split at whitespace; {@code {} and {@code }} are words of their own anywhere;
 *     double quotes group (and are removed), with C-style escapes inside. Single quotes are not
 *     quotes at this level ({@code smtp_helo_name 'a b'} gives {@code 'a}); they matter only inside
 *     script command lines.</li>
 * </ol>
 * Not supported: {@code ~SEQ}/{@code ~LST} sequence lines (reported as errors).
 */
final class KeepalivedLexer {
    static final int MAX_INCLUDE_DEPTH = 20;
    static final int MAX_EXPANSION_DEPTH = 16;
    static final long MAX_FILE_BYTES = 8L << 20;
    static final int MAX_LINES = 200_000;
    static final int MAX_GLOB_MATCHES = 1_000;
    /** Longest parameter or placeholder name looked for; keeps pathological lines linear. */
    static final int MAX_NAME = 128;

    private static final Set<String> INCLUDE_WORDS = Set.of("include", "includea", "includer", "includem", "includew", "includeb");
    private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern AT_PLACEHOLDER = Pattern.compile("@[A-Za-z0-9_.-]+@");
    private static final Pattern MERGE_MARKER = Pattern.compile("^(<{7}|={7}|>{7})(\\s.*)?$");

    private final String hostId;
    private final Diagnostics out;
    private final Map<String, String> params = new HashMap<>();
    private final List<SourceLine> lines = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final Deque<Path> readingReal = new ArrayDeque<>();
    private final Deque<Path> readingGiven = new ArrayDeque<>();
    private boolean tooManyLines;

    private String pendingName;
    private StringBuilder pendingValue;

    KeepalivedLexer(String hostId, Diagnostics out) {
        this.hostId = hostId;
        this.out = out;
    }

    /** The preprocessed lines of {@code main} and everything it includes. */
    List<SourceLine> read(Path main) {
        readFile(main, null, true);
        return lines;
    }

    /** Every file actually read, in reading order. */
    List<Path> files() {
        return files;
    }

    private void readFile(Path file, SourceLocation includedAt, boolean strict) {
        SourceLocation whole = new SourceLocation(file, 0, 0);
        SourceLocation blame = includedAt != null ? includedAt : whole;
        Path real;
        try {
            if (!Files.exists(file)) {
                report(strict || includedAt == null, blame, "cannot read " + file + ": no such file",
                        includedAt == null ? "check the path given to -f / --config" : "keepalived would log 'Config files missing' and carry on");
                return;
            }
            if (Files.isDirectory(file)) {
                out.error(blame, file + " is a directory, not a configuration file", "name the keepalived.conf file itself");
                return;
            }
            real = file.toRealPath();
        } catch (IOException | SecurityException | InvalidPathException e) {
            out.error(blame, "cannot read " + file + ": " + e.getMessage(), null);
            return;
        }
        if (readingReal.contains(real)) {
            StringBuilder chain = new StringBuilder();
            for (var it = readingGiven.descendingIterator(); it.hasNext(); ) chain.append(it.next().getFileName()).append(" -> ");
            chain.append(file.getFileName());
            out.error(blame, "include cycle: " + chain + " (already being read)",
                    "remove one of the include lines; keepalived itself would recurse until it runs out of file descriptors");
            return;
        }
        if (readingReal.size() >= MAX_INCLUDE_DEPTH) {
            out.error(blame, "includes nested more than " + MAX_INCLUDE_DEPTH + " deep at " + file, null);
            return;
        }
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                out.error(blame, file + " is " + size + " bytes: too large for a keepalived.conf (limit " + MAX_FILE_BYTES + ")", null);
                return;
            }
            text = decode(Files.readAllBytes(file));
        } catch (IOException | SecurityException e) {
            out.error(blame, "cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
            return;
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            int line = 1 + (int) text.substring(0, nul).chars().filter(c -> c == '\n').count();
            out.error(new SourceLocation(file, line, 1), "binary data (a NUL byte): this is not a text configuration file", null);
            return;
        }
        files.add(file);
        readingReal.push(real);
        readingGiven.push(file);
        try {
            readLines(file, text.split("\n", -1));
        } finally {
            readingReal.pop();
            readingGiven.pop();
        }
    }

    private void readLines(Path file, String[] raw) {
        boolean[] marker = mergeMarkers(file, raw);
        for (int i = 0; i < raw.length && !tooManyLines; i++) {
            String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
            SourceLocation at = new SourceLocation(file, i + 1, 1);
            if (pendingName != null) {
                continueDefinition(line);
                continue;
            }
            if (marker[i]) continue;
            physicalLine(line, at);
        }
        if (pendingName != null) {
            finishDefinition();
        }
    }

    /** Unresolved git conflicts: one error per conflict, at its {@code <<<<<<<} line; marker lines are skipped. */
    private boolean[] mergeMarkers(Path file, String[] raw) {
        boolean[] marker = new boolean[raw.length];
        int open = -1;
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i].strip();
            if (!MERGE_MARKER.matcher(l).matches()) continue;
            marker[i] = true;
            if (l.startsWith("<")) {
                if (open >= 0) conflict(file, open, others);
                open = i;
                others.clear();
            } else if (open >= 0) {
                others.add(i + 1);
                if (l.startsWith(">")) {
                    conflict(file, open, others);
                    open = -1;
                }
            } else {
                out.error(new SourceLocation(file, i + 1, 1), "stray git merge-conflict marker '" + l.substring(0, 7) + "'",
                        "resolve the merge and delete the marker lines");
            }
        }
        if (open >= 0) conflict(file, open, others);
        return marker;
    }

    private void conflict(Path file, int openIndex, List<Integer> others) {
        out.error(new SourceLocation(file, openIndex + 1, 1),
                "unresolved git merge conflict (markers on lines " + (openIndex + 1)
                        + (others.isEmpty() ? "" : ", " + others.toString().replaceAll("[\\[\\]]", "")) + ")",
                "keep one side, delete the '<<<<<<<', '=======' and '>>>>>>>' lines; both sides are read meanwhile");
    }

    private void physicalLine(String line, SourceLocation at) {
        String[] split = stripComment(line);
        String code = split[0];
        String trimmed = code.strip();
        if (trimmed.isEmpty()) return;
        int firstEnd = firstWhitespace(trimmed, 0);
        if (INCLUDE_WORDS.contains(trimmed.substring(0, firstEnd))) {
            include(code, at);
            return;
        }
        logicalLine(code, split[1], at, 0, true);
    }

    private void logicalLine(String code, String comment, SourceLocation at, int depth, boolean exactColumns) {
        int lead = 0;
        while (lead < code.length() && isSpace(code.charAt(lead))) lead++;
        if (lead == code.length()) return;
        String text = code.substring(lead);
        int columnBase = lead;
        if (text.startsWith("@")) {
            boolean negate = text.startsWith("@^");
            int idStart = negate ? 2 : 1;
            int idEnd = firstWhitespace(text, idStart);
            String id = text.substring(idStart, idEnd);
            if (id.isEmpty()) {
                out.error(col(at, columnBase, exactColumns), "'@' must be followed by a config id, e.g. '@node1 priority 150'", null);
                return;
            }
            if (id.indexOf('@') >= 0) {
                out.error(col(at, columnBase, exactColumns), "unsubstituted template placeholder '" + text.substring(0, idEnd)
                                + "': keepalived reads a line starting with '@' as a conditional line for config-id '"
                                + id + "' and drops it",
                        "render the template before use");
                return;
            }
            if (id.equals(hostId) == negate) return;
            logicalLine(text.substring(idEnd), comment, at.line() == 0 ? at : col(at, columnBase + idEnd, exactColumns), depth, false);
            return;
        }
        if (text.startsWith("$")) {
            Matcher m = DEFINITION.matcher(text);
            if (m.matches()) {
                String value = m.group(2).strip();
                if (value.endsWith("\\")) {
                    pendingName = m.group(1);
                    pendingValue = new StringBuilder(value.substring(0, value.length() - 1).strip());
                } else {
                    params.put(m.group(1), value);
                }
                return;
            }
        }
        if (text.startsWith("~SEQ") || text.startsWith("~LST")) {
            out.error(col(at, columnBase, exactColumns), "'" + text.substring(0, 4) + "(...)' sequence lines are not supported by Vigil",
                    "write the generated lines out, or generate the file with a template tool");
            return;
        }
        String substituted = substitute(text);
        if (substituted != null) {
            if (depth >= MAX_EXPANSION_DEPTH) {
                out.error(at, "parameter expansion nested more than " + MAX_EXPANSION_DEPTH + " deep (a parameter that uses itself?)", null);
                return;
            }
            for (String part : substituted.split("\n", -1)) logicalLine(part, comment, at, depth + 1, false);
            return;
        }
        tokenize(text, comment, at, columnBase, exactColumns);
    }

    private void continueDefinition(String line) {
        String code = stripComment(line)[0].strip();
        boolean more = code.endsWith("\\");
        if (more) code = code.substring(0, code.length() - 1).strip();
        if (!code.isEmpty()) {
            if (pendingValue.length() > 0) pendingValue.append('\n');
            pendingValue.append(code);
        }
        if (!more) finishDefinition();
    }

    private void finishDefinition() {
        params.put(pendingName, pendingValue.toString());
        pendingName = null;
        pendingValue = null;
    }

    /** One pass of {@code $NAME} / {@code ${NAME}} replacement; null when nothing was replaced. */
    private String substitute(String text) {
        if (text.indexOf('$') < 0) return null;
        StringBuilder sb = new StringBuilder();
        boolean changed = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length()) {
                if (text.charAt(i + 1) == '{') {
                    int close = indexWithin(text, "}", i + 2, MAX_NAME);
                    if (close > 0) {
                        String value = lookup(text.substring(i + 2, close));
                        if (value != null) {
                            sb.append(value);
                            i = close + 1;
                            changed = true;
                            continue;
                        }
                    }
                } else {
                    Matcher m = PARAM_NAME.matcher(text).region(i + 1, text.length());
                    if (m.lookingAt()) {
                        int end = m.end();
                        boolean delimited = end == text.length() || isSpace(text.charAt(end));
                        String value = delimited ? lookup(m.group()) : null;
                        if (value != null) {
                            sb.append(value);
                            i = end;
                            changed = true;
                            continue;
                        }
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return changed ? sb.toString() : null;
    }

    /** A defined parameter, or one of keepalived's predefined ones (keepalived.conf(5) "Pre-defined definitions"). */
    private String lookup(String name) {
        String v = params.get(name);
        if (v != null) return v;
        return switch (name) {
            case "_PWD" -> {
                Path dir = readingGiven.isEmpty() ? null : readingGiven.peek().toAbsolutePath().getParent();
                yield dir == null ? "/" : dir.toString();
            }
            case "_INSTANCE" -> hostId;
            case "_HASH" -> "#";
            case "_BANG" -> "!";
            default -> null;
        };
    }

    private void include(String code, SourceLocation at) {
        List<Token> words = new ArrayList<>();
        splitWords(code, at, 0, true, false, words);
        if (words.isEmpty()) return;
        String keyword = words.get(0).text();
        boolean strict = !keyword.equals("include");
        if (words.size() < 2) {
            out.error(words.get(0).at(), "'" + keyword + "' needs a file name or glob", "e.g. 'include conf.d/*.conf'");
            return;
        }
        Path current = readingGiven.peek();
        // relative to the including file, and relative like it, so diagnostics name files as the user does
        Path base = current == null || current.getParent() == null ? Path.of("") : current.getParent();
        for (Token pattern : words.subList(1, words.size())) {
            List<Path> matches = expand(pattern, base);
            if (matches == null) continue;
            if (matches.isEmpty()) {
                report(strict, pattern.at(), "no file matches '" + pattern.text() + "'" + (strict ? "" : " (keepalived logs 'Config files missing' and carries on)"),
                        "paths are relative to the directory of " + (current == null ? "the including file" : current.getFileName()));
                continue;
            }
            for (Path p : matches) {
                if (tooManyLines) return;
                readFile(p, pattern.at(), strict);
            }
        }
    }

    /** Matches of an include pattern, sorted per directory level like glob(3); null after reporting a bad pattern. */
    private List<Path> expand(Token pattern, Path base) {
        Path p;
        try {
            p = Path.of(pattern.text());
        } catch (InvalidPathException e) {
            out.error(pattern.at(), "invalid include path '" + pattern.text() + "': " + e.getReason(), null);
            return null;
        }
        if (!p.isAbsolute()) p = base.resolve(p);
        p = p.normalize();
        if (!hasGlob(pattern.text())) return Files.exists(p) ? List.of(p) : List.of();
        List<Path> current = new ArrayList<>();
        current.add(p.getRoot() == null ? Path.of("") : p.getRoot());
        try {
            for (Path element : p) {
                String name = element.toString();
                List<Path> next = new ArrayList<>();
                if (!hasGlob(name)) {
                    for (Path dir : current) if (Files.exists(dir.resolve(name))) next.add(dir.resolve(name));
                } else {
                    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
                    for (Path dir : current) {
                        if (!Files.isDirectory(dir)) continue;
                        List<Path> found = new ArrayList<>();
                        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                            for (Path child : ds) {
                                String childName = child.getFileName().toString();
                                if (childName.startsWith(".") && !name.startsWith(".")) continue;
                                if (matcher.matches(child.getFileName())) found.add(child);
                                if (found.size() > MAX_GLOB_MATCHES) break;
                            }
                        }
                        found.sort(null);
                        next.addAll(found);
                    }
                }
                current = next;
                if (current.size() > MAX_GLOB_MATCHES) {
                    out.error(pattern.at(), "'" + pattern.text() + "' matches more than " + MAX_GLOB_MATCHES + " files", null);
                    return null;
                }
            }
        } catch (PatternSyntaxException e) {
            out.error(pattern.at(), "invalid glob '" + pattern.text() + "': " + e.getDescription(), null);
            return null;
        } catch (IOException | SecurityException e) {
            out.error(pattern.at(), "cannot list files for '" + pattern.text() + "': " + e.getMessage(), null);
            return null;
        }
        current.removeIf(Files::isDirectory);
        return current;
    }

    private static boolean hasGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') return true;
        }
        return false;
    }

    private void tokenize(String text, String comment, SourceLocation at, int columnBase, boolean exactColumns) {
        if (lines.size() >= MAX_LINES) {
            if (!tooManyLines) out.error(at, "more than " + MAX_LINES + " lines after includes and parameter expansion; stopped reading", null);
            tooManyLines = true;
            return;
        }
        List<Token> tokens = new ArrayList<>();
        splitWords(text, at, columnBase, exactColumns, true, tokens);
        if (!tokens.isEmpty()) lines.add(new SourceLine(List.copyOf(tokens), at, comment));
    }

    /** {@code braces}: split braces off as words of their own (not on include lines, where they are glob alternatives). */
    private void splitWords(String text, SourceLocation at, int columnBase, boolean exactColumns, boolean braces, List<Token> into) {
        int n = text.length();
        int i = 0;
        boolean unterminated = false;
        while (i < n) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (braces && c == '{' && text.startsWith("{{", i)) {
                int close = indexWithin(text, "}}", i + 2, MAX_NAME);
                if (close > 0 && text.substring(i + 2, close).strip().matches("[A-Za-z0-9_.\\- ]+")) {
                    String word = text.substring(i, close + 2);
                    SourceLocation where = col(at, columnBase + start, exactColumns);
                    out.error(where, "unsubstituted template placeholder '" + word + "'", "render the template before use");
                    into.add(new Token(word, false, true, where));
                    i = close + 2;
                    continue;
                }
            }
            if (braces && (c == '{' || c == '}')) {
                into.add(new Token(String.valueOf(c), false, false, col(at, columnBase + i, exactColumns)));
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            boolean quoted = false;
            boolean inQuote = false;
            while (i < n) {
                c = text.charAt(i);
                if (inQuote) {
                    if (c == '"') {
                        inQuote = false;
                        i++;
                    } else if (c == '\\' && i + 1 < n) {
                        i = unescape(text, i + 1, sb);
                    } else {
                        sb.append(c);
                        i++;
                    }
                } else {
                    if (isSpace(c) || (braces && (c == '{' || c == '}'))) break;
                    if (c == '"') {
                        inQuote = true;
                        quoted = true;
                    } else {
                        sb.append(c);
                    }
                    i++;
                }
            }
            if (inQuote) unterminated = true;
            String word = sb.toString();
            SourceLocation where = col(at, columnBase + start, exactColumns);
            boolean placeholder = false;
            if (!quoted && AT_PLACEHOLDER.matcher(word).find()) {
                out.error(where, "unsubstituted template placeholder '" + word + "'", "render the template before use");
                placeholder = true;
            }
            into.add(new Token(word, quoted, placeholder, where));
        }
        if (unterminated) {
            out.error(at, "unterminated double quote: the rest of the line is one word", "close the quote with '\"'");
        }
    }

    /** Escapes inside double quotes, as keepalived.conf(5) "Quoted strings" lists them; returns the next index. */
    private static int unescape(String s, int i, StringBuilder sb) {
        char c = s.charAt(i);
        switch (c) {
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'E' -> sb.append('\u001b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000b');
            case 'x' -> {
                int j = i + 1;
                while (j < s.length() && j < i + 3 && Character.digit(s.charAt(j), 16) >= 0) j++;
                if (j == i + 1) sb.append('x');
                else sb.append((char) Integer.parseInt(s.substring(i + 1, j), 16));
                return j;
            }
            case 'c' -> {
                if (i + 1 < s.length()) {
                    sb.append((char) (Character.toUpperCase(s.charAt(i + 1)) ^ 0x40));
                    return i + 2;
                }
                sb.append('c');
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int j = i;
                    while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') j++;
                    sb.append((char) Integer.parseInt(s.substring(i, j), 8));
                    return j;
                }
                sb.append(c);
            }
        }
        return i + 1;
    }

    /** Splits off a comment: {@code #} or {@code !} outside double quotes, anywhere in the line. */
    static String[] stripComment(String line) {
        boolean inQuote = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                i++;
            } else if (c == '"') {
                inQuote = !inQuote;
            } else if ((c == '#' || c == '!') && !inQuote) {
                return new String[]{line.substring(0, i), line.substring(i + 1)};
            }
        }
        return new String[]{line, null};
    }

    /** {@code s.indexOf(what, from)} looking at most {@code window} characters ahead, so long lines stay linear. */
    private static int indexWithin(String s, String what, int from, int window) {
        int end = Math.min(s.length(), from + window + what.length());
        int at = s.substring(Math.min(from, end), end).indexOf(what);
        return at < 0 ? -1 : from + at;
    }

    private static int firstWhitespace(String s, int from) {
        int i = from;
        while (i < s.length() && !isSpace(s.charAt(i))) i++;
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static SourceLocation col(SourceLocation at, int index, boolean exact) {
        if (at.line() == 0) return at;
        return exact ? new SourceLocation(at.file(), at.line(), index + 1) : at;
    }

    private void report(boolean error, SourceLocation at, String message, String hint) {
        if (error) out.error(at, message, hint);
        else out.warning(at, message, hint);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
