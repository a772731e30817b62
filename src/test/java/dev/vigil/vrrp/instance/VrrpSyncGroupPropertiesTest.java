package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.LOCAL;
import static dev.vigil.vrrp.instance.Fixtures.MCAST;
import static dev.vigil.vrrp.instance.Fixtures.MS;
import static dev.vigil.vrrp.instance.Fixtures.PEER;
import static dev.vigil.vrrp.instance.Fixtures.PEER_HIGH;
import static dev.vigil.vrrp.instance.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.vrrp.instance.SyncGroupAction.ForInstance;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random events against a two-member sync group. The invariant is the point of a sync group: once
 * started, every member is in the group's state ("members move together", keepalived.md §2.4), and each
 * member keeps the single-instance invariants through the glue's eyes.
 */
class VrrpSyncGroupPropertiesTest {

    private static final String[] MEMBERS = {"VI_1", "VI_2"};
    private static final int[] VRIDS = {51, 52};
    private static final InetAddress[] VIPS = {ip("10.232.0.100"), ip("10.232.0.101")};
    private static final InetAddress[] SOURCES = {PEER, PEER_HIGH, LOCAL};

    sealed interface Event permits Advert, FireNext, Script, Link, Shutdown {
    }

    record Advert(int member, int source, int priority, boolean valid) implements Event {
    }

    record FireNext() implements Event {
    }

    record Script(int member, ScriptStatus status) implements Event {
    }

    record Link(int member, boolean up) implements Event {
    }

    record Shutdown() implements Event {
    }

    /** The glue for one group: timers and VIPs per member, as the action stream left them. */
    private static final class Glue {
        final VrrpSyncGroup group;
        final Map<String, Map<TimerKind, Long>> timers = new HashMap<>();
        final Set<String> vips = new HashSet<>();
        long now;

        Glue(int p1, int p2, boolean trackingWeight) {
            VrrpInstance vi1 = new VrrpInstance(VrrpInstanceSettings.builder(MEMBERS[0], VRIDS[0], LOCAL).priority(p1)
                    .virtualAddress(VIPS[0]).trackScript("z", 0, false).trackInterface("eth0", 0, false).build());
            VrrpInstance vi2 = new VrrpInstance(VrrpInstanceSettings.builder(MEMBERS[1], VRIDS[1], LOCAL).priority(p2)
                    .virtualAddress(VIPS[1]).trackScript("w", -60, false).trackInterface("eth1", -20, false).build());
            group = new VrrpSyncGroup("G", List.of(vi1, vi2), trackingWeight);
            for (String m : MEMBERS) timers.put(m, new EnumMap<>(TimerKind.class));
        }

        void apply(List<SyncGroupAction> acts) {
            for (SyncGroupAction a : acts) {
                if (!(a instanceof ForInstance f)) continue;
                Map<TimerKind, Long> t = timers.get(f.instance());
                if (f.action() instanceof VrrpAction.SetTimer s) {
                    assertThat(s.atNanos()).isGreaterThanOrEqualTo(now);
                    t.put(s.kind(), s.atNanos());
                } else if (f.action() instanceof VrrpAction.CancelTimer c) {
                    t.remove(c.kind());
                } else if (f.action() instanceof VrrpAction.AddVirtualAddresses) {
                    vips.add(f.instance());
                } else if (f.action() instanceof VrrpAction.RemoveVirtualAddresses) {
                    vips.remove(f.instance());
                }
            }
        }

        void fireNext() {
            String who = null;
            TimerKind kind = null;
            long at = Long.MAX_VALUE;
            for (String m : MEMBERS) {
                for (var e : timers.get(m).entrySet()) {
                    if (e.getValue() < at) {
                        who = m;
                        kind = e.getKey();
                        at = e.getValue();
                    }
                }
            }
            if (who == null) return;
            now = Math.max(now, at);
            timers.get(who).remove(kind);
            apply(group.onTimer(who, kind, now));
        }
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Integer> member = Arbitraries.integers().between(0, 1);
        Arbitrary<Event> advert = Combinators.combine(member, Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 255), Arbitraries.frequency(Tuple.of(8, true), Tuple.of(2, false)))
                .as(Advert::new);
        Arbitrary<Event> script = Combinators.combine(member, Arbitraries.of(ScriptStatus.GOOD, ScriptStatus.BAD)).as(Script::new);
        Arbitrary<Event> link = Combinators.combine(member, Arbitraries.of(true, false)).as(Link::new);
        return Arbitraries.frequencyOf(
                Tuple.of(30, advert),
                Tuple.of(35, Arbitraries.just(new FireNext())),
                Tuple.of(15, script),
                Tuple.of(10, link),
                Tuple.of(1, Arbitraries.just(new Shutdown()))).list().ofMaxSize(80);
    }

    @Property(tries = 300)
    void membersAlwaysShareTheGroupsState(@ForAll("priorities") int p1, @ForAll("priorities") int p2,
                                          @ForAll boolean trackingWeight, @ForAll("events") List<Event> events) {
        Glue g = new Glue(p1, p2, trackingWeight);
        g.apply(g.group.start(g.now));
        check(g);
        for (Event e : events) {
            if (e instanceof Advert a) {
                ReceivedAdvert adv = ReceivedAdvert.wellFormed(SOURCES[a.source()], MCAST, 2, VRIDS[a.member()], a.priority(), 1,
                        List.of(VIPS[a.member()]));
                g.apply(g.group.onAdvert(MEMBERS[a.member()], a.valid() ? adv : Fixtures.badChecksum(adv), g.now));
            } else if (e instanceof FireNext) {
                g.fireNext();
            } else if (e instanceof Script s) {
                g.apply(g.group.onScriptStatus(MEMBERS[s.member()], s.member() == 0 ? "z" : "w", s.status(), g.now));
            } else if (e instanceof Link l) {
                g.apply(g.group.onInterfaceState(MEMBERS[l.member()], l.member() == 0 ? "eth0" : "eth1", l.up(), g.now));
            } else {
                g.apply(g.group.shutdown(g.now));
            }
            g.now += MS; // events are at least a millisecond apart
            check(g);
        }
    }

    @Provide
    Arbitrary<Integer> priorities() {
        return Arbitraries.of(50, 100, 150, 255);
    }

    private static void check(Glue g) {
        VrrpState groupState = g.group.state();
        for (VrrpInstance m : g.group.members()) {
            // a started group never splits
            assertThat(m.state()).as(m.name() + " in group " + groupState).isEqualTo(groupState);
            Map<TimerKind, Long> booked = g.timers.get(m.name());
            assertThat(booked).isEqualTo(m.armedTimers());
            switch (m.state()) {
                case MASTER -> assertThat(booked).containsKey(TimerKind.ADVERT).doesNotContainKey(TimerKind.MASTER_DOWN);
                case BACKUP -> assertThat(booked).containsKey(TimerKind.MASTER_DOWN).doesNotContainKey(TimerKind.ADVERT);
                default -> assertThat(booked).isEmpty();
            }
            assertThat(g.vips.contains(m.name())).isEqualTo(m.state() == VrrpState.MASTER);
        }
    }

    @Example
    void aMemberWithAPendingScriptStartsInFaultWhenItsSiblingIsFaulted() {
        // keepalived vrrp_init_state: the member takes the group's FAULT state, pending script or not
        Glue g = new Glue(100, 100, false);
        g.apply(g.group.onInterfaceState("VI_2", "eth1", false, 0)); // weight became 0 in the group: a fault
        g.apply(g.group.start(0));
        assertThat(g.group.member("VI_1").state()).isEqualTo(VrrpState.FAULT);
        assertThat(g.group.state()).isEqualTo(VrrpState.FAULT);
        // the sibling recovers, but VI_1's script has not reported: the group waits in FAULT
        g.apply(g.group.onInterfaceState("VI_2", "eth1", true, 0));
        assertThat(g.group.member("VI_2").state()).isEqualTo(VrrpState.FAULT);
        g.apply(g.group.onScriptStatus("VI_1", "z", ScriptStatus.GOOD, 0));
        assertThat(g.group.state()).isEqualTo(VrrpState.BACKUP);
        check(g);
    }
}
