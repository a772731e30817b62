package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code virtual_routes} line: {@code [src IP] [to] NET|default via|gw IP [dev IF] [scope S]
 * [table T] [metric N] ...} or {@code blackhole|unreachable|prohibit NET}. {@code destination} is
 * {@code default} or {@code ADDR/LEN} as written; {@code type} is {@code unicast} unless one of the
 * kernel route types starts the line. Options Vigil does not model are kept verbatim in
 * {@code otherOptions} so the daemon can pass them to the kernel.
 */
public record VirtualRoute(String type, String destination, Optional<InetAddress> via, Optional<InetAddress> source,
                           Optional<String> device, Optional<String> scope, Optional<String> table,
                           Optional<Long> metric, Map<String, String> otherOptions, SourceLocation location) {
    public VirtualRoute {
        otherOptions = Map.copyOf(otherOptions);
    }
}
