package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The timer formulas against the values keepalived.md §2.1 and §4.1 measured. */
class VrrpTimingTest {

    @Test
    void v2Priority100At1sDownIntervalIs3point609375s() {
        // keepalived.md §4.1: A's last advert → B's first advert 3610–3615 ms
        assertThat(VrrpTiming.masterDownIntervalNanos(2, 100, 100, 3)).isEqualTo(3_609_375 * US);
    }

    @Test
    void v2SkewIsInSecondsWhateverTheInterval() {
        // RFC 3768 §6.1: (256 − 100)/256 s = 0.609375 s at 1 s and at 5 s alike
        assertThat(VrrpTiming.skewNanos(2, 100, 100)).isEqualTo(609_375 * US);
        assertThat(VrrpTiming.skewNanos(2, 100, 500)).isEqualTo(609_375 * US);
        assertThat(VrrpTiming.masterDownIntervalNanos(2, 100, 500, 3)).isEqualTo(15_609_375 * US);
    }

    @Test
    void v3At100msDownIntervalIs360point937ms() {
        // (256 − 100) × 10 cs × 625 / 16 = 60937.5 µs, truncated as keepalived does; measured 361–363 ms
        assertThat(VrrpTiming.skewNanos(3, 100, 10)).isEqualTo(60_937 * US);
        assertThat(VrrpTiming.masterDownIntervalNanos(3, 100, 10, 3)).isEqualTo(360_937 * US);
    }

    @Test
    void v3At10msUsesMicrosecondsNotRfcIntegerCentiseconds() {
        // integer centiseconds would give skew 156 × 1 / 256 = 0 and a 30 ms down interval; keepalived
        // computes 6093 µs and 36.093 ms, and the lab measured 36.5–38.8 ms (keepalived.md §4.1)
        assertThat(VrrpTiming.skewNanos(3, 100, 1)).isEqualTo(6_093 * US);
        assertThat(VrrpTiming.masterDownIntervalNanos(3, 100, 1, 3)).isEqualTo(36_093 * US);
    }

    @Test
    void v3SkewScalesWithTheMastersInterval() {
        assertThat(VrrpTiming.skewNanos(3, 100, 100)).isEqualTo(609_375 * US);
        assertThat(VrrpTiming.masterDownIntervalNanos(3, 100, 100, 3)).isEqualTo(3_609_375 * US);
    }

    @Test
    void downTimerAdvertsReplacesTheRfcThree() {
        assertThat(VrrpTiming.masterDownIntervalNanos(2, 100, 100, 1)).isEqualTo(1_609_375 * US);
        assertThat(VrrpTiming.masterDownIntervalNanos(2, 100, 100, 10)).isEqualTo(10_609_375 * US);
    }

    @Test
    void higherPriorityHasShorterSkewSoItTimesOutFirst() {
        assertThat(VrrpTiming.skewNanos(2, 150, 100)).isEqualTo(414_062 * US); // 106/256 s, keepalived.md §2.3 "skew 0.414"
        assertThat(VrrpTiming.skewNanos(2, 254, 100)).isLessThan(VrrpTiming.skewNanos(2, 253, 100));
        assertThat(VrrpTiming.skewNanos(2, 255, 100)).isEqualTo(3_906 * US);
    }
}
