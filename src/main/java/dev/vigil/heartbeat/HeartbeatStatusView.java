package dev.vigil.heartbeat;

import dev.vigil.cli.StatusView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code vigil status} in heartbeat mode: cl_status's subcommands with its exact output and exit
 * codes (research heartbeat.md §5, re-checked against cl_status 3.0.6 in a namespace), so scripts
 * written for cl_status keep working. Without a subcommand it prints what {@code hbstatus -v} shows.
 *
 * <pre>
 *   hbstatus                 Heartbeat is running on this machine.               rc 0
 *   listnodes                nodes, in reverse ha.cf order (as cl_status lists)  rc 0
 *   nodestatus N             init|up|active|dead; unknown N: stderr "Error. May be due to incorrect node name", rc 11
 *   nodetype N               normal; unknown N as nodestatus
 *   rscstatus                none|local|foreign|all|transition                   rc 0
 *   listhblinks N            one "\tLINK" line per medium; unknown N: rc 13
 *   hblinkstatus N L         up|dead; unknown N or L: rc 13
 *   missing argument         stderr "Not enough parameters.", rc 11
 *   unknown subcommand       stderr "ERROR: X: invalid sub-command.", rc 11
 * </pre>
 */
public final class HeartbeatStatusView implements StatusView {
    static final int RC_OK = 0;
    static final int RC_BAD_ARGUMENT = 11;
    static final int RC_API_ERROR = 13;

    @Override
    public int render(JsonObject status, List<String> args, PrintWriter out, PrintWriter err) {
        List<String> a = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String s : args) {
            if (s.startsWith("-") && s.length() > 1) options.add(s);
            else a.add(s);
        }
        if (a.isEmpty()) return verbose(status, out, true);
        String sub = a.get(0);
        switch (sub) {
            case "hbstatus":
                if (options.contains("-v")) return verbose(status, out, true);
                out.println("Heartbeat is running on this machine.");
                return RC_OK;
            case "listnodes":
                if (options.contains("-p")) return RC_OK; // no ping nodes
                if (options.contains("-v")) return verbose(status, out, false);
                for (JsonObject n : nodesListed(status)) out.println(n.getString("name"));
                return RC_OK;
            case "nodestatus":
            case "nodetype": {
                if (a.size() < 2) return notEnough(err);
                Optional<JsonObject> n = node(status, a.get(1));
                if (n.isEmpty()) {
                    err.println("Error. May be due to incorrect node name");
                    return RC_BAD_ARGUMENT;
                }
                out.println(sub.equals("nodetype") ? n.get().getString("type", "normal") : n.get().getString("status"));
                return RC_OK;
            }
            case "rscstatus": {
                JsonObject r = status.getJsonObject("resources", new JsonObject());
                out.println(r.getString("rscstatus", "none"));
                return RC_OK;
            }
            case "listhblinks": {
                if (a.size() < 2) return notEnough(err);
                Optional<JsonObject> n = node(status, a.get(1));
                if (n.isEmpty()) {
                    err.println("ERROR: Cannot start heartbeat link interface walk.");
                    err.println("ERROR: REASON: EINVAL");
                    return RC_API_ERROR;
                }
                for (JsonObject l : links(n.get())) {
                    out.println("\t" + l.getString("name") + (options.contains("-v") ? "\t" + l.getString("status") : ""));
                }
                return RC_OK;
            }
            case "hblinkstatus": {
                if (a.size() < 3) return notEnough(err);
                Optional<JsonObject> n = node(status, a.get(1));
                Optional<JsonObject> link = n.flatMap(x -> links(x).stream().filter(l -> l.getString("name").equals(a.get(2))).findFirst());
                if (link.isEmpty()) {
                    err.println("ERROR: Cannot get heartbeat link status");
                    err.println("ERROR: REASON: ");
                    return RC_API_ERROR;
                }
                out.println(link.get().getString("status"));
                return RC_OK;
            }
            default:
                err.println("ERROR: " + sub + ": invalid sub-command.");
                return RC_BAD_ARGUMENT;
        }
    }

    /** {@code hbstatus -v} (with the header) or {@code listnodes -v} (without). */
    private static int verbose(JsonObject status, PrintWriter out, boolean header) {
        if (header) {
            out.println("Heartbeat is running on this machine.");
            out.println("version:\tVigil (heartbeat 3.0.6 compatible) (node: " + status.getString("node", "?") + ")");
            out.println("managed by:\t\"haresources\"");
            out.println();
        }
        for (JsonObject n : nodesListed(status)) {
            out.println(n.getString("name") + "\t" + n.getString("status") + "\t(nodetype: " + n.getString("type", "normal") + ")");
            for (JsonObject l : links(n)) out.println("\t" + l.getString("name") + "\t" + l.getString("status"));
            out.println();
        }
        return RC_OK;
    }

    private static int notEnough(PrintWriter err) {
        err.println("Not enough parameters.");
        return RC_BAD_ARGUMENT;
    }

    /** cl_status walks heartbeat's node table, which holds the ha.cf nodes in reverse order. */
    private static List<JsonObject> nodesListed(JsonObject status) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray nodes = status.getJsonArray("nodes", new JsonArray());
        for (int i = nodes.size() - 1; i >= 0; i--) out.add(nodes.getJsonObject(i));
        return out;
    }

    private static Optional<JsonObject> node(JsonObject status, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (JsonObject n : nodesListed(status)) {
            if (n.getString("name", "").equals(wanted)) return Optional.of(n);
        }
        return Optional.empty();
    }

    private static List<JsonObject> links(JsonObject node) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray l = node.getJsonArray("links", new JsonArray());
        for (int i = 0; i < l.size(); i++) out.add(l.getJsonObject(i));
        return out;
    }
}
