package dev.vigil.config;

import java.nio.file.Path;

/** Where a configuration element came from, so that later semantic checks can point at it. */
public record SourceLocation(Path file, int line, int column) {
    public static SourceLocation of(Path file, int line) {
        return new SourceLocation(file, line, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
