package dev.vigil.vrrp;

import dev.vigil.action.VirtualAddress;
import dev.vigil.action.VirtualRoute;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.wire.VrrpCodec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One {@code vrrp_instance} as the glue runs it: the state machine's settings plus what only the glue
 * needs, where the adverts go and which addresses it moves.
 *
 * @param settings       the pure state machine's settings (VRID, version, priority, advertised VIPs, ...)
 * @param interfaceName  {@code interface}: where adverts are sent and received
 * @param addresses      every address to add when MASTER, {@code virtual_ipaddress} and
 *                       {@code virtual_ipaddress_excluded} alike, with their device, label, scope, brd
 * @param multicastGroup the destination of multicast adverts ({@code mcast_dst_ip}, {@code vrrp_mcast_group4|6};
 *                       224.0.0.18 / ff02::12 by default)
 * @param routes         {@code virtual_routes}: installed after the addresses when MASTER, removed before them
 */
public record VrrpInstanceSpec(VrrpInstanceSettings settings, String interfaceName, List<VirtualAddress> addresses,
                               InetAddress multicastGroup, List<VirtualRoute> routes) {

    public VrrpInstanceSpec {
        Objects.requireNonNull(settings, "settings");
        // one String object per device name: the router and the daemon look devices up on every
        // received frame, and equal names that are the same object compare without a character loop
        interfaceName = Objects.requireNonNull(interfaceName, "interfaceName").intern();
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        Objects.requireNonNull(multicastGroup, "multicastGroup");
        if (!multicastGroup.isMulticastAddress()) {
            throw new IllegalArgumentException("multicast group " + multicastGroup.getHostAddress() + " is not multicast");
        }
        if ((multicastGroup instanceof Inet6Address) != settings.ipv6()) {
            throw new IllegalArgumentException("the multicast group must be of the instance's address family");
        }
    }

    /** An instance without {@code virtual_routes}. */
    public VrrpInstanceSpec(VrrpInstanceSettings settings, String interfaceName, List<VirtualAddress> addresses,
                            InetAddress multicastGroup) {
        this(settings, interfaceName, addresses, multicastGroup, List.of());
    }

    /** An instance on the default group, its advertised VIPs added on its own interface as host addresses. */
    public static VrrpInstanceSpec of(VrrpInstanceSettings settings, String interfaceName) {
        List<VirtualAddress> vips = settings.virtualAddresses().stream()
                .map(a -> VirtualAddress.of(a, a instanceof Inet6Address ? 128 : 32, interfaceName))
                .toList();
        return new VrrpInstanceSpec(settings, interfaceName, vips,
                settings.ipv6() ? VrrpCodec.IPV6_GROUP : VrrpCodec.IPV4_GROUP);
    }

    public String name() {
        return settings.name();
    }
}
