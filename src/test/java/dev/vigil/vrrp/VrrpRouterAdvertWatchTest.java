package dev.vigil.vrrp;

import static dev.vigil.vrrp.VrrpRouterTest.MS;
import static dev.vigil.vrrp.VrrpRouterTest.S;
import static dev.vigil.vrrp.VrrpRouterTest.fixture;
import static dev.vigil.vrrp.VrrpRouterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Scheduler;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.sim.SimAddressBook;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The router with an advert watch below it ({@link AdvertWatch}): a backup whose master's adverts
 * the watch absorbs is not woken at all while they come, still takes over exactly Master_Down after
 * the last one, counts every one as received, and is handed every other frame and input with the
 * Master_Down deadline the absorbed adverts moved. The watch here is {@link TimedWatch}, which does
 * what the kernel program does (KernelAdvertWatchNetnsTest runs that one) on virtual time.
 */
class VrrpRouterAdvertWatchTest {
    static final InetAddress B = ip("10.232.0.2");
    final SimScheduler scheduler = new SimScheduler();
    final SimAddressBook book = new SimAddressBook(scheduler);

    /**
     * The kernel program's rules on the simulation's clock: a frame equal to the armed one (IPv4
     * identification and checksum aside) is counted, stamped and restarts the slot's timer, and
     * reaches nobody; the timer's expiry wakes the router. One slot is enough for these tests.
     */
    static final class TimedWatch implements AdvertWatch {
        final SimScheduler clock;
        VrrpRouter router;
        byte[] template;
        long masterDown;
        long count;
        long last = Long.MIN_VALUE;
        Scheduler.Timer timer;
        int arms;
        int expiries;

        TimedWatch(SimScheduler clock) {
            this.clock = clock;
        }

        private static byte[] masked(byte[] frame) {
            byte[] f = frame.clone();
            f[18] = f[19] = f[24] = f[25] = 0;
            return f;
        }

        /** The frame arrives on the wire now: absorbed, or handed to the router. */
        void deliver(byte[] frame) {
            if (template != null && Arrays.equals(template, masked(frame))) {
                count++;
                last = clock.nanoTime();
                if (timer != null) timer.cancel();
                timer = clock.schedule(masterDown, () -> {
                    expiries++;
                    router.onAdvertWatchExpired("eth0");
                });
                return;
            }
            router.onFrame("eth0", frame, clock.nanoTime());
        }

        @Override
        public boolean arm(String iface, int vrid, boolean ipv6, byte[] frame, long masterDownNanos) {
            disarm(iface, vrid, ipv6);
            template = masked(frame);
            masterDown = masterDownNanos;
            arms++;
            return true;
        }

        @Override
        public Absorbed peek(String iface, int vrid, boolean ipv6) {
            return template == null || count == 0 ? Absorbed.NONE : new Absorbed(count, last);
        }

        @Override
        public Absorbed disarm(String iface, int vrid, boolean ipv6) {
            Absorbed a = peek(iface, vrid, ipv6);
            template = null;
            count = 0;
            if (timer != null) timer.cancel();
            timer = null;
            return a;
        }
    }

    /** The simulation's scheduler, counting the router's own timer firings in {@code fired}. */
    private Scheduler counting(int[] fired) {
        return new Scheduler() {
            @Override
            public long nanoTime() {
                return scheduler.nanoTime();
            }

            @Override
            public Timer schedule(long delayNanos, Runnable task) {
                return scheduler.schedule(delayNanos, () -> {
                    fired[0]++;
                    task.run();
                });
            }
        };
    }

    /** A started backup of VRID 52 at v3 0.1 s on eth0 (the fixture master's priority is 150), with the watch. */
    private VrrpRouter backup(Scheduler timers, TimedWatch watch, UnaryOperator<VrrpInstanceSettings.Builder> more) {
        return backup(timers, watch, more, false);
    }

    /** As above; {@code withOwner}: also an address owner (VRID 60, priority 255) on eth0, master from the start. */
    private VrrpRouter backup(Scheduler timers, TimedWatch watch, UnaryOperator<VrrpInstanceSettings.Builder> more, boolean withOwner) {
        VrrpInstanceSettings s = more.apply(VrrpInstanceSettings.builder("VI_3", 52, B).version(3).priority(100)
                .advertIntervalCentis(10).virtualAddress(ip("10.232.0.100")).virtualAddress(ip("10.232.0.101"))).build();
        List<VrrpInstanceSpec> specs = new java.util.ArrayList<>(List.of(VrrpInstanceSpec.of(s, "eth0")));
        if (withOwner) {
            specs.add(VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_OWN", 60, B).version(3).priority(255)
                    .advertIntervalCentis(10).virtualAddress(ip("10.232.0.60")).build(), "eth0"));
        }
        VrrpRouter r = new VrrpRouter(VrrpNodeConfig.of(specs), timers,
                new VrrpIo(d -> null, book.actionsFor("b"), x -> CompletableFuture.completedFuture(true)),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        watch.router = r;
        r.setAdvertWatch(watch);
        r.onInterfaceState("eth0", true);
        r.onInterfaceState("uplink", true);
        r.start();
        return r;
    }

    /** The master's adverts every 100 ms from {@code from} to {@code to} (inclusive), each with its own IPv4 identification. */
    private void advertise(TimedWatch watch, byte[] advert, long from, long to) {
        int[] id = {0};
        for (long t = from; t <= to; t += 100 * MS) {
            scheduler.schedule(t - scheduler.nanoTime(), () -> {
                byte[] f = advert.clone();
                id[0]++;
                f[18] = (byte) (id[0] >> 8);
                f[19] = (byte) id[0];
                watch.deliver(withIpv4Checksum(f));
            });
        }
    }

    /** The IPv4 header checksum (RFC 791) recomputed, as a master's next advert carries it. */
    static byte[] withIpv4Checksum(byte[] f) {
        f[24] = 0;
        f[25] = 0;
        int sum = 0;
        for (int i = 14; i < 34; i += 2) sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        sum = ~sum & 0xffff;
        f[24] = (byte) (sum >> 8);
        f[25] = (byte) sum;
        return f;
    }

    private static VrrpState state(VrrpRouter r) {
        return r.instance("VI_3").orElseThrow().state();
    }

    private static long received(VrrpRouter r) {
        return r.instance("VI_3").orElseThrow().counters().get("advert_rcvd");
    }

    @Test
    void watchedBackupIsNotWokenWhileItsMasterAdvertisesAndTakesOverMasterDownAfterTheLastAdvert() {
        int[] fired = {0};
        TimedWatch watch = new TimedWatch(scheduler);
        VrrpRouter r = backup(counting(fired), watch, b -> b);
        byte[] advert = fixture("v3-ipv4-advert");
        long last = 6 * S;
        advertise(watch, advert, 0, last);
        scheduler.runUntil(S);
        assertThat(watch.arms).as("armed on the second equal advert").isEqualTo(1);
        int before = fired[0];
        scheduler.runUntil(5 * S);
        assertThat(fired[0] - before).as("the router's timer firings in 4 s of absorbed adverts").isZero();
        assertThat(received(r)).as("every advert counted").isEqualTo(51);
        assertThat(r.instance("VI_3").orElseThrow().advertWatched()).as("status says who times Master_Down").isTrue();

        scheduler.runUntil(last + 360 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.BACKUP);
        assertThat(received(r)).as("status counts what the watch holds").isEqualTo(61);
        scheduler.runUntil(last + 362 * MS);
        assertThat(state(r)).as("master Master_Down_Interval (0.361 s) after the last advert").isEqualTo(VrrpState.MASTER);
        assertThat(watch.expiries).isEqualTo(1);
        assertThat(received(r)).isEqualTo(61);
        assertThat(watch.template).as("a master is not watched").isNull();
        assertThat(r.instance("VI_3").orElseThrow().advertWatched()).isFalse();
    }

    /**
     * Found by the keepalived interop tests: with a master instance on the same node its advert
     * timers are inputs every 0.1 s, and the last absorbed advert replayed as of the router's latest
     * input time instead of its own capture time moved the takeover a whole Master_Down later.
     */
    @Test
    void theLastAbsorbedAdvertCountsAtItsCaptureTimeWhileAnotherInstanceOfTheNodeIsMaster() {
        TimedWatch watch = new TimedWatch(scheduler);
        VrrpRouter r = backup(scheduler, watch, b -> b, true);
        long last = 3 * S + 30 * MS;
        advertise(watch, fixture("v3-ipv4-advert"), 30 * MS, last);
        scheduler.runUntil(2 * S);
        assertThat(r.instance("VI_OWN").orElseThrow().state()).isEqualTo(VrrpState.MASTER);
        assertThat(watch.count).as("absorbed").isPositive();
        scheduler.runUntil(last + 360 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(last + 362 * MS);
        assertThat(state(r)).as("Master_Down_Interval (0.361 s) after the last advert, not after the owner's next advert").isEqualTo(VrrpState.MASTER);
    }

    @Test
    void aChangedAdvertReachesTheBackupAndTheWatchIsArmedAgainWithTheNewOne() {
        TimedWatch watch = new TimedWatch(scheduler);
        VrrpRouter r = backup(scheduler, watch, b -> b);
        byte[] advert = fixture("v3-ipv4-advert");
        byte[] lower = advert.clone();
        lower[14 + 20 + 2] = (byte) 120; // still above the backup's 100; the VRRP checksum moves with it
        lower[14 + 20 + 6] = (byte) (lower[14 + 20 + 6] + 30);
        advertise(watch, advert, 0, 2 * S);
        advertise(watch, lower, 2100 * MS, 4 * S);
        scheduler.runUntil(4 * S + 50 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.BACKUP);
        assertThat(watch.arms).as("armed again on the new advert's second copy").isEqualTo(2);
        assertThat(r.instance("VI_3").orElseThrow().counters().get("chk_err")).isZero();
        assertThat(received(r)).isEqualTo(41);
        scheduler.runUntil(4 * S + 362 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.MASTER);
    }

    /**
     * A tracked interface going down lowers the backup's priority while the watch holds its adverts:
     * the state machine must judge that with the deadline the absorbed adverts moved, not the one of
     * the last advert it saw itself (seconds ago), or it would take over on the spot.
     */
    @Test
    void anInputOtherThanAnAdvertIsJudgedWithTheDeadlineTheAbsorbedAdvertsMoved() {
        TimedWatch watch = new TimedWatch(scheduler);
        VrrpRouter r = backup(scheduler, watch, b -> b.trackInterface("uplink", -10, false));
        byte[] advert = fixture("v3-ipv4-advert");
        advertise(watch, advert, 0, 6 * S);
        scheduler.runUntil(3 * S + 50 * MS);
        assertThat(watch.count).as("absorbed").isPositive();
        r.onInterfaceState("uplink", false);
        assertThat(r.instance("VI_3").orElseThrow().effectivePriority()).isEqualTo(90);
        scheduler.runUntil(6 * S);
        assertThat(state(r)).isEqualTo(VrrpState.BACKUP);
        assertThat(watch.arms).as("watched again after the input").isEqualTo(2);
        // priority 90: Master_Down_Interval 0.3 s + (256 - 90) / 256 * 0.1 s = 0.3648 s
        scheduler.runUntil(6 * S + 364 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.BACKUP);
        scheduler.runUntil(6 * S + 366 * MS);
        assertThat(state(r)).isEqualTo(VrrpState.MASTER);
    }

    /**
     * Within a preempt delay a higher-priority backup accepts a lower master's adverts until the
     * delay is over, then preempts on the next one (keepalived's vrrp_state_backup): that advert must
     * reach it, so such a backup is never watched.
     */
    @Test
    void aBackupWaitingOutItsPreemptDelayIsNotWatchedAndPreemptsOnTime() {
        TimedWatch watch = new TimedWatch(scheduler);
        VrrpRouter r = backup(scheduler, watch, b -> b.priority(200).preemptDelayNanos(2 * S));
        advertise(watch, fixture("v3-ipv4-advert"), 0, 6 * S);
        scheduler.runUntil(6 * S);
        assertThat(watch.arms).isZero();
        assertThat(state(r)).isEqualTo(VrrpState.MASTER);
    }
}
