package dev.vigil.vrrp;

import dev.vigil.vrrp.instance.VrrpState;

import dev.vigil.console.ControlApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * VRRP mode's control surface: the status JSON behind {@code vigil status} and the console, the
 * event stream, and the maintenance commands. Runs on the daemon's event loop, like the router it
 * reads. The status never carries secrets (no {@code auth_pass}, no script arguments).
 *
 * <p>Commands ({@code POST /api/v1/commands/NAME} with {@code {"instance": "VI_1"}}; the token is
 * checked by the control server):
 * <ul>
 *   <li>{@code fault}: maintenance; the instance goes to FAULT through its state machine, so a master
 *       sends priority 0 and its peer takes over after Skew_Time;</li>
 *   <li>{@code recover}: back to BACKUP (and to MASTER if it has the highest priority).</li>
 * </ul>
 */
public final class VrrpControl implements ControlApi, VrrpRouter.Listener {

    /** How many recent events the status carries. */
    static final int RECENT_EVENTS = 50;

    private final VrrpRouter router;
    private final Supplier<List<String>> disabledScripts;
    private final Deque<JsonObject> recent = new ArrayDeque<>();
    private final List<Consumer<JsonObject>> subscribers = new CopyOnWriteArrayList<>();

    private final Supplier<JsonObject> receiveLag;
    private Consumer<java.util.Set<String>> maintenanceListener = names -> { };
    private volatile dev.vigil.resource.ResourceSupervisor resources;

    public VrrpControl(VrrpRouter router, Supplier<List<String>> disabledScripts) {
        this(router, disabledScripts, JsonObject::new);
    }

    /** @param receiveLag how long received frames waited for the event loop ({@link LagMeter#toJson}) */
    public VrrpControl(VrrpRouter router, Supplier<List<String>> disabledScripts, Supplier<JsonObject> receiveLag) {
        this.router = Objects.requireNonNull(router);
        this.disabledScripts = disabledScripts;
        this.receiveLag = receiveLag;
        router.addListener(this);
    }

    @Override
    public JsonObject status() {
        JsonArray instances = new JsonArray();
        for (VrrpRouter.InstanceStatus i : router.instances()) instances.add(instanceJson(i));
        JsonArray groups = new JsonArray();
        for (VrrpRouter.GroupStatus g : router.syncGroups()) {
            groups.add(new JsonObject().put("name", g.name()).put("state", g.state().name())
                    .put("members", new JsonArray(List.copyOf(g.members()))));
        }
        JsonObject drops = new JsonObject();
        router.interfaceDrops().forEach((iface, m) -> {
            JsonObject o = new JsonObject();
            m.forEach(o::put);
            drops.put(iface, o);
        });
        JsonArray events;
        synchronized (recent) {
            events = new JsonArray(List.copyOf(recent));
        }
        return new JsonObject()
                .put("mode", "vrrp")
                .put("instances", instances)
                .put("syncGroups", groups)
                .put("interfaceDrops", drops)
                .put("disabledScripts", new JsonArray(List.copyOf(disabledScripts.get())))
                .put("receiveLag", receiveLag.get())
                .put("lateTimers", router.lateTimers())
                .put("resourceGroups", dev.vigil.console.ResourceApi.groups(resources))
                .put("warnings", warnings())
                .put("events", events);
    }

    /** When another node was last heard advertising a lower priority while this one is MASTER. */
    private final java.util.Map<String, long[]> lowerWhileMaster = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, String> lowerSource = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What an operator must see at a glance: two masters for one VRID (keepalived logs it and forces
     * an election, keepalived.md 2.3), an instance that hears no master, and adverts whose address
     * list differs from ours (keepalived drops them as addr_list_err: the nodes' virtual_ipaddress
     * blocks differ, and each side may end up master).
     */
    JsonArray warnings() {
        JsonArray w = new JsonArray();
        long now = router.scheduler().nanoTime();
        for (VrrpRouter.InstanceStatus i : router.instances()) {
            long window = 3L * i.advertIntervalCentis() * 10_000_000L;
            long[] lower = lowerWhileMaster.get(i.name());
            if (i.state() == VrrpState.MASTER && lower != null && now - lower[0] <= window) {
                w.add(new JsonObject().put("severity", "critical").put("instance", i.name())
                        .put("text", i.name() + ": split brain: " + lowerSource.get(i.name()) + " also advertises as master (priority "
                                + lower[1] + ") for VRID " + i.vrid()));
            }
            if (i.state() == VrrpState.BACKUP && i.masterAddress().isEmpty()) {
                w.add(new JsonObject().put("severity", "warning").put("instance", i.name())
                        .put("text", i.name() + ": no master heard yet on " + i.interfaceName()));
            }
            if (i.state() == VrrpState.FAULT) {
                w.add(new JsonObject().put("severity", "warning").put("instance", i.name())
                        .put("text", i.name() + ": in FAULT" + (i.maintenance() ? " (maintenance)" : "") + ": this node will not take the addresses"));
            }
            long mismatched = i.counters().getOrDefault("addr_list_err", 0L);
            if (mismatched > 0) {
                w.add(new JsonObject().put("severity", "critical").put("instance", i.name())
                        .put("text", i.name() + ": " + mismatched + " advert(s) with a different address list (addr_list_err): "
                                + "the nodes' virtual_ipaddress blocks for VRID " + i.vrid() + " differ"));
            }
        }
        return w;
    }

    @Override
    public void masterReceivedLowerPriority(String instance, InetAddress source, int priority, long atNanos) {
        lowerWhileMaster.put(instance, new long[] {atNanos, priority});
        lowerSource.put(instance, source.getHostAddress());
    }

    static JsonObject instanceJson(VrrpRouter.InstanceStatus i) {
        JsonObject counters = new JsonObject();
        i.counters().forEach(counters::put);
        return new JsonObject()
                .put("name", i.name())
                .put("state", i.state().name())
                .put("priority", i.priority())
                .put("effectivePriority", i.effectivePriority())
                .put("masterAddress", i.masterAddress().map(InetAddress::getHostAddress).orElse(null))
                .put("lastTransition", i.lastTransition().map(Instant::toString).orElse(null))
                .put("vrid", i.vrid())
                .put("interface", i.interfaceName())
                .put("version", i.version())
                .put("family", i.ipv6() ? "IPv6" : "IPv4")
                .put("sourceAddress", i.primaryAddress().getHostAddress())
                .put("advertInterval", String.format(Locale.ROOT, "%.2f", i.advertIntervalCentis() / 100.0))
                .put("unicast", i.unicast())
                .put("syncGroup", i.syncGroup().orElse(null))
                .put("maintenance", i.maintenance())
                .put("sendErrors", i.sendErrors())
                // a watched backup's advert_rcvd moves in steps: the kernel counts, the daemon reads rarely
                .put("advertWatch", i.advertWatched())
                .put("counters", counters);
    }

    @Override
    public Future<JsonObject> command(String name, JsonObject arguments) {
        if (dev.vigil.console.ResourceApi.handles(name)) return dev.vigil.console.ResourceApi.command(resources, name, arguments);
        String instance = arguments.getString("instance");
        switch (name) {
            case "fault", "recover" -> {
                if (instance == null || instance.isBlank()) {
                    return Future.failedFuture(name + " needs an instance: {\"instance\": \"VI_1\"}");
                }
                if (router.instance(instance).isEmpty()) {
                    return Future.failedFuture("no vrrp_instance " + instance + "; there are: "
                            + String.join(", ", router.instances().stream().map(VrrpRouter.InstanceStatus::name).toList()));
                }
                boolean fault = name.equals("fault");
                try {
                    router.setMaintenance(instance, fault);
                } catch (IllegalStateException e) {
                    return Future.failedFuture(e.getMessage());
                }
                maintenanceListener.accept(router.instances().stream().filter(VrrpRouter.InstanceStatus::maintenance)
                        .map(VrrpRouter.InstanceStatus::name).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
                VrrpRouter.InstanceStatus now = router.instance(instance).orElseThrow();
                publish(new JsonObject().put("type", "maintenance").put("instance", instance).put("fault", fault)
                        .put("time", Instant.now().toString()));
                return Future.succeededFuture(new JsonObject()
                        .put("message", fault ? instance + " is in FAULT for maintenance; its peer takes over"
                                : instance + " leaves maintenance; now " + now.state())
                        .put("instance", instanceJson(now)));
            }
            default -> {
                return Future.failedFuture("unknown command " + name + " in VRRP mode; use fault or recover with {\"instance\": NAME}");
            }
        }
    }

    /** Told, on the loop, the instances in maintenance after every fault/recover command (the daemon persists them). */
    public void onMaintenanceChange(Consumer<java.util.Set<String>> listener) {
        this.maintenanceListener = java.util.Objects.requireNonNull(listener);
    }

    @Override
    public Runnable subscribe(Consumer<JsonObject> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    // ------------------------------------------------------------------ router events

    @Override
    public void instanceTransition(VrrpRouter.InstanceTransition t) {
        publish(new JsonObject().put("type", "transition").put("time", t.at().toString()).put("instance", t.instance())
                .put("from", t.from().name()).put("to", t.to().name()).put("reason", t.reason().name())
                .put("priority", t.priority())
                // keepalived's log wording, for the console's event list
                .put("text", "(" + t.instance() + ") Entering " + t.to().name() + " STATE (priority " + t.priority() + ")"));
    }

    @Override
    public void groupTransition(VrrpRouter.GroupTransition t) {
        publish(new JsonObject().put("type", "group-transition").put("time", t.at().toString()).put("group", t.group())
                .put("from", t.from().name()).put("to", t.to().name())
                .put("text", "VRRP_Group(" + t.group() + ") Syncing instances to " + t.to().name() + " state"));
    }

    @Override
    public void priorityChanged(String instance, int from, int to, long atNanos) {
        publish(new JsonObject().put("type", "priority").put("time", router.wallTime(atNanos).toString())
                .put("instance", instance).put("from", from).put("to", to)
                .put("text", "(" + instance + ") Changing effective priority from " + from + " to " + to));
    }

    /** A split brain ({@link SplitBrainWatch}) on the event stream, as {@code type: split-brain}. */
    public void splitBrain(SplitBrainWatch.SplitBrain sb) {
        publish(new JsonObject().put("type", "split-brain").put("time", sb.at().toString()).put("instance", sb.instance())
                .put("vrid", sb.vrid()).put("otherMaster", sb.otherMaster().getHostAddress()).put("otherPriority", sb.otherPriority())
                .put("priority", sb.ourPriority()).put("text", sb.text()));
    }

    /** The resource groups of {@code vigil_resources} ({@code vigil resource}, status, console). */
    public void setResources(dev.vigil.resource.ResourceSupervisor supervisor) {
        this.resources = supervisor;
    }

    /** A resource-layer event (failure, restart, give-up) into the event stream. */
    public void resourceEvent(String text) {
        publish(new JsonObject().put("type", "resource").put("time", Instant.now().toString()).put("text", text));
    }

    private void publish(JsonObject event) {
        synchronized (recent) {
            recent.addLast(event);
            while (recent.size() > RECENT_EVENTS) recent.removeFirst();
        }
        for (Consumer<JsonObject> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                // a broken subscriber (closed stream) must not stop the others
            }
        }
    }
}
