package dev.vigil.vrrp;

import dev.vigil.vrrp.wire.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;

/**
 * What the glue and the keepalived.conf mapping need to know about a network interface. The daemon
 * reads the kernel ({@link SystemInterfaceInfo}); the simulation answers from its own model.
 */
public interface InterfaceInfo {

    /** Whether the interface exists (in this network namespace). */
    boolean exists(String iface);

    /** Its Ethernet address; empty when it has none (or does not exist). */
    Optional<MacAddress> mac(String iface);

    /**
     * Its IPv4 addresses in kernel order, primary addresses first: keepalived sends from the first
     * one (keepalived.md §1.1) unless {@code mcast_src_ip}/{@code unicast_src_ip} says otherwise.
     */
    List<Inet4Address> ipv4Addresses(String iface);

    /** Its IPv6 addresses; VRRPv3 over IPv6 sends from the link-local one (RFC 5798 §5.1.2.1). */
    List<Inet6Address> ipv6Addresses(String iface);

    /** The first link-local IPv6 address of the interface. */
    default Optional<Inet6Address> ipv6LinkLocal(String iface) {
        return ipv6Addresses(iface).stream().filter(Inet6Address::isLinkLocalAddress).findFirst();
    }
}
