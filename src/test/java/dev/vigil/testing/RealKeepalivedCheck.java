package dev.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Real keepalived 2.2.7 as a configuration checker, inside a test namespace (so the interfaces a
 * file names can be created there without touching the host): {@code keepalived -t} (parse and
 * validate, research keepalived.md section 5: rc 0 when clean, 5 after any message such as
 * "Unknown keyword"), and a short foreground run with {@code -d} whose configuration dump shows
 * what keepalived really made of the file.
 */
public final class RealKeepalivedCheck {
    private static final String DAEMON = "/usr/sbin/keepalived";
    private static final java.util.concurrent.atomic.AtomicInteger PEERS = new java.util.concurrent.atomic.AtomicInteger();

    private RealKeepalivedCheck() {
    }

    /** What {@code keepalived -t} said: exit code and its message lines. */
    public record Result(int exitCode, List<String> lines) {
        /** Lines other than those matching any of {@code expected} (substrings). */
        public List<String> unexpected(String... expected) {
            return lines.stream().filter(l -> Arrays.stream(expected).noneMatch(l::contains)).toList();
        }
    }

    /** Adds veth interfaces named {@code names} inside {@code ns} (the peer stays in it too), link up. */
    public static void interfaces(Netns net, String ns, String... names) {
        for (String name : names) {
            if (net.execQuiet(ns, "ip", "link", "show", name).exitCode() == 0) continue;
            String peer = "kcp" + PEERS.incrementAndGet();
            net.exec(ns, "ip", "link", "add", name, "type", "veth", "peer", "name", peer);
            net.exec(ns, "ip", "link", "set", name, "up");
            net.exec(ns, "ip", "link", "set", peer, "up");
        }
    }

    /** {@code keepalived -t -f FILE} inside {@code ns}. */
    public static Result configTest(Netns net, String ns, Path file) {
        Sh.Result r = net.execQuiet(ns, DAEMON, "-t", "-f", file.toString());
        List<String> lines = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return new Result(r.exitCode(), lines);
    }

    /**
     * Runs keepalived in the foreground with {@code -d} (dump the configuration) for {@code seconds}
     * and returns its log; SIGTERM ends it (through {@code timeout}, a process this test started).
     */
    public static String dump(Netns net, String ns, Path file, Path workDir, int seconds) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("keepalived-dump"));
        Sh.Result r = net.execQuiet(ns, "timeout", "-s", "TERM", Integer.toString(seconds), DAEMON, "-n", "-P", "-l", "-D", "-d",
                "-G", "-f", file.toString(), "-p", dir.resolve("parent.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                "-c", dir.resolve("checker.pid").toString(), "-b", dir.resolve("bfd.pid").toString());
        return r.output();
    }
}
