package dev.vigil.vrrp;

import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Runs the glue once in the simulation before the daemon starts, on a worker thread. The first
 * pass through the codec, the state machines and their lambdas costs the JVM hundreds of
 * milliseconds of class loading and linking; done on the event loop, that stall would blind a
 * backup for several VRRPv3 Master_Down_Intervals at 0.01 s (36 ms, keepalived.md §2.1).
 */
final class WarmUp {

    /** Virtual time of the JIT warm-up: 60 s at 0.01 s is 6 000 adverts per v3 instance. */
    static final long HOT_PATH_NANOS = 60_000_000_000L;

    private WarmUp() {
    }

    static void run(io.vertx.core.Vertx vertx) {
        try {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
            InetAddress b = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 2});
            InetAddress vip = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 100});
            SimScheduler scheduler = new SimScheduler();
            SimNetwork network = new SimNetwork(scheduler, 0);
            SimAddressBook book = new SimAddressBook(scheduler);
            SimVrrpNode na = node(network, book, "a", a, 1, VrrpInstanceSettings.builder("v3", 1, a).version(3)
                    .priority(150).advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v2", 2, a).priority(150).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "warmup").unicastPeer(UnicastPeer.of(b)).build());
            SimVrrpNode nb = node(network, book, "b", b, 2, VrrpInstanceSettings.builder("v3", 1, b).version(3)
                    .advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v2", 2, b).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "warmup").unicastPeer(UnicastPeer.of(a)).build());
            na.router().setLogging(false);
            nb.router().setLogging(false);
            na.start();
            nb.start();
            scheduler.runFor(5_000_000_000L);
            new VrrpControl(nb.router(), List::of).status();
            na.router().setMaintenance("v3", true);
            scheduler.runFor(100_000_000L);
            na.stop();
            nb.stop();
            scheduler.runFor(100_000_000L);
            // the control endpoint is built on the loop right after the mode starts, and its first request
            // (vigil status) loads the HTTP and JSON machinery: measured 130 ms of stalled loop otherwise
            String token = "warm-up-token-0123456789abcdef";
            dev.vigil.console.ControlServer server = dev.vigil.console.ControlServer.start(vertx,
                    new VrrpControl(nb.router(), List::of), "127.0.0.1", 0, token, null)
                    .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            try {
                request(server.port(), "GET", "/api/v1/status", null);
                request(server.port(), "POST", "/api/v1/commands/recover", token);
            } finally {
                server.close();
            }
        } catch (UnknownHostException | RuntimeException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            // only an optimisation: the daemon works without it, just with a slower first second
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).debug("warm-up cut short: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts, on its own daemon thread, a longer simulated run than {@link #run}: enough adverts through
     * the receive and send paths (about 25 000 each way) for the JIT's optimising compiler to take
     * them. A backup of one instance at {@code advert_int 1} handles one frame a second and would
     * otherwise run interpreted or in the profiling tier for hours; measured, that was most of an
     * idle daemon's CPU (docs/benchmarks.md, VRRP profiling, session 5). It runs after the instances
     * started, so it delays nothing; its cost, well under a second of one core, is paid once.
     */
    static Thread startCompilingHotPaths() {
        Thread t = new Thread(() -> {
            long began = System.nanoTime();
            long adverts = simulate(HOT_PATH_NANOS);
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).debug("JIT warm-up: {} adverts in {} ms", adverts,
                    (System.nanoTime() - began) / 1_000_000);
        }, "vigil-jit-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * Two simulated routers, one the master of the other, for {@code nanos} of virtual time at 0.01 s;
     * returns how many adverts the backup took in (0 when the run was cut short).
     */
    static long simulate(long nanos) {
        try {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
            InetAddress b = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 2});
            InetAddress vip = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 100});
            SimScheduler scheduler = new SimScheduler();
            SimNetwork network = new SimNetwork(scheduler, 0);
            SimAddressBook book = new SimAddressBook(scheduler);
            SimVrrpNode na = node(network, book, "a", a, 1,
                    VrrpInstanceSettings.builder("v3a", 1, a).version(3).priority(150).advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v3b", 3, a).version(3).priority(150).advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v2", 2, a).priority(150).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "warmup").build());
            SimVrrpNode nb = node(network, book, "b", b, 2,
                    VrrpInstanceSettings.builder("v3a", 1, b).version(3).advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v3b", 3, b).version(3).advertIntervalCentis(1).virtualAddress(vip).build(),
                    VrrpInstanceSettings.builder("v2", 2, b).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "warmup").build());
            na.router().setLogging(false);
            nb.router().setLogging(false);
            na.start();
            nb.start();
            scheduler.runFor(nanos);
            long received = nb.router().instances().stream().mapToLong(i -> i.counters().getOrDefault("advert_rcvd", 0L)).sum();
            na.stop();
            nb.stop();
            scheduler.runFor(100_000_000L);
            return received;
        } catch (UnknownHostException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(WarmUp.class).debug("JIT warm-up cut short: {}", e.toString());
            return 0;
        }
    }

    private static void request(int port, String method, String path, String token) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + path)
                    .toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            if (token != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Authorization", "Bearer " + token);
                c.setRequestProperty("Content-Type", "application/json");
                c.getOutputStream().write("{\"instance\":\"v3\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            java.io.InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
            if (in != null) in.readAllBytes();
        } catch (java.io.IOException e) {
            // no loopback in this namespace: the first real request pays instead
        }
    }

    private static SimVrrpNode node(SimNetwork network, SimAddressBook book, String name, InetAddress self, int mac,
                                    VrrpInstanceSettings... instances) {
        return new SimVrrpNode(network, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self),
                VrrpNodeConfig.of(java.util.Arrays.stream(instances).map(s -> VrrpInstanceSpec.of(s, "eth0")).toList()), book);
    }
}
