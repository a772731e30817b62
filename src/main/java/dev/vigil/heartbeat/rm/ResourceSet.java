package dev.vigil.heartbeat.rm;

import java.util.Optional;

/**
 * Which groups a node holds, in v1's two-node vocabulary ({@code hb_resource.c:rsc_msg}): its own
 * (those whose haresources line names it, "local"), the other node's ("foreign"), both, or none.
 * Used in {@code rsc_hold} fields and by {@code cl_status rscstatus}.
 */
public enum ResourceSet {
    NONE("none", 0),
    LOCAL("local", 1),
    FOREIGN("foreign", 2),
    ALL("all", 3);

    private final String wireName;
    private final int bits;

    ResourceSet(String wireName, int bits) {
        this.wireName = wireName;
        this.bits = bits;
    }

    public String wireName() {
        return wireName;
    }

    int bits() {
        return bits;
    }

    static ResourceSet ofBits(int bits) {
        return values()[bits & 3];
    }

    public boolean includes(ResourceSet other) {
        return (bits & other.bits) == other.bits;
    }

    public ResourceSet plus(ResourceSet other) {
        return ofBits(bits | other.bits);
    }

    public ResourceSet minus(ResourceSet other) {
        return ofBits(bits & ~other.bits);
    }

    /** The same set seen from the other node: local and foreign swap. */
    public ResourceSet seenFromPeer() {
        return ofBits(((bits & 1) << 1) | ((bits & 2) >> 1));
    }

    /** {@code encode_resources}; empty for a word heartbeat would log as a bad resource type. */
    public static Optional<ResourceSet> fromWire(String s) {
        for (ResourceSet r : values()) {
            if (r.wireName.equals(s)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
