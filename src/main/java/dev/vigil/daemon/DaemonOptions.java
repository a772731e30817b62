package dev.vigil.daemon;

import java.nio.file.Path;

/**
 * Options common to both modes.
 *
 * @param stateDir      where generation counters, uuid, control token and endpoint file live (0700)
 * @param nodeName      this node's name; null for {@code uname -n} (heartbeat compares it with ha.cf nodes)
 * @param consoleHost   address of the control endpoint / console (loopback by default)
 * @param consolePort   its port; 0 picks a free one (written to {@code STATE_DIR/control.json})
 * @param webRoot       the console's static files; null to serve none
 * @param bindAddress   local address for heartbeat's UDP socket ("0.0.0.0" normally; the demo binds one
 *                      loopback address per node)
 * @param resourceDirs  where resource scripts are looked up, in order (heartbeat: resource.d, then init.d)
 */
public record DaemonOptions(Path stateDir, String nodeName, String consoleHost, int consolePort, Path webRoot,
                            String bindAddress, java.util.List<Path> resourceDirs) {

    public DaemonOptions {
        resourceDirs = java.util.List.copyOf(resourceDirs);
    }
}
