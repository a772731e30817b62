package dev.vigil.vrrp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one node's {@link VrrpRouter} runs: its instances, the {@code vrrp_script}s they track,
 * and the sync groups that bind them. Built from keepalived.conf by {@link KeepalivedMapping}, or
 * directly by the simulation.
 */
public record VrrpNodeConfig(List<VrrpInstanceSpec> instances, List<VrrpTrackScript> scripts,
                             List<VrrpSyncGroupSpec> syncGroups) {

    public VrrpNodeConfig {
        instances = List.copyOf(instances);
        scripts = List.copyOf(scripts);
        syncGroups = List.copyOf(syncGroups);
        Set<String> names = new HashSet<>();
        for (VrrpInstanceSpec i : instances) {
            if (!names.add(i.name())) throw new IllegalArgumentException("duplicate instance " + i.name());
        }
        Set<String> grouped = new HashSet<>();
        for (VrrpSyncGroupSpec g : syncGroups) {
            for (String m : g.members()) {
                if (!names.contains(m)) throw new IllegalArgumentException("sync group " + g.name() + " names no instance " + m);
                if (!grouped.add(m)) throw new IllegalArgumentException("instance " + m + " is in two sync groups");
            }
        }
        Set<String> scriptNames = new HashSet<>();
        for (VrrpTrackScript s : scripts) {
            if (!scriptNames.add(s.name())) throw new IllegalArgumentException("duplicate vrrp_script " + s.name());
        }
    }

    public static VrrpNodeConfig of(List<VrrpInstanceSpec> instances) {
        return new VrrpNodeConfig(instances, List.of(), List.of());
    }
}
