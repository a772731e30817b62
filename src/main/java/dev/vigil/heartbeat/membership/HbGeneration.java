package dev.vigil.heartbeat.membership;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * The generation number ({@code hg}) and its file {@code /var/lib/heartbeat/hb_generation}
 * ({@code heartbeat.c:IncrGeneration}): one more than the stored value at every start, or one more
 * than {@code time(NULL)} when there is no file. The file holds the number in decimal, right-aligned
 * in 15 characters, then a newline. Peers drop messages with a generation lower than the last they
 * saw (a replay), so the new value must be on disk before the first message goes out; the glue does
 * that when it performs {@link MembershipAction.PersistGeneration}.
 */
public final class HbGeneration {
    /** Bytes in the file: 15 digits (space-padded) and a newline ({@code GENLEN}). */
    public static final int FILE_LENGTH = 16;

    private HbGeneration() {}

    /** The generation for this start: the stored one plus one, or {@code epochSeconds + 1} without a stored one. */
    public static long next(OptionalLong stored, long epochSeconds) {
        return (stored.isPresent() ? stored.getAsLong() : epochSeconds) + 1;
    }

    /** The file content, e.g. {@code "     1795553669\n"}. */
    public static String fileContent(long generation) {
        if (generation <= 0) throw new IllegalArgumentException("generation must be positive");
        return String.format(Locale.ROOT, "%15d\n", generation);
    }

    /** Reads the file content as heartbeat's {@code sscanf("%lu")}: leading blanks, then digits; empty when broken. */
    public static OptionalLong parse(String content) {
        if (content == null) return OptionalLong.empty();
        String s = content.length() > FILE_LENGTH ? content.substring(0, FILE_LENGTH) : content;
        s = s.strip();
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        if (end == 0 || end > 18) return OptionalLong.empty();
        return OptionalLong.of(Long.parseLong(s.substring(0, end)));
    }
}
