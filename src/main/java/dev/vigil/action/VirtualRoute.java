package dev.vigil.action;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A route Vigil installs while an instance is MASTER: keepalived's {@code virtual_routes} entry
 * ({@code [src IP] [to] NET via|gw IP [dev IF] [scope S] [table T] [metric N]} or
 * {@code blackhole|unreachable|prohibit NET}), added after the instance's addresses and removed
 * before them, as keepalived 2.2.7's {@code vrrp_state_become_master} / {@code vrrp_restore_interface} do.
 *
 * @param type        kernel route type: {@code unicast} (the default, not written), {@code blackhole},
 *                    {@code unreachable}, {@code prohibit}, {@code throw}, ...
 * @param destination {@code default} or {@code ADDR/LEN}
 * @param via         gateway, or null
 * @param source      preferred source address ({@code src}), or null
 * @param device      output device, or null for the kernel's choice
 * @param scope       null for the kernel's default
 * @param table       table name or number, null for {@code main}
 * @param metric      null for the kernel's default
 * @param options     further {@code ip route} words as written (key to value; an empty value is a flag
 *                    such as {@code onlink}), in order
 */
public record VirtualRoute(String type, String destination, InetAddress via, InetAddress source, String device, String scope,
                           String table, Long metric, Map<String, String> options) {

    public VirtualRoute {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(destination, "destination");
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A plain {@code DEST via GW} route. */
    public static VirtualRoute via(String destination, InetAddress gateway) {
        return new VirtualRoute("unicast", destination, gateway, null, null, null, null, null, Map.of());
    }

    public boolean isIpv6() {
        return destination.contains(":") || via instanceof Inet6Address || source instanceof Inet6Address;
    }

    /**
     * The words after {@code ip route add|del}: the same selector for both, so a delete finds
     * exactly the route the add made (type, destination, table and metric identify it).
     */
    public List<String> ipArguments() {
        List<String> a = new ArrayList<>();
        if (!type.equals("unicast")) a.add(type);
        a.add(destination);
        if (via != null) {
            a.add("via");
            a.add(via.getHostAddress());
        }
        if (source != null) {
            a.add("src");
            a.add(source.getHostAddress());
        }
        if (device != null) {
            a.add("dev");
            a.add(device);
        }
        if (scope != null) {
            a.add("scope");
            a.add(scope);
        }
        if (table != null) {
            a.add("table");
            a.add(table);
        }
        if (metric != null) {
            a.add("metric");
            a.add(metric.toString());
        }
        options.forEach((k, v) -> {
            a.add(k);
            if (!v.isEmpty()) a.add(v);
        });
        return a;
    }

    @Override
    public String toString() {
        return String.join(" ", ipArguments());
    }
}
