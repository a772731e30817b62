package dev.vigil.heartbeat.interop;

import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import java.io.IOException;
import java.nio.file.Path;

/** {@link RealHeartbeat} (heartbeat 3.0.6) behind the scenarios' interface. */
public final class RealHeartbeatNode implements HbClusterNode {
    private final RealHeartbeat hb;
    private final String ns;
    private final Path logFile;

    public RealHeartbeatNode(Netns net, String ns, String node, Path workDir) {
        this.hb = new RealHeartbeat(net, ns, node, workDir);
        this.ns = ns;
        // RealHeartbeat's layout: WORKDIR/NODE/varlib is bind-mounted on /var/lib/heartbeat, where ha.cf's logfile points
        this.logFile = workDir.resolve(node).resolve("varlib").resolve("ha-log");
    }

    @Override
    public RealHeartbeatNode configure(String haCf, String haresources, String authkeys) throws IOException {
        hb.configure(haCf, haresources, authkeys);
        return this;
    }

    @Override
    public RealHeartbeatNode start() {
        hb.start();
        return this;
    }

    @Override
    public String nodeStatus(String other) {
        return hb.nodeStatus(other);
    }

    @Override
    public String rscStatus() {
        return hb.admin("cl_status", "rscstatus").output().trim();
    }

    @Override
    public void standby(String which) {
        hb.admin("/usr/share/heartbeat/hb_standby", which).orThrow("hb_standby " + which);
    }

    @Override
    public void takeover(String which) {
        hb.admin("/usr/share/heartbeat/hb_takeover", which).orThrow("hb_takeover " + which);
    }

    @Override
    public void kill9() {
        hb.kill9();
    }

    /**
     * The node's ha-log, read as Latin-1: heartbeat dumps a rejected packet into its log, raw bytes
     * (the binary uuid fields) included, which a UTF-8 read refuses.
     */
    @Override
    public String log() {
        try {
            return java.nio.file.Files.exists(logFile)
                    ? java.nio.file.Files.readString(logFile, java.nio.charset.StandardCharsets.ISO_8859_1) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public String node() {
        return hb.node();
    }

    @Override
    public String namespace() {
        return ns;
    }

    public RealHeartbeat real() {
        return hb;
    }

    /**
     * {@code kill -9}, not {@link RealHeartbeat#close()}: its {@code heartbeat -k} waited for minutes
     * in the authkeys cases (a node whose peer never verified stays in its start-up handshake), and
     * a graceful leave is not what these tests look at.
     */
    @Override
    public void close() {
        hb.kill9();
    }
}
