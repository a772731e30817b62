package dev.vigil.vrrp.instance;

/** Severity of a {@link VrrpAction.Log} line; the glue maps it onto its logger. */
public enum LogLevel {
    DEBUG,
    INFO,
    WARNING,
    ERROR
}
