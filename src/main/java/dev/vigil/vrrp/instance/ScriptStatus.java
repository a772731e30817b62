package dev.vigil.vrrp.instance;

/**
 * What a {@code vrrp_script} reports to the instances tracking it, after its rise/fall counting
 * ({@link VrrpScriptState}).
 */
public enum ScriptStatus {
    /** No result yet (keepalived SCRIPT_INIT_STATE_INIT): adds no weight, and a weight-0 script holds the instance in INIT. */
    UNKNOWN,
    /** keepalived "VRRP_Script(x) succeeded". */
    GOOD,
    /** keepalived "VRRP_Script(x) failed" (or timed out), or {@code init_fail} before the first result. */
    BAD
}
