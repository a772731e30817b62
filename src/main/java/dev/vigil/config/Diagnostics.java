package dev.vigil.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Collects diagnostics while a parser or a check runs. Parsers never throw for bad input: they
 * report here and carry on, so one run shows every problem in a file, not just the first.
 */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostic add(Diagnostic d) {
        items.add(d);
        return d;
    }

    public Diagnostic error(Path file, int line, int column, String message) {
        return add(new Diagnostic(file, line, column, Severity.ERROR, message, null));
    }

    public Diagnostic error(Path file, int line, int column, String message, String hint) {
        return add(new Diagnostic(file, line, column, Severity.ERROR, message, hint));
    }

    public Diagnostic warning(Path file, int line, int column, String message) {
        return add(new Diagnostic(file, line, column, Severity.WARNING, message, null));
    }

    public Diagnostic warning(Path file, int line, int column, String message, String hint) {
        return add(new Diagnostic(file, line, column, Severity.WARNING, message, hint));
    }

    public Diagnostic error(SourceLocation at, String message, String hint) {
        return error(at.file(), at.line(), at.column(), message, hint);
    }

    public Diagnostic warning(SourceLocation at, String message, String hint) {
        return warning(at.file(), at.line(), at.column(), message, hint);
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public long errorCount() {
        return items.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return items.size() - errorCount();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** In file, line, column order, as a reader scans the files. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.file().toString())
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return copy;
    }

    public List<Diagnostic> all() {
        return Collections.unmodifiableList(items);
    }
}
