package dev.vigil.heartbeat.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.KernelAddressActions;
import dev.vigil.action.ScriptRunner;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceOp;
import dev.vigil.testing.Netns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IPaddr2 in-process inside a test namespace: findif, add, status, stop. */
@Tag("netns")
class HaResourceExecutorNetnsTest {

    @Test
    void anAddressWithoutDeviceOrPrefixTakesThemFromTheConnectedRoute() throws Exception {
        try (Netns net = Netns.create(); ScriptRunner runner = new ScriptRunner()) {
            String ns = net.host("a", "10.240.11.1/24");
            List<String> inNs = List.of("ip", "netns", "exec", ns);
            HaResourceExecutor e = new HaResourceExecutor(runner, new KernelAddressActions(runner, d -> null, inNs),
                    List.of(), Map.of(), Optional.empty(), "nodea", inNs);
            String r = "IPaddr2::10.240.11.100";
            assertThat(run(e, r, ResourceOp.STATUS).running()).isFalse();
            assertThat(run(e, r, ResourceOp.START).success()).isTrue();
            assertThat(net.execQuiet(ns, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output()).contains("inet 10.240.11.100/24 ");
            assertThat(run(e, r, ResourceOp.STATUS).running()).isTrue();
            assertThat(run(e, r, ResourceOp.STOP).success()).isTrue();
            assertThat(net.addresses(ns, "vg0")).containsExactly("10.240.11.1");
            // stop of a stopped address succeeds, as ResourceManager's retries need
            assertThat(run(e, r, ResourceOp.STOP).success()).isTrue();
            assertThat(run(e, "IPaddr::10.240.11.101/28/vg0", ResourceOp.START).success()).isTrue();
            assertThat(net.execQuiet(ns, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output()).contains("inet 10.240.11.101/28 ");
            // no route to it: no device to put it on
            assertThat(run(e, "IPaddr2::10.250.0.1", ResourceOp.START).success()).isFalse();
        }
    }

    /** The daemon's path: status and start/stop through rtnetlink in-process, no {@code ip} started for them. */
    @Test
    void withNetlinkStatusStartAndStopNeedNoProcessAndAgreeWithIp() throws Exception {
        try (Netns net = Netns.create(); ScriptRunner runner = new ScriptRunner()) {
            String ns = net.host("a", "10.240.13.1/24");
            List<String> inNs = List.of("ip", "netns", "exec", ns);
            // a thread created inside the namespace stays in it: the netlink sockets are opened there
            java.util.concurrent.ExecutorService inside = net.callIn(ns, () -> {
                java.util.concurrent.ExecutorService x = java.util.concurrent.Executors.newSingleThreadExecutor();
                x.submit(() -> { }).get();
                return x;
            });
            try {
                KernelAddressActions addresses = new KernelAddressActions(runner, d -> null, List.of(),
                        Optional.of(dev.vigil.action.Netlink.on(inside)));
                HaResourceExecutor e = new HaResourceExecutor(runner, addresses, List.of(), Map.of(), Optional.empty(), "nodea", inNs);
                String r = "IPaddr2::10.240.13.100/24/vg0";
                assertThat(run(e, r, ResourceOp.STATUS).running()).isFalse();
                long t0 = System.nanoTime();
                assertThat(run(e, r, ResourceOp.START).success()).isTrue();
                System.out.println("IPaddr2 start through netlink: " + (System.nanoTime() - t0) / 1000 + " us");
                assertThat(net.execQuiet(ns, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output())
                        .contains("inet 10.240.13.100/24 brd 10.240.13.255 scope global secondary vg0");
                assertThat(run(e, r, ResourceOp.STATUS).running()).isTrue();
                assertThat(run(e, "IPaddr2::10.240.13.100/24/other0", ResourceOp.STATUS).running()).as("on another device").isFalse();
                assertThat(run(e, r, ResourceOp.STOP).success()).isTrue();
                assertThat(run(e, r, ResourceOp.STOP).success()).as("stop of a stopped address").isTrue();
                assertThat(net.addresses(ns, "vg0")).containsExactly("10.240.13.1");
                long t1 = System.nanoTime();
                assertThat(run(e, r, ResourceOp.START).success()).isTrue();
                System.out.println("again (warm): " + (System.nanoTime() - t1) / 1000 + " us");
            } finally {
                inside.shutdownNow();
            }
        }
    }

    static OperationResult run(HaResourceExecutor e, String resource, ResourceOp op) throws Exception {
        return e.run(resource, resource, op).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

}
