package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private static final long MS = 1_000_000L;

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void tasksRunInDueOrderThenInsertionOrder() {
        SimScheduler s = new SimScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(20 * MS, () -> ran.add("b"));
        s.schedule(10 * MS, () -> ran.add("a"));
        s.schedule(20 * MS, () -> ran.add("c"));
        s.schedule(30 * MS, () -> ran.add("never")).cancel();
        s.runUntil(25 * MS);
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(s.nanoTime()).isEqualTo(25 * MS);
        s.runFor(100 * MS);
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void stallRunsOverdueTasksLateButInOrder() {
        SimScheduler s = new SimScheduler();
        List<Long> at = new ArrayList<>();
        s.schedule(10 * MS, () -> at.add(s.nanoTime()));
        s.schedule(20 * MS, () -> at.add(s.nanoTime()));
        s.stall(500 * MS);
        s.runFor(0);
        assertThat(at).containsExactly(500 * MS, 500 * MS);
    }

    @Test
    void broadcastReachesEveryOtherPortAndUnicastOnlyItsOwner() throws Exception {
        SimScheduler s = new SimScheduler();
        SimNetwork net = new SimNetwork(s, 1);
        SimNetwork.Segment lan = net.segment("lan");
        List<String> got = new ArrayList<>();
        SimNetwork.Port a = lan.attach("a", d -> got.add("a<-" + d.fromNode()), ip("10.0.0.1"));
        lan.attach("b", d -> got.add("b<-" + d.fromNode()), ip("10.0.0.2"));
        lan.attach("c", d -> got.add("c<-" + d.fromNode()), ip("10.0.0.3"));
        a.send(null, new byte[] {1});
        a.send(ip("10.0.0.3"), new byte[] {2});
        s.runFor(10 * MS);
        assertThat(got).containsExactlyInAnyOrder("b<-a", "c<-a", "c<-a");
    }

    @Test
    void partitionCutsAcrossGroupsAndHealRestores() throws Exception {
        SimScheduler s = new SimScheduler();
        SimNetwork net = new SimNetwork(s, 1);
        SimNetwork.Segment lan = net.segment("lan");
        List<String> got = new ArrayList<>();
        SimNetwork.Port a = lan.attach("a", d -> got.add("a"));
        lan.attach("b", d -> got.add("b"));
        lan.attach("c", d -> got.add("c"));
        lan.partition(Set.of("a", "b"), Set.of("c"));
        a.send(null, new byte[] {1});
        s.runFor(MS);
        assertThat(got).containsExactly("b");
        lan.heal();
        a.send(null, new byte[] {1});
        s.runFor(MS);
        assertThat(got).containsExactly("b", "b", "c");
    }

    @Test
    void cablePulledWhileInFlightDropsThePayload() {
        SimScheduler s = new SimScheduler();
        SimNetwork net = new SimNetwork(s, 1);
        SimNetwork.Segment lan = net.segment("lan");
        lan.setDelay(5 * MS, 0);
        List<String> got = new ArrayList<>();
        SimNetwork.Port a = lan.attach("a", d -> got.add("a"));
        SimNetwork.Port b = lan.attach("b", d -> got.add("b"));
        a.send(null, new byte[] {1});
        s.runFor(MS);
        b.setUp(false);
        s.runFor(10 * MS);
        assertThat(got).isEmpty();
        assertThat(lan.dropped()).isEqualTo(1);
    }

    @Test
    void lossIsSeededAndNearItsProbability() {
        long[] deliveredBySeed = new long[2];
        for (int run = 0; run < 2; run++) {
            SimScheduler s = new SimScheduler();
            SimNetwork net = new SimNetwork(s, 42);
            SimNetwork.Segment lan = net.segment("lan");
            SimNetwork.Port a = lan.attach("a", d -> { });
            lan.attach("b", d -> { });
            a.setLoss(0.3);
            for (int i = 0; i < 10_000; i++) a.send(null, new byte[] {1});
            s.runFor(MS);
            deliveredBySeed[run] = lan.delivered();
        }
        assertThat(deliveredBySeed[0]).isEqualTo(deliveredBySeed[1]).isBetween(6_700L, 7_300L);
    }
}
