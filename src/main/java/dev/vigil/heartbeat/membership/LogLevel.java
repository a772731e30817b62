package dev.vigil.heartbeat.membership;

/**
 * The severity of a log line, with the tag heartbeat prints in front of it
 * ({@code info:}, {@code WARN:}, {@code ERROR:}, {@code CRIT:}, {@code debug:}), so a log written
 * by Vigil reads like heartbeat's {@code ha-log}.
 */
public enum LogLevel {
    DEBUG("debug"),
    INFO("info"),
    WARN("WARN"),
    ERROR("ERROR"),
    CRIT("CRIT");

    private final String tag;

    LogLevel(String tag) {
        this.tag = tag;
    }

    /** The word heartbeat writes before the colon, e.g. {@code WARN} in {@code WARN: node nodea: is dead}. */
    public String tag() {
        return tag;
    }
}
