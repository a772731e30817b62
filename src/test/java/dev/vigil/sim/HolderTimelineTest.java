package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolderTimelineTest {
    static final String R = "vip";

    @Test
    void takeoverAfterADeathLeavesOneOutageWindow() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "A", 10);
        t.released(R, "A", 100);   // A killed
        t.acquired(R, "B", 460);   // B takes over after its down interval
        assertThat(t.outages(R, 10, 1000)).containsExactly(new HolderTimeline.Window(100, 460));
        assertThat(t.doubleHolders(R, 0, 1000)).isEmpty();
        assertThat(t.holds(R, 1000)).containsExactly(new HolderTimeline.Hold(R, "A", 10, 100), new HolderTimeline.Hold(R, "B", 460, 1000));
        assertThat(t.holders(R)).containsExactly("B");
    }

    @Test
    void splitBrainShowsAsADoubleHolderWindowAndNoOutage() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "A", 0);
        t.acquired(R, "B", 50);    // partition: B thinks A is dead
        t.released(R, "B", 80);    // heal: B yields
        assertThat(t.doubleHolders(R, 0, 200)).containsExactly(new HolderTimeline.Window(50, 80));
        assertThat(t.outages(R, 0, 200)).isEmpty();
        assertThat(HolderTimeline.total(t.doubleHolders(R, 0, 200))).isEqualTo(30);
    }

    @Test
    void outagesCountFromWhereTheCallerStarts() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "A", 300);
        // the lab starts at the first acquisition; the campaigns at their settle point
        assertThat(t.outages(R, t.firstAcquired(R).orElseThrow(), 1000)).isEmpty();
        assertThat(t.outages(R, 0, 1000)).containsExactly(new HolderTimeline.Window(0, 300));
        assertThat(t.firstHeldBy(R, "A", 0)).contains(300L);
        assertThat(t.firstHeldBy(R, "A", 500)).contains(500L);
    }

    @Test
    void resourcesAreKeptApartAndAnInstantHoldIsNotAHold() {
        HolderTimeline t = new HolderTimeline();
        t.acquired("g1", "A", 0);
        t.acquired("g2", "B", 0);
        t.acquired("g2", "A", 10);
        t.released("g2", "A", 10);
        assertThat(t.holders("g1")).containsExactly("A");
        assertThat(t.holder("g2")).contains("B");
        assertThat(t.doubleHolders("g2", 0, 100)).isEmpty();
        assertThat(t.holds("g2")).singleElement().satisfies(h -> assertThat(h.open()).isTrue());
        assertThat(t.resources()).containsExactly("g1", "g2");
    }

    @Test
    void adjacentWindowsMerge() {
        HolderTimeline t = new HolderTimeline();
        t.acquired(R, "A", 0);
        t.released(R, "A", 10);
        t.acquired(R, "B", 20);
        t.released(R, "B", 30);
        t.acquired(R, "C", 30);
        t.released(R, "C", 40);
        assertThat(t.outages(R, 0, 50)).containsExactly(new HolderTimeline.Window(10, 20), new HolderTimeline.Window(40, 50));
    }
}
