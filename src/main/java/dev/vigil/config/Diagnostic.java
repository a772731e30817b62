package dev.vigil.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One finding about a configuration file, printed as {@code FILE:LINE:COL: error|warning: message}
 * (the GNU convention editors and CI annotators understand), followed by an indented hint when
 * there is something concrete the operator can do.
 *
 * <p>{@code line} and {@code column} are 1-based; 0 means "the whole file" (e.g. wrong permissions).
 */
public record Diagnostic(Path file, int line, int column, Severity severity, String message, String hint) {

    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The location prefix alone, {@code FILE:LINE:COL}. */
    public String location() {
        if (line <= 0) return file.toString();
        return file + ":" + line + ":" + Math.max(column, 1);
    }

    /** The one- or two-line text {@code vigil check} prints. */
    public String format() {
        String first = location() + ": " + severity.label() + ": " + message;
        return hint == null || hint.isEmpty() ? first : first + "\n    hint: " + hint;
    }

    @Override
    public String toString() {
        return format();
    }
}
