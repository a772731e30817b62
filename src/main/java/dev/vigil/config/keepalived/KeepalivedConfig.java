package dev.vigil.config.keepalived;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One node's keepalived.conf, VRRP side, as {@link KeepalivedParser} read it (including every file
 * it {@code include}s, listed in {@code files}, the main file first).
 */
public record KeepalivedConfig(Path file, GlobalDefs globalDefs, List<VrrpScript> scripts, List<VrrpInstance> instances,
                               List<VrrpSyncGroup> syncGroups, List<Path> files) {
    public KeepalivedConfig {
        scripts = List.copyOf(scripts);
        instances = List.copyOf(instances);
        syncGroups = List.copyOf(syncGroups);
        files = List.copyOf(files);
    }

    public Optional<VrrpScript> script(String name) {
        return scripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<VrrpInstance> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The Vigil resource group that follows an instance's state: its own {@code vigil_resources},
     * else (through the instance) its sync group's. Empty when neither owns resources.
     */
    public Optional<VigilResourceGroup> resourceGroupFor(String instance) {
        Optional<VigilResourceGroup> own = instance(instance).flatMap(VrrpInstance::resourceGroup);
        return own.isPresent() ? own : syncGroupOf(instance).flatMap(VrrpSyncGroup::resourceGroup);
    }

    /** The sync group an instance belongs to (the first one, if the file wrongly lists it twice). */
    public Optional<VrrpSyncGroup> syncGroupOf(String instance) {
        return syncGroups.stream().filter(g -> g.members().stream().anyMatch(m -> m.instance().equals(instance))).findFirst();
    }
}
