package dev.vigil.console;

import dev.vigil.resource.GroupDriver;
import dev.vigil.resource.GroupLifecycle;
import dev.vigil.resource.ResourceJournal;
import dev.vigil.resource.ResourceSupervisor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * The resource layer on the control endpoint, the same in both modes: the {@code resourceGroups}
 * part of {@code /api/v1/status} and the commands {@code resource-list}, {@code resource-status},
 * {@code resource-restart} and {@code resource-reset} ({@code vigil resource ...}). Runs on the
 * event loop.
 */
public final class ResourceApi {
    private ResourceApi() {
    }

    /** Whether {@code name} is one of the resource commands. */
    public static boolean handles(String name) {
        return name.startsWith("resource-");
    }

    /** Every group with its state, monitoring, restart counts and each resource's last operation. */
    public static JsonArray groups(ResourceSupervisor sup) {
        JsonArray out = new JsonArray();
        if (sup == null) return out;
        for (GroupDriver d : sup.groups()) out.add(group(d.view(), sup.journal()));
        return out;
    }

    static JsonObject group(GroupLifecycle.View v, ResourceJournal journal) {
        JsonArray members = new JsonArray();
        for (GroupLifecycle.MemberView m : v.members()) members.add(member(m, journal));
        return new JsonObject().put("group", v.group()).put("state", v.state().name().toLowerCase(Locale.ROOT))
                .put("sequencedBy", v.managed() ? "vigil" : "heartbeat")
                .put("gaveUp", v.gaveUp()).put("gaveUpReason", v.gaveUpReason().orElse(null))
                .put("operation", v.operationInFlight().orElse(null)).put("resources", members);
    }

    static JsonObject member(GroupLifecycle.MemberView m, ResourceJournal journal) {
        JsonObject j = new JsonObject().put("name", m.name()).put("monitored", m.monitored())
                .put("monitorIntervalMs", m.monitorInterval().toMillis())
                .put("restartsInWindow", m.restartsInWindow()).put("maxRestarts", m.maxRestarts()).put("restartsTotal", m.restartsTotal())
                .put("lastFailure", m.lastFailure().orElse(null));
        Optional<ResourceJournal.Entry> last = journal.last(m.name());
        last.ifPresent(e -> j.put("lastOp", new JsonObject().put("op", e.op().argument()).put("time", e.at().toString()).put("ok", e.ok())
                .put("summary", e.summary()).put("output", new JsonArray(e.output()))));
        return j;
    }

    /** Runs a resource command; fails with a message for the operator when refused. */
    public static Future<JsonObject> command(ResourceSupervisor sup, String name, JsonObject args) {
        if (sup == null) return Future.failedFuture("the daemon is still starting");
        String target = args.getString("name", "");
        try {
            switch (name) {
                case "resource-list":
                    return Future.succeededFuture(new JsonObject().put("groups", groups(sup)));
                case "resource-status": {
                    if (target.isEmpty()) return Future.succeededFuture(new JsonObject().put("groups", groups(sup)));
                    Optional<GroupDriver> g = sup.group(target);
                    if (g.isPresent()) return Future.succeededFuture(new JsonObject().put("groups", new JsonArray().add(group(g.get().view(),
                            sup.journal()))));
                    GroupDriver d = sup.groupOf(target).orElseThrow(() -> new IllegalArgumentException("no resource or group " + target
                            + " on this node (vigil resource list shows them)"));
                    JsonObject grp = group(d.view(), sup.journal());
                    JsonArray only = new JsonArray();
                    for (Object o : grp.getJsonArray("resources")) {
                        if (((JsonObject) o).getString("name").equals(target)) only.add(o);
                    }
                    return Future.succeededFuture(new JsonObject().put("groups", new JsonArray().add(grp.put("resources", only))));
                }
                case "resource-restart": {
                    if (target.isEmpty()) return Future.failedFuture("resource restart needs a resource name");
                    String group = sup.restart(target);
                    return Future.succeededFuture(new JsonObject().put("command", name).put("resource", target).put("group", group)
                            .put("text", "restart of " + target + " (group " + group + ") queued; vigil resource status " + target
                                    + " shows the outcome"));
                }
                case "resource-reset": {
                    if (target.isEmpty()) return Future.failedFuture("resource reset needs a group or resource name");
                    String group = sup.reset(target);
                    return Future.succeededFuture(new JsonObject().put("command", name).put("group", group)
                            .put("text", "failure of group " + group + " cleared"));
                }
                default:
                    return Future.failedFuture("unknown command '" + name + "' (resource-list, resource-status, resource-restart, resource-reset)");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Future.failedFuture(e.getMessage());
        }
    }
}
