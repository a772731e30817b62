package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.net.InetAddress;
import java.util.OptionalInt;

/** One {@code unicast_peer} entry: {@code IP [min_ttl N] [max_ttl N]}. */
public record UnicastPeer(InetAddress address, OptionalInt minTtl, OptionalInt maxTtl, SourceLocation location) {
}
