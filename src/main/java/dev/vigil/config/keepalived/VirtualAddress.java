package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One {@code virtual_ipaddress} / {@code virtual_ipaddress_excluded} line:
 * {@code IP[/MASK] [brd IP|+|-] [dev IF] [scope S] [label L] [peer IP] [no_track] ...}.
 * Without a mask keepalived adds a host address (/32, /128). {@code flags} holds the valueless
 * options it passes to the kernel ({@code nodad}, {@code noprefixroute}, {@code home}, ...).
 */
public record VirtualAddress(InetAddress address, int prefixLength, Optional<String> broadcast,
                             Optional<String> device, Optional<String> scope, Optional<String> label,
                             Optional<InetAddress> peer, boolean noTrack, List<String> flags,
                             SourceLocation location) {
    public VirtualAddress {
        flags = List.copyOf(flags);
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + device.map(d -> " dev " + d).orElse("");
    }
}
