package dev.vigil.vrrp;

import dev.vigil.action.KernelAddressActions;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.keepalived.KeepalivedChecks;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.console.ControlApi;
import dev.vigil.core.Scheduler;
import dev.vigil.daemon.DaemonContext;
import dev.vigil.daemon.ModeDaemon;
import dev.vigil.transport.FrameInbox;
import dev.vigil.transport.FrameLink;
import dev.vigil.transport.bpf.BpfUnavailableException;
import dev.vigil.transport.pcap.EpollFrameReader;
import dev.vigil.transport.pcap.KernelAdvertWatch;
import dev.vigil.transport.pcap.PcapDoorbell;
import dev.vigil.transport.pcap.PcapLink;
import dev.vigil.transport.pcap.PcapUnavailableException;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP mode: keepalived.conf's VRRP side run by the {@link VrrpRouter} on the daemon's event loop,
 * with raw frames through pcap ({@link PcapLink}, one per interface, its own receive thread handing
 * frames to the loop), addresses through {@code ip addr} ({@link KernelAddressActions}), track and
 * notify scripts through the daemon's {@link dev.vigil.action.ScriptRunner}, link states polled from
 * sysfs ({@link LinkWatcher}).
 *
 * <p>Start-up refuses, with one line an operator can act on, a config with errors (its
 * {@code file:line:col} lines), missing capabilities (CAP_NET_RAW for raw frames, CAP_NET_ADMIN for
 * addresses) and a missing libpcap.
 */
public final class VrrpDaemon implements ModeDaemon {

    private static final Logger log = LoggerFactory.getLogger(VrrpDaemon.class);
    /** VRRP both families, and ARP to learn unicast peers' MAC addresses (only where there are unicast peers). */
    static final String BPF_FILTER = "ip proto 112 or ip6 proto 112 or arp";
    static final String BPF_FILTER_NO_ARP = "ip proto 112 or ip6 proto 112";
    /**
     * The doorbell of a quiet reader: a priority-0 advert (byte 2 of the VRRP header, both versions;
     * IPv6 adverts carry no extension headers), after which a backup takes over in Skew_Time.
     */
    public static final String PRIORITY_ZERO_FILTER = "(ip proto 112 and vrrp[2] = 0) or (ip6 proto 112 and ip6[42] = 0)";
    /**
     * Whether a link whose instances are all backups is read quietly ({@link EpollFrameReader#setQuiet}):
     * {@code -Dvigil.vrrp.quietBackupReads=false} reads every frame as it comes, as keepalived does.
     */
    static final boolean QUIET_BACKUP_READS = Boolean.parseBoolean(System.getProperty("vigil.vrrp.quietBackupReads", "true"));
    /**
     * Whether a quiet reader's link gets the kernel advert watch ({@link KernelAdvertWatch}), which
     * absorbs a steady master's repeated adverts and times Master_Down in the kernel:
     * {@code -Dvigil.vrrp.kernelAdvertWatch=false} leaves a backup waking once per Master_Down.
     */
    static final boolean KERNEL_ADVERT_WATCH = Boolean.parseBoolean(System.getProperty("vigil.vrrp.kernelAdvertWatch", "true"));
    /** The longest a quiet reader leaves its ring unread when nothing else reads it. */
    static final long LONGEST_UNREAD_LIMIT_NANOS = 2_000_000_000L;
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;
    /** How long the stop waits for resource groups (systemd's default TimeoutStopSec is 90 s). */
    static final long RESOURCE_STOP_LIMIT_SECONDS = 85;

    private final Path file;
    private final KeepalivedConfig config;
    private final Map<String, PcapLink> links = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<EpollFrameReader> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, EpollFrameReader> quietReaders = new java.util.concurrent.ConcurrentHashMap<>();
    /** The loop the readers run on (null until a polled link is open): they are closed there. */
    private volatile io.netty.channel.EventLoop readingLoop;
    private final List<PcapDoorbell> doorbells = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, KernelAdvertWatch> watches = new java.util.concurrent.ConcurrentHashMap<>();
    /** The loop's registrations of the watches' wake-up descriptors, closed on the loop with the readers. */
    private final Map<String, AutoCloseable> watchWakes = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * How long the link watcher's netlink read waits before it looks whether it was closed. Only a
     * stop needs that look (the descriptor is released when the read returns), and each timeout is a
     * wake-up of its own: 5 s cost an idle backup 0.2 wake-ups a second at ~300 µs each
     * (docs/benchmarks.md, VRRP profiling, session 11).
     */
    static final int LINK_EVENTS_WAIT_MILLIS = 60_000;
    private final AtomicReference<VrrpRouter> live = new AtomicReference<>();
    private final LagMeter receiveLag = new LagMeter();
    private VrrpRouter router;
    private VrrpControl control;
    private VrrpResourceLayer resources;
    private VrrpNotifier notifier;
    private VrrpMailAlerts mailAlerts;
    private LinkWatcher watcher;
    private DaemonContext context;
    private volatile boolean stopping;

    private VrrpDaemon(Path file, KeepalivedConfig config) {
        this.file = file;
        this.config = config;
    }

    /**
     * Reads and checks the configuration, as {@code vigil check} would.
     *
     * @throws IllegalArgumentException listing every error as {@code file:line:col: error: message}
     */
    public static VrrpDaemon load(Path keepalivedConf) {
        if (!Files.isRegularFile(keepalivedConf)) {
            throw new IllegalArgumentException("cannot read " + keepalivedConf + ": no such file");
        }
        ParseResult<KeepalivedConfig> r = new KeepalivedParser().parse(keepalivedConf);
        Diagnostics all = new Diagnostics();
        all.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), all);
        refuseOnErrors(keepalivedConf, all);
        if (r.model().instances().isEmpty()) {
            throw new IllegalArgumentException(keepalivedConf + " has no vrrp_instance: nothing to run in VRRP mode");
        }
        return new VrrpDaemon(keepalivedConf, r.model());
    }

    private static void refuseOnErrors(Path file, Diagnostics d) {
        for (Diagnostic w : d.sorted()) if (!w.isError()) log.warn("{}", w.format());
        if (!d.hasErrors()) return;
        String lines = d.sorted().stream().filter(Diagnostic::isError).map(Diagnostic::format).collect(Collectors.joining("\n"));
        throw new IllegalArgumentException(file + " has " + d.errorCount() + " error(s); not starting:\n" + lines);
    }

    @Override
    public boolean prefersNativeTransport() {
        return true;
    }

    @Override
    public String mode() {
        return "vrrp";
    }

    @Override
    public ControlApi api() {
        return control;
    }

    /** What start-up prepares off the event loop. */
    /** A frame as the pcap thread got it, stamped for {@link #receiveLag}. */
    private record Arrival(byte[] frame, long nanos) {
    }

    private record Prepared(VrrpNodeConfig node, Set<String> maintenance, ScriptRunnerTrackExecutor tracks, Map<String, Boolean> initialLinks,
                            KernelAddressActions addresses,
                            java.util.Optional<dev.vigil.heartbeat.resources.HaResourceExecutor> resourceExecutor) {
    }

    @Override
    public Future<Void> start(DaemonContext ctx) {
        this.context = ctx;
        return ctx.vertx().executeBlocking(() -> prepare(ctx)).compose(p -> {
            KernelAddressActions addresses = p.addresses();
            Scheduler loop = ctx.scheduler();
            router = new VrrpRouter(p.node(), loop, new VrrpIo(dev -> (FrameLink) links.get(dev), addresses, p.tracks()),
                    Clock.systemUTC());
            router.setPendingInput(() -> readers.forEach(EpollFrameReader::readPending));
            if (!watches.isEmpty()) router.setAdvertWatch(new DeviceAdvertWatches());
            if (!quietReaders.isEmpty()) {
                VrrpRouter r = router;
                router.addListener(new VrrpRouter.Listener() {
                    @Override
                    public void instanceTransition(VrrpRouter.InstanceTransition t) {
                        // after the transition's own actions, not among them (a reader told to watch
                        // again reads what waits, and those frames would re-enter the instance)
                        loop.execute(() -> quietReaders.forEach((dev, reader) -> reader.setQuiet(!r.masterOn(dev))));
                    }
                });
            }
            router.addListener(notifier);
            if (mailAlerts != null) router.addListener(mailAlerts);
            control = new VrrpControl(router, notifier::disabledScripts, receiveLag::toJson);
            SplitBrainWatch splitBrain = new SplitBrainWatch(router).onSplitBrain(sb -> log.warn("{}", sb.text()))
                    .onSplitBrain(control::splitBrain);
            if (mailAlerts != null) splitBrain.onSplitBrain(mailAlerts::splitBrain);
            p.initialLinks().forEach(router::onInterfaceState);
            restoreMaintenance(ctx, p.maintenance());
            p.resourceExecutor().ifPresent(exec -> attachResources(ctx, exec));
            live.set(router);
            watcher.start();
            long delay = config.globalDefs().startupDelay().map(Duration::toNanos).orElse(0L);
            if (delay > 0) {
                // vrrp_startup_delay: keepalived waits this long before its instances start (after a boot,
                // for the network to settle); frames arriving meanwhile are ignored by the unstarted router
                log.info("Delaying startup for {} ms (vrrp_startup_delay)", delay / 1_000_000);
                loop.schedule(delay, () -> {
                    if (!stopping) router.start();
                });
            } else {
                router.start();
            }
            WarmUp.startCompilingHotPaths();
            log.info("VRRP mode: {} instance(s), {} sync group(s) from {}", p.node().instances().size(),
                    p.node().syncGroups().size(), file);
            return Future.<Void>succeededFuture();
        }).recover(e -> {
            closeLinks();
            return Future.failedFuture(e instanceof StartRefused ? e.getMessage()
                    : "VRRP mode cannot start: " + e.getMessage());
        });
    }

    /**
     * Vigil's {@code vigil_resources} groups: run with heartbeat's resource executor (resource.d
     * and init.d scripts, in-process IPaddr/IPaddr2), started and stopped with their instance.
     */
    /**
     * The executor of the {@code vigil_resources} groups, built off the event loop: it finds and reads
     * the resource scripts (whether each has its own {@code restart}) and the host name.
     */
    private java.util.Optional<dev.vigil.heartbeat.resources.HaResourceExecutor> prepareResources(DaemonContext ctx,
                                                                                                 KernelAddressActions addresses) {
        if (!VrrpResourceLayer.configured(config)) return java.util.Optional.empty();
        String host = hostName();
        Path confDir = file.toAbsolutePath().getParent();
        dev.vigil.heartbeat.resources.HaResourceExecutor exec = new dev.vigil.heartbeat.resources.HaResourceExecutor(ctx.scripts(),
                addresses, dev.vigil.heartbeat.resources.HaResourceExecutor.searchPath(ctx.options().resourceDirs(),
                        java.util.Optional.ofNullable(confDir)),
                dev.vigil.heartbeat.resources.HaResourceExecutor.heartbeatEnvironment(Path.of("/etc/ha.d"), host,
                        java.util.Optional.empty(), java.util.Optional.empty()),
                java.util.Optional.empty(), host);
        List<String> names = VrrpResourceLayer.owners(config).stream()
                .flatMap(o -> o.group().resources().stream()).map(dev.vigil.config.heartbeat.Haresources.Resource::text).toList();
        return java.util.Optional.of(exec.probeRestarts(names));
    }

    private void attachResources(DaemonContext ctx, dev.vigil.heartbeat.resources.HaResourceExecutor exec) {
        resources = VrrpResourceLayer.attach(router, config, exec, exec.journal(), ctx.scheduler(),
                LoggerFactory.getLogger("vigil.resources"), control::resourceEvent);
        control.setResources(resources.supervisor());
    }

    /**
     * Instances put into maintenance before the restart start in FAULT (they never advertise), and every
     * later fault/recover is written back, off the loop and in order.
     */
    private void restoreMaintenance(DaemonContext ctx, Set<String> names) {
        MaintenanceStore store = new MaintenanceStore(ctx.stateDir());
        Set<String> kept = new java.util.TreeSet<>();
        for (String name : names) {
            if (router.instance(name).isPresent()) {
                router.setMaintenance(name, true);
                kept.add(name);
                log.info("({}) in maintenance since before this start ({}): FAULT until `vigil recover {}`", name, store.file(), name);
            } else {
                log.warn("{} lists {}, which is no vrrp_instance in {} any more; dropped from maintenance", store.file(), name, file);
            }
        }
        if (!kept.equals(names)) writeMaintenance(ctx, store, kept);
        control.onMaintenanceChange(set -> writeMaintenance(ctx, store, set));
    }

    private static void writeMaintenance(DaemonContext ctx, MaintenanceStore store, Set<String> names) {
        ctx.vertx().executeBlocking(() -> {
            store.write(names);
            return null;
        }).onFailure(e -> log.error("cannot write {}: {}; maintenance will not survive a restart", store.file(), e.getMessage()));
    }

    /**
     * The device's frames, read on the event loop itself when it runs on epoll (one wake-up per burst,
     * no thread hand-over), else by a receive thread whose frames reach the loop through a
     * {@link FrameInbox}. docs/benchmarks.md (VRRP mode, profiling) has the measurements behind it.
     */
    private PcapLink openLink(DaemonContext ctx, Scheduler loop, VrrpNodeConfig node, String dev) {
        long holdOffNanos = readHoldOffNanos(node, dev);
        String filter = unicastOn(node, dev) ? BPF_FILTER : BPF_FILTER_NO_ARP;
        if (ctx.vertx().isNativeTransportEnabled()) {
            PcapLink polled = null;
            PcapDoorbell bell = null;
            try {
                PcapLink link = polled = PcapLink.openPolled(dev, filter);
                io.netty.channel.EventLoop netty = ((io.vertx.core.internal.ContextInternal) ctx.context()).nettyEventLoop();
                readingLoop = netty;
                long longestUnread = QUIET_BACKUP_READS ? longestUnreadNanos(node, dev, link.receiveRingFramesAtLeast()) : 0;
                if (longestUnread > 0 && holdOffNanos > 0) {
                    try {
                        bell = PcapDoorbell.open(dev, PRIORITY_ZERO_FILTER);
                    } catch (PcapUnavailableException e) {
                        // without it a priority-0 advert would wait for the next read: read every frame instead
                        log.warn("{}: no doorbell for priority-0 adverts ({}); backups read every frame as it comes", dev, e.getMessage());
                        longestUnread = 0;
                    }
                }
                if (longestUnread > 0 && KERNEL_ADVERT_WATCH && openAdvertWatch(netty, link, dev, filter.equals(BPF_FILTER))) {
                    longestUnread = longestUnreadWatchedNanos(node, dev, link.receiveRingFramesAtLeast());
                }
                var reader = EpollFrameReader.attach(netty, link, holdOffNanos, bell, longestUnread, new EpollFrameReader.Receiver() {
                    /** The router the read began with: a read is one batch for it (VrrpRouter.beginFrames). */
                    private VrrpRouter reading;

                    @Override
                    public void frame(byte[] frame, long capturedAt) {
                        // from capture to the start of the read that hands it over (a clock read per read, not per frame)
                        receiveLag.record(Math.max(0, link.currentDrainNanos() - capturedAt));
                        if (reading != null) reading.onFrame(dev, frame, capturedAt);
                    }

                    @Override
                    public void readBegins() {
                        reading = live.get();
                        if (reading != null) reading.beginFrames();
                    }

                    @Override
                    public void readEnds() {
                        VrrpRouter r = reading;
                        reading = null;
                        if (r != null) r.endFrames();
                    }
                });
                if (reader.isPresent()) {
                    readers.add(reader.get());
                    if (longestUnread > 0) quietReaders.put(dev, reader.get());
                    if (bell != null) doorbells.add(bell);
                    return link;
                }
            } catch (PcapUnavailableException | IllegalStateException e) {
                log.warn("{}: frames through a receive thread instead: {}", dev, e.getMessage());
            }
            if (bell != null) bell.close();
            closeAdvertWatch(dev);
            if (polled != null) polled.close();
        }
        FrameInbox<Arrival> inbox = new FrameInbox<>(loop::execute, a -> {
            receiveLag.record(System.nanoTime() - a.nanos());
            VrrpRouter r = live.get();
            if (r != null) r.onFrame(dev, a.frame(), a.nanos());
        }, e -> log.error("frame on {} not handled: {}", dev, e.toString(), e));
        return PcapLink.open(dev, filter, frame -> {
            if (live.get() != null) inbox.offer(new Arrival(frame, System.nanoTime()));
        });
    }

    /**
     * The kernel advert watch on a quiet reader's capture, its wake-up descriptor watched by the
     * loop. Without it (a kernel before 5.15, no CAP_BPF) the link works as before, one line says why.
     */
    private boolean openAdvertWatch(io.netty.channel.EventLoop netty, PcapLink link, String dev, boolean keepArp) {
        KernelAdvertWatch watch;
        try {
            watch = KernelAdvertWatch.attach(link, keepArp);
        } catch (BpfUnavailableException e) {
            log.info("{}: no kernel advert watch ({}); a backup wakes once per Master_Down interval", dev, e.getMessage());
            return false;
        }
        java.util.Optional<AutoCloseable> wake;
        try {
            wake = EpollFrameReader.watchReadable(netty, watch.wakeFd(), dev + "'s advert watch", () -> {
                if (!watch.takeExpiries()) return;
                VrrpRouter r = live.get();
                if (r != null) r.onAdvertWatchExpired(dev);
            });
        } catch (IllegalStateException e) {
            wake = java.util.Optional.empty();
        }
        if (wake.isEmpty()) {
            watch.close();
            return false;
        }
        watches.put(dev, watch);
        watchWakes.put(dev, wake.get());
        log.info("{}: a backup's repeated adverts are absorbed and timed in the kernel (eBPF advert watch)", dev);
        return true;
    }

    /** Undoes {@link #openAdvertWatch} when the polled link is given up for a receive thread. */
    private void closeAdvertWatch(String dev) {
        AutoCloseable wake = watchWakes.remove(dev);
        if (wake != null) {
            try {
                wake.close();
            } catch (Exception e) {
                log.debug("advert watch wake-up: {}", e.toString());
            }
        }
        KernelAdvertWatch w = watches.remove(dev);
        if (w != null) w.close();
    }

    /** The router's view of the per-device watches; a kernel refusal is logged and reads as nothing absorbed. */
    private final class DeviceAdvertWatches implements AdvertWatch {
        @Override
        public boolean arm(String iface, int vrid, boolean ipv6, byte[] frame, long masterDownNanos) {
            KernelAdvertWatch w = watches.get(iface);
            if (w == null) return false;
            try {
                return w.arm(vrid, ipv6, frame, masterDownNanos);
            } catch (BpfUnavailableException e) {
                log.warn("{}: cannot arm the advert watch for VRID {}: {}", iface, vrid, e.getMessage());
                return false;
            }
        }

        @Override
        public Absorbed peek(String iface, int vrid, boolean ipv6) {
            KernelAdvertWatch w = watches.get(iface);
            return w == null ? Absorbed.NONE : absorbed(w.peek(vrid, ipv6));
        }

        @Override
        public Absorbed disarm(String iface, int vrid, boolean ipv6) {
            KernelAdvertWatch w = watches.get(iface);
            if (w == null) return Absorbed.NONE;
            try {
                return absorbed(w.disarm(vrid, ipv6));
            } catch (BpfUnavailableException e) {
                log.error("{}: cannot disarm the advert watch for VRID {}: {}", iface, vrid, e.getMessage());
                return Absorbed.NONE;
            }
        }

        private static Absorbed absorbed(long[] countAndLast) {
            return countAndLast[0] == 0 ? Absorbed.NONE : new Absorbed(countAndLast[0], countAndLast[1]);
        }
    }

    /**
     * How long a batching reader on {@code dev} may leave a frame unread: a twentieth of the shortest
     * advert interval of the instances there (5 ms at 0.1 s, 0.5 ms at 0.01 s), at most 10 ms. A
     * backup's takeover is timed from the frame's capture, not its reading, and timers read pending
     * frames first, so the wait only delays a master's step-down to a better advert by at most this.
     */
    static long readHoldOffNanos(VrrpNodeConfig node, String dev) {
        long shortest = Long.MAX_VALUE;
        for (VrrpInstanceSpec i : node.instances()) {
            if (i.interfaceName().equals(dev)) shortest = Math.min(shortest, i.settings().advertIntervalCentis() * 10_000_000L);
        }
        if (shortest == Long.MAX_VALUE) return 0; // a device only for addresses: its frames are ARP, rare
        return Math.min(shortest / 20, 10_000_000L);
    }

    /** Whether an instance on {@code dev} has unicast peers, whose MAC addresses come from ARP. */
    static boolean unicastOn(VrrpNodeConfig node, String dev) {
        for (VrrpInstanceSpec i : node.instances()) {
            if (i.interfaceName().equals(dev) && i.settings().unicast()) return true;
        }
        return false;
    }

    /**
     * How long a quiet reader on {@code dev} may leave its ring unread: a quarter of the ring at twice
     * the advert rate of the instances there (a master of each, and as much again from other senders),
     * at most {@link #LONGEST_UNREAD_LIMIT_NANOS}, at least the hold-off. 128 ms for 100 instances at
     * 0.1 s in a ring of 1 024 frames; the limit for one. The ring's drop count backs it: a reader
     * that overflows reads on readiness from then on.
     */
    static long longestUnreadNanos(VrrpNodeConfig node, String dev, int ringFrames) {
        double perSecond = 0;
        for (VrrpInstanceSpec i : node.instances()) {
            if (i.interfaceName().equals(dev)) perSecond += 100.0 / i.settings().advertIntervalCentis();
        }
        if (perSecond == 0) return LONGEST_UNREAD_LIMIT_NANOS; // a device only for addresses
        long nanos = (long) (ringFrames / 4.0 / (2 * perSecond) * 1e9);
        return Math.max(readHoldOffNanos(node, dev), Math.min(LONGEST_UNREAD_LIMIT_NANOS, nanos));
    }

    /** The longest a quiet reader with a kernel advert watch leaves its ring unread. */
    static final long LONGEST_UNREAD_WATCHED_LIMIT_NANOS = 10_000_000_000L;

    /**
     * {@link #longestUnreadNanos} for a device whose backups the kernel advert watch times: their
     * masters' repeated adverts never reach the ring, so a quarter of it is sized for the other
     * senders alone (as many again as the instances there), at most
     * {@link #LONGEST_UNREAD_WATCHED_LIMIT_NANOS}. The read no longer serves Master_Down (the watch
     * wakes the loop for that); a frame that got past the watch waits at most this long, or until
     * the watched master's silence, whichever comes first, and the ring's drop count still ends
     * quiet reading if it overflows. 10 s for one instance, 256 ms for 100 at 0.1 s in 1 024 frames.
     */
    static long longestUnreadWatchedNanos(VrrpNodeConfig node, String dev, int ringFrames) {
        double perSecond = 0;
        for (VrrpInstanceSpec i : node.instances()) {
            if (i.interfaceName().equals(dev)) perSecond += 100.0 / i.settings().advertIntervalCentis();
        }
        if (perSecond == 0) return LONGEST_UNREAD_WATCHED_LIMIT_NANOS;
        long nanos = (long) (ringFrames / 4.0 / perSecond * 1e9);
        return Math.max(readHoldOffNanos(node, dev), Math.min(LONGEST_UNREAD_WATCHED_LIMIT_NANOS, nanos));
    }

    /** A one-line refusal, printed as it is. */
    private static final class StartRefused extends RuntimeException {
        StartRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** Script checks for the daemon: keepalived's enable_script_security rule, always on in Vigil. */
    static ScriptSecurity scriptSecurity(dev.vigil.config.keepalived.GlobalDefs g) {
        return new ScriptSecurity(true, g.scriptUser());
    }

    private Prepared prepare(DaemonContext ctx) {
        requireCapabilities();
        SystemInterfaceInfo host = new SystemInterfaceInfo();
        Diagnostics d = new Diagnostics();
        VrrpNodeConfig node = KeepalivedMapping.map(config, host, d);
        try {
            refuseOnErrors(file, d);
        } catch (IllegalArgumentException e) {
            throw new StartRefused(e.getMessage());
        }
        var g = config.globalDefs();
        mailAlerts = VrrpMailAlerts.from(config, hostName(), line -> log.warn("smtp alert: {}", line));
        // Vigil checks scripts as keepalived's enable_script_security does whether or not the file asks
        // for it (issue 8's security rules): a script a non-root user can change is a root shell for them.
        if (!g.enableScriptSecurity() && hasScripts(node)) {
            log.info("script security is on (Vigil always applies enable_script_security): unsafe scripts are disabled");
        }
        ScriptSecurity security = scriptSecurity(g);
        if (security.defaultUser().isEmpty() && hasScripts(node)) {
            log.warn("Unable to set default user keepalived_script for script; scripts run as root unless script_user says otherwise");
        }
        notifier = new VrrpNotifier(config, security, ctx.scripts());
        ScriptRunnerTrackExecutor tracks = new ScriptRunnerTrackExecutor(ctx.scripts(), security);
        tracks.checkAll(node.scripts());

        Set<String> devices = new LinkedHashSet<>();
        for (VrrpInstanceSpec i : node.instances()) {
            devices.add(i.interfaceName());
            i.addresses().forEach(a -> devices.add(a.device()));
        }
        Scheduler loop = ctx.scheduler();
        for (String dev : devices) {
            if (!host.exists(dev)) continue; // an excluded address on a missing device: its add fails and is logged
            try {
                links.put(dev, openLink(ctx, loop, node, dev));
            } catch (PcapUnavailableException e) {
                throw new StartRefused(e.getMessage());
            }
        }
        Set<String> tracked = new LinkedHashSet<>();
        for (VrrpInstanceSpec i : node.instances()) {
            i.settings().trackedInterfaces().forEach(t -> tracked.add(t.name()));
        }
        tracked.remove(VrrpRouter.MAINTENANCE_INTERFACE);
        tracked.remove(VrrpRouter.RESOURCES_INTERFACE);
        watcher = new LinkWatcher(new ArrayList<>(tracked), SystemInterfaceInfo::linkUp, loop, (dev, up) -> {
            log.info("Netlink reports {} {}", dev, up ? "up" : "down");
            VrrpRouter r = live.get();
            if (r != null) r.onInterfaceState(dev, up);
        }, 500, tracked.isEmpty() ? java.util.Optional.empty() : dev.vigil.action.NetlinkLinkEvents.open(LINK_EVENTS_WAIT_MILLIS));
        WarmUp.run(ctx.vertx());
        // rtnetlink in-process, as keepalived adds its VIPs: starting an `ip` process per change was the
        // whole gap between Vigil's and keepalived's "kill -9 -> VIP up" (docs/benchmarks.md, VRRP mode).
        // Built here, off the loop: the first Netlink.system() binds JNA and dumps the addresses once.
        KernelAddressActions addresses = new KernelAddressActions(ctx.scripts(), links::get, List.of(),
                dev.vigil.action.Netlink.system());
        Set<String> maintenance;
        try {
            maintenance = new MaintenanceStore(ctx.stateDir()).read();
        } catch (IOException e) {
            throw new StartRefused("cannot read " + new MaintenanceStore(ctx.stateDir()).file() + ": " + e.getMessage()
                    + "; fix or remove it (it lists the instances kept in maintenance)");
        }
        return new Prepared(node, maintenance, tracks, watcher.readAll(), addresses, prepareResources(ctx, addresses));
    }

    private static boolean hasScripts(VrrpNodeConfig node) {
        return !node.scripts().isEmpty();
    }

    /**
     * Raw frames need CAP_NET_RAW, {@code ip addr} needs CAP_NET_ADMIN; say which is missing before
     * anything half-starts (the effective set in /proc/self/status).
     */
    private static void requireCapabilities() {
        long eff;
        try {
            String hex = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:")).map(l -> l.substring(7).trim()).findFirst().orElse(null);
            if (hex == null) return;
            eff = Long.parseUnsignedLong(hex, 16);
        } catch (IOException | NumberFormatException e) {
            return; // not Linux-like: let the operations themselves fail
        }
        List<String> missing = new ArrayList<>();
        if ((eff & (1L << CAP_NET_RAW)) == 0) missing.add("CAP_NET_RAW (raw VRRP frames)");
        if ((eff & (1L << CAP_NET_ADMIN)) == 0) missing.add("CAP_NET_ADMIN (adding virtual addresses)");
        if (!missing.isEmpty()) {
            throw new StartRefused("VRRP mode needs " + String.join(" and ", missing)
                    + ": run as root, or grant them (systemd: AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN;"
                    + " shell: setpriv --inh-caps +net_raw,+net_admin --ambient-caps +net_raw,+net_admin)");
        }
    }

    /** keepalived's default router_id and mail sender use the host name (read off the loop). */
    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    @Override
    public Future<Void> stop() {
        if (router == null) {
            closeLinks();
            return Future.succeededFuture();
        }
        stopping = true;
        log.info("Stopping: masters send priority 0 and release their addresses");
        if (watcher != null) watcher.close();
        java.util.concurrent.CompletableFuture<Void> released;
        try {
            released = router.shutdown();
        } catch (RuntimeException e) {
            log.warn("clean stop failed: {}", e.toString());
            released = java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        // ip addr del has its own 5 s limit; this only guards against a bug leaving the process up
        released = released.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS);
        if (resources != null) {
            // vigil_resources groups still up are stopped right to left; each stop has its own timeout
            released = released.exceptionally(e -> null).thenCombine(resources.stopAll()
                    .orTimeout(RESOURCE_STOP_LIMIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(e -> {
                        log.warn("resource groups still stopping after {} s; exiting anyway", RESOURCE_STOP_LIMIT_SECONDS);
                        return null;
                    }), (a, b) -> null);
        }
        return Future.fromCompletionStage(released, context.context()).otherwiseEmpty()
                .compose(x -> {
                    if (resources != null) resources.close();
                    return Future.succeededFuture();
                })
                .compose(x -> context.vertx().executeBlocking(() -> {
                    // STOP notifications must get to run before the process goes (keepalived forks them and exits)
                    notifier.awaitPending(Duration.ofSeconds(5));
                    if (mailAlerts != null) mailAlerts.close();
                    closeLinks();
                    log.info("Stopped");
                    return null;
                })).mapEmpty();
    }

    private void closeReaders(List<EpollFrameReader> open) {
        open.forEach(EpollFrameReader::close);
        for (AutoCloseable w : watchWakes.values()) {
            try {
                w.close();
            } catch (Exception e) {
                log.debug("advert watch wake-up: {}", e.toString());
            }
        }
        watchWakes.clear();
    }

    private void closeLinks() {
        List<EpollFrameReader> open = List.copyOf(readers);
        readers.clear();
        quietReaders.clear();
        // The loop reads the rings (readiness, hold-off polls, quiet reads): its readers are stopped on
        // the loop itself before pcap_close frees a ring, or a read in flight would touch freed memory
        // (a SIGSEGV in libpcap, seen when a stop and a read crossed).
        io.netty.channel.EventLoop loop = readingLoop;
        if (loop != null && !loop.inEventLoop() && !loop.isShuttingDown() && !open.isEmpty()) {
            if (!loop.submit(() -> closeReaders(open)).awaitUninterruptibly(5_000)) {
                log.warn("the event loop did not stop its frame readers within 5 s; closing the captures anyway");
            }
        } else {
            closeReaders(open);
        }
        for (var b : doorbells) b.close();
        doorbells.clear();
        for (PcapLink l : links.values()) l.close();
        links.clear();
        for (KernelAdvertWatch w : watches.values()) w.close();
        watches.clear();
        if (watcher != null) watcher.close();
    }
}
