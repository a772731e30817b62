package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.List;

/**
 * One logical line after preprocessing. {@code comment} is the comment text that ended the line
 * (without the {@code #}/{@code !}), or null; it lets "missing value" errors say that the would-be
 * value was swallowed by a comment.
 */
record SourceLine(List<Token> tokens, SourceLocation at, String comment) {
}
