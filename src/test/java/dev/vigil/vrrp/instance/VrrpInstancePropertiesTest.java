package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.LOCAL;
import static dev.vigil.vrrp.instance.Fixtures.MCAST;
import static dev.vigil.vrrp.instance.Fixtures.MS;
import static dev.vigil.vrrp.instance.Fixtures.PEER;
import static dev.vigil.vrrp.instance.Fixtures.PEER_HIGH;
import static dev.vigil.vrrp.instance.Fixtures.SECOND;
import static dev.vigil.vrrp.instance.Fixtures.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random event sequences against one instance, checked after every step through the glue's eyes (the
 * timers and VIPs as the action stream left them), not only the instance's own fields.
 */
class VrrpInstancePropertiesTest {

    private static final InetAddress[] SOURCES = {PEER, PEER_HIGH, LOCAL};

    record Config(int version, int priority, boolean nopreempt, int preemptDelaySeconds, boolean lowerPrioNoAdvert,
                  boolean higherPrioSendAdvert, boolean skipCheckAdvAddr, int scriptWeight, boolean zeroReverse) {

        VrrpInstanceSettings settings() {
            VrrpInstanceSettings.Builder b = VrrpInstanceSettings.builder("VI_P", 51, LOCAL).version(version).priority(priority)
                    .advertIntervalCentis(version == 2 ? 100 : 10).virtualAddress(VIP).nopreempt(nopreempt)
                    .preemptDelayNanos(preemptDelaySeconds * SECOND).lowerPrioNoAdvert(lowerPrioNoAdvert)
                    .higherPrioSendAdvert(higherPrioSendAdvert).skipCheckAdvAddr(skipCheckAdvAddr)
                    .trackScript("w", scriptWeight, false).trackScript("z", 0, zeroReverse)
                    .trackInterface("eth0", 0, false).trackInterface("eth1", -30, false);
            return b.build();
        }
    }

    enum Corruption { NONE, CHECKSUM, TTL, COUNT, VERSION, INTERVAL, MODE }

    sealed interface Event permits Advert, FireNext, FireAnyNow, Advance, Script, Link, Shutdown {
    }

    record Advert(int source, int priority, int interval, Corruption corruption) implements Event {
    }

    /** The earliest booked timer fires at its deadline (time jumps there). */
    record FireNext() implements Event {
    }

    /** A timer fires now, booked or not: stale and early firings. */
    record FireAnyNow(TimerKind kind) implements Event {
    }

    record Advance(long nanos) implements Event {
    }

    record Script(String name, ScriptStatus status) implements Event {
    }

    record Link(String iface, boolean up) implements Event {
    }

    record Shutdown() implements Event {
    }

    @Provide
    Arbitrary<Config> configs() {
        return Combinators.combine(
                Arbitraries.of(2, 3),
                Arbitraries.of(1, 50, 100, 150, 254, 255),
                Arbitraries.of(false, false, true),
                Arbitraries.of(0, 0, 5),
                Arbitraries.of(false, true),
                Arbitraries.of(false, true),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(-253, 253)
        ).flatAs((v, p, np, pd, lpna, hpsa, skip, w) -> Arbitraries.of(false, true)
                .map(rev -> new Config(v, p, np, pd, lpna, hpsa, skip, w, rev)));
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> advert = Combinators.combine(
                Arbitraries.integers().between(0, SOURCES.length - 1),
                Arbitraries.integers().between(0, 255),
                Arbitraries.of(1, 10, 100, 4095),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Corruption.NONE)),
                        net.jqwik.api.Tuple.of(4, Arbitraries.of(Corruption.class))))
                .as(Advert::new);
        Arbitrary<Event> fireNext = Arbitraries.just(new FireNext());
        Arbitrary<Event> fireAny = Arbitraries.of(TimerKind.class).map(FireAnyNow::new);
        Arbitrary<Event> advance = Arbitraries.longs().between(1, 5_000).map(ms -> new Advance(ms * MS));
        Arbitrary<Event> script = Combinators.combine(Arbitraries.of("w", "z", "unknown"), Arbitraries.of(ScriptStatus.class))
                .as(Script::new);
        Arbitrary<Event> link = Combinators.combine(Arbitraries.of("eth0", "eth1", "eth9"), Arbitraries.of(true, false))
                .as(Link::new);
        Arbitrary<Event> event = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, advert),
                net.jqwik.api.Tuple.of(25, fireNext),
                net.jqwik.api.Tuple.of(5, fireAny),
                net.jqwik.api.Tuple.of(15, advance),
                net.jqwik.api.Tuple.of(12, script),
                net.jqwik.api.Tuple.of(8, link),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Shutdown())));
        return event.list().ofMaxSize(80);
    }

    private static ReceivedAdvert advert(Config c, Advert e) {
        int interval = c.version() == 2 ? 1 : e.interval();
        ReceivedAdvert a = ReceivedAdvert.wellFormed(SOURCES[e.source()], MCAST, c.version(), 51, e.priority(), interval, List.of(VIP));
        return switch (e.corruption()) {
            case NONE -> a;
            case CHECKSUM -> Fixtures.badChecksum(a);
            case TTL -> new ReceivedAdvert(a.source(), MCAST, 64, a.version(), 1, 51, a.priority(), 1, interval, 0,
                    a.authData(), a.addresses(), true, true);
            case COUNT -> ReceivedAdvert.wellFormed(a.source(), MCAST, c.version(), 51, e.priority(), interval,
                    List.of(VIP, Fixtures.ip("10.232.0.101")));
            case VERSION -> ReceivedAdvert.wellFormed(a.source(), MCAST, 5 - c.version(), 51, e.priority(), interval, List.of(VIP));
            case INTERVAL -> c.version() == 2
                    ? ReceivedAdvert.wellFormed(a.source(), MCAST, 2, 51, e.priority(), 3, List.of(VIP))
                    : Fixtures.badChecksum(a);
            case MODE -> ReceivedAdvert.wellFormed(a.source(), LOCAL, c.version(), 51, e.priority(), interval, List.of(VIP));
        };
    }

    @Property(tries = 400)
    void randomEventsNeverBreakTheInvariants(@ForAll("configs") Config config, @ForAll("events") List<Event> events) {
        InstanceDriver d = new InstanceDriver(config.settings());
        d.start();
        check(d, config, 0, VrrpState.INIT);
        for (Event e : events) {
            VrrpState before = d.vrrp.state();
            int logged = d.log.size();
            Map<TimerKind, Long> timersBefore = Map.copyOf(d.timers);
            List<VrrpAction> acts;
            if (e instanceof Advert a) {
                ReceivedAdvert adv = advert(config, a);
                acts = d.advert(adv);
                if (a.corruption() != Corruption.NONE && !(config.skipCheckAdvAddr() && a.corruption() == Corruption.COUNT)) {
                    // the robustness rule: a refused advert changes nothing but counters
                    assertThat(acts).allMatch(x -> x instanceof VrrpAction.AdvertRejected);
                    assertThat(d.vrrp.state()).isEqualTo(before);
                    assertThat(d.timers).isEqualTo(timersBefore);
                }
            } else if (e instanceof FireNext) {
                long next = d.timers.values().stream().mapToLong(Long::longValue).min().orElse(d.now);
                acts = d.advanceTo(next);
            } else if (e instanceof FireAnyNow f) {
                acts = d.fireNow(f.kind());
            } else if (e instanceof Advance a) {
                acts = d.advanceBy(a.nanos());
            } else if (e instanceof Script s) {
                acts = d.script(s.name(), s.status());
            } else if (e instanceof Link l) {
                acts = d.link(l.iface(), l.up());
            } else {
                acts = d.shutdown();
            }
            assertThat(d.log.subList(logged, d.log.size())).extracting(InstanceDriver.Stamped::action).isEqualTo(acts);
            check(d, config, logged, before);
        }
    }

    private static void check(InstanceDriver d, Config config, int fromLog, VrrpState before) {
        VrrpInstance v = d.vrrp;
        // effective priority 1..254, except an owner's 255; an owner that met another owner steps down to a
        // base of 254 and is adjusted like any other instance from then on
        if (v.basePriority() == 255) assertThat(v.effectivePriority()).isEqualTo(255);
        else assertThat(v.effectivePriority()).isBetween(1, 254);
        assertThat(v.basePriority()).isIn(config.priority(), 254);
        // transitions chain: each starts where the previous ended
        VrrpState s = before;
        for (InstanceDriver.Stamped st : d.log.subList(fromLog, d.log.size())) {
            if (st.action() instanceof VrrpAction.Transition t) {
                assertThat(t.from()).isEqualTo(s);
                assertThat(t.to()).isNotEqualTo(t.from());
                s = t.to();
            }
            // never a deadline in the past of the instant the action was issued
            if (st.action() instanceof VrrpAction.SetTimer t) assertThat(t.atNanos()).isGreaterThanOrEqualTo(st.at());
        }
        assertThat(s).isEqualTo(v.state());
        // the glue's timers are the instance's timers
        assertThat(d.timers).isEqualTo(v.armedTimers());
        Set<TimerKind> booked = d.timers.isEmpty() ? EnumSet.noneOf(TimerKind.class) : EnumSet.copyOf(d.timers.keySet());
        switch (v.state()) {
            case MASTER -> {
                assertThat(booked).contains(TimerKind.ADVERT).doesNotContain(TimerKind.MASTER_DOWN);
                assertThat(d.vipsUp).isTrue();
            }
            case BACKUP -> {
                assertThat(booked).contains(TimerKind.MASTER_DOWN).doesNotContain(TimerKind.ADVERT);
                assertThat(d.vipsUp).isFalse();
            }
            case FAULT, STOP, INIT -> {
                assertThat(booked).isEmpty();
                assertThat(d.vipsUp).isFalse();
            }
        }
        assertThat(v.holdsVirtualAddresses()).isEqualTo(d.vipsUp);
        assertThat(v.counter(VrrpCounter.ADVERT_SENT)).isEqualTo(d.count(InstanceDriver::isAdvert));
        assertThat(v.counter(VrrpCounter.PRI_ZERO_SENT)).isEqualTo(d.count(InstanceDriver.advertWith(0)));
        // a v3 instance only ever learns intervals that were advertised
        assertThat(v.masterAdvertIntervalCentis()).isIn(new ArrayList<>(List.of(1, 10, 100, 4095)));
    }
}
