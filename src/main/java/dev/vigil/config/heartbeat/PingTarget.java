package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;

import java.util.List;

/**
 * A ping node: a pseudo-node whose reachability heartbeat tracks like a cluster node's (its
 * status is {@code ping}), for ipfail to compare connectivity. heartbeat adds it to the node
 * table under the name {@link #name()}, with {@code deadping} as its dead time.
 */
public sealed interface PingTarget {

    String name();

    SourceLocation location();

    /** {@code ping ADDR}: one pseudo-node per address. */
    record Ping(String address, SourceLocation location) implements PingTarget {
        @Override
        public String name() {
            return address;
        }
    }

    /** {@code ping6 ADDR}. */
    record Ping6(String address, SourceLocation location) implements PingTarget {
        @Override
        public String name() {
            return address;
        }
    }

    /** {@code ping_group NAME ADDR...}: one pseudo-node, up while any of the addresses answers. */
    record PingGroup(String name, List<String> addresses, SourceLocation location) implements PingTarget {
        public PingGroup {
            addresses = List.copyOf(addresses);
        }
    }
}
