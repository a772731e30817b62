package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.Secret;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceGroup;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.AuthMethod;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbMessage;
import dev.vigil.heartbeat.wire.RejectReason;
import dev.vigil.sim.SimScheduler;
import dev.vigil.transport.Medium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** The glue alone: what goes onto each medium, what comes off it, and the state it must keep. */
class HeartbeatNodeTest {
    static final long SEC = 1_000_000_000L;
    static final String KEY = "glue-test-key-c0ffee";
    static final HbCodec CODEC = new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret(KEY))));

    /** A medium that keeps what is sent on it. */
    static final class RecordingMedium implements Medium {
        final String name;
        final List<byte[]> sent = new ArrayList<>();
        final List<String> log;

        RecordingMedium(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public String linkName() {
            return name;
        }

        @Override
        public void send(byte[] message) {
            sent.add(message);
            log.add("send " + name);
        }

        @Override
        public void close() {
        }
    }

    /** A state store in memory that records when it was written, or refuses. */
    static final class MemoryStore implements HbStateStore {
        final List<String> log;
        Long generation;
        boolean failWrites;
        final UUID uuid = UUID.fromString("11111111-2222-4333-8444-555555555555");

        MemoryStore(List<String> log) {
            this.log = log;
        }

        @Override
        public OptionalLong storedGeneration() {
            return generation == null ? OptionalLong.empty() : OptionalLong.of(generation);
        }

        @Override
        public void persistGeneration(long g) throws IOException {
            if (failWrites) throw new IOException("cannot write /state/hb_generation: AccessDeniedException");
            generation = g;
            log.add("persist " + g);
        }

        @Override
        public UUID uuid() {
            return uuid;
        }
    }

    final SimScheduler scheduler = new SimScheduler();
    final List<String> order = new ArrayList<>();
    final RecordingMedium udp = new RecordingMedium("eth0", order);
    final RecordingMedium serial = new RecordingMedium("/dev/ttyS0", order);
    final MemoryStore store = new MemoryStore(order);

    HeartbeatNode node(ResourceExecutor executor) {
        HeartbeatSettings s = new HeartbeatSettings("nodea", List.of("nodea", "nodeb"), Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(2), 1, Duration.ofMillis(250),
                List.of(ResourceGroup.of("nodea", "IPaddr2::10.0.0.100/24/eth0")), AutoFailback.ON, HeartbeatSettings.ResourceTimings.HEARTBEAT);
        HeartbeatNode.Environment env = new HeartbeatNode.Environment(scheduler, () -> 1_767_225_600_000L + scheduler.nanoTime() / 1_000_000,
                () -> "0.01 0.02 0.03 1/99 42", new SplittableRandom(5), NOPLogger.NOP_LOGGER);
        return new HeartbeatNode(s, List.of(HbLink.udp(udp), HbLink.serial(serial)), CODEC, executor, store, env);
    }

    static ResourceExecutor instant() {
        return (g, r, op) -> CompletableFuture.completedFuture(new OperationResult(g, r, op, true, false));
    }

    @Test
    void theGenerationIsStoredBeforeTheFirstMessageAndEachMediumGetsItsFraming() throws Exception {
        store.generation = 41L;
        HeartbeatNode n = node(instant());
        n.start();
        assertThat(order.get(0)).isEqualTo("persist 42");
        assertThat(n.generation()).isEqualTo(42);
        assertThat(udp.sent).isNotEmpty().allMatch(b -> new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals("###\n"));
        assertThat(serial.sent).hasSameSizeAs(udp.sent)
                .allMatch(b -> new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals(">>>\n") && b[b.length - 1] != 0);
        HbMessage first = ((Decoded) CODEC.decode(udp.sent.get(0))).message();
        assertThat(first.type()).contains("status");
        assertThat(first.string("st")).contains("init");
        assertThat(first.generation()).isEqualTo(OptionalLong.of(42));
        assertThat(CODEC.decode(serial.sent.get(0))).isInstanceOf(Decoded.class);
    }

    @Test
    void aStateStoreThatCannotBeWrittenStopsTheStartBeforeAnythingIsSent() {
        store.failWrites = true;
        HeartbeatNode n = node(instant());
        assertThatThrownBy(n::start).isInstanceOf(HeartbeatNode.StartException.class).hasMessageContaining("hb_generation");
        assertThat(udp.sent).isEmpty();
        assertThat(serial.sent).isEmpty();
        assertThat(n.lifecycle()).isEqualTo(HeartbeatNode.Lifecycle.FAILED);
        scheduler.runFor(10 * SEC);
        assertThat(udp.sent).isEmpty();
    }

    @Test
    void keepalivesFollowTheKeepaliveAndInitdeadDeclaresASilentPeerDead() throws Exception {
        HeartbeatNode n = node(instant());
        n.start();
        int atStart = udp.sent.size();
        scheduler.runFor(SEC);
        assertThat(udp.sent.size() - atStart).isBetween(5, 7); // 200 ms keepalive
        scheduler.runFor(2 * SEC);
        assertThat(n.nodeStatus("nodeb")).contains(NodeStatus.DEAD);
        assertThat(n.events()).anyMatch(e -> e.kind().equals("node") && e.text().equals("node nodeb: is dead"));
        assertThat(n.groups().get(0).holder()).contains("nodea");
    }

    @Test
    void rejectedPacketsAreCountedByReasonAndLoggedAtMostEveryTenSecondsWithoutTheKey() throws Exception {
        HeartbeatNode n = node(instant());
        n.start();
        HbCodec stranger = new HbCodec(AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, new Secret("some-other-key-123"))));
        byte[] forged = stranger.encodeNetstring(HbMessage.builder().add("t", "status").add("st", "active").add("src", "nodeb")
                .addHex("seq", 1).addHex("hg", 7).addHex("ts", 1).build());
        for (int i = 0; i < 5; i++) n.receivedDatagram("eth0", forged, "10.0.0.2");
        n.receivedDatagram("eth0", "garbage".getBytes(StandardCharsets.US_ASCII), "10.0.0.2");
        assertThat(n.rejections()).containsEntry(RejectReason.BAD_SIGNATURE, 5L).containsEntry(RejectReason.UNKNOWN_FORMAT, 1L);
        List<NodeEvent> auth = n.events().stream().filter(e -> e.kind().equals("auth")).toList();
        assertThat(auth).hasSize(2);
        assertThat(auth.get(0).text()).startsWith("Rejected packet on eth0 from 10.0.0.2: bad_signature");
        assertThat(auth).allMatch(e -> !e.text().contains(KEY) && !e.text().contains("some-other-key-123"));
        assertThat(n.nodeStatus("nodeb")).contains(NodeStatus.INIT);
        scheduler.runFor(11 * SEC);
        n.receivedDatagram("eth0", forged, "10.0.0.2");
        List<NodeEvent> later = n.events().stream().filter(e -> e.kind().equals("auth")).toList();
        assertThat(later).hasSize(3);
        assertThat(later.get(2).text()).endsWith("(4 more like it not logged)");
    }

    @Test
    void resourceResultsComeBackOnTheSchedulerAndAHaltedNodeIgnoresThem() throws Exception {
        List<CompletableFuture<OperationResult>> pending = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        HeartbeatNode n = node((g, r, op) -> {
            ops.add(r + " " + op.argument());
            CompletableFuture<OperationResult> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        });
        n.start();
        scheduler.runFor(3 * SEC); // initdead: nodeb dead, our group acquired: status first
        assertThat(ops).containsExactly("IPaddr2::10.0.0.100/24/eth0 status");
        pending.get(0).complete(OperationResult.status("IPaddr2::10.0.0.100/24/eth0", "IPaddr2::10.0.0.100/24/eth0", false));
        assertThat(ops).hasSize(1); // not yet: the result waits for the scheduler
        scheduler.runFor(1);
        assertThat(ops).containsExactly("IPaddr2::10.0.0.100/24/eth0 status", "IPaddr2::10.0.0.100/24/eth0 start");
        assertThat(n.operationsInFlight()).isEqualTo(1);
        int sentBefore = udp.sent.size();
        n.halt();
        pending.get(1).complete(OperationResult.started("IPaddr2::10.0.0.100/24/eth0", "IPaddr2::10.0.0.100/24/eth0", true));
        scheduler.runFor(5 * SEC);
        assertThat(udp.sent).hasSize(sentBefore);
        assertThat(n.nodeStatus("nodea")).contains(NodeStatus.DEAD);
    }
}
