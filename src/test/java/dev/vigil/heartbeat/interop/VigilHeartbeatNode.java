package dev.vigil.heartbeat.interop;

import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Vigil heartbeat node as a real process inside a test namespace:
 * {@code ip netns exec NS java -cp <test classpath> dev.vigil.cli.Main run --heartbeat DIR --node NODE ...},
 * with its own configuration directory, state directory and log file. The control endpoint is on
 * the namespace's loopback, so {@code vigil status}/{@code standby} run inside the namespace too.
 */
public final class VigilHeartbeatNode implements HbClusterNode {
    private final Netns net;
    private final String ns;
    private final String node;
    private final Path etc;
    private final Path state;
    private final Path logFile;
    private Process process;
    private int runs;

    private final List<String> launcher;

    public VigilHeartbeatNode(Netns net, String ns, String node, Path workDir) throws IOException {
        this(net, ns, node, workDir, List.of());
    }

    /** @param launcher put before the daemon's java command (e.g. {@code chrt --rr 1}); empty normally */
    public VigilHeartbeatNode(Netns net, String ns, String node, Path workDir, List<String> launcher) throws IOException {
        this.launcher = List.copyOf(launcher);
        this.net = net;
        this.ns = ns;
        this.node = node;
        Path base = workDir.resolve("vigil-" + node);
        this.etc = base.resolve("etc");
        this.state = base.resolve("state");
        this.logFile = base.resolve("vigil.log");
        Files.createDirectories(etc);
    }

    @Override
    public VigilHeartbeatNode configure(String haCf, String haresources, String authkeys) throws IOException {
        Files.writeString(etc.resolve("ha.cf"), haCf);
        Files.writeString(etc.resolve("haresources"), haresources);
        Path keys = etc.resolve("authkeys");
        Files.writeString(keys, authkeys);
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        return this;
    }

    /** Writes (or, with null, removes) {@code vigil.conf} beside ha.cf: Vigil's extensions (mail, notify script). */
    public VigilHeartbeatNode vigilConf(String text) throws IOException {
        if (text == null) Files.deleteIfExists(etc.resolve("vigil.conf"));
        else Files.writeString(etc.resolve("vigil.conf"), text);
        return this;
    }

    /** Starts the daemon and returns once its control endpoint is up (it has joined the network by then). */
    @Override
    public VigilHeartbeatNode start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException(node + " is already running");
        Files.createDirectories(state);
        Files.deleteIfExists(state.resolve("control.json"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(launcher);
        cmd.addAll(java());
        cmd.add("-Dvigil.blockedLoopCheckMillis=200"); // as InteropLab's: the campaign counts 50-250 ms blocks
        cmd.addAll(List.of("dev.vigil.cli.Main", "run", "--heartbeat", etc.toString(), "--node", node,
                "--state-dir", state.toString(), "--console", "127.0.0.1:0"));
        runs++;
        Files.writeString(logFile, "==== run " + runs + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(state.resolve("control.json"))) return this;
            if (!process.isAlive()) throw new IllegalStateException(node + " exited with " + process.exitValue() + ":\n" + log());
            Thread.sleep(50);
        }
        throw new IllegalStateException(node + " did not start within 30 s:\n" + log());
    }

    /** The JVM command line: the test's own java and classpath (target/classes plus dependencies). */
    private static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"));
    }

    /** Runs {@code vigil ARGS} inside the namespace, as an operator would on the node. */
    public Sh.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(java());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("dev.vigil.cli.Main");
        cmd.addAll(List.of(args));
        return net.execQuiet(ns, cmd.toArray(String[]::new));
    }

    /** {@code vigil status --state-dir DIR ARGS}. */
    public Sh.Result status(String... args) {
        List<String> a = new ArrayList<>(List.of("status", "--state-dir", state.toString()));
        a.addAll(List.of(args));
        return cli(a.toArray(String[]::new));
    }

    @Override
    public String nodeStatus(String other) {
        return status("nodestatus", other).output().trim();
    }

    @Override
    public String rscStatus() {
        return status("rscstatus").output().trim();
    }

    @Override
    public void standby(String which) {
        Sh.Result r = cli("standby", "--state-dir", state.toString(), which);
        if (r.exitCode() != 0) throw new IllegalStateException("vigil standby " + which + " on " + node + ": " + r.output());
    }

    @Override
    public void takeover(String which) {
        Sh.Result r = cli("takeover", "--state-dir", state.toString(), which);
        if (r.exitCode() != 0) throw new IllegalStateException("vigil takeover " + which + " on " + node + ": " + r.output());
    }

    /** {@code kill -9}: the daemon dies without a word; what it configured (addresses) stays. */
    @Override
    public void kill9() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the clean leave; waits for the process to exit. */
    public int terminate() throws InterruptedException {
        if (process == null) return -1;
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String namespace() {
        return ns;
    }

    /** The node's configuration directory (ha.cf, haresources, authkeys; vigil.conf and resource.d/ may be added). */
    public Path etc() {
        return etc;
    }

    public Path stateDir() {
        return state;
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
