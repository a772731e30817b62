package dev.vigil.transport.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.Netns;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class PcapLinkNetnsTest {

    /** A minimal VRRPv2 advert frame to the VRRP group (bytes as in research fixture v2-authpass-advert). */
    private static final byte[] FRAME = HexFormat.of().parseHex(
            "01005e000012" + "020000000001" + "0800"
            + "45c00028000100 00ff70 cea1 0af00101 e0000012".replace(" ", "")
            + "21339601010 1c1ec0af00164 7333637233747077".replace(" ", ""));

    @Test
    void frameSentOnOneHostArrivesAtTheOtherThroughTheBridgeFilteredByProtocol() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            LinkedBlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
            try (PcapLink linkB = net.callIn(b, () -> PcapLink.open("vg0", "ip proto 112", atB::add));
                 PcapLink linkA = net.callIn(a, () -> PcapLink.open("vg0", "ip proto 112", atA::add))) {
                // the receive thread may still be starting: resend until the first frame arrives
                byte[] got = null;
                int sent = 0;
                for (; sent < 20 && got == null; sent++) {
                    assertThat(linkA.send(FRAME)).isTrue();
                    got = atB.poll(250, TimeUnit.MILLISECONDS);
                }
                assertThat(got).isEqualTo(FRAME);
                // direction IN: the sender does not see its own frame
                assertThat(atA.poll(300, TimeUnit.MILLISECONDS)).isNull();
                assertThat(linkA.framesOut()).isEqualTo(sent);
            }
        }
    }

    /**
     * libpcap's direction IN alone lets the kernel copy every frame a host sends into its own capture
     * ring and wake the reader, and drops it only then: a master read each of its own adverts. With
     * PACKET_IGNORE_OUTGOING the kernel never hands them over, and the send handle, a capture socket
     * nobody reads, takes no frame at all (its filter matches none).
     */
    @Test
    void aLinksOwnFramesNeverReachItsSocketsAndItsSendSocketTakesNoFrame() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            try (PcapLink linkA = polledOn(net, a); PcapLink linkB = polledOn(net, b)) {
                assertThat(linkA.sendSocketPackets()).isZero(); // resets its count
                for (int i = 0; i < 10; i++) assertThat(linkA.send(FRAME)).isTrue();
                for (int i = 0; i < 7; i++) assertThat(linkB.send(FRAME)).isTrue();
                List<byte[]> atA = new CopyOnWriteArrayList<>();
                List<byte[]> atB = new CopyOnWriteArrayList<>();
                long deadline = System.nanoTime() + 2_000_000_000L;
                while ((atA.size() < 7 || atB.size() < 10) && System.nanoTime() < deadline) {
                    linkA.drain(64, atA::add);
                    linkB.drain(64, atB::add);
                    Thread.sleep(5);
                }
                Thread.sleep(100);
                linkA.drain(64, atA::add);
                linkB.drain(64, atB::add);
                assertThat(atA).hasSize(7);
                assertThat(atB).hasSize(10);
                // the kernel's own counts: what each ring was given, not what libpcap passed on
                assertThat(linkA.receiveKernelPackets()).isEqualTo(7);
                assertThat(linkB.receiveKernelPackets()).isEqualTo(10);
                assertThat(linkA.sendSocketPackets()).isZero();
                assertThat(linkB.sendSocketPackets()).isZero();
                assertThat(linkA.framesOut()).isEqualTo(10);
            }
        }
    }

    /** A Vert.x with one epoll event loop, and that loop's thread. */
    private record EpollLoop(io.vertx.core.Vertx vertx, io.vertx.core.Context context, io.netty.channel.EventLoop loop,
                             Thread thread) {
        static EpollLoop start() throws InterruptedException {
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
                    .setPreferNativeTransport(true));
            assertThat(vertx.isNativeTransportEnabled()).as("netty's epoll transport is on the class path").isTrue();
            io.vertx.core.Context ctx = vertx.getOrCreateContext();
            Thread[] thread = new Thread[1];
            CountDownLatch known = new CountDownLatch(1);
            ctx.runOnContext(v -> {
                thread[0] = Thread.currentThread();
                known.countDown();
            });
            assertThat(known.await(5, TimeUnit.SECONDS)).isTrue();
            return new EpollLoop(vertx, ctx, ((io.vertx.core.internal.ContextInternal) ctx).nettyEventLoop(), thread[0]);
        }

        /** Runs {@code task} on the loop and waits for it. */
        void call(Runnable task) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(1);
            context.runOnContext(v -> {
                try {
                    task.run();
                } finally {
                    done.countDown();
                }
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static byte[] frameNumbered(int i) {
        byte[] f = FRAME.clone();
        f[18] = (byte) (i >> 8);
        f[19] = (byte) i;
        return f;
    }

    private static int number(byte[] f) {
        return ((f[18] & 0xff) << 8) | (f[19] & 0xff);
    }

    /** Waits up to 10 s for {@code list} to hold {@code n} elements (the assertions that follow say if it did not). */
    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < n && System.nanoTime() < deadline) Thread.sleep(1);
    }

    /** The receiving side of the epoll tests: a polled capture of VRRP on the host's vg0. */
    private static PcapLink polledOn(Netns net, String host) throws Exception {
        return net.callIn(host, () -> PcapLink.openPolled("vg0", "ip proto 112"));
    }

    /** The sending side: a capture with a receive thread whose frames are not looked at. */
    private static PcapLink senderOn(Netns net, String host) throws Exception {
        return net.callIn(host, () -> PcapLink.open("vg0", "ip proto 112", f -> { }));
    }

    /** What a test does with an epoll loop, a sender on host a and a polled capture on host b. */
    @FunctionalInterface
    private interface PairTest {
        void run(EpollLoop loop, PcapLink sender, PcapLink receiver) throws Exception;
    }

    /** Runs {@code test} on two hosts of a fresh bridge, then removes them and closes the loop. */
    private static void onEpollPair(PairTest test) throws Exception {
        EpollLoop loop = EpollLoop.start();
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            try (PcapLink linkB = polledOn(net, b); PcapLink linkA = senderOn(net, a)) {
                test.run(loop, linkA, linkB);
            }
        } finally {
            loop.vertx().close().await();
        }
    }

    /** One delivered frame: its number, the thread, when it was handed over and when the kernel captured it. */
    private record Delivery(int number, Thread thread, long deliveredNanos, long capturedNanos) {
    }

    /**
     * VRRP mode's receive path: a polled link watched by an epoll event loop. Every frame arrives, in
     * order, on the loop thread itself, stamped with the kernel's capture time (never after its
     * delivery), with and without batching.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "hold-off {0} ns")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 5_000_000})
    void polledLinkOnAnEpollLoopDeliversEveryFrameInOrderOnTheLoopThread(long holdOff) throws Exception {
        onEpollPair((loop, linkA, linkB) -> {
            List<Delivery> got = new CopyOnWriteArrayList<>();
            List<Long> lagMicros = new CopyOnWriteArrayList<>();
            int n = 500;
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, holdOff, (f, at) -> {
                got.add(new Delivery(number(f), Thread.currentThread(), System.nanoTime(), at));
                java.time.Instant now = java.time.Instant.now();
                lagMicros.add(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - linkB.currentFrameEpochMicros());
            }).orElseThrow();
            try {
                for (int i = 0; i < n; i++) {
                    assertThat(linkA.send(frameNumbered(i))).isTrue();
                    if (i % 50 == 0) Thread.sleep(5); // bursts and pauses, as adverts come
                }
                awaitSize(got, n);
            } finally {
                reader.close();
            }
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) assertThat(got.get(i).number()).as("frame %d", i).isEqualTo(i);
            assertThat(got).allMatch(d -> d.thread() == loop.thread());
            assertThat(got).allMatch(d -> d.capturedNanos() <= d.deliveredNanos());
            assertThat(got).allMatch(d -> d.deliveredNanos() - d.capturedNanos() < 2_000_000_000L);
            assertThat(linkB.framesIn()).isEqualTo(n);
            assertThat(linkB.receiveErrors()).isZero();
            // the kernel's stamp is this host's clock: the lag is small and never negative by much
            assertThat(lagMicros).allMatch(l -> l > -1_000 && l < 5_000_000);
        });
    }

    /**
     * Frames closer together than the hold-off are read in batches (a few wake-ups instead of one per
     * frame), and each keeps its own capture time: frames handed over together were captured
     * milliseconds apart. When the stream stops the reader watches the descriptor again.
     */
    @Test
    void batchingReaderReadsAStreamInBatchesAndKeepsEachFramesCaptureTime() throws Exception {
        long holdOff = 20_000_000;
        onEpollPair((loop, linkA, linkB) -> {
            List<Delivery> got = new CopyOnWriteArrayList<>();
            List<Boolean> batchingSeen = new CopyOnWriteArrayList<>();
            int n = 200;
            EpollFrameReader[] reader = new EpollFrameReader[1];
            reader[0] = EpollFrameReader.attach(loop.loop(), linkB, holdOff, (f, at) -> {
                got.add(new Delivery(number(f), Thread.currentThread(), System.nanoTime(), at));
                if (reader[0] != null) batchingSeen.add(reader[0].batching());
            }).orElseThrow();
            try {
                for (int i = 0; i < n; i++) {
                    assertThat(linkA.send(frameNumbered(i))).isTrue();
                    Thread.sleep(1);
                }
                awaitSize(got, n);
                Thread.sleep(3 * holdOff / 1_000_000);
                boolean[] after = new boolean[1];
                loop.call(() -> after[0] = reader[0].batching());
                assertThat(after[0]).as("quiet again: back to readiness").isFalse();
            } finally {
                reader[0].close();
            }
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) assertThat(got.get(i).number()).as("frame %d", i).isEqualTo(i);
            assertThat(batchingSeen).contains(true);
            // a new batch starts where two deliveries are more than 300 us apart; without batching
            // every frame (1 ms apart on the wire) would be its own
            int batches = 1;
            for (int i = 1; i < n; i++) {
                if (got.get(i).deliveredNanos() - got.get(i - 1).deliveredNanos() > 300_000) batches++;
            }
            assertThat(batches).isLessThan(n / 4);
            // each frame's capture time is its own: later frames captured later, none after delivery,
            // and the wait for the batch shows (some frame waited ms) but stays near the hold-off
            for (int i = 1; i < n; i++) assertThat(got.get(i).capturedNanos()).isGreaterThanOrEqualTo(got.get(i - 1).capturedNanos());
            assertThat(got.get(n - 1).capturedNanos() - got.get(0).capturedNanos()).isGreaterThan(n * 900_000L);
            assertThat(got).allMatch(d -> d.capturedNanos() <= d.deliveredNanos());
            assertThat(got).anyMatch(d -> d.deliveredNanos() - d.capturedNanos() > 2_000_000);
            assertThat(got).allMatch(d -> d.deliveredNanos() - d.capturedNanos() < holdOff + 200_000_000L);
        });
    }

    /**
     * While batching, {@link EpollFrameReader#readPending} hands over at once the frames captured but
     * not read yet: what a VRRP timer calls before it acts.
     */
    @Test
    void readPendingHandsOverWhatTheBatchingReaderHasNotReadYet() throws Exception {
        long holdOff = 500_000_000; // the reader's own poll comes long after the test is done
        onEpollPair((loop, linkA, linkB) -> {
            List<Integer> got = new CopyOnWriteArrayList<>();
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, holdOff, (f, at) -> got.add(number(f)))
                    .orElseThrow();
            try {
                // two wake-ups close together switch the reader to batching
                assertThat(linkA.send(frameNumbered(1))).isTrue();
                awaitSize(got, 1);
                assertThat(linkA.send(frameNumbered(2))).isTrue();
                awaitSize(got, 2);
                assertThat(got).containsExactly(1, 2);
                boolean[] batching = new boolean[1];
                loop.call(() -> batching[0] = reader.batching());
                assertThat(batching[0]).isTrue();
                assertThat(linkA.send(frameNumbered(3))).isTrue();
                Thread.sleep(50);
                assertThat(got).as("not read on readiness while batching").containsExactly(1, 2);
                List<Integer> inside = new java.util.ArrayList<>();
                loop.call(() -> {
                    reader.readPending();
                    inside.addAll(got);
                });
                assertThat(inside).containsExactly(1, 2, 3);
            } finally {
                reader.close();
            }
        });
    }

    /** {@link #FRAME} with another priority (byte 2 of the VRRP header; the checksum is not the filter's business). */
    private static byte[] withPriority(byte[] f, int priority) {
        byte[] g = f.clone();
        g[14 + 20 + 2] = (byte) priority;
        return g;
    }

    /** A VRRPv3 advert over IPv6 to ff02::12 with {@code priority}, numbered in its flow label. */
    private static byte[] ipv6Advert(int priority, int number) {
        byte[] f = HexFormat.of().parseHex("333300000012" + "020000000001" + "86dd"
                + "600" + String.format("%05x", number) + "0018" + "70" + "ff"
                + "fe800000000000000000000000000001" + "ff020000000000000000000000000012"
                + "3133" + String.format("%02x", priority) + "01" + "000a" + "0000"
                + "20010db8000000000000000000000064");
        return f;
    }

    /**
     * A quiet reader leaves the ring unread: frames wait until the owner asks, and then come in order,
     * each with its own capture time (tens of milliseconds apart, as sent), not the time of the read.
     * Told to watch again, it reads on readiness at once.
     */
    @Test
    void quietReaderLeavesFramesUnreadUntilAskedAndKeepsEachCaptureTime() throws Exception {
        onEpollPair((loop, linkA, linkB) -> {
            List<Delivery> got = new CopyOnWriteArrayList<>();
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, 5_000_000, null, 10_000_000_000L,
                    (f, at) -> got.add(new Delivery(number(f), Thread.currentThread(), System.nanoTime(), at))).orElseThrow();
            try {
                loop.call(() -> reader.setQuiet(true));
                boolean[] quiet = new boolean[1];
                loop.call(() -> quiet[0] = reader.quiet());
                assertThat(quiet[0]).isTrue();
                for (int i = 1; i <= 3; i++) {
                    assertThat(linkA.send(frameNumbered(i))).isTrue();
                    Thread.sleep(30);
                }
                Thread.sleep(200);
                assertThat(got).as("nothing read while quiet").isEmpty();
                List<Integer> inside = new java.util.ArrayList<>();
                loop.call(() -> {
                    reader.readPending();
                    got.forEach(d -> inside.add(d.number()));
                });
                assertThat(inside).containsExactly(1, 2, 3);
                for (int i = 1; i < 3; i++) {
                    assertThat(got.get(i).capturedNanos() - got.get(i - 1).capturedNanos()).as("capture %d to %d", i, i + 1)
                            .isGreaterThan(20_000_000L);
                }
                assertThat(got.get(2).deliveredNanos() - got.get(0).capturedNanos()).isGreaterThan(250_000_000L);
                loop.call(() -> reader.setQuiet(false));
                assertThat(linkA.send(frameNumbered(4))).isTrue();
                awaitSize(got, 4);
                assertThat(got.get(3).number()).isEqualTo(4);
                assertThat(got.get(3).deliveredNanos() - got.get(3).capturedNanos()).as("read on readiness").isLessThan(100_000_000L);
            } finally {
                reader.close();
            }
        });
    }

    /**
     * The doorbell of VRRP mode's quiet backups: a priority-0 advert (IPv4 or IPv6) cuts the quiet
     * wait short and is handed over at once behind the frames that came before it; other priorities
     * do not ring.
     */
    @Test
    void priorityZeroAdvertRingsTheDoorbellAndIsReadAtOnceBehindWhatCameBefore() throws Exception {
        EpollLoop loop = EpollLoop.start();
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            List<Delivery> got = new CopyOnWriteArrayList<>();
            try (PcapLink linkB = net.callIn(b, () -> PcapLink.openPolled("vg0", "ip proto 112 or ip6 proto 112"));
                 PcapDoorbell bell = net.callIn(b, () -> PcapDoorbell.open("vg0", dev.vigil.vrrp.VrrpDaemon.PRIORITY_ZERO_FILTER));
                 PcapLink linkA = net.callIn(a, () -> PcapLink.open("vg0", "ip proto 112", f -> { }))) {
                EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, 5_000_000, bell, 10_000_000_000L,
                        (f, at) -> got.add(new Delivery(f[12] == (byte) 0x86 ? 1000 + (f[17] & 0xff) : number(f),
                                Thread.currentThread(), System.nanoTime(), at))).orElseThrow();
                try {
                    loop.call(() -> reader.setQuiet(true));
                    assertThat(linkA.send(withPriority(frameNumbered(1), 150))).isTrue();
                    assertThat(linkA.send(ipv6Advert(100, 2))).isTrue();
                    Thread.sleep(200);
                    assertThat(got).as("priorities 150 and 100 wait").isEmpty();
                    assertThat(linkA.send(withPriority(frameNumbered(3), 0))).isTrue();
                    awaitSize(got, 3);
                    assertThat(got).extracting(Delivery::number).containsExactly(1, 1002, 3);
                    assertThat(got.get(2).deliveredNanos() - got.get(2).capturedNanos()).as("priority 0 read at once").isLessThan(100_000_000L);
                    assertThat(linkA.send(ipv6Advert(0, 4))).isTrue();
                    awaitSize(got, 4);
                    assertThat(got).extracting(Delivery::number).containsExactly(1, 1002, 3, 1004);
                    assertThat(bell.rings()).isEqualTo(2);
                    boolean[] quiet = new boolean[1];
                    loop.call(() -> quiet[0] = reader.quiet());
                    assertThat(quiet[0]).as("still quiet after a ring").isTrue();
                } finally {
                    reader.close();
                }
            }
        } finally {
            loop.vertx().close().await();
        }
    }

    /**
     * A reader batching a steady stream (a frame every 2 ms, a 5 ms hold-off: each poll finds frames)
     * and then told quiet stops polling: the stream waits in the ring until the owner asks.
     */
    @Test
    void batchingReaderToldQuietStopsPollingASteadyStream() throws Exception {
        onEpollPair((loop, linkA, linkB) -> {
            List<Integer> got = new CopyOnWriteArrayList<>();
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, 5_000_000, null, 10_000_000_000L,
                    (f, at) -> got.add(number(f))).orElseThrow();
            java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Thread sender = new Thread(() -> {
                try {
                    while (sending.get()) {
                        linkA.send(frameNumbered(sent.getAndIncrement()));
                        Thread.sleep(2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sender.start();
            try {
                Thread.sleep(100);
                boolean[] batching = new boolean[1];
                loop.call(() -> {
                    batching[0] = reader.batching();
                    reader.setQuiet(true);
                });
                assertThat(batching[0]).as("batching the stream").isTrue();
                Thread.sleep(30); // the poll due meanwhile hands over what came before it, then stops
                int seen = got.size();
                Thread.sleep(200);
                assertThat(got).as("nothing read while quiet, though frames kept coming").hasSize(seen);
                sending.set(false);
                sender.join(1000);
                Thread.sleep(20);
                boolean[] after = new boolean[1];
                loop.call(() -> {
                    after[0] = reader.batching();
                    reader.readPending();
                });
                assertThat(after[0]).isFalse();
                assertThat(got).containsExactly(java.util.stream.IntStream.range(0, sent.get()).boxed().toArray(Integer[]::new));
            } finally {
                sending.set(false);
                sender.join(1000);
                reader.close();
            }
        });
    }

    /** Nothing asks, nothing rings: a quiet reader still reads within its longest unread time. */
    @Test
    void quietReaderReadsOnItsOwnWithinTheLongestUnreadTime() throws Exception {
        long longest = 300_000_000;
        onEpollPair((loop, linkA, linkB) -> {
            List<Delivery> got = new CopyOnWriteArrayList<>();
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, 5_000_000, null, longest,
                    (f, at) -> got.add(new Delivery(number(f), Thread.currentThread(), System.nanoTime(), at))).orElseThrow();
            try {
                loop.call(() -> reader.setQuiet(true));
                for (int i = 1; i <= 20; i++) {
                    assertThat(linkA.send(frameNumbered(i))).isTrue();
                    Thread.sleep(50);
                }
                awaitSize(got, 20);
            } finally {
                reader.close();
            }
            assertThat(got).extracting(Delivery::number).containsExactly(java.util.stream.IntStream.rangeClosed(1, 20).boxed()
                    .toArray(Integer[]::new));
            assertThat(got).allMatch(d -> d.thread() == loop.thread());
            assertThat(got).allMatch(d -> d.deliveredNanos() - d.capturedNanos() < longest + 150_000_000L);
            assertThat(got).as("some frame waited for the read").anyMatch(d -> d.deliveredNanos() - d.capturedNanos() > 100_000_000L);
        });
    }

    /**
     * More frames than the ring holds while quiet: the kernel drops some, and the reader, seeing the
     * drop count move, reads on readiness from then on (a dropped advert could end a backup's wait)
     * and refuses to go quiet again.
     */
    @Test
    void quietReaderWhoseRingOverflowsReadsOnReadinessFromThenOn() throws Exception {
        onEpollPair((loop, linkA, linkB) -> {
            java.util.concurrent.atomic.AtomicInteger got = new java.util.concurrent.atomic.AtomicInteger();
            EpollFrameReader reader = EpollFrameReader.attach(loop.loop(), linkB, 5_000_000, null, 1_000_000_000L,
                    (f, at) -> got.incrementAndGet()).orElseThrow();
            try {
                loop.call(() -> reader.setQuiet(true));
                int ringFrames = PcapLink.RECEIVE_BUFFER_BYTES / 1024; // more than the ring holds at any slot size
                for (int i = 0; i < ringFrames; i++) {
                    linkA.send(frameNumbered(i));
                    if (i % 100 == 99) Thread.sleep(1); // within the receiving host's backlog, so they reach the ring
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                boolean[] quiet = {true};
                while (quiet[0] && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    loop.call(() -> quiet[0] = reader.quiet());
                }
                assertThat(quiet[0]).as("gave up reading quietly").isFalse();
                assertThat(linkB.receiveDrops()).isPositive();
                loop.call(() -> reader.setQuiet(true));
                loop.call(() -> quiet[0] = reader.quiet());
                assertThat(quiet[0]).as("not quiet again").isFalse();
                int before = got.get();
                assertThat(linkA.send(frameNumbered(1))).isTrue();
                long until = System.nanoTime() + 2_000_000_000L;
                while (got.get() == before && System.nanoTime() < until) Thread.sleep(1);
                assertThat(got.get()).isGreaterThan(before);
            } finally {
                reader.close();
            }
        });
    }

    @Test
    void missingInterfaceGivesOneClearLine() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            assertThatThrownBy(() -> net.callIn(a, () -> PcapLink.open("nosuch0", "ip proto 112", f -> { })))
                    .hasRootCauseInstanceOf(org.pcap4j.core.PcapNativeException.class)
                    .cause().isInstanceOf(PcapUnavailableException.class)
                    .hasMessageContaining("nosuch0");
        }
    }
}
