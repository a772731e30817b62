package dev.vigil.vrrp.instance;

import java.util.Objects;
import java.util.Optional;

/**
 * The rise/fall counter of one {@code vrrp_script}, shared by every instance tracking it (keepalived
 * keeps it on the script, vrrp_scheduler.c {@code vrrp_script_child_thread}). Feed it every run's
 * outcome; it reports when the script's status flips, and the glue passes that status to each tracking
 * instance ({@link VrrpInstance#onScriptStatus}).
 *
 * <p>keepalived's counter {@code result} runs 0..rise+fall−1: below {@code rise} the script is failed,
 * from {@code rise} on it is good. A success while failed counts up and turns good on reaching
 * {@code rise}; a success while good jumps to the top. A failure while good counts down and turns
 * failed after {@code fall} of them; a failure while failed resets to 0 (so {@code rise} consecutive
 * successes are needed again).
 *
 * <p>Start-up: without {@code init_fail} the counter starts at rise−1 with the status unknown, so the
 * first result decides either way ("one success is enough"); with {@code init_fail} it starts at 0,
 * failed, and needs {@code rise} successes.
 */
public final class VrrpScriptState {

    private final String name;
    private final int rise;
    private final int fall;
    private int result;
    private ScriptStatus status;

    public VrrpScriptState(String name, int rise, int fall, boolean initFail) {
        this.name = Objects.requireNonNull(name);
        if (rise < 1 || fall < 1) throw new IllegalArgumentException("rise and fall must be at least 1");
        this.rise = rise;
        this.fall = fall;
        this.result = initFail ? 0 : rise - 1;
        this.status = initFail ? ScriptStatus.BAD : ScriptStatus.UNKNOWN;
    }

    public String name() {
        return name;
    }

    /** The status to report to tracking instances before they start. */
    public ScriptStatus status() {
        return status;
    }

    /**
     * One run finished ({@code success}: exit status 0; a timeout or a signal is a failure).
     *
     * @return the new status when it changed, else empty
     */
    public Optional<ScriptStatus> onResult(boolean success) {
        int top = rise + fall - 1;
        ScriptStatus before = status;
        if (success) {
            if (result < rise - 1) {
                result++;
            } else {
                result = top;
                status = ScriptStatus.GOOD;
            }
        } else {
            if (result > rise) {
                result--;
            } else {
                result = 0;
                status = ScriptStatus.BAD;
            }
        }
        return status == before ? Optional.empty() : Optional.of(status);
    }
}
