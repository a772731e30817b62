package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * haresources as heartbeat's {@code ResourceManager} reads it: one resource group per logical
 * line, started left to right on the preferred node and stopped right to left. Built only by
 * {@link HaresourcesParser}; immutable.
 */
public final class Haresources {

    /** Where heartbeat looks for resource scripts, in this order ({@code ResourceManager:scriptpath}). */
    public static final Path DEFAULT_RESOURCE_DIR = Path.of("/etc/ha.d/resource.d");
    public static final Path DEFAULT_INIT_DIR = Path.of("/etc/init.d");

    /**
     * One resource: {@code Script::arg1::arg2} runs {@code Script arg1 arg2 start|stop|status}.
     * A bare dotted IP ({@code 10.0.0.1/24/eth0}) is {@code IPaddr::10.0.0.1/24/eth0}:
     * {@code impliedIpaddr} tells the two apart. {@code text} is the word as written.
     */
    public record Resource(String text, String script, List<String> arguments, boolean impliedIpaddr, SourceLocation location) {
        public Resource {
            arguments = List.copyOf(arguments);
        }

        /**
         * The paths heartbeat tries for the script, in order; the first that is a regular,
         * executable file is run. Defaults: {@link #DEFAULT_RESOURCE_DIR}, {@link #DEFAULT_INIT_DIR}.
         */
        public List<Path> candidatePaths(Path resourceDir, Path initDir) {
            return List.of(resourceDir.resolve(script), initDir.resolve(script));
        }

        /** The resource in canonical form, as {@code ResourceManager listkeys} prints it: {@code IPaddr::10.0.0.1}. */
        public String canonical() {
            return impliedIpaddr ? "IPaddr::" + text : text;
        }
    }

    /**
     * One line: the preferred node and its resources. The first resource is the group's key
     * (used by {@code ip-request} and {@code ResourceManager listkeys}).
     */
    public record Group(String node, List<Resource> resources, SourceLocation location) {
        public Group {
            resources = List.copyOf(resources);
        }

        /** The node name as heartbeat compares it: lowercased ({@code ResourceManager} runs it through {@code tolower}). */
        public String canonicalNode() {
            return HaCf.canonical(node);
        }

        public Optional<String> key() {
            return resources.isEmpty() ? Optional.empty() : Optional.of(resources.get(0).text());
        }
    }

    private final Path file;
    private final List<Group> groups;

    Haresources(Path file, List<Group> groups) {
        this.file = file;
        this.groups = List.copyOf(groups);
    }

    public Path file() {
        return file;
    }

    public List<Group> groups() {
        return groups;
    }

    /** The groups whose preferred node is {@code node} (case-insensitive), in file order. */
    public List<Group> groupsFor(String node) {
        String wanted = HaCf.canonical(node);
        return groups.stream().filter(g -> g.canonicalNode().equals(wanted)).toList();
    }

    /** The group named by {@code key}, its first resource. */
    public Optional<Group> group(String key) {
        return groups.stream().filter(g -> g.key().filter(key::equals).isPresent()).findFirst();
    }

    @Override
    public String toString() {
        return "Haresources[" + file + ": " + groups.size() + " group(s)]";
    }
}
