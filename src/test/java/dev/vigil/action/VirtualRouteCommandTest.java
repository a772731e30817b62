package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact {@code ip route} commands for keepalived.conf(5) {@code virtual_routes} lines. */
class VirtualRouteCommandTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void everyParsedFieldBecomesItsIpRouteWordAndAddAndDelUseOneSelector() throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("onlink", "");
        VirtualRoute r = new VirtualRoute("unicast", "192.168.50.0/24", ip("10.0.0.254"), ip("10.0.0.100"), "eth0", "global",
                "100", 20L, options);
        assertThat(KernelAddressActions.routeCommand(r, "add")).containsExactly("ip", "-4", "route", "add", "192.168.50.0/24",
                "via", "10.0.0.254", "src", "10.0.0.100", "dev", "eth0", "scope", "global", "table", "100", "metric", "20", "onlink", "proto", "18");
        List<String> add = KernelAddressActions.routeCommand(r, "add");
        List<String> del = KernelAddressActions.routeCommand(r, "del");
        assertThat(del.get(3)).isEqualTo("del");
        assertThat(del.subList(4, del.size())).isEqualTo(add.subList(4, add.size()));
    }

    @Test
    void blackholeUnreachableAndProhibitLeadTheLineAndIpv6IsDetected() throws Exception {
        VirtualRoute bh = new VirtualRoute("blackhole", "198.51.100.0/24", null, null, null, null, null, null, Map.of());
        assertThat(KernelAddressActions.routeCommand(bh, "add")).containsExactly("ip", "-4", "route", "add", "blackhole",
                "198.51.100.0/24", "proto", "18");
        VirtualRoute v6 = new VirtualRoute("prohibit", "2001:db8::/32", null, null, null, null, "7", null, Map.of());
        assertThat(KernelAddressActions.routeCommand(v6, "del")).containsExactly("ip", "-6", "route", "del", "prohibit",
                "2001:db8::/32", "table", "7", "proto", "18");
        // `default` alone says no family: the gateway does (ip(8) accepts Java's uncompressed form)
        VirtualRoute dflt6 = VirtualRoute.via("default", ip("fd00::1"));
        assertThat(KernelAddressActions.routeCommand(dflt6, "add")).isEqualTo(List.of("ip", "-6", "route", "add", "default", "via",
                "fd00:0:0:0:0:0:0:1", "proto", "18"));
    }

    /** keepalived 2.2.7 marks its routes proto keepalived and leaves a gateway-less route at universe scope. */
    @Test
    void routesLookLikeKeepalivedsInTheKernel() throws Exception {
        VirtualRoute devOnly = new VirtualRoute("unicast", "203.0.113.0/24", null, ip("10.0.0.100"), "eth0", null, "100", null,
                Map.of());
        assertThat(KernelAddressActions.routeCommand(devOnly, "add")).endsWith("proto", "18", "scope", "global");
        VirtualRoute ownProto = new VirtualRoute("unicast", "203.0.113.0/24", null, null, "eth0", "link", null, null,
                Map.of("proto", "static"));
        assertThat(KernelAddressActions.routeCommand(ownProto, "add")).containsExactly("ip", "-4", "route", "add", "203.0.113.0/24",
                "dev", "eth0", "scope", "link", "proto", "static");
    }
}
