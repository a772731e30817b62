package dev.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolderTimelineTest {

    @Test
    void takeoverAfterADeathLeavesOneOutageWindow() {
        HolderTimeline t = new HolderTimeline();
        t.acquired("A", 10);
        t.released("A", 100);   // A killed
        t.acquired("B", 460);   // B takes over after its down interval
        assertThat(t.outages(1000)).containsExactly(new HolderTimeline.Window(100, 460));
        assertThat(t.doubleHolders(1000)).isEmpty();
        assertThat(t.holds(1000)).containsExactly(new HolderTimeline.Hold("A", 10, 100), new HolderTimeline.Hold("B", 460, 1000));
        assertThat(t.holdersAt(1000, 1000)).containsExactly("B");
    }

    @Test
    void splitBrainShowsAsADoubleHolderWindowAndNoOutage() {
        HolderTimeline t = new HolderTimeline();
        t.acquired("A", 0);
        t.acquired("B", 50);    // partition: B thinks A is dead
        t.released("B", 80);    // heal: B yields
        assertThat(t.doubleHolders(200)).containsExactly(new HolderTimeline.Window(50, 80));
        assertThat(t.outages(200)).isEmpty();
        assertThat(HolderTimeline.total(t.doubleHolders(200))).isEqualTo(30);
    }

    @Test
    void nothingBeforeTheFirstAcquisitionCountsAsOutage() {
        HolderTimeline t = new HolderTimeline();
        t.acquired("A", 300);
        assertThat(t.outages(1000)).isEmpty();
        assertThat(t.firstAcquisition("A", 0, 1000)).contains(300L);
    }

    @Test
    void adjacentWindowsMerge() {
        HolderTimeline t = new HolderTimeline();
        t.acquired("A", 0);
        t.released("A", 10);
        t.acquired("B", 20);
        t.released("B", 30);
        t.acquired("C", 30);
        t.released("C", 40);
        assertThat(t.outages(50)).containsExactly(new HolderTimeline.Window(10, 20), new HolderTimeline.Window(40, 50));
    }
}
