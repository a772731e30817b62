package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Linux-HA heartbeat 3.0.6 node inside a test namespace, run the way research heartbeat.md
 * section 2 verified: its own UTS namespace (heartbeat insists that the node name equals
 * {@code uname -n}) and mount namespace (its pid file, FIFO and API socket are fixed paths), with
 * {@code /etc/ha.d} and {@code /var/lib/heartbeat} bind-mounted from a per-node directory.
 */
public final class RealHeartbeat implements AutoCloseable {
    private static final String DAEMON = "/usr/libexec/heartbeat/heartbeat";

    private final Netns net;
    private final String ns;
    private final String node;
    private final Path base;
    private long masterPid = -1;

    public RealHeartbeat(Netns net, String ns, String node, Path workDir) {
        this.net = net;
        this.ns = ns;
        this.node = node;
        this.base = workDir.resolve(node);
    }

    public static void assumeAvailable() {
        boolean ok = Files.isExecutable(Path.of(DAEMON)) && Sh.has("unshare") && Sh.has("nsenter");
        if (!ok) System.out.println("SKIPPED: heartbeat 3.0.6 is not installed (src/tools/test.sh installs it)");
        Assumptions.assumeTrue(ok, "heartbeat missing");
    }

    /** Writes the node's /etc/ha.d (a copy of the packaged one plus the three files) and its state dir. */
    public RealHeartbeat configure(String haCf, String haresources, String authkeys) throws IOException {
        Path etc = base.resolve("etc");
        Path varlib = base.resolve("varlib");
        Files.createDirectories(base);
        Sh.run("rm", "-rf", etc.toString(), varlib.toString());
        Sh.run("cp", "-a", "/etc/ha.d", etc.toString()).orThrow("copy /etc/ha.d");
        Sh.run("cp", "-a", "/var/lib/heartbeat", varlib.toString()).orThrow("copy /var/lib/heartbeat");
        Files.writeString(etc.resolve("ha.cf"), haCf);
        Files.writeString(etc.resolve("haresources"), haresources);
        Path keys = etc.resolve("authkeys");
        Files.writeString(keys, authkeys);
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        return this;
    }

    /** Starts heartbeat (it daemonizes) and returns once its master control process is known. */
    public RealHeartbeat start() {
        String script = String.join("\n",
                "set -e",
                "hostname " + node,
                "mount -t tmpfs -o mode=755 tmpfs /run",
                "mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/resource-agents /run/lock /run/crm",
                "chown -R hacluster:haclient /run/heartbeat /run/crm; chmod 750 /run/heartbeat",
                "mount --bind " + base.resolve("etc") + " /etc/ha.d",
                "mount --bind " + base.resolve("varlib") + " /var/lib/heartbeat",
                DAEMON,
                "for i in $(seq 1 50); do [ -s /run/heartbeat.pid ] && break; sleep 0.1; done",
                "cat /run/heartbeat.pid");
        Sh.Result r = net.execQuiet(ns, "unshare", "--uts", "--mount", "--propagation", "private", "bash", "-c", script);
        String[] lines = r.output().trim().split("\n");
        try {
            masterPid = Long.parseLong(lines[lines.length - 1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("heartbeat on " + node + " did not start: " + r.output() + "\n" + log());
        }
        return this;
    }

    /** Runs an admin tool inside the node's namespaces (cl_status, hb_standby ...). */
    public Sh.Result admin(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(masterPid), "-m", "-u", "-n"));
        cmd.addAll(List.of(argv));
        return Sh.run(cmd);
    }

    public String nodeStatus(String other) {
        return admin("cl_status", "nodestatus", other).output().trim();
    }

    /** {@code kill -9} of every heartbeat process of this node: the node dies without a word. */
    public void kill9() {
        Sh.run("sh", "-c", "for p in $(ip netns pids " + ns + "); do "
                + "[ \"$(cat /proc/$p/comm 2>/dev/null)\" = heartbeat ] && kill -9 $p; done; true");
        masterPid = -1;
    }

    public boolean running() {
        return masterPid > 0 && ProcessHandle.of(masterPid).map(ProcessHandle::isAlive).orElse(false);
    }

    public String log() {
        try {
            Path log = base.resolve("varlib").resolve("ha-log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String node() {
        return node;
    }

    @Override
    public void close() {
        if (masterPid > 0) {
            admin("sh", "-c", DAEMON + " -k >/dev/null 2>&1 || true");
        }
        kill9();
    }
}
