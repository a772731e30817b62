package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.SourceLocation;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.config.keepalived.VigilResourceGroup;
import dev.vigil.resource.OpOutcome;
import dev.vigil.resource.ResourceJournal;
import dev.vigil.resource.ResourceOperation;
import dev.vigil.resource.ResourceOps;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A {@code vigil_resources} group under VRRP on two simulated nodes: it follows mastership, a dead
 * service is restarted in place, past the budget the instance goes to FAULT and the peer takes the
 * group, a reset brings it back, a clean stop stops it.
 */
class VrrpResourceLayerSimTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetAddress VIP = VrrpRouterTest.ip("10.232.0.100");
    static final ResourcePolicy MONITORED = new ResourcePolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(2), 2, Duration.ofSeconds(60), Optional.empty());

    final SimScheduler scheduler = new SimScheduler();
    final SimNetwork network = new SimNetwork(scheduler, 1);
    final SimAddressBook book = new SimAddressBook(scheduler);

    /** One node's services: start/stop take 50 ms of simulated time; "running" is what status reports. */
    final class Services implements ResourceOps {
        final List<String> ran = new ArrayList<>();
        final Map<String, Boolean> running = new HashMap<>();

        @Override
        public CompletionStage<OpOutcome> run(String resource, ResourceOperation op, Duration timeout) {
            ran.add(resource + " " + op.argument());
            CompletableFuture<OpOutcome> f = new CompletableFuture<>();
            scheduler.schedule(50 * MS, () -> f.complete(switch (op) {
                case START, RESTART -> {
                    running.put(resource, true);
                    yield OpOutcome.ok("");
                }
                case STOP -> {
                    running.put(resource, false);
                    yield OpOutcome.ok("");
                }
                case STATUS -> OpOutcome.status(running.getOrDefault(resource, false), "");
            }));
            return f;
        }

        @Override
        public boolean hasRestart(String resource) {
            return true;
        }

        boolean up(String r) {
            return running.getOrDefault(r, false);
        }
    }

    static VigilResourceGroup group(String... resources) {
        List<Haresources.Resource> rs = new ArrayList<>();
        SourceLocation at = SourceLocation.of(Path.of("keepalived.conf"), 1);
        for (String r : resources) {
            String[] p = r.split("::", -1);
            rs.add(new Haresources.Resource(r, p[0], List.of(p).subList(1, p.length), false, at));
        }
        return new VigilResourceGroup(rs, MONITORED, Map.of(), at);
    }

    SimVrrpNode node(String name, int hostByte, int priority) {
        InetAddress addr = VrrpRouterTest.ip("10.232.0." + hostByte);
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_1", 51, addr).priority(priority).advertIntervalCentis(100)
                .virtualAddress(VIP).build();
        return new SimVrrpNode(network, "lan", name, "eth0", MacAddress.parse("02:00:0a:e8:00:0" + hostByte), List.of(addr),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
    }

    static VrrpState state(SimVrrpNode n) {
        return n.router().instance("VI_1").orElseThrow().state();
    }

    @Test
    void groupFollowsMastershipRestartsInPlaceGivesUpByFaultAndComesBackAfterReset() {
        SimVrrpNode a = node("a", 1, 150);
        SimVrrpNode b = node("b", 2, 100);
        Services sa = new Services();
        Services sb = new Services();
        List<VrrpResourceLayer.Owner> owners = List.of(new VrrpResourceLayer.Owner("VI_1", false,
                group("Filesystem::/dev/sdb1::/data", "apache2"), List.of("VI_1")));
        VrrpResourceLayer la = VrrpResourceLayer.attach(a.router(), owners, sa, new ResourceJournal(), scheduler,
                LoggerFactory.getLogger("a"), e -> { });
        VrrpResourceLayer lb = VrrpResourceLayer.attach(b.router(), owners, sb, new ResourceJournal(), scheduler,
                LoggerFactory.getLogger("b"), e -> { });
        a.start();
        b.start();
        scheduler.runFor(6 * S);
        assertThat(state(a)).isEqualTo(VrrpState.MASTER);
        assertThat(sa.ran).startsWith("Filesystem::/dev/sdb1::/data start", "apache2 start");
        assertThat(sb.ran).isEmpty();

        // the service dies twice: restarted in place, no transition
        for (int i = 0; i < 2; i++) {
            sa.running.put("apache2", false);
            scheduler.runFor(3 * S);
            assertThat(sa.up("apache2")).isTrue();
            assertThat(state(a)).isEqualTo(VrrpState.MASTER);
        }
        assertThat(sa.ran.stream().filter(r -> r.equals("apache2 restart")).count()).isEqualTo(2);
        assertThat(sb.ran).isEmpty();

        // a third time within the window: FAULT, the peer takes the instance and starts the group
        sa.running.put("apache2", false);
        scheduler.runFor(6 * S);
        assertThat(state(a)).isEqualTo(VrrpState.FAULT);
        assertThat(state(b)).isEqualTo(VrrpState.MASTER);
        assertThat(sb.up("apache2")).isTrue();
        assertThat(sa.ran.subList(sa.ran.size() - 2, sa.ran.size())).containsExactly("apache2 stop", "Filesystem::/dev/sdb1::/data stop");
        assertThat(la.supervisor().group("VI_1").orElseThrow().lifecycle().gaveUp()).isTrue();
        scheduler.runFor(60 * S); // the FAULT does not clear by itself
        assertThat(state(a)).isEqualTo(VrrpState.FAULT);

        // the operator resets the group: a leaves FAULT, preempts with its higher priority, the group follows
        la.supervisor().reset("VI_1");
        scheduler.runFor(6 * S);
        assertThat(state(a)).isEqualTo(VrrpState.MASTER);
        assertThat(state(b)).isEqualTo(VrrpState.BACKUP);
        assertThat(sa.up("apache2")).isTrue();
        assertThat(sb.up("apache2")).isFalse();
        assertThat(sb.up("Filesystem::/dev/sdb1::/data")).isFalse();

        // the daemon's clean stop: the router leaves MASTER and the layer stops the group right to left
        a.router().shutdown();
        CompletableFuture<Void> stopped = la.stopAll();
        scheduler.runFor(S);
        assertThat(stopped).isCompleted();
        assertThat(sa.ran.subList(sa.ran.size() - 2, sa.ran.size())).containsExactly("apache2 stop", "Filesystem::/dev/sdb1::/data stop");
        lb.close();
    }
}
