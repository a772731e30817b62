package dev.vigil.vrrp;

import dev.vigil.cli.StatusView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code vigil status} in VRRP mode: one line per instance (state, configured and effective
 * priority, master, last transition, advert and error counts), the sync groups, and with an
 * instance name every counter under keepalived's names.
 */
public final class VrrpStatusView implements StatusView {

    /** Counters that are not errors. */
    private static final Set<String> NOT_ERRORS = Set.of("advert_rcvd", "advert_sent", "become_master", "release_master",
            "pri_zero_rcvd", "pri_zero_sent");

    private final java.util.function.Supplier<Instant> clock;

    public VrrpStatusView() {
        this(Instant::now);
    }

    VrrpStatusView(java.util.function.Supplier<Instant> clock) {
        this.clock = clock;
    }

    @Override
    public int render(JsonObject status, List<String> args, PrintWriter out, PrintWriter err) {
        JsonArray instances = status.getJsonArray("instances", new JsonArray());
        if (!args.isEmpty()) {
            for (int i = 0; i < instances.size(); i++) {
                JsonObject o = instances.getJsonObject(i);
                if (o.getString("name").equals(args.get(0))) {
                    details(o, out);
                    return 0;
                }
            }
            err.println("vigil status: no vrrp_instance " + args.get(0));
            return 1;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "STATE", "PRIO", "EFF", "VRID", "IF", "VER", "MASTER", "LAST TRANSITION", "RX", "TX", "ERRORS"});
        for (int i = 0; i < instances.size(); i++) {
            JsonObject o = instances.getJsonObject(i);
            JsonObject c = o.getJsonObject("counters", new JsonObject());
            long errors = 0;
            for (String k : c.fieldNames()) if (!NOT_ERRORS.contains(k)) errors += c.getLong(k, 0L);
            rows.add(new String[] {
                o.getString("name"),
                o.getString("state") + (o.getBoolean("maintenance", false) ? "*" : ""),
                String.valueOf(o.getInteger("priority")),
                String.valueOf(o.getInteger("effectivePriority")),
                String.valueOf(o.getInteger("vrid")),
                o.getString("interface"),
                "v" + o.getInteger("version"),
                o.getString("masterAddress") == null ? "-" : o.getString("masterAddress"),
                when(o.getString("lastTransition")),
                String.valueOf(c.getLong("advert_rcvd", 0L)),
                String.valueOf(c.getLong("advert_sent", 0L)),
                String.valueOf(errors)});
        }
        table(rows, out);
        if (instances.stream().anyMatch(x -> ((JsonObject) x).getBoolean("maintenance", false))) {
            out.println("* in maintenance (vigil fault); leave it with the recover command");
        }
        JsonArray groups = status.getJsonArray("syncGroups", new JsonArray());
        if (!groups.isEmpty()) {
            out.println();
            List<String[]> g = new ArrayList<>();
            g.add(new String[] {"SYNC GROUP", "STATE", "MEMBERS"});
            for (int i = 0; i < groups.size(); i++) {
                JsonObject o = groups.getJsonObject(i);
                g.add(new String[] {o.getString("name"), o.getString("state"),
                    String.join(", ", o.getJsonArray("members", new JsonArray()).stream().map(String::valueOf).toList())});
            }
            table(g, out);
        }
        JsonArray disabled = status.getJsonArray("disabledScripts", new JsonArray());
        for (int i = 0; i < disabled.size(); i++) out.println("disabled script: " + disabled.getString(i));
        return 0;
    }

    private void details(JsonObject o, PrintWriter out) {
        String[] keys = {"name", "state", "priority", "effectivePriority", "masterAddress", "lastTransition", "vrid",
            "interface", "version", "family", "sourceAddress", "advertInterval", "unicast", "syncGroup", "maintenance", "advertWatch"};
        for (String k : keys) {
            Object v = o.getValue(k);
            String text = k.equals("lastTransition") ? when(o.getString(k))
                    : k.equals("advertWatch") ? (Boolean.TRUE.equals(v) ? "kernel (repeated adverts absorbed, Master_Down timed by eBPF)" : "no")
                    : v == null ? "-" : String.valueOf(v);
            out.printf("%-18s %s%n", k, text);
        }
        out.println("counters:");
        JsonObject c = o.getJsonObject("counters", new JsonObject());
        for (String k : c.fieldNames()) out.printf("  %-20s %d%n", k, c.getLong(k));
    }

    private String when(String iso) {
        if (iso == null) return "-";
        try {
            Duration ago = Duration.between(Instant.parse(iso), clock.get());
            return iso + " (" + human(ago) + " ago)";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m" + s % 60 + "s";
        if (s < 86400) return s / 3600 + "h" + (s % 3600) / 60 + "m";
        return s / 86400 + "d" + (s % 86400) / 3600 + "h";
    }

    private static void table(List<String[]> rows, PrintWriter out) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) sb.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
