package dev.vigil.heartbeat.rm;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One haresources line: the preferred node (lowercased, as ResourceManager does) and the resources,
 * started left to right and stopped right to left. The first resource names the group
 * ({@code ip-request ipaddr=}, {@code ResourceManager listkeys}), so it must be unique.
 *
 * @param resources resource specs as written, e.g. {@code IPaddr2::10.231.0.100/24/hb0}; the executor
 *     resolves them to scripts
 */
public record ResourceGroup(String preferredNode, List<String> resources) {
    public ResourceGroup {
        Objects.requireNonNull(preferredNode, "preferredNode");
        preferredNode = preferredNode.toLowerCase(Locale.ROOT);
        resources = List.copyOf(resources);
        if (resources.isEmpty()) throw new IllegalArgumentException("group of " + preferredNode + " has no resources");
    }

    public static ResourceGroup of(String preferredNode, String... resources) {
        return new ResourceGroup(preferredNode, List.of(resources));
    }

    /** The group's name: its first resource. */
    public String key() {
        return resources.get(0);
    }

    /** The line as ResourceManager logs it: {@code nodea IPaddr2::10.231.0.100/24/hb0}. */
    public String line() {
        return preferredNode + " " + String.join(" ", resources);
    }
}
