package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real keepalived 2.2.7 inside a test namespace, run as research keepalived.md section 3 did: in
 * the foreground, VRRP only, console log, private pid files, so several run on one host.
 */
public final class RealKeepalived implements AutoCloseable {
    private static final String DAEMON = "/usr/sbin/keepalived";

    private final Netns net;
    private final String ns;
    private final String name;
    private final Path dir;
    private Process process;

    public RealKeepalived(Netns net, String ns, String name, Path workDir) {
        this.net = net;
        this.ns = ns;
        this.name = name;
        this.dir = workDir.resolve("keepalived-" + name);
    }

    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(Path.of(DAEMON));
        if (!ok) System.out.println("SKIPPED: keepalived is not installed (src/tools/test.sh installs it)");
        Assumptions.assumeTrue(ok, "keepalived missing");
    }

    public RealKeepalived start(String config) throws IOException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("keepalived.conf");
        Files.writeString(cfg, config);
        Path log = dir.resolve("keepalived.log");
        process = new ProcessBuilder("ip", "netns", "exec", ns, DAEMON, "-n", "-P", "-l", "-D", "-G",
                "-f", cfg.toString(),
                "-p", dir.resolve("parent.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                "-c", dir.resolve("checker.pid").toString(), "-b", dir.resolve("bfd.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return this;
    }

    private long pidFrom(String file) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(file)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** {@code kill -9} of the VRRP child and the parent: no priority-0 advert, VIPs left behind. */
    public void kill9() throws InterruptedException {
        for (String f : new String[] {"vrrp.pid", "parent.pid"}) {
            long pid = pidFrom(f);
            if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM to the parent: keepalived sends priority 0 and removes its VIPs. */
    public void stop() throws InterruptedException {
        long pid = pidFrom("parent.pid");
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) kill9();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("keepalived.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) stop();
        kill9();
    }
}
