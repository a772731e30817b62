package dev.vigil.vrrp.instance;

import java.util.Objects;

/**
 * One {@code track_script} entry of an instance: {@code NAME [weight W [reverse]]}.
 *
 * <p>keepalived semantics (vrrp_track.c {@code process_script_update_priority}; keepalived.md §5, §6.4):
 * weight 0 means the instance goes to FAULT while the script fails (while it succeeds, with reverse);
 * a positive weight is added while the script succeeds, a negative one while it fails, and
 * {@code reverse} negates the adjustment. A negative weight never causes FAULT.
 */
public record TrackedScript(String name, int weight, boolean reverse) {

    public TrackedScript {
        Objects.requireNonNull(name);
        if (weight < -253 || weight > 253) throw new IllegalArgumentException("weight must be within -253..253");
    }
}
