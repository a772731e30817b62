package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.testing.RealKeepalived;
import dev.vigil.testing.Sh;
import dev.vigil.transport.pcap.PcapLink;
import dev.vigil.vrrp.wire.VrrpFrame;
import dev.vigil.vrrp.wire.VrrpFrameDecodeResult;
import dev.vigil.vrrp.wire.VrrpFrames;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A LAN of network namespaces (research keepalived.md §3) for Vigil-against-keepalived tests: hosts
 * {@code 10.240.7.N/24} on one bridge, Vigil run as a real process ({@code ip netns exec NS java
 * ... dev.vigil.cli.Main run --keepalived}), keepalived as {@link RealKeepalived}. Observed only
 * from outside: every VRRP frame captured on the bridge ports (in the switch namespace) and every
 * address change from {@code ip -n NS monitor address}, both stamped with {@link System#nanoTime()}.
 * {@link #close()} stops every process and removes every namespace.
 */
final class InteropLab implements AutoCloseable {

    static final String SUBNET = "10.240.7.";
    /** Lines keepalived logs when it refuses a peer's adverts for reasons a correct peer never causes. */
    static final List<String> KEEPALIVED_WIRE_COMPLAINTS = List.of("checksum", "unexpected ip number count",
            "advertisement interval mismatch", "invalid TTL", "wrong version", "vrrp packet too", "not present in MASTER advert",
            "Invalid packet type");

    /** One VRRP frame seen leaving a host. */
    record Advert(long atNanos, InetAddress source, InetAddress destination, int vrid, int version, int priority,
                  byte[] frame) {
    }

    /** One address added or removed in a host. */
    record AddressChange(long atNanos, String host, String address, boolean added) {
    }

    /** A VRRP speaker in the lab. */
    interface Node extends AutoCloseable {
        String host();

        boolean vigil();

        void kill9() throws Exception;

        /** SIGTERM, returning at once. */
        void term() throws Exception;

        String log();

        @Override
        void close() throws Exception;
    }

    private final Netns net;
    private final Path dir;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<PcapLink> captures = new ArrayList<>();
    private final List<Process> monitors = new ArrayList<>();
    /** A queue, not a copy-on-write list: the benchmark captures ~2 500 adverts a second for a minute. */
    final java.util.Queue<Advert> wire = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final List<AddressChange> addressChanges = new CopyOnWriteArrayList<>();

    InteropLab(Path dir, String... hosts) throws Exception {
        RealKeepalived.assumeAvailable();
        this.dir = dir;
        this.net = Netns.create();
        try {
            for (int i = 0; i < hosts.length; i++) {
                namespaces.put(hosts[i], net.host(hosts[i], SUBNET + (i + 1) + "/24"));
            }
            startCapture();
            for (String h : hosts) startMonitor(h);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    static String ip(int hostIndex) {
        return SUBNET + hostIndex;
    }

    String ns(String host) {
        return namespaces.get(host);
    }

    /** The lab's namespaces, for nodes of other kinds (heartbeat) on the same LAN. */
    Netns net() {
        return net;
    }

    /** Captures on every bridge port, inbound: each frame once, as it leaves its host. */
    private void startCapture() throws Exception {
        String sw = net.prefix() + "sw";
        String out = Sh.run("ip", "-n", sw, "-o", "link", "show", "master", "br0").output();
        for (String line : out.split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length < 2) continue;
            String port = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            PcapLink[] self = new PcapLink[1];
            self[0] = net.callIn(sw, () -> PcapLink.open(port, "ip proto 112 or ip6 proto 112",
                    frame -> record(frame, self[0])));
            captures.add(self[0]);
        }
        assertThat(captures).as("bridge ports").hasSize(namespaces.size());
    }

    /**
     * Stamps a frame with the kernel's capture time moved onto the {@link System#nanoTime()} axis
     * (now minus the frame's age), so a late-scheduled capture thread does not shift a measured
     * interval; the CI failure of 605 ms against a 607 ms floor was exactly that jitter.
     */
    private void record(byte[] frame, PcapLink link) {
        long now = System.nanoTime();
        if (link != null) {
            java.time.Instant wall = java.time.Instant.now();
            long wallMicros = wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1000;
            long ageMicros = wallMicros - link.currentFrameEpochMicros();
            if (ageMicros > 0 && ageMicros < 1_000_000) now -= ageMicros * 1000;
        }
        if (VrrpFrames.decode(frame) instanceof VrrpFrameDecodeResult.Ok ok) {
            VrrpFrame f = ok.frame();
            wire.add(new Advert(now, f.ipHeader().source(), f.ipHeader().destination(), f.packet().vrid(),
                    f.packet().version(), f.packet().priority(), frame));
        }
    }

    private void startMonitor(String host) throws IOException {
        Process p = new ProcessBuilder("ip", "-n", ns(host), "monitor", "address").redirectErrorStream(true).start();
        monitors.add(p);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    long now = System.nanoTime();
                    int at = line.indexOf(" inet ");
                    if (at < 0) at = line.indexOf(" inet6 ");
                    if (at < 0) continue;
                    String rest = line.substring(line.indexOf(' ', at + 1) + 1).trim();
                    String addr = rest.substring(0, rest.indexOf('/'));
                    addressChanges.add(new AddressChange(now, host, addr, !line.startsWith("Deleted")));
                }
            } catch (IOException e) {
                // the monitor was stopped
            }
        }, "ip-monitor-" + host);
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ nodes

    Node keepalived(String host, String config) throws IOException {
        RealKeepalived k = new RealKeepalived(net, ns(host), host, dir).start(config);
        Node n = new Node() {
            @Override
            public String host() {
                return host;
            }

            @Override
            public boolean vigil() {
                return false;
            }

            @Override
            public void kill9() throws Exception {
                k.kill9();
            }

            @Override
            public void term() throws Exception {
                Path pid = dir.resolve("keepalived-" + host).resolve("parent.pid");
                long p = Long.parseLong(Files.readString(pid).trim());
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroy);
            }

            @Override
            public String log() {
                return k.log();
            }

            @Override
            public void close() throws Exception {
                k.close();
            }

            @Override
            public String toString() {
                return "keepalived@" + host;
            }
        };
        nodes.add(n);
        return n;
    }

    VigilNode vigil(String host, String config) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return vigil(host, config, List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                // the checker's look every 200 ms (not the daemon's 1 s) keeps the campaign's
                // blocked-loop count sensitive to 50-250 ms blocks
                "-Dvigil.blockedLoopCheckMillis=200", "-cp", cp, "dev.vigil.cli.Main"));
    }

    /**
     * Vigil launched by {@code launcher} (the command up to and excluding {@code run}: e.g.
     * {@code java -jar target/vigil.jar}); the benchmark compares JVM flag sets this way.
     */
    VigilNode vigil(String host, String config, List<String> launcher) throws IOException {
        VigilNode v = new VigilNode(this, host, config, launcher);
        nodes.add(v);
        return v;
    }

    /** The host's keepalived work directory (pid files, log), as {@link RealKeepalived} lays it out. */
    Path keepalivedDir(String host) {
        return dir.resolve("keepalived-" + host);
    }

    /** Vigil as a real process in a host namespace, launched from the test class path. */
    static final class VigilNode implements Node {
        private final InteropLab lab;
        private final String host;
        private final Path state;
        private final Path logFile;
        private final Process process;

        VigilNode(InteropLab lab, String host, String config, List<String> launcher) throws IOException {
            this.lab = lab;
            this.host = host;
            Path d = lab.dir.resolve("vigil-" + host);
            Files.createDirectories(d);
            Path cfg = d.resolve("keepalived.conf");
            Files.writeString(cfg, config);
            this.state = d.resolve("state");
            this.logFile = d.resolve("vigil.log");
            // a previous node on this host left its endpoint file: awaitReady must wait for the new one
            Files.deleteIfExists(state.resolve("control.json"));
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(host)));
            argv.addAll(launcher);
            argv.addAll(List.of("run", "--keepalived", cfg.toString(), "--state-dir", state.toString(), "--console", "127.0.0.1:0"));
            this.process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        }

        /** {@code ip netns exec} execs the command, so this is the JVM's own process id. */
        long pid() {
            return process.pid();
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public boolean vigil() {
            return true;
        }

        /** Waits until the control endpoint is up (the router runs from then on). */
        VigilNode awaitReady() throws Exception {
            await(30_000, () -> Files.exists(state.resolve("control.json")) || !process.isAlive(), "Vigil on " + host + " ready");
            assertThat(process.isAlive()).as(log()).isTrue();
            return this;
        }

        JsonObject status() throws Exception {
            return http("GET", "/api/v1/status", null);
        }

        JsonObject command(String name, JsonObject args) throws Exception {
            return http("POST", "/api/v1/commands/" + name, args);
        }

        /** The instance's status entry. */
        JsonObject instance(String name) throws Exception {
            var a = status().getJsonArray("instances");
            for (int i = 0; i < a.size(); i++) if (a.getJsonObject(i).getString("name").equals(name)) return a.getJsonObject(i);
            throw new AssertionError("no instance " + name + " in " + a);
        }

        /**
         * {@code vigil ARGS --state-dir STATE} in-process, on a thread in the host's namespace (where the
         * console listens); returns the exit code and what it printed.
         */
        CliResult cli(String... args) throws Exception {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(args));
            argv.addAll(java.util.List.of("--state-dir", state.toString()));
            int code = lab.net.callIn(lab.ns(host), () -> dev.vigil.cli.Main.newCommandLine()
                    .setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(err, true))
                    .execute(argv.toArray(String[]::new)));
            return new CliResult(code, out.toString(), err.toString());
        }

        record CliResult(int exitCode, String out, String err) {
        }

        /** The console listens on 127.0.0.1 inside the host's namespace: connect from a thread in it. */
        private JsonObject http(String method, String path, JsonObject body) throws Exception {
            JsonObject endpoint = new JsonObject(Files.readString(state.resolve("control.json")));
            String token = Files.readString(state.resolve("control.token")).trim();
            return lab.net.callIn(lab.ns(host), () -> {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + endpoint.getInteger("port") + path)
                        .toURL().openConnection();
                c.setRequestMethod(method);
                c.setConnectTimeout(3000);
                c.setReadTimeout(5000);
                if (body != null) {
                    c.setDoOutput(true);
                    c.setRequestProperty("Authorization", "Bearer " + token);
                    c.setRequestProperty("Content-Type", "application/json");
                    c.getOutputStream().write(body.encode().getBytes(StandardCharsets.UTF_8));
                }
                int code = c.getResponseCode();
                byte[] b = (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
                JsonObject j = new JsonObject(new String(b, StandardCharsets.UTF_8));
                if (code != 200) throw new AssertionError(method + " " + path + " -> " + code + " " + j);
                return j;
            });
        }

        @Override
        public void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }

        @Override
        public void term() {
            process.destroy();
        }

        boolean waitForExit(long millis) throws InterruptedException {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        }

        boolean alive() {
            return process.isAlive();
        }

        @Override
        public String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log)";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) kill9();
            }
        }

        @Override
        public String toString() {
            return "vigil@" + host;
        }
    }

    // ------------------------------------------------------------------ observations

    /** The VIP as {@code ip addr} shows it in each host now (IPv4 or IPv6). */
    List<String> holders(String vip) {
        List<String> h = new ArrayList<>();
        for (String host : namespaces.keySet()) {
            if (vip.contains(":")) {
                String out = net.execQuiet(ns(host), "ip", "-6", "-o", "addr", "show", "dev", "vg0").output();
                if (out.contains(" " + vip + "/")) h.add(host);
            } else if (net.addresses(ns(host), "vg0").contains(vip)) {
                h.add(host);
            }
        }
        return h;
    }

    /** Waits until exactly {@code host} holds {@code vip}. */
    void awaitSoleHolder(String vip, String host, long millis) throws Exception {
        await(millis, () -> holders(vip).equals(List.of(host)), vip + " held by " + host + " alone; holders now " + holders(vip)
                + "\n" + logs());
    }

    /** Waits until {@code host} holds {@code vip} (whoever else still does: kill -9 leaves it behind). */
    void awaitHolder(String vip, String host, long millis) throws Exception {
        await(millis, () -> holders(vip).contains(host), vip + " held by " + host + "; holders now " + holders(vip)
                + "\n" + logs());
    }

    OptionalLong firstAdded(String host, String vip, long afterNanos) {
        return addressChanges.stream().filter(c -> c.added() && c.host().equals(host) && c.address().equals(vip)
                && c.atNanos() >= afterNanos).mapToLong(AddressChange::atNanos).min();
    }

    List<Advert> adverts(int vrid, long fromNanos, long toNanos) {
        return wire.stream().filter(a -> a.vrid() == vrid && a.atNanos() >= fromNanos && a.atNanos() < toNanos).toList();
    }

    Optional<Advert> lastAdvertFrom(String host, int vrid, long beforeNanos) {
        String src = ipOf(host);
        return wire.stream().filter(a -> a.vrid() == vrid && a.source().getHostAddress().equals(src) && a.atNanos() < beforeNanos)
                .reduce((x, y) -> y);
    }

    Optional<Advert> firstAdvertFrom(String host, int vrid, long afterNanos) {
        String src = ipOf(host);
        return wire.stream().filter(a -> a.vrid() == vrid && a.source().getHostAddress().equals(src) && a.atNanos() >= afterNanos)
                .findFirst();
    }

    String ipOf(String host) {
        int i = new ArrayList<>(namespaces.keySet()).indexOf(host);
        return ip(i + 1);
    }

    /** Every source that advertised {@code vrid} in the window, with a count. */
    Map<String, Long> speakers(int vrid, long fromNanos, long toNanos) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Advert a : adverts(vrid, fromNanos, toNanos)) m.merge(a.source().getHostAddress(), 1L, Long::sum);
        return m;
    }

    /** keepalived never complained about a peer's adverts (research keepalived.md §1.4), except {@code allowed}. */
    void assertKeepalivedAcceptedEverything(String... allowed) {
        for (Node n : nodes) {
            if (n.vigil()) continue;
            String log = n.log();
            for (String complaint : KEEPALIVED_WIRE_COMPLAINTS) {
                if (List.of(allowed).contains(complaint)) continue;
                assertThat(log).as(n + " log").doesNotContainIgnoringCase(complaint);
            }
        }
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            String l = n.log();
            sb.append("==== ").append(n).append('\n').append(l.length() > 6000 ? l.substring(l.length() - 6000) : l).append('\n');
        }
        return sb.toString();
    }

    static void await(long millis, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(20);
        }
        if (!condition.getAsBoolean()) throw new AssertionError("timed out waiting for " + what);
    }

    /** Drops every frame between bridge ports (the LAN partitioned) or lets them through again. */
    void partition(boolean on) {
        String sw = net.prefix() + "sw";
        if (on) {
            net.exec(sw, "nft", "add", "table", "bridge", "lab");
            net.exec(sw, "nft", "add", "chain", "bridge", "lab", "cut", "{ type filter hook forward priority 0 ; policy drop ; }");
        } else {
            net.exec(sw, "nft", "delete", "table", "bridge", "lab");
        }
    }

    /**
     * A raw link on a host's {@code vg0} for putting hand-made frames on the LAN (its receive side
     * filtered to nothing); closed with the lab.
     */
    PcapLink rawLink(String host) throws Exception {
        PcapLink l = net.callIn(ns(host), () -> PcapLink.open("vg0", "ether proto 0x88b5", f -> { }));
        captures.add(l);
        return l;
    }

    /** Runs {@code argv} in a host's namespace. */
    Sh.Result exec(String host, String... argv) {
        return net.execQuiet(ns(host), argv);
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            if (!n.vigil()) continue;
            // what Vigil complained about, for the report even when the test passed
            n.log().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .forEach(l -> System.out.println(n + ": " + l));
        }
        for (Node n : nodes) {
            try {
                n.close();
            } catch (Exception e) {
                // best effort: the namespaces go next and take any survivor with them
            }
        }
        for (Process p : monitors) p.destroyForcibly();
        for (PcapLink c : captures) c.close();
        net.close();
    }

    static final long MS = 1_000_000L;

    /** Master_Down_Interval in nanoseconds, as keepalived computes it (keepalived.md §2.1). */
    static long masterDown(int version, int priority, int centis) {
        return dev.vigil.vrrp.instance.VrrpTiming.masterDownIntervalNanos(version, priority, centis, 3);
    }

    static long skew(int version, int priority, int centis) {
        return dev.vigil.vrrp.instance.VrrpTiming.skewNanos(version, priority, centis);
    }

    static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
