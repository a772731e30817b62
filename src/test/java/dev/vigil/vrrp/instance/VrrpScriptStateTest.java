package dev.vigil.vrrp.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** vrrp_script rise/fall as keepalived counts it (vrrp_scheduler.c vrrp_script_child_thread). */
class VrrpScriptStateTest {

    @Test
    void withoutInitFailTheFirstResultDecidesEitherWay() {
        // keepalived vrrp_init_script: result = rise − 1, "one success is enough"
        VrrpScriptState ok = new VrrpScriptState("chk", 3, 3, false);
        assertThat(ok.status()).isEqualTo(ScriptStatus.UNKNOWN);
        assertThat(ok.onResult(true)).contains(ScriptStatus.GOOD);

        VrrpScriptState bad = new VrrpScriptState("chk", 3, 3, false);
        assertThat(bad.onResult(false)).contains(ScriptStatus.BAD);
    }

    @Test
    void initFailStartsFailedAndNeedsRiseSuccesses() {
        VrrpScriptState s = new VrrpScriptState("chk", 3, 2, true);
        assertThat(s.status()).isEqualTo(ScriptStatus.BAD);
        assertThat(s.onResult(true)).isEmpty();
        assertThat(s.onResult(true)).isEmpty();
        assertThat(s.onResult(true)).contains(ScriptStatus.GOOD);
    }

    @Test
    void fallConsecutiveFailuresTurnAGoodScriptBad() {
        VrrpScriptState s = new VrrpScriptState("chk", 2, 3, false);
        s.onResult(true);
        assertThat(s.onResult(false)).isEmpty();
        assertThat(s.onResult(false)).isEmpty();
        assertThat(s.onResult(false)).contains(ScriptStatus.BAD);
        assertThat(s.onResult(false)).isEmpty();
    }

    @Test
    void aSuccessBetweenFailuresRefillsTheFallBudget() {
        VrrpScriptState s = new VrrpScriptState("chk", 2, 2, false);
        s.onResult(true);
        s.onResult(false);
        s.onResult(true); // back to the top
        assertThat(s.onResult(false)).isEmpty();
        assertThat(s.onResult(false)).contains(ScriptStatus.BAD);
    }

    @Test
    void aFailureWhileRisingStartsTheRiseCountOver() {
        VrrpScriptState s = new VrrpScriptState("chk", 3, 1, true);
        s.onResult(true);
        s.onResult(true);
        s.onResult(false); // back to 0
        assertThat(s.onResult(true)).isEmpty();
        assertThat(s.onResult(true)).isEmpty();
        assertThat(s.onResult(true)).contains(ScriptStatus.GOOD);
        assertThat(s.onResult(true)).isEqualTo(Optional.empty());
    }
}
