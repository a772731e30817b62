package dev.vigil.config.heartbeat;

import java.util.ArrayList;
import java.util.List;

/** A word of a configuration line and the 1-based column where it starts. */
record Token(String text, int column) {

    /** heartbeat's {@code WHITESPACE} ({@code heartbeat.h}): what separates a directive from its values. */
    static final String WHITESPACE = " \t\n\r\f";

    /** heartbeat's {@code DELIMS}: option-list values may also be separated by commas ({@code node a,b}). */
    static final String DELIMS = ", \t\n\r\f";

    /** Splits {@code text} at any of {@code separators}; {@code firstColumn} is the column of {@code text.charAt(0)}. */
    static List<Token> split(String text, int firstColumn, String separators) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && separators.indexOf(text.charAt(i)) >= 0) i++;
            int start = i;
            while (i < n && separators.indexOf(text.charAt(i)) < 0) i++;
            if (i > start) tokens.add(new Token(text.substring(start, i), firstColumn + start));
        }
        return tokens;
    }
}
