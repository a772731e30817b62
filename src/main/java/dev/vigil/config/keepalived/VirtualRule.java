package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.List;

/** One {@code virtual_rules} line ({@code from X table T ...}), kept as its words for {@code ip rule}. */
public record VirtualRule(List<String> words, SourceLocation location) {
    public VirtualRule {
        words = List.copyOf(words);
    }
}
