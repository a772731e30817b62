package dev.vigil.config;

/**
 * One row of the configuration reference ({@code docs/configuration.md}). Each parser keeps its
 * directive table as a list of these and reads it itself, so the reference cannot drift from what
 * the parser accepts.
 *
 * @param format  the file format
 * @param context where the directive may appear, e.g. {@code global_defs}, {@code vrrp_instance},
 *                or {@code top level}
 * @param name    the keyword as written in the file
 * @param status  what Vigil does with it
 * @param note    one sentence: what it means, or why it is ignored or rejected
 */
public record DirectiveDoc(ConfigFormat format, String context, String name, Status status, String note) {

    public enum Status {
        /** Read and acted on, with heartbeat's/keepalived's meaning. */
        SUPPORTED,
        /** Read and validated, then ignored (with a warning where the operator would care). */
        IGNORED,
        /** An error: Vigil cannot honour it, and silently ignoring it would change behaviour. */
        REJECTED
    }
}
