package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    /**
     * HotSpot's optimising compiler takes a method after about 5 000 calls plus loop iterations
     * (Tier4InvocationThreshold, Tier4CompileThreshold 15 000): the warm-up must put more adverts
     * than that through a backup's receive path, or an idle daemon stays in the profiling tier.
     */
    @Test
    void theJitWarmUpPutsEnoughAdvertsThroughTheBackupForTheOptimisingCompiler() {
        long received = WarmUp.simulate(WarmUp.HOT_PATH_NANOS);
        // two v3 instances at 0.01 s and one v2 at 1 s, for 60 s of virtual time
        assertThat(received).isBetween(2 * 5_900L + 55, 2 * 6_000L + 61);
    }

    @Test
    void theJitWarmUpThreadIsADaemonThatEnds() throws InterruptedException {
        Thread t = WarmUp.startCompilingHotPaths();
        assertThat(t.isDaemon()).isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
    }
}
