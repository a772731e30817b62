package dev.vigil.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil resource list|status [NAME]|restart NAME|reset NAME}: the resource layer of the
 * running daemon, in both modes, through its control endpoint (so the cluster's view stays true:
 * a restart of a resource this node does not hold is refused by the daemon, with the reason).
 */
@Command(name = "resource", mixinStandardHelpOptions = true,
        description = {"Resource groups of the running daemon: list, status [NAME], restart NAME, reset NAME.",
            "restart: restart one resource in place (its script's restart, else stop then start), only on the node that holds it.",
            "reset: clear a group's give-up (restart budget spent; in VRRP mode the instance leaves FAULT) or failed stop."})
final class ResourceCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/vigil",
            description = "The daemon's state directory (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--json", description = "Print the daemon's JSON answer.")
    boolean json;

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, status, restart or reset")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
            description = "A resource as written in haresources / vigil_resources (e.g. apache2, IPaddr2::10.0.0.1/24), or a group.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!action.matches("list|status|restart|reset")) {
            err.println("vigil resource: ACTION must be list, status, restart or reset");
            return 2;
        }
        if ((action.equals("restart") || action.equals("reset")) && (name == null || name.isEmpty())) {
            err.println("vigil resource " + action + ": NAME is required");
            return 2;
        }
        try {
            JsonObject args = new JsonObject();
            if (name != null) args.put("name", name);
            JsonObject r = ControlClient.forStateDir(stateDir).command("resource-" + action, args);
            if (json) {
                out.println(r.encodePrettily());
            } else if (r.containsKey("groups")) {
                print(out, r.getJsonArray("groups"), action.equals("status"));
            } else {
                out.println(r.getString("text", r.encode()));
            }
            return 0;
        } catch (IOException e) {
            err.println("vigil resource " + action + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** One line per group, one per resource; with {@code details}, the last operation and its output lines. */
    static void print(PrintWriter out, JsonArray groups, boolean details) {
        if (groups.isEmpty()) {
            out.println("no resource groups configured");
            return;
        }
        for (Object o : groups) {
            JsonObject g = (JsonObject) o;
            StringBuilder line = new StringBuilder("group " + g.getString("group") + ": " + g.getString("state"));
            if (g.getBoolean("gaveUp", false)) line.append(", GIVEN UP (").append(g.getString("gaveUpReason", "")).append(")");
            if (g.getString("operation") != null) line.append(", running ").append(g.getString("operation"));
            out.println(line);
            for (Object ro : g.getJsonArray("resources", new JsonArray())) {
                JsonObject r = (JsonObject) ro;
                StringBuilder l = new StringBuilder("  " + r.getString("name"));
                if (r.getBoolean("monitored", false)) {
                    l.append("  monitored every ").append(r.getLong("monitorIntervalMs") / 1000.0).append(" s, restarts ")
                            .append(r.getInteger("restartsInWindow")).append('/').append(r.getInteger("maxRestarts"))
                            .append(" in window, ").append(r.getLong("restartsTotal")).append(" in all");
                } else {
                    l.append("  not monitored");
                }
                JsonObject last = r.getJsonObject("lastOp");
                if (last != null) {
                    l.append("; last op ").append(last.getString("op")).append(' ').append(last.getBoolean("ok") ? "ok" : "FAILED")
                            .append(" at ").append(last.getString("time")).append(" (").append(last.getString("summary")).append(')');
                }
                out.println(l);
                if (details) {
                    if (r.getString("lastFailure") != null) out.println("    last failure: " + r.getString("lastFailure"));
                    if (last != null) {
                        for (Object x : last.getJsonArray("output", new JsonArray())) out.println("    | " + x);
                    }
                }
            }
        }
    }
}
