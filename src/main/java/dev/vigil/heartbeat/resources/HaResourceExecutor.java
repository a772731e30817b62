package dev.vigil.heartbeat.resources;

import dev.vigil.action.AddressActions;
import dev.vigil.action.ScriptInvocation;
import dev.vigil.action.ScriptResult;
import dev.vigil.action.ScriptRunner;
import dev.vigil.action.VirtualAddress;
import dev.vigil.action.mail.Alert;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.heartbeat.ResourceExecutor;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceOp;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.resource.HeartbeatStatusRule;
import dev.vigil.resource.OpOutcome;
import dev.vigil.resource.ResourceJournal;
import dev.vigil.resource.ResourceOperation;
import dev.vigil.resource.ResourceOps;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs haresources resources the way heartbeat's {@code /usr/share/heartbeat/ResourceManager}
 * does (research heartbeat.md §4.3), except that addresses are moved in-process.
 *
 * <ul>
 *   <li>{@code IPaddr} / {@code IPaddr2} ({@code ip[/bits[/iface[/broadcast]]]}, and a bare dotted
 *       address): {@code ip addr add} plus a gratuitous ARP sent from the JVM, a few milliseconds
 *       instead of the script's two seconds; a missing device or prefix is taken from the connected
 *       route, like {@code findif}; status = the address is on an interface.</li>
 *   <li>{@code MailTo}: through Vigil's mail queue when one is configured, so a slow mail server
 *       never holds up a takeover; otherwise the script.</li>
 *   <li>Anything else: the first executable {@code SCRIPT} in the search path, run as
 *       {@code SCRIPT arg... start|stop|status} with heartbeat's {@code HA_*} environment, off the
 *       event loop, its process group killed on timeout. Status is read from the output
 *       ({@link HeartbeatStatusRule}), never from the exit code.</li>
 * </ul>
 * Every operation completes normally; failures are results with {@code success=false}.
 *
 * <p>The same executor serves the resource layer ({@link ResourceOps}: monitor polls, restarts,
 * VRRP-mode groups). Timeouts come from the resource's policy ({@code vigil.conf}, or the
 * {@code vigil_resource} lines of keepalived.conf); without one they are the fixed values Vigil
 * always used. Operations on one resource run one after the other, so a monitor poll or restart
 * never overlaps heartbeat's own stop of the same resource. Every operation's outcome and last
 * output lines go to the {@link ResourceJournal} for {@code vigil resource status} and the console.
 */
public final class HaResourceExecutor implements ResourceExecutor, ResourceOps {
    private static final Logger log = LoggerFactory.getLogger("heartbeat.ResourceManager");
    // heartbeat has no timeout at all (a hung script stalls the cluster for ever); Vigil takes them from
    // the resource policy, 120 s start/stop and 30 s status by default (ResourcePolicy.DEFAULTS).
    static final Duration IP_QUERY_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> ADDRESS_SCRIPTS = Set.of("IPaddr", "IPaddr2");

    private final ScriptRunner runner;
    private final AddressActions addresses;
    private final List<Path> searchPath;
    private final Map<String, String> environment;
    private final Optional<MailNotifier> mail;
    private final String localNode;
    private final List<String> commandPrefix;
    private final Set<String> mailStarted = ConcurrentHashMap.newKeySet();
    private volatile Function<String, ResourcePolicy> policies = r -> ResourcePolicy.DEFAULTS;
    private volatile ResourceJournal journal = new ResourceJournal();
    /** Per resource, the end of the last operation queued: the next one starts after it. */
    private final Map<String, CompletableFuture<?>> lanes = new ConcurrentHashMap<>();
    /** Per resource as written: whether its script has its own {@code restart} (read by {@link #probeRestarts}, off the loop). */
    private final Map<String, Boolean> restartCapable = new ConcurrentHashMap<>();

    /**
     * @param searchPath directories tried in order for a resource script
     * @param environment the {@code HA_*} variables every script gets (see {@link #heartbeatEnvironment})
     * @param mail Vigil's mail queue for {@code MailTo}, when mail is configured
     */
    public HaResourceExecutor(ScriptRunner runner, AddressActions addresses, List<Path> searchPath, Map<String, String> environment,
                              Optional<MailNotifier> mail, String localNode) {
        this(runner, addresses, searchPath, environment, mail, localNode, List.of());
    }

    /**
     * @param commandPrefix put before the {@code ip} queries ({@code ip netns exec NS} to act inside a
     *     namespace, as {@link dev.vigil.action.KernelAddressActions} takes it); empty normally
     */
    public HaResourceExecutor(ScriptRunner runner, AddressActions addresses, List<Path> searchPath, Map<String, String> environment,
                              Optional<MailNotifier> mail, String localNode, List<String> commandPrefix) {
        this.commandPrefix = List.copyOf(commandPrefix);
        this.runner = Objects.requireNonNull(runner);
        this.addresses = Objects.requireNonNull(addresses);
        this.searchPath = List.copyOf(searchPath);
        this.environment = Map.copyOf(environment);
        this.mail = Objects.requireNonNull(mail);
        this.localNode = Objects.requireNonNull(localNode);
    }

    /**
     * The variables heartbeat's ResourceManager exports to resource scripts: {@code HA_DIR},
     * {@code HA_RESOURCEDIR}, {@code HA_FUNCS}, {@code HA_CURHOST}, {@code HA_RSCTMP},
     * {@code OCF_ROOT}, and {@code HA_LOGFILE}/{@code HA_DEBUGLOG} when ha.cf names them.
     */
    public static Map<String, String> heartbeatEnvironment(Path haDir, String localNode, Optional<String> logFile,
                                                           Optional<String> debugFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HA_DIR", haDir.toString());
        env.put("HA_RESOURCEDIR", haDir.resolve("resource.d").toString());
        env.put("HA_FUNCS", haDir.resolve("shellfuncs").toString());
        env.put("HA_CURHOST", localNode);
        env.put("HA_RSCTMP", "/run/resource-agents");
        env.put("OCF_ROOT", "/usr/lib/ocf");
        env.put("HA_LOGD", "no");
        logFile.ifPresent(f -> env.put("HA_LOGFILE", f));
        debugFile.ifPresent(f -> env.put("HA_DEBUGLOG", f));
        return env;
    }

    /**
     * The interfaces that IPaddr/IPaddr2 resources name ({@code ip/bits/iface}): the daemon opens
     * their frame links at start, so the first takeover's gratuitous ARP does not wait for libpcap
     * to load and open (130 ms measured under load, after the address itself was up in 11 ms).
     * Addresses without an interface are resolved at takeover and opened then.
     */
    public static java.util.Set<String> addressDevices(List<String> resources) {
        java.util.Set<String> r = new java.util.TreeSet<>();
        for (String resource : resources) {
            try {
                ResourceSpec spec = ResourceSpec.parse(resource);
                if (ADDRESS_SCRIPTS.contains(spec.script()) && spec.arguments().size() == 1) {
                    IpAddrArgument.parse(spec.arguments().get(0)).device().ifPresent(r::add);
                }
            } catch (IllegalArgumentException e) {
                // reported when the resource runs
            }
        }
        return r;
    }

    /** A resource as haresources writes it: {@code Script::arg1::arg2}; a bare dotted address is {@code IPaddr::address}. */
    public record ResourceSpec(String script, List<String> arguments) {
        public static ResourceSpec parse(String resource) {
            if (resource.matches("\\d{1,3}(\\.\\d{1,3}){3}(/.*)?")) return new ResourceSpec("IPaddr", List.of(resource));
            String[] parts = resource.split("::", -1);
            List<String> args = new ArrayList<>(List.of(parts).subList(1, parts.length));
            return new ResourceSpec(parts[0], args);
        }
    }

    /** Timeouts per resource (as written): {@code vigil.conf}'s {@code policyFor}; defaults otherwise. */
    public HaResourceExecutor withPolicies(Function<String, ResourcePolicy> policies) {
        this.policies = Objects.requireNonNull(policies);
        return this;
    }

    /** Where each operation's outcome and last lines are kept. */
    public HaResourceExecutor withJournal(ResourceJournal journal) {
        this.journal = Objects.requireNonNull(journal);
        return this;
    }

    public ResourceJournal journal() {
        return journal;
    }

    /** heartbeat's resource manager: start/stop/status with the resource's policy timeouts. */
    @Override
    public CompletionStage<OperationResult> run(String group, String resource, ResourceOp op) {
        ResourceOperation o = switch (op) {
            case START -> ResourceOperation.START;
            case STOP -> ResourceOperation.STOP;
            case STATUS -> ResourceOperation.STATUS;
        };
        return run(resource, o, o.timeout(policies.apply(resource))).thenApply(r -> switch (op) {
            case START -> OperationResult.started(group, resource, r.success());
            case STOP -> OperationResult.stopped(group, resource, r.success());
            case STATUS -> OperationResult.status(group, resource, r.running());
        });
    }

    /** The resource layer: any operation, with the timeout it chose; queued behind the resource's previous operation. */
    @Override
    public CompletionStage<OpOutcome> run(String resource, ResourceOperation op, Duration timeout) {
        CompletableFuture<OpOutcome> done = new CompletableFuture<>();
        CompletableFuture<?> previous = lanes.put(resource, done);
        Runnable go = () -> {
            CompletionStage<OpOutcome> stage;
            try {
                stage = dispatch(resource, op, timeout);
            } catch (RuntimeException e) {
                stage = CompletableFuture.completedFuture(OpOutcome.failed("internal error " + e));
            }
            stage.whenComplete((r, e) -> {
                OpOutcome o = e != null || r == null ? OpOutcome.failed(e == null ? "no result" : rootMessage(e)) : r;
                record(resource, op, o);
                lanes.remove(resource, done);
                done.complete(o);
            });
        };
        if (previous == null || previous.isDone()) go.run();
        else previous.whenComplete((x, e) -> go.run());
        return done;
    }

    private void record(String resource, ResourceOperation op, OpOutcome o) {
        boolean ok = op == ResourceOperation.STATUS ? o.running() : o.success();
        journal.record(new ResourceJournal.Entry(resource, op, Instant.now(), ok, o.detail(), o.output()));
    }

    /**
     * Whether the resource's script has a {@code restart} of its own: an address or {@code MailTo}
     * never does (stop then start); a script does when its text has a {@code restart} case label
     * ({@code restart)}, {@code restart|force-reload)}), as LSB init scripts have.
     */
    @Override
    public boolean hasRestart(String resource) {
        return restartCapable.computeIfAbsent(resource, this::readHasRestart);
    }

    /**
     * Looks up and reads the scripts of {@code resources} now, so that {@link #hasRestart} (asked when
     * the resource layer attaches, on the event loop) is a map lookup. Call it off the event loop.
     */
    public HaResourceExecutor probeRestarts(java.util.Collection<String> resources) {
        resources.forEach(this::hasRestart);
        return this;
    }

    private boolean readHasRestart(String resource) {
        ResourceSpec spec = ResourceSpec.parse(resource);
        if (ADDRESS_SCRIPTS.contains(spec.script()) || spec.script().equals("MailTo")) return false;
        return locate(spec.script()).map(HaResourceExecutor::scriptHasRestart).orElse(false);
    }

    /**
     * Where resource scripts are looked up, in heartbeat's order with Vigil's own first:
     * {@code --resource-dir}s, the project's {@code resources.d}, the configuration directory's
     * {@code resource.d}, {@code /etc/ha.d/resource.d}, {@code /etc/init.d}.
     */
    public static List<Path> searchPath(List<Path> resourceDirs, Optional<Path> configDir) {
        List<Path> dirs = new ArrayList<>(resourceDirs);
        dev.vigil.heartbeat.ProjectFiles.resourcesDirectory().ifPresent(dirs::add);
        configDir.ifPresent(d -> dirs.add(d.resolve("resource.d")));
        dirs.add(Path.of("/etc/ha.d/resource.d"));
        dirs.add(Path.of("/etc/init.d"));
        return List.copyOf(new java.util.LinkedHashSet<>(dirs));
    }

    private static final Pattern RESTART_LABEL = Pattern.compile("(?m)^\\s*\\(?\\s*([\\w-]+\\s*\\|\\s*)*restart\\s*(\\|\\s*[\\w-]+\\s*)*\\)");

    static boolean scriptHasRestart(Path script) {
        try {
            byte[] head = Files.readAllBytes(script);
            String text = new String(head, 0, Math.min(head.length, 256 * 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
            return RESTART_LABEL.matcher(text).find();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private CompletionStage<OpOutcome> dispatch(String resource, ResourceOperation op, Duration timeout) {
        ResourceSpec spec = ResourceSpec.parse(resource);
        try {
            if (ADDRESS_SCRIPTS.contains(spec.script()) && spec.arguments().size() == 1) {
                if (op == ResourceOperation.RESTART) return CompletableFuture.completedFuture(OpOutcome.failed("addresses have no restart"));
                return address(resource, IpAddrArgument.parse(spec.arguments().get(0)), op);
            }
            if (spec.script().equals("MailTo") && mail.isPresent() && !spec.arguments().isEmpty()) {
                return CompletableFuture.completedFuture(mailTo(resource, spec, op));
            }
            return script(resource, spec, op, timeout);
        } catch (IllegalArgumentException e) {
            log.error("{} {}: {}", resource, op.argument(), e.getMessage());
            return CompletableFuture.completedFuture(OpOutcome.failed(e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ addresses

    /** Where an address currently is: its device and prefix as {@code ip -o -4 addr} shows them. */
    record Held(String device, int prefixLength) {
    }

    private CompletionStage<OpOutcome> address(String resource, IpAddrArgument arg, ResourceOperation op) {
        switch (op) {
            case STATUS:
                return findHeld(arg).thenApply(h -> OpOutcome.status(h.isPresent(), arg.ip() + (h.isPresent() ? " is on " + h.get().device()
                        : " is not on this node")));
            case STOP:
                return findHeld(arg).thenCompose(h -> {
                    if (h.isEmpty()) {
                        log.info("{} stop: {} is not on this node", resource, arg.ip());
                        return CompletableFuture.completedFuture(OpOutcome.ok(arg.ip() + " was not on this node"));
                    }
                    VirtualAddress va = VirtualAddress.of(arg.address(), h.get().prefixLength(), h.get().device());
                    return addresses.remove(va).thenApply(r -> {
                        if (r.ok()) log.info("{} stop: {}", resource, r.detail());
                        else log.error("{} stop failed: {}", resource, r.detail());
                        return r.ok() ? OpOutcome.ok(r.detail()) : OpOutcome.failed(r.detail());
                    });
                });
            case START:
            default:
                long began = System.nanoTime();
                return resolve(arg).thenCompose(va -> addresses.add(va).thenApply(r -> {
                    long ms = (System.nanoTime() - began) / 1_000_000;
                    if (r.ok()) log.info("{} start: {} ({} ms)", resource, r.detail(), ms);
                    else log.error("{} start failed: {}", resource, r.detail());
                    return r.ok() ? OpOutcome.ok(r.detail()) : OpOutcome.failed(r.detail());
                })).exceptionally(e -> {
                    log.error("{} start failed: {}", resource, rootMessage(e));
                    return OpOutcome.failed(rootMessage(e));
                });
        }
    }

    /** The address as it will be added: device and prefix from the argument, else from the connected route ({@code findif}). */
    private CompletionStage<VirtualAddress> resolve(IpAddrArgument arg) {
        CompletionStage<String> device = arg.device().<CompletionStage<String>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> ip("-o", "-4", "route", "get", arg.ip()).thenApply(out -> deviceFromRoute(out, arg.ip())));
        return device.thenCompose(dev -> {
            CompletionStage<Integer> bits = arg.prefixLength().isPresent()
                    ? CompletableFuture.completedFuture(arg.prefixLength().getAsInt())
                    : ip("-o", "-4", "route", "show", "dev", dev, "scope", "link").thenApply(out -> prefixFromRoutes(out, arg.address()));
            return bits.thenApply(b -> new VirtualAddress(arg.address(), b, dev, arg.broadcast().orElse(null), null,
                    arg.label().orElse(null)));
        });
    }

    static String deviceFromRoute(String routeGetOutput, String ip) {
        String line = routeGetOutput.strip();
        if (line.startsWith("local ")) {
            throw new IllegalArgumentException(ip + " is already a local address; give ip/bits/iface");
        }
        String[] w = line.split("\\s+");
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i].equals("dev")) return w[i + 1];
        }
        throw new IllegalArgumentException("no interface has a route to " + ip + "; give ip/bits/iface");
    }

    /** The prefix of the first connected route that contains the address; /32 when none does (as findif). */
    static int prefixFromRoutes(String routeShowOutput, Inet4Address ip) {
        int a = toInt(ip);
        for (String line : routeShowOutput.split("\n")) {
            String first = line.strip().split("\\s+")[0];
            int slash = first.indexOf('/');
            if (slash < 0) continue;
            try {
                int bits = Integer.parseInt(first.substring(slash + 1));
                int net = toInt((Inet4Address) java.net.InetAddress.getByName(first.substring(0, slash)));
                int mask = bits == 0 ? 0 : -1 << (32 - bits);
                if ((net & mask) == (a & mask)) return bits;
            } catch (NumberFormatException | java.net.UnknownHostException | ClassCastException e) {
                // not a route line we understand
            }
        }
        return 32;
    }

    private CompletionStage<Optional<Held>> findHeld(IpAddrArgument arg) {
        if (addresses instanceof dev.vigil.action.KernelAddressActions k && k.netlink().isPresent()) {
            // rtnetlink in-process: the status query that precedes every start is on the takeover path
            return k.netlink().get().addresses(true).thenApply(list -> heldIn(list, arg)).exceptionally(e -> Optional.empty());
        }
        List<String> argv = new ArrayList<>(List.of("-o", "-4", "addr", "show"));
        arg.device().ifPresent(d -> {
            argv.add("dev");
            argv.add(d);
        });
        return ip(argv.toArray(String[]::new)).thenApply(out -> heldIn(out, arg.ip())).exceptionally(e -> Optional.empty());
    }

    /** The same answer from a netlink dump: the address on the argument's device, or on any device when it names none. */
    static Optional<Held> heldIn(List<dev.vigil.action.Netlink.Address> addresses, IpAddrArgument arg) {
        for (dev.vigil.action.Netlink.Address a : addresses) {
            if (!a.address().getHostAddress().equals(arg.ip())) continue;
            if (arg.device().isPresent() && !arg.device().get().equals(a.device())) continue;
            return Optional.of(new Held(a.device(), a.prefixLength()));
        }
        return Optional.empty();
    }

    /** {@code 2: vg0    inet 10.0.0.100/24 brd 10.0.0.255 scope global vg0} → vg0, 24. */
    static Optional<Held> heldIn(String addrShowOutput, String ip) {
        for (String line : addrShowOutput.split("\n")) {
            int at = line.indexOf(" inet " + ip + "/");
            if (at < 0) continue;
            String[] w = line.strip().split("\\s+");
            if (w.length < 4) continue;
            String dev = w[1].endsWith(":") ? w[1].substring(0, w[1].length() - 1) : w[1];
            int at2 = dev.indexOf('@');
            if (at2 > 0) dev = dev.substring(0, at2);
            String cidr = line.substring(at + 6).strip().split("\\s+")[0];
            return Optional.of(new Held(dev, Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1))));
        }
        return Optional.empty();
    }

    private CompletionStage<String> ip(String... args) {
        List<String> argv = new ArrayList<>(commandPrefix);
        argv.add("ip");
        argv.addAll(List.of(args));
        return runner.run(new ScriptInvocation(argv, Map.of(), null, IP_QUERY_TIMEOUT, Duration.ofSeconds(1), 200)).thenApply(r -> {
            if (!r.succeeded()) throw new IllegalArgumentException(String.join(" ", argv) + ": " + describe(r));
            return r.outputText();
        });
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    // ------------------------------------------------------------------ MailTo through the mail queue

    /**
     * What heartbeat's MailTo does, without the {@code mail} command: one mail to the addresses of the
     * first argument ({@code a@b,c@d}), on start and on every stop (the agent mails on stop whether
     * or not it was started, e.g. when a failed start stops the whole group); status from a
     * pseudo-resource flag, as {@code ha_pseudo_resource}.
     */
    private OpOutcome mailTo(String resource, ResourceSpec spec, ResourceOperation op) {
        String subject = spec.arguments().size() > 1 ? spec.arguments().get(1) : "";
        List<String> to = new ArrayList<>();
        for (String a : spec.arguments().get(0).split(",")) {
            if (!a.isBlank()) to.add(a.strip());
        }
        switch (op) {
            case START:
                log.info("{} start: mailing {} (takeover)", resource, to);
                mail.get().submit(Alert.mailToTakeover(subject, localNode, Instant.now()).to(to));
                mailStarted.add(resource);
                return OpOutcome.ok("takeover mail queued");
            case STOP:
                log.info("{} stop: mailing {} (migrating away)", resource, to);
                mail.get().submit(Alert.mailToMigrating(subject, localNode, Instant.now()).to(to));
                mailStarted.remove(resource);
                return OpOutcome.ok("migrating mail queued");
            case RESTART:
                return OpOutcome.ok("nothing to restart");
            default:
                boolean on = mailStarted.contains(resource);
                return OpOutcome.status(on, on ? "started" : "stopped");
        }
    }

    // ------------------------------------------------------------------ scripts

    /** The script heartbeat would run: the first regular, executable file of that name in the search path. */
    public Optional<Path> locate(String script) {
        if (script.contains("/") || script.isEmpty() || script.equals(".") || script.equals("..")) return Optional.empty();
        for (Path dir : searchPath) {
            Path p = dir.resolve(script);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private CompletionStage<OpOutcome> script(String resource, ResourceSpec spec, ResourceOperation op, Duration timeout) {
        Optional<Path> path = locate(spec.script());
        if (path.isEmpty()) {
            log.error("Cannot locate resource script {} (searched {})", spec.script(), searchPath);
            return CompletableFuture.completedFuture(OpOutcome.failed("cannot locate resource script " + spec.script()));
        }
        List<String> argv = new ArrayList<>();
        argv.add(path.get().toString());
        argv.addAll(spec.arguments());
        argv.add(op.argument());
        if (op != ResourceOperation.STATUS) log.info("Running {}", String.join(" ", argv));
        ScriptInvocation inv = new ScriptInvocation(argv, environment, null, timeout, Duration.ofSeconds(5), 50);
        return runner.run(inv).thenApply(r -> {
            for (String line : r.output()) log.info("{}[{}]: {}", spec.script(), op.argument(), line);
            if (op == ResourceOperation.STATUS) {
                // heartbeat reads status from the text, never the exit code (HeartbeatStatusRule)
                boolean running = r.startError() == null && !r.timedOut() && HeartbeatStatusRule.isRunning(r.outputText());
                return new OpOutcome(r.startError() == null && !r.timedOut(), running, r.timedOut(), r.exitCode(), r.output(),
                        r.timedOut() || r.startError() != null ? describe(r) : (running ? "running" : "not running") + summary(r));
            }
            if (!r.succeeded()) log.error("Return code {} from {}", describe(r), String.join(" ", argv));
            return new OpOutcome(r.succeeded(), false, r.timedOut(), r.exitCode(), r.output(),
                    r.succeeded() ? "exit 0" + summary(r) : describe(r));
        });
    }

    private static String summary(ScriptResult r) {
        return " in " + r.elapsed().toMillis() + " ms";
    }

    private static String describe(ScriptResult r) {
        if (r.startError() != null) return r.startError();
        if (r.timedOut()) return "timed out after " + r.elapsed().toMillis() + " ms (process group killed)";
        return r.exitCode() + (r.output().isEmpty() ? "" : " (" + r.output().get(r.output().size() - 1) + ")");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
