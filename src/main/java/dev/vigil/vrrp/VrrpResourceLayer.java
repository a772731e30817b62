package dev.vigil.vrrp;

import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.VigilResourceGroup;
import dev.vigil.config.keepalived.VrrpInstance;
import dev.vigil.config.keepalived.VrrpSyncGroup;
import dev.vigil.core.Scheduler;
import dev.vigil.resource.GroupAction;
import dev.vigil.resource.GroupDriver;
import dev.vigil.resource.GroupLifecycle;
import dev.vigil.resource.ResourceJournal;
import dev.vigil.resource.ResourceOps;
import dev.vigil.resource.ResourceSupervisor;
import dev.vigil.vrrp.instance.VrrpState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Heartbeat-style resource groups under VRRP (Vigil's {@code vigil_resources} in a
 * {@code vrrp_instance} or {@code vrrp_sync_group}). The group starts left to right when its
 * instance (or sync group) becomes MASTER and stops right to left when it leaves MASTER for any
 * state (BACKUP, FAULT, or the daemon's stop), the way heartbeat moves a haresources line with its
 * node. Monitoring as in heartbeat mode ({@link GroupLifecycle}).
 *
 * <p>Give-up: the instance goes to FAULT through the router's {@code vigil:resources} tracked
 * pseudo-interface (weight 0), so a master sends priority 0 and the peer takes over at once
 * (RFC 5798 §6.4.3, Skew_Time), just as a failing {@code track_script} of weight 0 does in
 * keepalived. Unlike a track script, nothing here can tell when the service would work again (it is
 * stopped on this node), so the FAULT stays until the operator runs {@code vigil resource reset
 * GROUP} (or restarts the daemon); keepalived operators know this state from an instance held in
 * FAULT by a tracked file or interface. A sync group's give-up puts every member in FAULT; the reset
 * clears them all.
 *
 * <p>Runs on the router's scheduler thread.
 */
public final class VrrpResourceLayer implements VrrpRouter.Listener {
    private final VrrpRouter router;
    private final ResourceSupervisor supervisor;
    /** group name → the instances whose FAULT it controls */
    private final Map<String, List<String>> faultTargets = new LinkedHashMap<>();
    /** instance or sync group name → its group's driver */
    private final Map<String, GroupDriver> byOwner = new LinkedHashMap<>();
    private final Map<String, String> ownerKind = new LinkedHashMap<>();
    private CompletableFuture<Void> allStopped;

    private VrrpResourceLayer(VrrpRouter router, ResourceSupervisor supervisor) {
        this.router = router;
        this.supervisor = supervisor;
    }

    /** Whether the configuration has any {@code vigil_resources}. */
    public static boolean configured(KeepalivedConfig config) {
        return config.instances().stream().anyMatch(i -> i.resourceGroup().isPresent())
                || config.syncGroups().stream().anyMatch(g -> g.resourceGroup().isPresent());
    }

    /**
     * Who owns a group: an instance ({@code syncGroup=false}, {@code instances} = itself) or a sync
     * group ({@code instances} = its members, all put in FAULT on a give-up).
     */
    public record Owner(String name, boolean syncGroup, VigilResourceGroup group, List<String> instances) {
        public Owner {
            instances = List.copyOf(instances);
        }
    }

    /** The owners a keepalived.conf declares with {@code vigil_resources}. */
    public static List<Owner> owners(KeepalivedConfig config) {
        List<Owner> out = new ArrayList<>();
        for (VrrpSyncGroup g : config.syncGroups()) {
            g.resourceGroup().ifPresent(rg -> out.add(new Owner(g.name(), true, rg,
                    g.members().stream().map(VrrpSyncGroup.Member::instance).toList())));
        }
        for (VrrpInstance i : config.instances()) {
            i.resourceGroup().ifPresent(rg -> out.add(new Owner(i.name(), false, rg, List.of(i.name()))));
        }
        return out;
    }

    /** Builds one managed lifecycle per {@code vigil_resources} owner and listens to the router's transitions. */
    public static VrrpResourceLayer attach(VrrpRouter router, KeepalivedConfig config, ResourceOps ops, ResourceJournal journal,
                                           Scheduler scheduler, Logger log, Consumer<String> events) {
        return attach(router, owners(config), ops, journal, scheduler, log, events);
    }

    /** As above, from owners built elsewhere (the simulation). */
    public static VrrpResourceLayer attach(VrrpRouter router, List<Owner> owners, ResourceOps ops, ResourceJournal journal,
                                           Scheduler scheduler, Logger log, Consumer<String> events) {
        VrrpResourceLayer layer = new VrrpResourceLayer(router, new ResourceSupervisor(journal));
        for (Owner o : owners) {
            layer.add(o.name(), o.syncGroup() ? "sync group" : "instance", o.group(), o.instances(), ops, scheduler, log, events);
        }
        router.addListener(layer);
        return layer;
    }

    private void add(String owner, String kind, VigilResourceGroup rg, List<String> instances, ResourceOps ops, Scheduler scheduler,
                     Logger log, Consumer<String> events) {
        List<GroupLifecycle.Member> members = new ArrayList<>();
        for (Haresources.Resource r : rg.resources()) {
            members.add(new GroupLifecycle.Member(r.text(), rg.policyFor(r), ops.hasRestart(r.text())));
        }
        GroupLifecycle lc = new GroupLifecycle(owner, members, true);
        faultTargets.put(owner, instances);
        ownerKind.put(owner, kind);
        GroupDriver d = new GroupDriver(lc, scheduler, ops, new GroupDriver.Listener() {
            @Override
            public void gaveUp(GroupAction.GiveUp g) {
                log.error("({}) resource group given up: {}; {} {} goes to FAULT so the peer takes over", owner, g.reason(), kind, owner);
                for (String i : faultTargets.get(owner)) {
                    try {
                        router.setResourceFault(i, true);
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        log.warn("({}) cannot put {} in FAULT: {}", owner, i, e.getMessage());
                    }
                }
            }

            @Override
            public void cleared(String group) {
                log.info("({}) resource group reset by the operator; {} {} leaves FAULT", owner, kind, owner);
                for (String i : faultTargets.get(owner)) {
                    try {
                        router.setResourceFault(i, false);
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        log.warn("({}) cannot clear FAULT of {}: {}", owner, i, e.getMessage());
                    }
                }
            }

            @Override
            public void event(String text) {
                events.accept("(" + owner + ") " + text);
            }

            @Override
            public void stateChanged(GroupAction.StateChanged change) {
                checkAllStopped();
            }
        }, log);
        supervisor.add(d);
        byOwner.put(owner, d);
    }

    @Override
    public void instanceTransition(VrrpRouter.InstanceTransition t) {
        if (!"instance".equals(ownerKind.get(t.instance()))) return;
        follow(byOwner.get(t.instance()), t.from(), t.to());
    }

    @Override
    public void groupTransition(VrrpRouter.GroupTransition t) {
        if (!"sync group".equals(ownerKind.get(t.group()))) return;
        follow(byOwner.get(t.group()), t.from(), t.to());
    }

    private static void follow(GroupDriver d, VrrpState from, VrrpState to) {
        if (d == null) return;
        if (to == VrrpState.MASTER) d.start();
        else if (from == VrrpState.MASTER) d.stop();
    }

    /** The daemon's stop: every group that still runs is stopped right to left; completes when all are down. */
    public CompletableFuture<Void> stopAll() {
        allStopped = new CompletableFuture<>();
        for (GroupDriver d : byOwner.values()) {
            if (d.lifecycle().state() != GroupLifecycle.State.STOPPED && d.lifecycle().state() != GroupLifecycle.State.FAILED) d.stop();
        }
        checkAllStopped();
        return allStopped;
    }

    private void checkAllStopped() {
        if (allStopped == null || allStopped.isDone()) return;
        for (GroupDriver d : byOwner.values()) {
            GroupLifecycle.State s = d.lifecycle().state();
            if (s != GroupLifecycle.State.STOPPED && s != GroupLifecycle.State.FAILED) return;
        }
        allStopped.complete(null);
    }

    public ResourceSupervisor supervisor() {
        return supervisor;
    }

    public void close() {
        supervisor.closeAll();
    }
}
