package dev.vigil.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil standby} and {@code vigil takeover} (heartbeat's hb_standby and hb_takeover), and
 * {@code vigil fault} / {@code vigil recover} (VRRP maintenance).
 */
final class AdminCommands {
    private AdminCommands() {
    }

    /** One control command to the daemon of {@code stateDir}; prints its message; exit 0 or 1. */
    static int send(CommandLine.Model.CommandSpec spec, Path stateDir, String command, JsonObject arguments) {
        try {
            JsonObject r = ControlClient.forStateDir(stateDir).command(command, arguments);
            String msg = r.getString("message");
            if (msg != null) spec.commandLine().getOut().println(msg);
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("vigil " + command + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vigil",
                description = "The daemon's state directory (default ${DEFAULT-VALUE}).")
        Path stateDir;

        @Parameters(paramLabel = "WHICH", arity = "0..1", defaultValue = "all",
                description = "all, local, foreign or failback (default ${DEFAULT-VALUE}), as hb_standby/hb_takeover.")
        String which;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String command();

        @Override
        public Integer call() {
            if (!which.matches("all|local|foreign|failback")) {
                spec.commandLine().getErr().println("vigil " + command() + ": WHICH must be all, local, foreign or failback");
                return 2;
            }
            return send(spec, stateDir, command(), new JsonObject().put("which", which));
        }
    }

    @Command(name = "standby", mixinStandardHelpOptions = true,
            description = "Give resources to the peer (heartbeat's hb_standby): all, local, foreign or failback.")
    static final class Standby extends Base {
        @Override
        String command() {
            return "standby";
        }
    }

    @Command(name = "takeover", mixinStandardHelpOptions = true,
            description = "Take resources from the peer (heartbeat's hb_takeover): all, local, foreign or failback.")
    static final class Takeover extends Base {
        @Override
        String command() {
            return "takeover";
        }
    }

    /** VRRP maintenance: one instance into FAULT and back. */
    abstract static class Maintenance implements Callable<Integer> {
        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vigil",
                description = "The daemon's state directory (default ${DEFAULT-VALUE}).")
        Path stateDir;

        @Parameters(paramLabel = "INSTANCE", description = "The vrrp_instance, e.g. VI_1.")
        String instance;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String command();

        @Override
        public Integer call() {
            return send(spec, stateDir, command(), new JsonObject().put("instance", instance));
        }
    }

    @Command(name = "fault", mixinStandardHelpOptions = true,
            description = "VRRP maintenance: put INSTANCE in FAULT (a master sends priority 0, its peer takes over); "
                    + "kept across restarts until 'vigil recover'.")
    static final class Fault extends Maintenance {
        @Override
        String command() {
            return "fault";
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = "VRRP maintenance: let INSTANCE leave FAULT and take part in the election again.")
    static final class Recover extends Maintenance {
        @Override
        String command() {
            return "recover";
        }
    }
}
