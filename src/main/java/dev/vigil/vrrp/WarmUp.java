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
            // the control endpoint is built on the loop right after the mode starts: load its classes here
            io.vertx.ext.web.Router r = io.vertx.ext.web.Router.router(vertx);
            r.get("/warm-up").handler(io.vertx.ext.web.handler.BodyHandler.create()).handler(c -> c.response().end());
            io.vertx.core.http.HttpServer server = vertx.createHttpServer().requestHandler(r);
            server.listen(0, "127.0.0.1").await();
            server.close().await();
            new io.vertx.core.json.JsonObject().put("warm", true).encodePrettily();
        } catch (UnknownHostException | RuntimeException e) {
            // only an optimisation: the daemon works without it, just with a slower first second
        }
    }

    private static SimVrrpNode node(SimNetwork network, SimAddressBook book, String name, InetAddress self, int mac,
                                    VrrpInstanceSettings... instances) {
        return new SimVrrpNode(network, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self),
                VrrpNodeConfig.of(java.util.Arrays.stream(instances).map(s -> VrrpInstanceSpec.of(s, "eth0")).toList()), book);
    }
}
