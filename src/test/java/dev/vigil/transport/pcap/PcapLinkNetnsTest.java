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
     * VRRP mode's receive path: a polled link watched by an epoll event loop. Every frame arrives, in
     * order, on the loop thread itself, stamped with the kernel's capture time.
     */
    @Test
    void polledLinkOnAnEpollLoopDeliversEveryFrameInOrderOnTheLoopThread() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
                .setPreferNativeTransport(true));
        try (Netns net = Netns.create()) {
            assertThat(vertx.isNativeTransportEnabled()).as("netty's epoll transport is on the class path").isTrue();
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            io.vertx.core.Context ctx = vertx.getOrCreateContext();
            io.netty.channel.EventLoop loop = ((io.vertx.core.internal.ContextInternal) ctx).nettyEventLoop();
            Thread[] loopThread = new Thread[1];
            CountDownLatch known = new CountDownLatch(1);
            ctx.runOnContext(v -> {
                loopThread[0] = Thread.currentThread();
                known.countDown();
            });
            assertThat(known.await(5, TimeUnit.SECONDS)).isTrue();
            List<Integer> ids = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            List<Long> lagMicros = new CopyOnWriteArrayList<>();
            int n = 500;
            try (PcapLink linkB = net.callIn(b, () -> PcapLink.openPolled("vg0", "ip proto 112"));
                 PcapLink linkA = net.callIn(a, () -> PcapLink.open("vg0", "ip proto 112", f -> { }))) {
                EpollFrameReader reader = EpollFrameReader.attach(loop, linkB, f -> {
                    ids.add(((f[18] & 0xff) << 8) | (f[19] & 0xff));
                    threads.add(Thread.currentThread());
                    java.time.Instant now = java.time.Instant.now();
                    lagMicros.add(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - linkB.currentFrameEpochMicros());
                }).orElseThrow();
                try {
                    for (int i = 0; i < n; i++) {
                        byte[] f = FRAME.clone();
                        f[18] = (byte) (i >> 8);
                        f[19] = (byte) i;
                        assertThat(linkA.send(f)).isTrue();
                        if (i % 50 == 0) Thread.sleep(5); // bursts and pauses, as adverts come
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (ids.size() < n && System.nanoTime() < deadline) Thread.sleep(20);
                } finally {
                    reader.close();
                }
                assertThat(ids).hasSize(n);
                for (int i = 0; i < n; i++) assertThat(ids.get(i)).as("frame %d", i).isEqualTo(i);
                assertThat(threads).allMatch(t -> t == loopThread[0]);
                assertThat(linkB.framesIn()).isEqualTo(n);
                assertThat(linkB.receiveErrors()).isZero();
                // the kernel's stamp is this host's clock: the lag is small and never negative by much
                assertThat(lagMicros).allMatch(l -> l > -1_000 && l < 5_000_000);
            }
        } finally {
            vertx.close().await();
        }
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
