package dev.vigil.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt directive names ({@code undport} -> {@code udpport}). */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The known word closest to {@code word} by Damerau-Levenshtein distance (a swap of two
     * neighbouring letters, the commonest typo, counts as one edit), if it is close enough to be a
     * plausible typo: at most 1 edit for short words, 2 for words of 5+ letters, 3 for 9+.
     */
    public static Optional<String> closest(String word, Collection<String> known) {
        String w = word.toLowerCase(Locale.ROOT);
        int limit = w.length() >= 9 ? 3 : w.length() >= 5 ? 2 : 1;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Optimal string alignment distance (restricted Damerau-Levenshtein). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
