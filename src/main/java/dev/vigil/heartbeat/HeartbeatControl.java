package dev.vigil.heartbeat;

import dev.vigil.console.ControlApi;
import dev.vigil.heartbeat.membership.LinkStatus;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.rm.AdminRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The control surface of a heartbeat node: the status JSON that {@code vigil status} (through
 * {@link HeartbeatStatusView}) and the console ({@code web/app.js}) read, the {@code standby} and
 * {@code takeover} commands, and the event stream. No secrets: authkeys never appear here.
 */
public final class HeartbeatControl implements ControlApi {

    /** A standing condition shown above the console's views; {@code severity} is {@code warning} or {@code critical}. */
    public record Warning(String severity, String text) {
    }

    /** The ha.cf values shown in the status, in ha.cf's own notation. */
    public record ConfigSummary(Duration keepalive, Duration deadtime, Duration warntime, Duration initdead, int udpPort,
                                String autoFailback) {
    }

    private final Supplier<HeartbeatNode> node;
    private final ConfigSummary config;
    private final List<Warning> configWarnings;
    private final Supplier<dev.vigil.resource.ResourceSupervisor> resources;

    /** @param node the running node, or null while it is starting */
    public HeartbeatControl(Supplier<HeartbeatNode> node, ConfigSummary config, List<Warning> configWarnings) {
        this(node, config, configWarnings, () -> null);
    }

    /** @param resources the resource layer (monitoring, {@code vigil resource}), or null while starting */
    public HeartbeatControl(Supplier<HeartbeatNode> node, ConfigSummary config, List<Warning> configWarnings,
                            Supplier<dev.vigil.resource.ResourceSupervisor> resources) {
        this.resources = Objects.requireNonNull(resources);
        this.node = Objects.requireNonNull(node);
        this.config = Objects.requireNonNull(config);
        this.configWarnings = List.copyOf(configWarnings);
    }

    @Override
    public JsonObject status() {
        HeartbeatNode n = node.get();
        JsonObject s = new JsonObject().put("mode", "heartbeat");
        if (n == null) return s.put("node", null).put("nodes", new JsonArray()).put("starting", true);
        s.put("node", n.localNode());
        s.put("lifecycle", n.lifecycle().name().toLowerCase(Locale.ROOT));
        s.put("generation", n.generation());
        JsonArray nodes = new JsonArray();
        for (String name : n.settings().nodes()) {
            JsonArray links = new JsonArray();
            for (String l : n.linkNames()) {
                links.add(new JsonObject().put("name", l).put("status", n.linkStatus(name, l).map(LinkStatus::wireName).orElse("dead")));
            }
            nodes.add(new JsonObject().put("name", name)
                    .put("status", n.nodeStatus(name).map(NodeStatus::wireName).orElse("unknown"))
                    .put("self", name.equals(n.localNode()))
                    .put("type", "normal")
                    .put("links", links));
        }
        s.put("nodes", nodes);
        JsonArray groups = new JsonArray();
        List<Warning> warnings = new ArrayList<>(configWarnings);
        for (HeartbeatNode.GroupView g : n.groups()) {
            groups.add(new JsonObject().put("key", g.key()).put("preferred", g.preferred()).put("holder", g.holder().orElse(null))
                    .put("state", g.state().name().toLowerCase(Locale.ROOT)).put("resources", new JsonArray(g.resources())));
            if (g.state() == dev.vigil.heartbeat.rm.GroupState.FAILED) {
                warnings.add(new Warning("critical", "Resource group " + g.key() + " failed to stop and may still run here; "
                        + "stop it by hand, then clear it"));
            }
        }
        s.put("resources", new JsonObject().put("rscstatus", n.rscStatus()).put("managed", n.managesResources())
                .put("handshake", n.resourceState()).put("groups", groups));
        s.put("resourceGroups", dev.vigil.console.ResourceApi.groups(resources.get()));
        JsonArray events = new JsonArray();
        for (NodeEvent e : n.events()) events.add(toJson(e));
        s.put("events", events);
        if (!n.rejections().isEmpty()) {
            long total = n.rejections().values().stream().mapToLong(Long::longValue).sum();
            warnings.add(new Warning("warning", total + " packet(s) rejected (" + n.rejections() + "): check authkeys on every node"));
        }
        JsonArray w = new JsonArray();
        for (Warning x : warnings) w.add(new JsonObject().put("severity", x.severity()).put("text", x.text()));
        s.put("warnings", w);
        JsonObject rejected = new JsonObject();
        n.rejections().forEach((k, v) -> rejected.put(k.counterName(), v));
        s.put("counters", new JsonObject().put("messagesSent", n.messagesSent()).put("packetsAccepted", n.packetsAccepted())
                .put("rejected", rejected).put("replaysDropped", n.replaysDropped()));
        s.put("config", new JsonObject().put("keepalive", haCfDuration(config.keepalive())).put("deadtime", haCfDuration(config.deadtime()))
                .put("warntime", haCfDuration(config.warntime())).put("initdead", haCfDuration(config.initdead()))
                .put("udpport", config.udpPort()).put("auto_failback", config.autoFailback()));
        return s;
    }

    /** As ha.cf would write it: whole seconds bare ({@code 5}), anything else in milliseconds ({@code 200ms}). */
    static String haCfDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : ms + "ms";
    }

    static JsonObject toJson(NodeEvent e) {
        return new JsonObject().put("time", e.time().toString()).put("kind", e.kind()).put("text", e.text());
    }

    @Override
    public Future<JsonObject> command(String name, JsonObject arguments) {
        HeartbeatNode n = node.get();
        if (dev.vigil.console.ResourceApi.handles(name)) return dev.vigil.console.ResourceApi.command(resources.get(), name, arguments);
        if (!name.equals("standby") && !name.equals("takeover")) {
            return Future.failedFuture("unknown command '" + name + "' (heartbeat mode has standby, takeover and resource-*)");
        }
        if (n == null) return Future.failedFuture("heartbeat is still starting");
        String which = arguments.getString("which", "all");
        AdminRequest request = AdminRequest.parse(which).orElse(null);
        if (request == null) return Future.failedFuture("which must be all, local, foreign or failback, not '" + which + "'");
        try {
            if (name.equals("standby")) {
                n.requestStandby(request);
            } else {
                n.requestTakeover(request);
            }
        } catch (IllegalStateException e) {
            return Future.failedFuture(e.getMessage());
        }
        // hb_standby and hb_takeover print nothing: the handshake's outcome shows in the log and status.
        return Future.succeededFuture(new JsonObject().put("command", name).put("which", request.wireName()));
    }

    @Override
    public Runnable subscribe(Consumer<JsonObject> listener) {
        HeartbeatNode n = node.get();
        if (n == null) return () -> { };
        return n.subscribe(e -> listener.accept(toJson(e)));
    }
}
