package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The campaign invariants catch what they claim to catch. */
class CampaignChecksTest {
    static final String R = "vip";

    @Test
    void aDoubleHolderLongerThanTheBoundIsAViolationUnlessAPartitionExcusesIt() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "a", 0);
        t.acquired(R, "b", 100);
        t.released(R, "b", 400);
        assertThat(CampaignChecks.doubleHolders(t, R, 0, 1000, 250, List.of()).violations()).singleElement()
                .asString().contains("double holder of vip for 0.0000s");
        // a partition over [50, 300): only the 100 after the heal counts, within the bound
        CampaignChecks.WindowCheck excused = CampaignChecks.doubleHolders(t, R, 0, 1000, 250,
                List.of(new HolderTimeline.Window(50, 300)));
        assertThat(excused.violations()).isEmpty();
        assertThat(excused.worstNanos()).isEqualTo(300);
        assertThat(excused.worstUnexcusedNanos()).isEqualTo(100);
        // a heal followed by 300 of double holding breaks the bound
        assertThat(CampaignChecks.doubleHolders(t, R, 0, 1000, 250, List.of(new HolderTimeline.Window(0, 100)))
                .violations()).hasSize(1);
    }

    @Test
    void anOutageLongerThanTheFailoverBoundIsAViolation() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "a", 0);
        t.released(R, "a", 100);
        t.acquired(R, "b", 500);
        assertThat(CampaignChecks.outages(t, R, 0, 1000, 400, List.of()).violations()).isEmpty();
        assertThat(CampaignChecks.outages(t, R, 0, 1000, 399, List.of()).violations()).hasSize(1);
        assertThat(CampaignChecks.outages(t, R, 0, 1000, 399, List.of()).worstNanos()).isEqualTo(400);
    }

    @Test
    void holderAndSteadyChecks() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "a", 0);
        t.released(R, "a", 100);
        t.acquired(R, "b", 100);
        assertThat(CampaignChecks.holderAt(t, R, 50, Set.of("a"), "x")).isEmpty();
        assertThat(CampaignChecks.holderAt(t, R, 150, Set.of("a"), "x")).hasSize(1);
        assertThat(CampaignChecks.steady(t, R, 100, 1000)).isEmpty();
        assertThat(CampaignChecks.steady(t, R, 50, 1000)).hasSize(1);
    }

    @Test
    void theSummaryLineNamesFaultsViolationsWorstWindowsAndTheReplay() {
        CampaignSummary s = new CampaignSummary("vrrp", "-Dseed=SEED");
        s.seed(3);
        s.seed(4);
        s.fault("kill");
        s.fault("kill");
        s.fault("loss");
        s.outage(3, 2_000_000_000L);
        s.doubleHolder(4, 100_000L);
        s.violation(4, "boom");
        assertThat(s.line()).isEqualTo("CAMPAIGN mode=vrrp seeds=2 [3..4] faults=3 {kill=2, loss=1} violations=1"
                + " worst-outage=2.0000s (seed 3) worst-double-holder=0.0001s (seed 4) worst-split=none replay=-Dseed=SEED");
        assertThat(s.violations()).containsExactly("seed 4: boom");
    }
}
