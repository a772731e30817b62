package dev.vigil.heartbeat;

import dev.vigil.action.KernelAddressActions;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.Authkeys;
import dev.vigil.config.heartbeat.HaCf;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.heartbeat.Medium;
import dev.vigil.console.ControlApi;
import dev.vigil.daemon.DaemonContext;
import dev.vigil.daemon.ModeDaemon;
import dev.vigil.heartbeat.resources.HaResourceExecutor;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.transport.FrameLink;
import dev.vigil.transport.pcap.PcapLink;
import dev.vigil.transport.serial.SerialLink;
import dev.vigil.transport.serial.SerialNative;
import dev.vigil.transport.udp.UdpMedia;
import dev.vigil.transport.udp.UdpMediumSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat mode: an {@code /etc/ha.d}-style directory run as one heartbeat 3.0.6 node. Loads and
 * checks the three files (refusing to start on errors, printed as {@code file:line:col}), opens the
 * media (UDP on Vert.x, serial lines), and runs a {@link HeartbeatNode} on the event loop with the
 * real resource executor and {@code STATE_DIR/hb_generation}, {@code STATE_DIR/hb_uuid}. On stop,
 * resources are released and {@code shutdone} sent before the media close.
 */
public final class HeartbeatDaemon implements ModeDaemon {
    /** heartbeat's logger name, so log watchers keyed on it keep matching. */
    static final Logger HB_LOG = LoggerFactory.getLogger("heartbeat");
    private static final Logger log = LoggerFactory.getLogger(HeartbeatDaemon.class);

    private final Path haDirectory;
    private volatile HeartbeatNode node;
    private volatile HeartbeatControl control;
    private volatile HeartbeatResourceLayer resourceLayer;
    private UdpMedia udp;
    private final List<SerialLink> serialLinks = new ArrayList<>();
    private final Map<String, Optional<FrameLink>> frameLinks = new ConcurrentHashMap<>();
    private DaemonContext context;
    /** vigil.conf's mail and notify script; set off the loop in prepare. */
    private volatile HeartbeatAlerts alerts;

    public HeartbeatDaemon(Path haDirectory) {
        this.haDirectory = haDirectory;
    }

    @Override
    public String mode() {
        return "heartbeat";
    }

    /** What start-up prepares off the event loop: parsed files, name lookups, state files. */
    private record Prepared(HeartbeatConfig config, HeartbeatSettings settings, AuthKeys keys, List<UdpMediumSpec> udp,
                            List<Medium.Serial> serial, List<HeartbeatControl.Warning> warnings) {
    }

    @Override
    public Future<Void> start(DaemonContext ctx) {
        this.context = ctx;
        return ctx.vertx().<Prepared>executeBlocking(() -> prepare(ctx)).compose(p -> {
            control = new HeartbeatControl(() -> node, summary(p.config().haCf()), p.warnings(), () -> {
                HeartbeatResourceLayer l = resourceLayer;
                return l == null ? null : l.supervisor();
            });
            udp = new UdpMedia(ctx.vertx(), ctx.options().bindAddress(),
                    (medium, bytes, source) -> {
                        HeartbeatNode n = node;
                        if (n != null) n.receivedDatagram(medium.linkName(), bytes, source);
                    });
            Future<List<dev.vigil.transport.Medium>> opened = p.udp().isEmpty() ? Future.succeededFuture(List.of()) : udp.open(p.udp());
            return opened.compose(media -> {
                List<HbLink> links = new ArrayList<>();
                for (dev.vigil.transport.Medium m : media) links.add(HbLink.udp(m));
                try {
                    links.addAll(openSerial(ctx, p));
                } catch (IOException e) {
                    return Future.failedFuture(e.getMessage());
                }
                return startNode(ctx, p, links);
            });
        }).onFailure(e -> closeMedia());
    }

    private Prepared prepare(DaemonContext ctx) throws Exception {
        String nodeName = ctx.options().nodeName() != null ? ctx.options().nodeName() : hostname();
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(haDirectory, Optional.of(nodeName));
        List<HeartbeatControl.Warning> warnings = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic d : loaded.diagnostics().sorted()) {
            if (d.isError()) {
                if (errors.length() > 0) errors.append('\n');
                errors.append(d.format());
            } else {
                log.warn(d.format());
                warnings.add(new HeartbeatControl.Warning("warning", d.location() + ": " + d.message()));
            }
        }
        if (!loaded.ok()) {
            throw new IllegalArgumentException(errors + "\nConfiguration error, heartbeat not started.");
        }
        HeartbeatConfig config = loaded.model();
        HeartbeatSettings settings = HeartbeatSettings.fromConfig(config, nodeName);
        HaCf cf = config.haCf();
        if (cf.autoFailback().value() == HaCf.AutoFailback.LEGACY) {
            warnings.add(new HeartbeatControl.Warning("warning",
                    "auto_failback legacy: resources go home whenever their node rejoins, without the stability handshake"));
        }
        if (cf.stonith().isEmpty() && cf.stonithHosts().isEmpty() && settings.nodes().size() == 2 && !settings.groups().isEmpty()) {
            warnings.add(new HeartbeatControl.Warning("warning",
                    "No STONITH device configured: after a false death both nodes may hold the resources"));
        }
        Authkeys ak = config.authkeys();
        List<AuthKey> keys = ak.entries().stream().map(Authkeys.Entry::key).toList();
        AuthKeys authKeys = AuthKeys.of(ak.signingKey().orElseThrow(() -> new IllegalArgumentException(
                ak.file() + ": no auth line selects a signing key")).index(), keys);
        // With a specific --bind address (several nodes on one host, as in the demo) that address alone
        // is this node's; otherwise every address of the machine is.
        String bind = ctx.options().bindAddress();
        Set<InetAddress> own = bind == null || bind.equals("0.0.0.0") ? localAddresses() : Set.of(InetAddress.getByName(bind));
        List<UdpMediumSpec> udpSpecs = new ArrayList<>();
        List<Medium.Serial> serial = new ArrayList<>();
        for (Medium m : cf.media()) {
            if (m instanceof Medium.Bcast b) {
                udpSpecs.add(new UdpMediumSpec.Bcast(b.device(), b.port()));
            } else if (m instanceof Medium.Ucast u) {
                InetAddress peer = resolve(u.peer(), u);
                // A line naming our own address is ignored, so one ha.cf serves every node (ucast.c).
                if (own.contains(peer)) continue;
                udpSpecs.add(new UdpMediumSpec.Ucast(u.device(), peer, u.port()));
            } else if (m instanceof Medium.Mcast mc) {
                udpSpecs.add(new UdpMediumSpec.Mcast(mc.device(), resolve(mc.group(), mc), mc.port(), mc.ttl(), mc.loop()));
            } else if (m instanceof Medium.Serial s) {
                serial.add(s);
            } else {
                throw new IllegalArgumentException(m.location() + ": " + m.directive() + " media are not supported by Vigil yet; "
                        + "use bcast, ucast, mcast or serial");
            }
        }
        if (udpSpecs.isEmpty() && serial.isEmpty()) {
            throw new IllegalArgumentException(cf.file() + ": no usable heartbeat medium for " + nodeName
                    + " (every ucast line names this node's own address)");
        }
        // Read (or create) the uuid here, off the loop, so a state-directory problem stops us before any socket opens.
        try {
            new FileStateStore(ctx.stateDir()).uuid();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage() + "; heartbeat not started");
        }
        alerts = HeartbeatAlerts.from(config.vigilConf(), settings.localNode(), ctx.scripts(), HB_LOG::warn);
        alerts.refusal().ifPresent(r -> warnings.add(new HeartbeatControl.Warning("warning", r)));
        Warmup.run();
        // Off the loop, like VRRP mode's prepare: the first Netlink.system() binds JNA and dumps the
        // addresses (29 ms cold), and jSerialComm's native library is copied out of the jar; on the loop
        // both showed as blocked-thread warnings at every start (CI log, 84-134 ms).
        dev.vigil.action.Netlink.system();
        if (!serial.isEmpty()) SerialNative.prepare(ctx.stateDir().resolve("native"));
        return new Prepared(config, settings, authKeys, udpSpecs, serial, warnings);
    }

    private List<HbLink> openSerial(DaemonContext ctx, Prepared p) throws IOException {
        if (p.serial().isEmpty()) return List.of(); // jSerialComm's library was prepared off the loop, in prepare()
        List<HbLink> links = new ArrayList<>();
        long stale = p.settings().deadtime().toNanos();
        for (Medium.Serial s : p.serial()) {
            SerialLink link = new SerialLink(s.device(), s.baud(), stale,
                    (l, bytes) -> ctx.scheduler().execute(() -> {
                        HeartbeatNode n = node;
                        if (n != null) n.receivedSerial(l.linkName(), bytes);
                    }),
                    (l, up, reason) -> {
                        if (up) HB_LOG.info("Serial link {} open", l.linkName());
                        else HB_LOG.warn("Serial link {} down: {}", l.linkName(), reason);
                    });
            serialLinks.add(link);
            link.start();
            links.add(HbLink.serial(link));
        }
        return links;
    }

    private Future<Void> startNode(DaemonContext ctx, Prepared p, List<HbLink> links) {
        HbCodec codec = new HbCodec(p.keys());
        KernelAddressActions addresses = new KernelAddressActions(ctx.scripts(), this::frameLink, List.of(), dev.vigil.action.Netlink.system());
        Path haDir = Files.isRegularFile(haDirectory.resolve("shellfuncs")) ? haDirectory : Path.of("/etc/ha.d");
        HaCf cf = p.config().haCf();
        HaResourceExecutor executor = new HaResourceExecutor(ctx.scripts(), addresses, searchPath(ctx),
                HaResourceExecutor.heartbeatEnvironment(haDir, p.settings().localNode(), cf.logFile().map(s -> s.value()),
                        cf.debugFile().map(s -> s.value())),
                alerts.mail(), p.settings().localNode());
        // vigil.conf's per-resource timeouts; without the file, ResourcePolicy.DEFAULTS (heartbeat's behaviour)
        executor.withPolicies(p.config().vigilConf()::policyFor);
        // Addresses a kill -9'd predecessor left on this host go before this node joins: otherwise the
        // peer that took the group over and this node both answer for it until a failback (found by the
        // namespace campaign: 6.6 s of double holding after a restart).
        io.vertx.core.Context loop = ctx.vertx().getOrCreateContext();
        List<String> allResources = p.config().haresources().groups().stream().flatMap(g -> g.resources().stream())
                .map(dev.vigil.config.heartbeat.Haresources.Resource::text).toList();
        // the scripts are read here, off the loop; the resource layer asks about them when it attaches
        java.util.concurrent.CompletionStage<Void> beforeStart = java.util.concurrent.CompletableFuture
                .runAsync(() -> executor.probeRestarts(allResources))
                .thenCompose(v -> releaseLeftoverAddresses(executor, p.config().haresources()));
        return Future.fromCompletionStage(beforeStart, loop)
                .compose(v -> startNodeNow(ctx, p, links, codec, executor));
    }

    /**
     * {@code stop} for every IPaddr/IPaddr2 resource whose address is on this host before the node has
     * started: at that moment this node holds nothing, so an address found is a leftover (kill -9 leaves
     * them, as keepalived's VIPs; keepalived removes its stale VIPs at start-up the same way). Only
     * addresses: a service script's status may be true for reasons outside the cluster.
     */
    static java.util.concurrent.CompletionStage<Void> releaseLeftoverAddresses(HaResourceExecutor executor,
                                                                             dev.vigil.config.heartbeat.Haresources haresources) {
        List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
        for (dev.vigil.config.heartbeat.Haresources.Group g : haresources.groups()) {
            if (g.resources().isEmpty()) continue;
            String group = g.resources().get(0).text();
            for (dev.vigil.config.heartbeat.Haresources.Resource r : g.resources()) {
                if (!r.script().equals("IPaddr") && !r.script().equals("IPaddr2")) continue;
                all.add(executor.run(group, r.text(), dev.vigil.heartbeat.rm.ResourceOp.STATUS).toCompletableFuture()
                        .thenCompose(st -> {
                            if (!st.running()) return java.util.concurrent.CompletableFuture.completedFuture(null);
                            HB_LOG.warn("{} is up on this node before heartbeat started (left by a previous run): releasing it",
                                    r.text());
                            return executor.run(group, r.text(), dev.vigil.heartbeat.rm.ResourceOp.STOP).toCompletableFuture()
                                    .thenApply(x -> (Void) null);
                        })
                        .completeOnTimeout(null, 30, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> {
                            HB_LOG.warn("could not check {} for a leftover address: {}", r.text(), e.toString());
                            return null;
                        }));
            }
        }
        return java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture[0]));
    }

    private Future<Void> startNodeNow(DaemonContext ctx, Prepared p, List<HbLink> links, HbCodec codec, HaResourceExecutor executor) {
        HeartbeatNode.Environment env = new HeartbeatNode.Environment(ctx.scheduler(), System::currentTimeMillis,
                new LoadAverage(), new SplittableRandom(new SecureRandom().nextLong()), HB_LOG);
        HeartbeatNode n = new HeartbeatNode(p.settings(), links, codec, executor, new FileStateStore(ctx.stateDir()), env);
        try {
            n.start();
        } catch (HeartbeatNode.StartException e) {
            return Future.failedFuture(e.getMessage() + "; heartbeat not started");
        }
        n.subscribeAlerts(alerts);
        node = n;
        resourceLayer = HeartbeatResourceLayer.attach(n, p.config().vigilConf(), executor, executor.journal(), ctx.scheduler(),
                LoggerFactory.getLogger("vigil.resources"));
        List<String> resources = p.config().haresources().groups().stream().flatMap(g -> g.resources().stream())
                .map(dev.vigil.config.heartbeat.Haresources.Resource::text).toList();
        java.util.Set<String> devices = HaResourceExecutor.addressDevices(resources);
        if (!devices.isEmpty()) ctx.vertx().executeBlocking(() -> {
            devices.forEach(this::frameLink); // open now: the first takeover's gratuitous ARP must not wait for it
            return null;
        });
        HB_LOG.info("Heartbeat (Vigil) started as {} with media {}, generation {}", n.localNode(), n.linkNames(), n.generation());
        return Future.succeededFuture();
    }

    /** Where resource scripts are looked up ({@link HaResourceExecutor#searchPath}). */
    List<Path> searchPath(DaemonContext ctx) {
        return HaResourceExecutor.searchPath(ctx.options().resourceDirs(), Optional.of(haDirectory));
    }

    /** A raw frame link for gratuitous ARP; without pcap (or the privilege) addresses still move, unannounced. */
    private FrameLink frameLink(String device) {
        return frameLinks.computeIfAbsent(device, d -> {
            try {
                return Optional.of(PcapLink.open(d, "arp", f -> { }));
            } catch (RuntimeException | LinkageError e) {
                HB_LOG.warn("Cannot send gratuitous ARP on {} ({}); addresses move without announcement", d, e.getMessage());
                return Optional.empty();
            }
        }).orElse(null);
    }

    @Override
    public ControlApi api() {
        HeartbeatControl c = control;
        if (c == null) throw new IllegalStateException("heartbeat mode is not started");
        return c;
    }

    @Override
    public Future<Void> stop() {
        HeartbeatNode n = node;
        if (n == null) {
            closeMedia();
            HeartbeatAlerts a = alerts;
            if (a != null) a.close();
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        n.shutdown().whenComplete((v, e) -> context.context().runOnContext(x -> {
            HeartbeatResourceLayer l = resourceLayer;
            if (l != null) l.close();
            closeMedia();
            // release mails (MailTo's "Migrating resource away") and last notify runs get a few seconds, off the loop
            context.vertx().executeBlocking(() -> {
                closeAlerts();
                return null;
            }).onComplete(r -> done.complete());
        }));
        return done.future();
    }

    private void closeAlerts() {
        HeartbeatAlerts a = alerts;
        if (a == null) return;
        a.mail().ifPresent(m -> {
            if (!m.drain(Duration.ofSeconds(5))) HB_LOG.warn("mail: {} alert(s) not sent at exit", m.queued());
        });
        a.close(Duration.ofSeconds(2));
    }

    private void closeMedia() {
        if (udp != null) udp.close();
        for (SerialLink s : serialLinks) s.close();
        serialLinks.clear();
        for (Optional<FrameLink> f : frameLinks.values()) {
            f.ifPresent(l -> {
                if (l instanceof PcapLink p) p.close();
            });
        }
    }

    static HeartbeatControl.ConfigSummary summary(HaCf cf) {
        return new HeartbeatControl.ConfigSummary(cf.keepalive().value(), cf.deadtime().value(), cf.warntime().value(),
                cf.initdead().value(), cf.udpPort().value(), cf.autoFailback().value().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code uname -n}: the kernel's node name of this UTS namespace. */
    static String hostname() throws IOException {
        Path p = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(p)) return Files.readString(p, StandardCharsets.US_ASCII).strip();
        return InetAddress.getLocalHost().getHostName();
    }

    private static InetAddress resolve(String host, Medium m) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(m.location() + ": cannot resolve " + host);
        }
    }

    private static Set<InetAddress> localAddresses() throws SocketException {
        Set<InetAddress> out = new HashSet<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            out.addAll(Collections.list(nif.getInetAddresses()));
        }
        return out;
    }

    /** The {@code ld} field: the first line of {@code /proc/loadavg}, read at most every second. */
    private static final class LoadAverage implements java.util.function.Supplier<String> {
        private String value = "n/a";
        private long readAt = Long.MIN_VALUE;

        @Override
        public String get() {
            long now = System.nanoTime();
            if (readAt == Long.MIN_VALUE || now - readAt > 1_000_000_000L) {
                readAt = now;
                try {
                    value = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
                } catch (IOException e) {
                    value = "n/a"; // what heartbeat writes when it cannot read it
                }
            }
            return value;
        }
    }

    /** @return the running node (null before start), for tests */
    HeartbeatNode node() {
        return node;
    }
}
