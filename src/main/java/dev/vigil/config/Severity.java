package dev.vigil.config;

/** How bad a diagnostic is. Errors make {@code vigil check} exit 1 and stop the daemon from starting. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return this == ERROR ? "error" : "warning";
    }
}
