package dev.vigil.heartbeat;

import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.heartbeat.rm.AdminRequest;
import dev.vigil.heartbeat.rm.GroupState;
import dev.vigil.heartbeat.rm.ResourceGroup;
import dev.vigil.resource.GroupAction;
import dev.vigil.resource.GroupDriver;
import dev.vigil.resource.GroupLifecycle;
import dev.vigil.resource.ResourceJournal;
import dev.vigil.resource.ResourceOps;
import dev.vigil.resource.ResourceSupervisor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The resource layer in heartbeat mode. heartbeat's v1 resource manager keeps sequencing every
 * start and stop exactly as heartbeat does; this adds what {@code vigil.conf} asks for on top:
 * while a group runs here (resource manager state {@code RUNNING}) its monitored resources are
 * polled and restarted in place; once a resource's restart budget is spent the group is given up
 * through the standby handshake, as {@code hb_standby} would: {@code local} when this node is the
 * group's preferred node, else {@code foreign}, so every group of that set moves (heartbeat's
 * handshake has no finer unit; {@code ResourceManager} itself gives up a group whose start failed
 * this way). With no {@code vigil.conf} nothing is monitored and nothing here ever acts on its
 * own, which is heartbeat's behaviour: a service that dies on a live node goes unnoticed.
 *
 * <p>Every group gets a lifecycle, monitored or not, so {@code vigil resource restart} works on
 * any resource this node holds. Runs on the node's scheduler thread.
 */
public final class HeartbeatResourceLayer {
    private final ResourceSupervisor supervisor;

    private HeartbeatResourceLayer(ResourceSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * Builds one adopted lifecycle per haresources group and follows the node's group states.
     * Call on the node's scheduler thread, after {@link HeartbeatNode#start()}.
     */
    public static HeartbeatResourceLayer attach(HeartbeatNode node, VigilConf vigilConf, ResourceOps ops, ResourceJournal journal,
                                                dev.vigil.core.Scheduler scheduler, Logger log) {
        ResourceSupervisor sup = new ResourceSupervisor(journal);
        String local = node.localNode();
        for (ResourceGroup g : node.settings().groups()) {
            List<GroupLifecycle.Member> members = new ArrayList<>();
            for (String r : g.resources()) members.add(new GroupLifecycle.Member(r, vigilConf.policyFor(r), ops.hasRestart(r)));
            GroupLifecycle lc = new GroupLifecycle(g.key(), members, false);
            AdminRequest set = g.preferredNode().equals(local) ? AdminRequest.LOCAL : AdminRequest.FOREIGN;
            GroupDriver d = new GroupDriver(lc, scheduler, ops, new GroupDriver.Listener() {
                @Override
                public void gaveUp(GroupAction.GiveUp giveUp) {
                    log.error("Resource group {} given up: {}; going standby [{}] so the peer takes it", giveUp.group(), giveUp.reason(),
                            set.wireName());
                    node.resourceGivenUp(giveUp.group(), "Resource group " + giveUp.group() + " given up on " + local + ": "
                            + giveUp.reason());
                    try {
                        node.requestStandby(set);
                    } catch (IllegalStateException e) {
                        log.error("cannot give group {} up: {}", giveUp.group(), e.getMessage());
                    }
                }

                @Override
                public void event(String text) {
                    node.resourceEvent(text);
                }
            }, log);
            sup.add(d);
        }
        node.onGroupState((group, previous, current) -> sup.group(group).ifPresent(d -> {
            if (current == GroupState.RUNNING) d.adopt();
            else if (previous == GroupState.RUNNING || current == GroupState.STOPPING || current == GroupState.FAILED) d.release();
        }));
        // A group already running when the layer attaches (not the case at start, but harmless).
        for (HeartbeatNode.GroupView v : node.groups()) {
            if (v.state() == GroupState.RUNNING) sup.group(v.key()).ifPresent(GroupDriver::adopt);
        }
        return new HeartbeatResourceLayer(sup);
    }

    public ResourceSupervisor supervisor() {
        return supervisor;
    }

    public void close() {
        supervisor.closeAll();
    }
}
