package dev.vigil.vrrp.instance;

import java.util.Objects;

/**
 * One {@code track_interface} entry: {@code IF [weight W [reverse]]}, with the same weight semantics as
 * {@link TrackedScript} where "succeeds" reads "link up". The instance's own interface is tracked the
 * same way with weight 0 unless {@code dont_track_primary}; the glue adds that entry.
 */
public record TrackedInterface(String name, int weight, boolean reverse) {

    public TrackedInterface {
        Objects.requireNonNull(name);
        if (weight < -253 || weight > 253) throw new IllegalArgumentException("weight must be within -253..253");
    }
}
