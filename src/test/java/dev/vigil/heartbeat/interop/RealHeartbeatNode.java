package dev.vigil.heartbeat.interop;

import dev.vigil.testing.Netns;
import dev.vigil.testing.RealHeartbeat;
import java.io.IOException;
import java.nio.file.Path;

/** {@link RealHeartbeat} (heartbeat 3.0.6) behind the scenarios' interface. */
public final class RealHeartbeatNode implements HbClusterNode {
    private final RealHeartbeat hb;
    private final String ns;

    public RealHeartbeatNode(Netns net, String ns, String node, Path workDir) {
        this.hb = new RealHeartbeat(net, ns, node, workDir);
        this.ns = ns;
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

    @Override
    public String log() {
        return hb.log();
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

    @Override
    public void close() {
        hb.close();
    }
}
