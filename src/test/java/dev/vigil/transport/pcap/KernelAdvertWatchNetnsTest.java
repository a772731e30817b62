package dev.vigil.transport.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The eBPF advert watch on a real capture socket between two namespaces: the kernel absorbs a
 * master's repeated adverts, times Master_Down itself and wakes the owner only when they stop,
 * while every other frame, and only what the capture's filter kept, still reaches user space.
 */
@Tag("netns")
class KernelAdvertWatchNetnsTest {

    /** A VRRPv2 advert, VRID 51 priority 150 (research fixture v2-authpass-advert). */
    private static final byte[] ADVERT = HexFormat.of().parseHex(
            "01005e000012" + "020000000001" + "0800"
            + "45c00028000100 00ff70 cea1 0af00101 e0000012".replace(" ", "")
            + "21339601010 1c1ec0af00164 7333637233747077".replace(" ", ""));
    private static final int VRID = 0x33;
    private static final long MASTER_DOWN_NANOS = 300_000_000L;

    /** The master's next advert: another IPv4 identification and header checksum, nothing else. */
    private static byte[] advertNumbered(int i) {
        byte[] f = ADVERT.clone();
        f[18] = (byte) (i >> 8);
        f[19] = (byte) i;
        f[24] = (byte) (0xce ^ i);
        f[25] = (byte) (0xa1 + i);
        return f;
    }

    /**
     * Two namespaces on a bridge: a sender on a, and on b a polled capture with the watch attached
     * (before it is armed, it only filters). Closed in reverse, also when the setting up fails.
     */
    private record Rig(Netns net, PcapLink receiver, PcapLink sender, KernelAdvertWatch watch) implements AutoCloseable {
        static Rig open(int subnet) throws Exception {
            Netns net = Netns.create();
            PcapLink receiver = null, sender = null;
            try {
                String a = net.host("a", "10.240." + subnet + ".1/24");
                String b = net.host("b", "10.240." + subnet + ".2/24");
                receiver = net.callIn(b, () -> PcapLink.openPolled("vg0", "ip proto 112 or ip6 proto 112"));
                sender = net.callIn(a, () -> PcapLink.open("vg0", "ip proto 112", f -> { }));
                return new Rig(net, receiver, sender, KernelAdvertWatch.attach(receiver, false));
            } catch (Exception | Error e) {
                if (sender != null) sender.close();
                if (receiver != null) receiver.close();
                net.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                watch.close();
                sender.close();
                receiver.close();
            } finally {
                net.close();
            }
        }
    }

    private static List<byte[]> drain(PcapLink link) {
        List<byte[]> got = new ArrayList<>();
        link.drain(256, got::add);
        return got;
    }

    /** Drains until {@code n} frames came or 5 s passed. */
    private static List<byte[]> drainUntil(PcapLink link, int n) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got.size() < n && System.nanoTime() < deadline) {
            link.drain(256, got::add);
            Thread.sleep(2);
        }
        return got;
    }

    @Test
    void repeatedAdvertsAreAbsorbedAndTheWatchWakesOnceMasterDownAfterTheLast() throws Exception {
        try (Rig rig = Rig.open(1)) {
            PcapLink receiver = rig.receiver(), sender = rig.sender();
            KernelAdvertWatch watch = rig.watch();
            // before it is armed the watch only filters: the advert arrives as it came
            assertThat(sender.send(advertNumbered(0))).isTrue();
            List<byte[]> first = drainUntil(receiver, 1);
            assertThat(first).hasSize(1);
            assertThat(first.get(0)).isEqualTo(advertNumbered(0));

            assertThat(watch.arm(VRID, false, first.get(0), MASTER_DOWN_NANOS)).isTrue();
            long lastSent = 0;
            for (int i = 1; i <= 10; i++) {
                assertThat(sender.send(advertNumbered(i))).isTrue();
                lastSent = System.nanoTime();
                Thread.sleep(50);
                assertThat(watch.takeExpiries()).as("no wake-up while the master advertises").isFalse();
            }
            assertThat(drain(receiver)).as("the repeated adverts stayed in the kernel").isEmpty();
            long[] absorbed = watch.peek(VRID, false);
            assertThat(absorbed[0]).isEqualTo(10);
            assertThat(absorbed[1]).isBetween(lastSent - 20_000_000L, lastSent + 20_000_000L);

            long woke = waitForExpiry(watch, 2_000);
            assertThat(woke).as("the watch woke").isPositive();
            assertThat((woke - absorbed[1]) / 1e6).as("ms from the last advert to the wake-up")
                    .isBetween(MASTER_DOWN_NANOS / 1e6 - 1, MASTER_DOWN_NANOS / 1e6 + 60);
            assertThat(watch.takeExpiries()).as("read once").isFalse();

            // another priority is not the armed advert: it reaches user space
            byte[] other = advertNumbered(11);
            other[14 + 20 + 2] = 0x64;
            assertThat(sender.send(other)).isTrue();
            assertThat(drainUntil(receiver, 1)).hasSize(1);
            // what the capture's filter dropped, the watch drops too (IP protocol 17)
            byte[] udp = advertNumbered(12);
            udp[14 + 9] = 17;
            assertThat(sender.send(udp)).isTrue();
            assertThat(sender.send(advertNumbered(13))).isTrue();
            Thread.sleep(100);
            assertThat(drain(receiver)).as("neither the UDP frame nor the absorbed advert").isEmpty();
            assertThat(watch.peek(VRID, false)[0]).isEqualTo(11);

            long[] atDisarm = watch.disarm(VRID, false);
            assertThat(atDisarm[0]).isEqualTo(11);
            assertThat(sender.send(advertNumbered(14))).isTrue();
            List<byte[]> after = drainUntil(receiver, 1);
            assertThat(after).hasSize(1);
            assertThat(after.get(0)).isEqualTo(advertNumbered(14));
            Thread.sleep(MASTER_DOWN_NANOS / 1_000_000 + 100);
            assertThat(watch.takeExpiries()).as("a disarmed slot's timer is gone").isFalse();
        }
    }

    /** When the watch first reported an expiry within {@code ms}, on the {@link System#nanoTime} axis; 0 if it did not. */
    private static long waitForExpiry(KernelAdvertWatch watch, long ms) throws InterruptedException {
        long until = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < until) {
            if (watch.takeExpiries()) return System.nanoTime();
            Thread.sleep(1);
        }
        return 0;
    }

    /** VRID {@code vrid}'s advert, numbered {@code i} as {@link #advertNumbered}. */
    private static byte[] advertOf(int vrid, int i) {
        byte[] f = advertNumbered(i);
        f[14 + 20 + 1] = (byte) vrid;
        return f;
    }

    /**
     * The burst that broke the first watch at 255 instances: it had a timer per slot, set up in the
     * packet path, and about a quarter of the slots' {@code bpf_timer_init} failed with -ENOMEM; every
     * advert of those slots came up to user space and each re-arm (a map write, which also freed the
     * slot's timer) started it over. With one timer per watch, every slot takes every advert, round
     * after round of arms and disarms, each counted once.
     */
    @Test
    void roundsOfArmAndDisarmOnEverySlotLeaveEveryAdvertAbsorbed() throws Exception {
        int rounds = 40, vrids = 255;
        try (Rig rig = Rig.open(2)) {
            PcapLink receiver = rig.receiver(), sender = rig.sender();
            KernelAdvertWatch watch = rig.watch();
            int reachedUserSpace = 0;
            long absorbed = 0;
            for (int r = 1; r <= rounds; r++) {
                for (int v = 1; v <= vrids; v++) assertThat(watch.arm(v, false, advertOf(v, 0), MASTER_DOWN_NANOS)).isTrue();
                for (int v = 1; v <= vrids; v++) assertThat(sender.send(advertOf(v, r))).isTrue();
                Thread.sleep(30);
                reachedUserSpace += drain(receiver).size();
                for (int v = 1; v <= vrids; v++) absorbed += watch.disarm(v, false)[0];
            }
            assertThat(reachedUserSpace).as("adverts of armed slots that reached user space").isZero();
            assertThat(absorbed).as("adverts absorbed and counted once each").isEqualTo((long) rounds * vrids);
            Thread.sleep(MASTER_DOWN_NANOS / 1_000_000 + 100);
            assertThat(watch.takeExpiries()).as("the disarmed slots' timers ran out waking nobody").isFalse();
        }
    }

    /**
     * A disarm leaves the watch's timer running (the timer map is never written from user space); if
     * the slot is armed again before it runs out, the earlier arm's master must not wake the owner,
     * while the new arm's first absorbed advert times Master_Down afresh.
     */
    @Test
    void aDeadlineOfAnEarlierArmWakesNobodyAfterARearm() throws Exception {
        try (Rig rig = Rig.open(3)) {
            PcapLink receiver = rig.receiver(), sender = rig.sender();
            KernelAdvertWatch watch = rig.watch();
            assertThat(watch.arm(VRID, false, advertNumbered(0), MASTER_DOWN_NANOS)).isTrue();
            assertThat(sender.send(advertNumbered(1))).isTrue();
            Thread.sleep(30);
            assertThat(watch.disarm(VRID, false)[0]).isEqualTo(1);
            assertThat(watch.arm(VRID, false, advertNumbered(0), MASTER_DOWN_NANOS)).isTrue();
            Thread.sleep(MASTER_DOWN_NANOS / 1_000_000 + 100);
            assertThat(watch.takeExpiries()).as("the earlier arm's timer ran out waking nobody").isFalse();
            assertThat(drain(receiver)).isEmpty();

            assertThat(sender.send(advertNumbered(2))).isTrue();
            Thread.sleep(30);
            assertThat(watch.peek(VRID, false)[0]).as("the new arm counts from 0").isEqualTo(1);
            Thread.sleep(MASTER_DOWN_NANOS / 1_000_000 + 100);
            assertThat(watch.takeExpiries()).as("this arm's own timer wakes the owner").isTrue();
        }
    }

    /**
     * One timer serves every slot: a slot armed later with a shorter Master_Down must pull the
     * timer's deadline in, and each slot is reported at its own deadline, the longer one after the
     * shorter one's report.
     */
    @Test
    void aShorterMasterDownArmedLaterIsReportedAtItsOwnDeadline() throws Exception {
        try (Rig rig = Rig.open(4)) {
            PcapLink receiver = rig.receiver(), sender = rig.sender();
            KernelAdvertWatch watch = rig.watch();
            long longDown = 900_000_000L, shortDown = 200_000_000L;
            assertThat(watch.arm(10, false, advertOf(10, 0), longDown)).isTrue();
            assertThat(sender.send(advertOf(10, 1))).isTrue();
            Thread.sleep(20);
            assertThat(watch.arm(20, false, advertOf(20, 0), shortDown)).isTrue();
            assertThat(sender.send(advertOf(20, 1))).isTrue();
            Thread.sleep(20);
            long lastShort = watch.peek(20, false)[1];
            long lastLong = watch.peek(10, false)[1];
            assertThat(lastShort).as("absorbed").isNotEqualTo(Long.MIN_VALUE);
            long woke = waitForExpiry(watch, 2_000);
            assertThat(woke).isPositive();
            assertThat((woke - lastShort) / 1e6).as("ms from VRID 20's advert to the first wake-up")
                    .isBetween(shortDown / 1e6 - 1, shortDown / 1e6 + 60);
            watch.disarm(20, false);
            long second = waitForExpiry(watch, 2_000);
            assertThat((second - lastLong) / 1e6).as("ms from VRID 10's advert to the second wake-up")
                    .isBetween(longDown / 1e6 - 1, longDown / 1e6 + 60);
            assertThat(drain(receiver)).isEmpty();
        }
    }
}
