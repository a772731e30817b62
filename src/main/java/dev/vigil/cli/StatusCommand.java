package dev.vigil.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil status}: the running daemon's view. In heartbeat mode the subcommands and output are
 * cl_status's ({@code hbstatus}, {@code listnodes}, {@code nodestatus N}, {@code rscstatus},
 * {@code listhblinks N}, {@code hblinkstatus N L}), so existing scripts keep working.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the running daemon's state.",
            "Heartbeat mode takes cl_status's subcommands: hbstatus, listnodes, nodestatus NODE, rscstatus,",
            "listhblinks NODE, hblinkstatus NODE LINK. VRRP mode lists the instances."})
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vigil",
            description = "The daemon's state directory (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--json", description = "Print the raw status JSON.")
    boolean json;

    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "Subcommand and arguments (mode-specific).")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonObject status;
        try {
            status = ControlClient.forStateDir(stateDir).status();
        } catch (IOException e) {
            // cl_status hbstatus prints this and exits 1 when heartbeat is not running
            if (!args.isEmpty() && args.get(0).equals("hbstatus")) {
                out.println("Heartbeat is stopped on this machine.");
                out.flush();
                return 1;
            }
            err.println("vigil status: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (json) {
            out.println(status.encodePrettily());
            out.flush();
            return 0;
        }
        Optional<StatusView> view = Modes.view(status.getString("mode", ""));
        if (view.isEmpty()) {
            out.println(status.encodePrettily());
            out.flush();
            return 0;
        }
        int code = view.get().render(status, args, out, err);
        io.vertx.core.json.JsonArray groups = status.getJsonArray("resourceGroups");
        if (args.isEmpty() && groups != null && !groups.isEmpty()) {
            // the resource layer (both modes): state, monitoring and last operation of each group
            out.println();
            out.println("Resource groups (vigil resource status NAME shows the last output lines):");
            ResourceCommand.print(out, groups, false);
        }
        out.flush();
        err.flush();
        return code;
    }
}
