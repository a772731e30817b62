package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

/**
 * One word of keepalived.conf after preprocessing, with the file, line and column it was written
 * at (for words produced by a {@code $PARAMETER}, the place the parameter was used).
 *
 * @param quoted      written (partly) inside double quotes, so a quoted {@code "{"} is not a brace
 * @param placeholder an unsubstituted template placeholder ({@code {{NAME}}}, {@code @NAME@}) the
 *                    lexer already reported; handlers treat it as "no value" without a second error
 */
record Token(String text, boolean quoted, boolean placeholder, SourceLocation at) {
    boolean isOpen() {
        return !quoted && !placeholder && text.equals("{");
    }

    boolean isClose() {
        return !quoted && !placeholder && text.equals("}");
    }

    boolean isBrace() {
        return isOpen() || isClose();
    }
}
