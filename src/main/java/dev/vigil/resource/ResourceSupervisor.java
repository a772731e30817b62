package dev.vigil.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every resource group of a node with its {@link GroupDriver}, and the journal of last operations:
 * what {@code vigil resource list|status|restart|reset} and the status JSON work on, in both modes.
 * A resource is named as written (haresources or {@code vigil_resources}); a group by its name
 * (heartbeat: its first resource; VRRP: the instance or sync group).
 *
 * <p>Threading: the scheduler's thread, like the drivers.
 */
public final class ResourceSupervisor {
    private final Map<String, GroupDriver> groups = new LinkedHashMap<>();
    private final ResourceJournal journal;

    public ResourceSupervisor(ResourceJournal journal) {
        this.journal = journal;
    }

    public void add(GroupDriver driver) {
        groups.put(driver.lifecycle().group(), driver);
    }

    public ResourceJournal journal() {
        return journal;
    }

    public List<GroupDriver> groups() {
        return List.copyOf(groups.values());
    }

    public Optional<GroupDriver> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The group holding {@code resource} (the first, if a resource is in several). */
    public Optional<GroupDriver> groupOf(String resource) {
        for (GroupDriver d : groups.values()) {
            if (d.lifecycle().contains(resource)) return Optional.of(d);
        }
        return Optional.empty();
    }

    /**
     * {@code vigil resource restart NAME}: restarts one resource in place.
     *
     * @return the group it belongs to
     * @throws IllegalArgumentException for an unknown resource
     * @throws IllegalStateException when its group does not run on this node (the message says so)
     */
    public String restart(String resource) {
        GroupDriver d = groupOf(resource).orElseThrow(() -> new IllegalArgumentException(unknown(resource)));
        d.restart(resource);
        return d.lifecycle().group();
    }

    /** {@code vigil resource reset NAME}: clears a give-up or a failed stop of the group NAME, or of the group holding resource NAME. */
    public String reset(String name) {
        GroupDriver d = group(name).or(() -> groupOf(name)).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
        d.reset();
        return d.lifecycle().group();
    }

    private String unknown(String name) {
        List<String> known = new ArrayList<>();
        for (GroupDriver d : groups.values()) {
            for (GroupLifecycle.Member m : d.lifecycle().members()) known.add(m.name());
        }
        return "no resource " + name + " here" + (known.isEmpty() ? " (no resource groups are configured)" : "; known: " + String.join(", ", known));
    }

    public void closeAll() {
        for (GroupDriver d : groups.values()) d.close();
    }
}
