package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code track_script} entry: {@code NAME [weight W [reverse|noreverse]]}. Without a weight the
 * {@code vrrp_script}'s own weight applies; {@link #effectiveWeight} and {@link #effectiveReverse}
 * resolve that. {@code weightLocation} points at the {@code weight} words on this line when given.
 */
public record TrackedScript(String name, OptionalInt weightOverride, Optional<Boolean> reverseOverride,
                            SourceLocation location, Optional<SourceLocation> weightLocation) {

    public int effectiveWeight(Optional<VrrpScript> script) {
        if (weightOverride.isPresent()) return weightOverride.getAsInt();
        return script.map(VrrpScript::weight).orElse(0);
    }

    public boolean effectiveReverse(Optional<VrrpScript> script) {
        if (reverseOverride.isPresent()) return reverseOverride.get();
        return script.map(VrrpScript::weightReverse).orElse(false);
    }

    /** Where the weight in force was written: this line's override, else the script's weight line. */
    public SourceLocation weightSource(Optional<VrrpScript> script) {
        if (weightOverride.isPresent()) return weightLocation.orElse(location);
        return script.flatMap(VrrpScript::weightLocation).orElse(location);
    }
}
