package dev.vigil.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.transport.Medium;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ucast media between two "nodes" bound to different loopback addresses, as the demo runs them. */
class UdpMediaLoopbackTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private record Got(String link, String text, String source) {
    }

    @Test
    void ucastDeliversToThePeerAndAttributesTheLink() throws Exception {
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        LinkedBlockingQueue<Got> atB = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Got> atA = new LinkedBlockingQueue<>();
        Medium.Listener la = (m, b, s) -> atA.add(new Got(m.linkName(), new String(b, StandardCharsets.UTF_8), s));
        Medium.Listener lb = (m, b, s) -> atB.add(new Got(m.linkName(), new String(b, StandardCharsets.UTF_8), s));
        UdpMedia a = new UdpMedia(vertx, "127.0.0.1", la);
        UdpMedia b = new UdpMedia(vertx, "127.0.0.2", lb);
        List<Medium> ma = a.open(List.of(new UdpMediumSpec.Ucast("lo", InetAddress.getByName("127.0.0.2"), port)))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        b.open(List.of(new UdpMediumSpec.Ucast("lo", InetAddress.getByName("127.0.0.1"), port)))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        ma.get(0).send("t=status".getBytes(StandardCharsets.UTF_8));
        Got g = atB.poll(5, TimeUnit.SECONDS);
        assertThat(g).isEqualTo(new Got("lo", "t=status", "127.0.0.1"));
        assertThat(atA.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(b.unattributed()).isZero();
    }

    @Test
    void unknownDeviceIsAClearFailure() throws Exception {
        UdpMedia a = new UdpMedia(vertx, "127.0.0.1", (m, b, s) -> { });
        Throwable failure = null;
        try {
            a.open(List.of(new UdpMediumSpec.Bcast("nosuch0", 694)))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        }
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("nosuch0").contains("does not exist");
    }
}
