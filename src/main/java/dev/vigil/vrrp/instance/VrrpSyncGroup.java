package dev.vigil.vrrp.instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@code vrrp_sync_group}: member instances that change state together (keepalived vrrp_sync.c and
 * the transition matrix in vrrp_scheduler.c; keepalived.md §2.4). Once grouped, a member is driven only
 * through the group, which forwards each event to the member and then applies the group rules:
 *
 * <pre>
 *   member goes MASTER  → every BACKUP sibling goes MASTER           (vrrp_sync_master)
 *   member leaves MASTER for BACKUP, or FAULT/INIT for BACKUP
 *                       → every sibling goes BACKUP                   (vrrp_sync_backup)
 *   member goes FAULT   → every sibling goes FAULT (a master sends priority 0 once)   (vrrp_sync_fault)
 * </pre>
 *
 * Two gates keep members from going it alone:
 * <ul>
 *   <li>A member's Master_Down timer makes it MASTER only if every sibling wants MASTER too (its own timer
 *       fired, or it is master); otherwise it waits another down interval "to avoid thrashing"
 *       (vrrp_sync_can_goto_master). The last member to time out therefore takes the whole group.</li>
 *   <li>A member leaves FAULT (or INIT) only when no sibling has a fault or a pending weight-0 script of its
 *       own (keepalived num_member_fault / num_member_init).</li>
 * </ul>
 *
 * Without {@code sync_group_tracking_weight}, members' weighted tracking is dropped or made weight 0
 * ({@link TrackState#forSyncGroupMember}).
 */
public final class VrrpSyncGroup {

    private final String name;
    private final Map<String, VrrpInstance> members = new LinkedHashMap<>();
    private final List<String> ignoredTracking = new ArrayList<>();
    private VrrpState state = VrrpState.INIT;

    /**
     * @param members instances not started yet and not in another group
     * @param syncGroupTrackingWeight keepalived's {@code sync_group_tracking_weight}
     */
    public VrrpSyncGroup(String name, List<VrrpInstance> members, boolean syncGroupTrackingWeight) {
        this.name = Objects.requireNonNull(name);
        if (members.isEmpty()) throw new IllegalArgumentException("sync group " + name + " has no members");
        for (VrrpInstance m : members) {
            if (m.group != null) throw new IllegalArgumentException("(" + m.name() + ") cannot be in more than one sync group");
            if (m.started()) throw new IllegalArgumentException("(" + m.name() + ") must join its sync group before start");
            if (this.members.putIfAbsent(m.name(), m) != null) throw new IllegalArgumentException("duplicate member " + m.name());
        }
        for (VrrpInstance m : members) {
            m.applySyncGroupTracking(syncGroupTrackingWeight, ignoredTracking);
            m.group = this;
        }
    }

    public String name() {
        return name;
    }

    public VrrpState state() {
        return state;
    }

    public List<VrrpInstance> members() {
        return List.copyOf(members.values());
    }

    public VrrpInstance member(String instance) {
        VrrpInstance m = members.get(instance);
        if (m == null) throw new IllegalArgumentException("no member " + instance + " in sync group " + name);
        return m;
    }

    // ------------------------------------------------------------------ entry points

    /** Starts every member (keepalived vrrp_init_state): all BACKUP, or all FAULT if one is faulted. */
    public List<SyncGroupAction> start(long nowNanos) {
        List<SyncGroupAction> out = new ArrayList<>();
        for (String line : ignoredTracking) out.add(new SyncGroupAction.Log(LogLevel.WARNING, line));
        for (VrrpInstance m : members.values()) perMember(m, out, m::markStarted);
        // every member is started before any comes up, so the gates see the whole group
        for (VrrpInstance m : members.values()) perMember(m, out, a -> m.comeUp(nowNanos, a));
        if (hasFaultedMember()) {
            setState(VrrpState.FAULT, out);
        } else if (members.values().stream().allMatch(m -> m.state() == VrrpState.BACKUP)) {
            setState(VrrpState.BACKUP, out);
        }
        // otherwise a weight-0 script has not reported yet: the group stays INIT, like keepalived's
        return out;
    }

    public List<SyncGroupAction> onAdvert(String instance, ReceivedAdvert advert, long nowNanos) {
        VrrpInstance m = member(instance);
        return drive(m, nowNanos, a -> m.receive(advert, nowNanos, a));
    }

    public List<SyncGroupAction> onTimer(String instance, TimerKind kind, long nowNanos) {
        VrrpInstance m = member(instance);
        return drive(m, nowNanos, a -> m.fire(kind, nowNanos, a));
    }

    public List<SyncGroupAction> onScriptStatus(String instance, String script, ScriptStatus status, long nowNanos) {
        VrrpInstance m = member(instance);
        return drive(m, nowNanos, a -> m.setScriptStatus(script, status, nowNanos, a));
    }

    public List<SyncGroupAction> onInterfaceState(String instance, String iface, boolean up, long nowNanos) {
        VrrpInstance m = member(instance);
        return drive(m, nowNanos, a -> m.setInterfaceState(iface, up, nowNanos, a));
    }

    /** Stops every member; the group goes to STOP. */
    public List<SyncGroupAction> shutdown(long nowNanos) {
        List<SyncGroupAction> out = new ArrayList<>();
        for (VrrpInstance m : members.values()) perMember(m, out, m::stop);
        setState(VrrpState.STOP, out);
        return out;
    }

    // ------------------------------------------------------------------ gates, asked by members

    /** keepalived vrrp_sync_can_goto_master. */
    boolean mayBecomeMaster(VrrpInstance member) {
        if (state == VrrpState.MASTER) return true;
        for (VrrpInstance m : members.values()) {
            if (m != member && !m.wantsMaster()) return false;
        }
        return true;
    }

    /** keepalived try_up_instance: no sibling has its own fault or pending weight-0 script. */
    boolean mayComeUp(VrrpInstance member) {
        if (state == VrrpState.STOP) return false;
        for (VrrpInstance m : members.values()) {
            if (m != member && (!m.started() || m.ownTrackingDown())) return false;
        }
        return true;
    }

    boolean hasFaultedMember() {
        for (VrrpInstance m : members.values()) if (m.tracking().faulted()) return true;
        return false;
    }

    // ------------------------------------------------------------------ propagation

    private List<SyncGroupAction> drive(VrrpInstance trigger, long now, Consumer<List<VrrpAction>> op) {
        List<SyncGroupAction> out = new ArrayList<>();
        if (state == VrrpState.STOP) return out;
        VrrpState before = trigger.state();
        List<VrrpAction> acts = new ArrayList<>();
        op.accept(acts);
        tag(trigger, acts, out);
        if (acts.stream().anyMatch(a -> a instanceof VrrpAction.MasterReceivedLowerPriority)) {
            // keepalived vrrp_state_master_rx: siblings refresh their ARP entries too
            for (VrrpInstance m : members.values()) {
                if (m != trigger) perMember(m, out, a -> m.lowerPriorityGarps(now, a));
            }
        }
        VrrpState after = trigger.state();
        if (after == before) return out;
        switch (after) {
            case MASTER -> syncMaster(trigger, now, out);
            case BACKUP -> syncBackup(trigger, now, out);
            case FAULT -> syncFault(trigger, now, out);
            default -> { }
        }
        return out;
    }

    private void syncMaster(VrrpInstance trigger, long now, List<SyncGroupAction> out) {
        out.add(new SyncGroupAction.Log(LogLevel.INFO, "VRRP_Group(" + name + ") Syncing instances to MASTER state"));
        for (VrrpInstance m : members.values()) {
            if (m != trigger) perMember(m, out, a -> m.forceMaster(now, a));
        }
        setState(VrrpState.MASTER, out);
    }

    private void syncBackup(VrrpInstance trigger, long now, List<SyncGroupAction> out) {
        if (state != VrrpState.BACKUP) {
            out.add(new SyncGroupAction.Log(LogLevel.INFO, "VRRP_Group(" + name + ") Syncing instances to BACKUP state"));
        }
        for (VrrpInstance m : members.values()) {
            if (m != trigger) perMember(m, out, a -> m.forceBackup(now, a));
        }
        setState(VrrpState.BACKUP, out);
    }

    private void syncFault(VrrpInstance trigger, long now, List<SyncGroupAction> out) {
        if (state != VrrpState.FAULT) {
            out.add(new SyncGroupAction.Log(LogLevel.INFO, "VRRP_Group(" + name + ") Syncing instances to FAULT state"));
        }
        for (VrrpInstance m : members.values()) {
            if (m != trigger) perMember(m, out, a -> m.forceFault(now, a));
        }
        setState(VrrpState.FAULT, out);
    }

    private void setState(VrrpState to, List<SyncGroupAction> out) {
        if (to == state) return;
        out.add(new SyncGroupAction.GroupTransition(name, state, to));
        state = to;
    }

    private static void perMember(VrrpInstance m, List<SyncGroupAction> out, Consumer<List<VrrpAction>> op) {
        List<VrrpAction> acts = new ArrayList<>();
        op.accept(acts);
        tag(m, acts, out);
    }

    private static void tag(VrrpInstance m, List<VrrpAction> acts, List<SyncGroupAction> out) {
        for (VrrpAction a : acts) out.add(new SyncGroupAction.ForInstance(m.name(), a));
    }
}
