package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads authkeys the way heartbeat's {@code auth.c:parse_authfile} does, including its file mode
 * check. No diagnostic ever quotes a key, or any word that might be one: only indexes and known
 * method names appear in messages. Never throws for any file content or I/O problem.
 */
public final class AuthkeysParser {

    private static final List<String> METHODS = List.of("crc", "md5", "sha1");

    private final boolean checkPermissions;

    public AuthkeysParser() {
        this(true);
    }

    private AuthkeysParser(boolean checkPermissions) {
        this.checkPermissions = checkPermissions;
    }

    /** A parser that skips the file mode and owner checks, for reading copies whose mode means nothing (tests, corpus). */
    public AuthkeysParser withPermissionCheck(boolean check) {
        return new AuthkeysParser(check);
    }

    public ParseResult<Authkeys> parse(Path file) {
        Diagnostics diagnostics = new Diagnostics();
        try {
            Optional<List<ConfigText.Line>> lines = ConfigText.read(file, diagnostics);
            if (lines.isEmpty()) return new ParseResult<>(new Authkeys(file, List.of(), Optional.empty(), Optional.empty()), diagnostics);
            if (checkPermissions) checkMode(file, diagnostics);
            return new ParseResult<>(new Run(file, diagnostics).parse(lines.get()), diagnostics);
        } catch (RuntimeException | StackOverflowError e) {
            // The exception text could hold file content, so only its type is reported.
            diagnostics.error(file, 0, 0, "internal error while reading authkeys: " + e.getClass().getName(), null);
            return new ParseResult<>(new Authkeys(file, List.of(), Optional.empty(), Optional.empty()), diagnostics);
        }
    }

    /**
     * heartbeat refuses to start when the key file is readable by group or others ("Bad
     * permissions on keyfile [...], 600 recommended.", rc 6). Write bits and the owner are not
     * checked by heartbeat, but either lets someone else change the key, so Vigil refuses them too
     * (issue 8's rule: 0600, owned by root). The one exception is a file owned by the very user
     * Vigil runs as, which is how the non-root demo keeps its keys.
     */
    static void checkMode(Path file, Diagnostics d) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException | IOException | SecurityException e) {
            return;
        }
        Set<PosixFilePermission> p = attributes.permissions();
        String fix = "chmod 600 " + file;
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
            d.error(file, 0, 0, file + " is readable by group or others (mode " + mode(p) + "): heartbeat refuses to start ('Bad permissions on keyfile ["
                    + file + "], 600 recommended.')", fix);
        } else if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            d.error(file, 0, 0, file + " is writable by group or others (mode " + mode(p) + "): anyone who can write it can change the cluster key", fix);
        }
        Object uid = null;
        try {
            uid = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | SecurityException e) {
            // Not a Unix file system view: fall back to the owner's name.
        }
        boolean root = uid instanceof Integer n ? n == 0 : "root".equals(attributes.owner().getName());
        if (!root && !(uid instanceof Integer n2 && n2 == processUid())) {
            d.error(file, 0, 0, file + " is owned by " + attributes.owner().getName() + ", not root: its owner can change the cluster key",
                    "chown root:root " + file);
        }
    }

    /** The uid this process runs as (the owner of /proc/self), or -1 when it cannot be told. */
    static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException | IOException | SecurityException e) {
            return -1;
        }
    }

    private static String mode(Set<PosixFilePermission> p) {
        int bits = 0;
        for (PosixFilePermission perm : p) bits |= 1 << (8 - perm.ordinal());
        return String.format("%03o", bits);
    }

    private static final class Run {
        final Path file;
        final Diagnostics d;
        int authIndex = -1;
        SourceLocation authAt;
        Authkeys.Entry signing;
        SourceLocation signingAuthAt;
        final Map<Integer, Authkeys.Entry> entries = new LinkedHashMap<>();

        Run(Path file, Diagnostics d) {
            this.file = file;
            this.d = d;
        }

        SourceLocation at(int line, int column) {
            return new SourceLocation(file, line, column);
        }

        Authkeys parse(List<ConfigText.Line> lines) {
            for (ConfigText.Line line : lines) {
                if (d.errorCount() >= ConfigText.MAX_ERRORS) {
                    d.error(file, line.number(), 1, "too many errors; the rest of the file was not checked", null);
                    break;
                }
                line(line);
            }
            finish();
            List<Authkeys.Entry> kept = new ArrayList<>(entries.values());
            return new Authkeys(file, kept, Optional.ofNullable(signing), Optional.ofNullable(signing == null ? null : signingAuthAt));
        }

        void line(ConfigText.Line line) {
            String s = line.text();
            int i = skipBlanks(s, 0);
            // Only a '#' as the first non-blank character starts a comment (auth.c); elsewhere it is data.
            if (i >= s.length() || s.charAt(i) == '#') return;
            if (s.charAt(i) == 'a') {
                authLine(s, i, line.number());
                return;
            }
            keyLine(s, i, line.number());
        }

        static int skipBlanks(String s, int i) {
            while (i < s.length() && Token.WHITESPACE.indexOf(s.charAt(i)) >= 0) i++;
            return i;
        }

        static int skipWord(String s, int i) {
            while (i < s.length() && Token.WHITESPACE.indexOf(s.charAt(i)) < 0) i++;
            return i;
        }

        /** sscanf's %d: optional sign and decimal digits; returns the end index, or -1 when there are no digits. */
        static int scanInt(String s, int i) {
            int j = i;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            int digits = j;
            while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') j++;
            return j > digits ? j : -1;
        }

        static Optional<Integer> intValue(String s) {
            try {
                return Optional.of(Integer.parseInt(s.startsWith("+") ? s.substring(1) : s));
            } catch (NumberFormatException e) {
                return Optional.of(s.startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE);
            }
        }

        /** {@code sscanf(bp, "auth %d", &authnum)} */
        void authLine(String s, int start, int lineNo) {
            SourceLocation where = at(lineNo, start + 1);
            int i = start;
            int numberStart = s.startsWith("auth", i) ? skipBlanks(s, i + 4) : -1;
            int numberEnd = numberStart < 0 ? -1 : scanInt(s, numberStart);
            if (numberEnd < 0) {
                d.error(where, "invalid auth line: expected 'auth N' with a key number", "the first line should be e.g. 'auth 1'");
                return;
            }
            int n = intValue(s.substring(numberStart, numberEnd)).orElse(-1);
            SourceLocation numberAt = at(lineNo, numberStart + 1);
            int after = skipBlanks(s, numberEnd);
            if (after < s.length() && s.charAt(after) != '#') {
                d.warning(at(lineNo, after + 1), "text after 'auth " + n + "' is ignored by heartbeat", null);
            }
            if (n < 0 || n > Authkeys.MAX_INDEX) {
                d.error(numberAt, "auth " + n + " is out of range: key numbers are 0 to " + Authkeys.MAX_INDEX, null);
                return;
            }
            if (authAt != null) {
                d.warning(where, "a second auth line (the first is line " + authAt.line()
                        + "); heartbeat selects the signing key from key lines read after the latest auth line", "keep one auth line, at the top");
            }
            authIndex = n;
            authAt = where;
        }

        /** {@code sscanf(bp, "%d%s%s", &i, method, key)}, needing at least the number and the method. */
        void keyLine(String s, int start, int lineNo) {
            SourceLocation where = at(lineNo, start + 1);
            int numberEnd = scanInt(s, start);
            if (numberEnd < 0) {
                String hint = s.regionMatches(true, start, "auth", 0, 4) ? "write 'auth N' in lower case" : "key lines are 'N sha1 KEY', 'N md5 KEY' or 'N crc'";
                d.error(where, "invalid line: expected 'auth N' or a key line", hint);
                return;
            }
            int index = intValue(s.substring(start, numberEnd)).orElse(-1);
            int methodStart = skipBlanks(s, numberEnd);
            if (methodStart >= s.length()) {
                d.error(where, "key line " + index + " names no method", "key lines are 'N sha1 KEY', 'N md5 KEY' or 'N crc'");
                return;
            }
            int methodEnd = skipWord(s, methodStart);
            String method = s.substring(methodStart, methodEnd);
            int keyStart = skipBlanks(s, methodEnd);
            int keyEnd = skipWord(s, keyStart);
            String key = s.substring(keyStart, keyEnd);
            SourceLocation methodAt = at(lineNo, methodStart + 1);
            SourceLocation keyAt = at(lineNo, keyStart + 1);

            if (index < 0 || index > Authkeys.MAX_INDEX) {
                d.error(where, "key number " + index + " is out of range: heartbeat accepts 0 to " + Authkeys.MAX_INDEX, null);
                return;
            }
            if (!METHODS.contains(method)) {
                // Never quote the word: on a line like "1 s3cret" it is the key.
                Optional<String> close = Suggestions.closest(method, METHODS);
                d.error(methodAt, "unknown authentication method for key " + index + " (heartbeat knows crc, md5 and sha1)",
                        close.map(c -> "did you mean '" + c + "'? method names are lower case").orElse("key lines are 'N sha1 KEY', 'N md5 KEY' or 'N crc'"));
                return;
            }
            AuthMethod authMethod = AuthMethod.fromWireName(method).orElseThrow();
            if (authMethod == AuthMethod.CRC && !key.isEmpty()) {
                d.error(keyAt, "key " + index + " is crc, which takes no key: heartbeat refuses the line ('Auth method [crc] doesn't use a key')",
                        key.startsWith("#") ? "heartbeat does not read '#' after crc as a comment; put comments on their own line" : "remove the key, or use sha1 to have one");
                return;
            }
            if (authMethod != AuthMethod.CRC && key.isEmpty()) {
                d.error(at(lineNo, methodEnd + 1), "key " + index + " is " + method + " but has no key: heartbeat refuses the line ('Auth method ["
                        + method + "] requires a key')", "write '" + index + " " + method + " SOME-LONG-RANDOM-WORD'");
                return;
            }
            if (key.startsWith("#")) {
                d.warning(keyAt, "the key of key " + index + " starts with '#': heartbeat uses it as the key, not as a comment", null);
            }
            int rest = skipBlanks(s, keyEnd);
            if (!key.isEmpty() && rest < s.length()) {
                d.warning(at(lineNo, rest + 1), "only the first word after the method is the key; heartbeat ignores the rest of the line",
                        "a key cannot contain blanks");
            }
            Authkeys.Entry entry = new Authkeys.Entry(new AuthKey(index, authMethod, new Secret(key)), where);
            Authkeys.Entry earlier = entries.put(index, entry);
            if (earlier != null) {
                d.warning(where, "key " + index + " is defined again (first at line " + earlier.location().line()
                        + "); heartbeat keeps this later definition", "keep one line per key number");
            }
            if (index == authIndex) {
                signing = entry;
                signingAuthAt = authAt;
            } else if (signing != null && signing.key().index() == index) {
                signing = entry;
            }
        }

        void finish() {
            SourceLocation wholeFile = at(0, 0);
            if (signing == null) {
                if (authIndex < 0) {
                    d.error(wholeFile, "no 'auth N' line: heartbeat stops with 'Missing auth directive in keyfile'",
                            "start the file with 'auth 1' and a key line such as '1 sha1 SOME-LONG-RANDOM-WORD'");
                } else if (entries.containsKey(authIndex)) {
                    d.error(authAt, "key " + authIndex + " is defined only before 'auth " + authIndex
                                    + "': heartbeat selects a key only from lines after the auth line, so it stops with 'Auth Key [" + authIndex + "] not found'",
                            "move 'auth " + authIndex + "' to the top of the file");
                } else {
                    d.error(authAt, "auth " + authIndex + " selects key " + authIndex
                                    + ", which is not defined: heartbeat stops with 'Auth Key [" + authIndex + "] not found'",
                            "add a line '" + authIndex + " sha1 SOME-LONG-RANDOM-WORD' or select an existing key");
                }
                return;
            }
            if (signing.key().index() != authIndex) {
                d.warning(authAt, "auth " + authIndex + " selects no key defined after it, so heartbeat keeps signing with key "
                        + signing.key().index() + " selected earlier", "keep one auth line, at the top");
            }
            if (signing.key().method() == AuthMethod.CRC) {
                d.warning(signing.location(), "crc authenticates nothing: any host on the heartbeat network can forge cluster messages",
                        "use sha1 with a long random key, e.g. from 'dd if=/dev/urandom bs=512 count=1 | openssl sha1'");
            }
        }
    }
}
