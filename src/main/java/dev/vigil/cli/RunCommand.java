package dev.vigil.cli;

import dev.vigil.daemon.DaemonOptions;
import dev.vigil.daemon.DaemonRunner;
import dev.vigil.daemon.ModeDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil run}: the daemon, in heartbeat mode or VRRP mode. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Vigil daemon in the foreground (use systemd or similar to supervise it).",
            "Heartbeat mode reads an /etc/ha.d directory; VRRP mode reads keepalived.conf.",
            "SIGTERM leaves the cluster cleanly (VRRP: priority 0; heartbeat: resources stopped, peers told)."})
public final class RunCommand implements Callable<Integer> {

    static final class ModeChoice {
        @Option(names = "--heartbeat", paramLabel = "DIR", description = "Heartbeat mode with this /etc/ha.d-style directory.")
        Path heartbeat;

        @Option(names = "--keepalived", paramLabel = "FILE", arity = "0..1", fallbackValue = "/etc/keepalived/keepalived.conf",
                description = "VRRP mode with this keepalived.conf (default ${FALLBACK-VALUE}).")
        Path keepalived;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModeChoice mode;

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name (default: uname -n).")
    String node;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vigil",
            description = "State directory: generation, uuid, control token and endpoint (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--console", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9694",
            description = "Control endpoint and web console address (default ${DEFAULT-VALUE}; port 0 picks a free one).")
    String console;

    @Option(names = "--web", paramLabel = "DIR", description = "Console front-end files (default: web/ beside the jar, if present).")
    Path web;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Local address for heartbeat's UDP socket (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--resource-dir", paramLabel = "DIR",
            description = "Extra directory searched first for resource scripts (repeatable).")
    List<Path> resourceDirs = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int colon = console.lastIndexOf(':');
        if (colon <= 0) {
            spec.commandLine().getErr().println("vigil run: --console takes HOST:PORT, e.g. 127.0.0.1:9694");
            return 2;
        }
        String host = console.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(console.substring(colon + 1));
        } catch (NumberFormatException e) {
            spec.commandLine().getErr().println("vigil run: --console port must be a number");
            return 2;
        }
        Path webRoot = web != null ? web.toAbsolutePath() : (Files.isDirectory(Path.of("web")) ? Path.of("web").toAbsolutePath() : null);
        // scripts run with / as working directory: relative paths would no longer resolve
        List<Path> dirs = resourceDirs.stream().map(Path::toAbsolutePath).toList();
        DaemonOptions options = new DaemonOptions(stateDir, node, host, port, webRoot, bind, dirs);
        ModeDaemon daemon;
        try {
            daemon = mode.heartbeat != null ? Modes.heartbeat(mode.heartbeat) : Modes.vrrp(mode.keepalived);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            spec.commandLine().getErr().println("vigil run: " + e.getMessage());
            return 1;
        }
        return DaemonRunner.run(daemon, options);
    }
}
