package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.List;

/**
 * A statement of the file: a keyword with the words after it on its line and, when a {@code {}
 * follows (on the same line or the next), the statements of its block. Items of list blocks such
 * as {@code virtual_ipaddress} are nodes too: their first word is the item.
 *
 * @param children null when no block follows
 * @param closed   false when the block runs to the end of the input without its {@code }}
 * @param comment  the comment ending the keyword's line, if the statement reached the line's end
 */
record Node(Token keyword, List<Token> args, List<Node> children, boolean closed, SourceLocation end, String comment) {
    String name() {
        return keyword.text();
    }

    SourceLocation at() {
        return keyword.at();
    }

    boolean isBlock() {
        return children != null;
    }

    /** All words of the statement, keyword first, as written. */
    String text() {
        StringBuilder sb = new StringBuilder(keyword.text());
        for (Token t : args) sb.append(' ').append(t.text());
        return sb.toString();
    }
}
