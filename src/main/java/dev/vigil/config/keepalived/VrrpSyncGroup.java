package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.List;
import java.util.Optional;

/**
 * A {@code vrrp_sync_group NAME { group { INSTANCE... } ... }}. Members' weighted track_scripts are
 * ignored by keepalived unless {@code sync_group_tracking_weight} is set (research section 2.4).
 *
 * <p>{@code resourceGroup} is Vigil's extension: the resources the group starts when it becomes
 * MASTER (all members MASTER) and stops when it leaves MASTER ({@link VigilResourceGroup}). A group
 * that owns resources has members that own none (the parser refuses both).
 */
public record VrrpSyncGroup(String name, List<Member> members, Notifications notifications, Optional<Boolean> smtpAlert,
                            List<TrackedScript> trackScripts, List<TrackedInterface> trackInterfaces,
                            boolean trackingWeight, SourceLocation location, Optional<VigilResourceGroup> resourceGroup) {
    public VrrpSyncGroup {
        members = List.copyOf(members);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
    }

    /** One instance name inside {@code group { }}, where it was written. */
    public record Member(String instance, SourceLocation location) {
    }
}
