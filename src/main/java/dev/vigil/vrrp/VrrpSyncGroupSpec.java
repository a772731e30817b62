package dev.vigil.vrrp;

import java.util.List;
import java.util.Objects;

/** A {@code vrrp_sync_group}: its member instances, by name, and {@code sync_group_tracking_weight}. */
public record VrrpSyncGroupSpec(String name, List<String> members, boolean trackingWeight) {

    public VrrpSyncGroupSpec {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        if (members.isEmpty()) throw new IllegalArgumentException("sync group " + name + " has no members");
    }
}
