package dev.vigil.heartbeat.interop;

import java.io.IOException;

/** A node of an interop cluster: real heartbeat 3.0.6 or Vigil, driven the same way by the scenarios. */
public interface HbClusterNode extends AutoCloseable {
    HbClusterNode configure(String haCf, String haresources, String authkeys) throws IOException;

    HbClusterNode start() throws IOException, InterruptedException;

    /** {@code cl_status nodestatus OTHER} or {@code vigil status nodestatus OTHER}. */
    String nodeStatus(String other);

    /** {@code cl_status rscstatus} or {@code vigil status rscstatus}: none|local|foreign|all|transition. */
    String rscStatus();

    /** {@code hb_standby WHICH} or {@code vigil standby WHICH}. */
    void standby(String which);

    /** {@code hb_takeover WHICH} or {@code vigil takeover WHICH}. */
    void takeover(String which);

    void kill9() throws InterruptedException;

    String log();

    String node();

    String namespace();
}
