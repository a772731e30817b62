package dev.vigil.heartbeat.wire;

import java.util.Optional;

/**
 * A signature as heartbeat writes it, {@code "<index> <digest>"}: the authkeys index of the key
 * that signed, and the lowercase hex digest. It appears both as the inner {@code auth} field and
 * as the netstring trailer. A digest is not secret; printing it is fine.
 */
public record AuthSignature(int index, String digest) {
    public AuthSignature {
        if (digest == null || digest.isEmpty()) throw new IllegalArgumentException("empty digest");
    }

    /** The wire text, {@code "1 8db3..."}. */
    public String wireText() {
        return index + " " + digest;
    }

    @Override
    public String toString() {
        return wireText();
    }

    /**
     * Parses like heartbeat's {@code sscanf(s, "%d %s")} (ha_msg_internal.c:isauthentic,
     * cl_netstring.c:is_auth_netstring): optional leading white space, a decimal integer with
     * optional sign, any white space (also none), then the digest up to the next white space;
     * anything after that is ignored. An index that does not fit an int is reported as
     * {@link Integer#MIN_VALUE} so that it can never match a key.
     */
    public static Optional<AuthSignature> parse(String s) {
        int i = skipSpace(s, 0);
        int start = i;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int digitsStart = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == digitsStart) return Optional.empty();
        int index;
        try {
            index = Integer.parseInt(s.substring(start, i));
        } catch (NumberFormatException e) {
            index = Integer.MIN_VALUE;
        }
        i = skipSpace(s, i);
        int tokenStart = i;
        while (i < s.length() && !isCSpace(s.charAt(i))) i++;
        if (i == tokenStart) return Optional.empty();
        return Optional.of(new AuthSignature(index, s.substring(tokenStart, i)));
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isCSpace(s.charAt(i))) i++;
        return i;
    }

    /** C {@code isspace} in the C locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
