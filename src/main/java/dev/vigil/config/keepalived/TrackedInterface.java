package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

/**
 * One {@code track_interface} entry: {@code IF [weight W [reverse]]}. Weight 0 (the default) means
 * the instance goes to FAULT when the interface goes down.
 */
public record TrackedInterface(String name, int weight, boolean reverse, SourceLocation location) {
}
