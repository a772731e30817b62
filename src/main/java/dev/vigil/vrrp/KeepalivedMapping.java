package dev.vigil.vrrp;

import dev.vigil.action.VirtualAddress;
import dev.vigil.action.VirtualRoute;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.keepalived.AuthType;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.TrackedScript;
import dev.vigil.config.keepalived.VrrpInstance;
import dev.vigil.config.keepalived.VrrpScript;
import dev.vigil.config.keepalived.VrrpSyncGroup;
import dev.vigil.vrrp.instance.GarpSettings;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * keepalived.conf (as {@link dev.vigil.config.keepalived.KeepalivedParser} read it) to what the
 * {@link VrrpRouter} runs. The parser already applied keepalived's defaults and the
 * {@code global_defs} an instance inherits; this resolves what needs the running host (the interface's
 * primary address, its link-local address) and keepalived's own glue rules:
 * <ul>
 *   <li>the instance's interface is tracked with weight 0 unless {@code dont_track_primary}
 *       (keepalived.md §2.3: link down → FAULT);</li>
 *   <li>{@code track_script} weights: the entry's own {@code weight} overrides the script's;</li>
 *   <li>a sync group's {@code track_script}/{@code track_interface} apply to every member;</li>
 *   <li>{@code virtual_ipaddress_excluded} addresses are added but not advertised (keepalived.md §1.4 check 7);</li>
 *   <li>only the {@code vrrp_script}s something tracks are run (keepalived never runs the others);</li>
 *   <li>{@code virtual_routes} are installed while MASTER; {@code virtual_rules} are not applied yet (a warning).</li>
 * </ul>
 * What cannot run is reported as an error at its {@code file:line:col}; the daemon refuses to start
 * on errors.
 */
public final class KeepalivedMapping {

    private static final long NANOS_PER_CENTI = 10_000_000L;

    private KeepalivedMapping() {
    }

    /** Maps every instance it can; problems go to {@code out}. */
    public static VrrpNodeConfig map(KeepalivedConfig cfg, InterfaceInfo interfaces, Diagnostics out) {
        List<VrrpInstanceSpec> instances = new ArrayList<>();
        Set<String> trackedScripts = new LinkedHashSet<>();
        for (VrrpInstance i : cfg.instances()) {
            Optional<VrrpInstanceSpec> spec = instance(cfg, i, interfaces, out);
            if (spec.isEmpty()) continue;
            instances.add(spec.get());
            spec.get().settings().trackedScripts().forEach(t -> trackedScripts.add(t.name()));
        }
        Set<String> mapped = new HashSet<>();
        instances.forEach(s -> mapped.add(s.name()));
        List<VrrpTrackScript> scripts = new ArrayList<>();
        for (String name : trackedScripts) {
            cfg.script(name).flatMap(s -> script(s, out)).ifPresent(scripts::add);
        }
        List<VrrpSyncGroupSpec> groups = new ArrayList<>();
        Set<String> grouped = new HashSet<>();
        for (VrrpSyncGroup g : cfg.syncGroups()) {
            List<String> members = new ArrayList<>();
            for (VrrpSyncGroup.Member m : g.members()) {
                // unknown or doubly grouped members are KeepalivedChecks errors already
                if (mapped.contains(m.instance()) && grouped.add(m.instance())) members.add(m.instance());
            }
            if (!members.isEmpty()) groups.add(new VrrpSyncGroupSpec(g.name(), members, g.trackingWeight()));
        }
        return new VrrpNodeConfig(instances, scripts, groups);
    }

    private static Optional<VrrpInstanceSpec> instance(KeepalivedConfig cfg, VrrpInstance i, InterfaceInfo interfaces,
                                                       Diagnostics out) {
        SourceLocation at = i.location();
        if (i.virtualRouterId() == 0) return Optional.empty(); // the parser reported it
        String iface = i.interfaceName().orElse(cfg.globalDefs().defaultInterface());
        long errors = errorCount(out);
        if (!interfaces.exists(iface)) {
            out.error(at, "(" + i.name() + ") interface " + iface + " does not exist in this network namespace",
                    "keepalived refuses this too ('Non-existent interface specified in configuration')");
            return Optional.empty();
        }
        if (i.virtualAddresses().isEmpty()) {
            out.error(at, "(" + i.name() + ") no virtual_ipaddress: an advert carries at least one address",
                    "add a virtual_ipaddress block (keepalived: 'No VIP specified')");
            return Optional.empty();
        }
        if (i.useVmac().isPresent()) {
            out.error(at, "(" + i.name() + ") use_vmac is not supported by Vigil: adverts and addresses would be on the wrong interface",
                    "remove use_vmac; peers accept adverts from the interface's own MAC (keepalived.md §1.1)");
        }
        i.authentication().ifPresent(a -> {
            if (a.type().orElse(null) == AuthType.AH) {
                out.error(a.location(), "(" + i.name() + ") auth_type AH is not supported (IPsec AH, RFC 2338)",
                        "use auth_type PASS, or no authentication");
            }
        });
        boolean ipv6 = i.isIpv6();
        Optional<InetAddress> primary = primaryAddress(cfg, i, iface, ipv6, interfaces, out);
        if (primary.isEmpty() || errorCount(out) > errors) return Optional.empty();

        VrrpInstanceSettings.Builder b = VrrpInstanceSettings.builder(i.name(), i.virtualRouterId(), primary.get())
                .version(i.version())
                .priority(i.priority())
                .advertIntervalCentis(centis(i.advertInterval()))
                .initialState(i.state() == dev.vigil.config.keepalived.VrrpState.MASTER
                        ? VrrpInstanceSettings.ConfiguredState.MASTER : VrrpInstanceSettings.ConfiguredState.BACKUP)
                .nopreempt(i.nopreempt())
                .preemptDelayNanos(i.preemptDelay().toNanos())
                .acceptMode(i.accept())
                .checkUnicastSrc(i.checkUnicastSrc())
                .skipCheckAdvAddr(i.skipCheckAdvAddr())
                .lowerPrioNoAdvert(i.lowerPrioNoAdvert())
                .higherPrioSendAdvert(i.higherPrioSendAdvert())
                .downTimerAdverts(i.downTimerAdverts())
                .garp(garp(i, cfg.globalDefs().vrrpStrict() || i.strictMode()));
        for (var vip : i.virtualAddresses()) {
            if (vip.isIpv6() != ipv6) {
                out.error(vip.location(), "(" + i.name() + ") virtual_ipaddress mixes IPv4 and IPv6: one advert carries one family",
                        "move the other family to virtual_ipaddress_excluded or to its own instance");
                return Optional.empty();
            }
            b.virtualAddress(vip.address());
        }
        for (var peer : i.unicastPeers()) {
            if ((peer.address() instanceof Inet6Address) != ipv6) {
                out.error(peer.location(), "(" + i.name() + ") unicast_peer " + peer.address().getHostAddress()
                        + " is not of the instance's address family", null);
                return Optional.empty();
            }
            b.unicastPeer(new UnicastPeer(peer.address(), peer.minTtl().orElse(0), peer.maxTtl().orElse(255)));
        }
        i.authentication().filter(a -> a.type().orElse(null) == AuthType.PASS && i.version() == 2)
                .flatMap(a -> a.wirePassword())
                .ifPresent(p -> b.authentication(VrrpInstanceSettings.AuthType.PASS, p.reveal()));

        Optional<VrrpSyncGroup> group = cfg.syncGroupOf(i.name());
        Map<String, int[]> scripts = new LinkedHashMap<>();
        for (TrackedScript t : i.trackScripts()) trackScript(cfg, t, scripts);
        group.ifPresent(g -> g.trackScripts().forEach(t -> trackScript(cfg, t, scripts)));
        scripts.forEach((name, wr) -> b.trackScript(name, wr[0], wr[1] != 0));

        Map<String, int[]> tracked = new LinkedHashMap<>();
        for (var t : i.trackInterfaces()) tracked.putIfAbsent(t.name(), new int[] {t.weight(), t.reverse() ? 1 : 0});
        group.ifPresent(g -> g.trackInterfaces().forEach(t ->
                tracked.putIfAbsent(t.name(), new int[] {t.weight(), t.reverse() ? 1 : 0})));
        // keepalived.md §2.3: link down on the instance's own interface is a FAULT unless dont_track_primary
        if (!i.dontTrackPrimary()) tracked.putIfAbsent(iface, new int[] {0, 0});
        tracked.forEach((name, wr) -> b.trackInterface(name, wr[0], wr[1] != 0));
        for (var t : i.trackInterfaces()) {
            if (!interfaces.exists(t.name())) {
                out.warning(t.location(), "(" + i.name() + ") tracked interface " + t.name()
                        + " does not exist: it counts as down", null);
            }
        }
        if (!i.virtualRules().isEmpty()) {
            out.warning(at, "(" + i.name() + ") virtual_rules are not applied by Vigil yet",
                    "add the rules in a notify_master script meanwhile");
        }
        if (i.unicastTtl().isPresent() && i.unicastTtl().get() != 255) {
            out.warning(at, "(" + i.name() + ") unicast_ttl " + i.unicastTtl().get() + " is ignored: Vigil sends TTL 255", null);
        }

        VrrpInstanceSettings settings;
        try {
            settings = b.build();
        } catch (IllegalArgumentException e) {
            out.error(at, "(" + i.name() + ") " + e.getMessage(), null);
            return Optional.empty();
        }
        List<VirtualAddress> addresses = new ArrayList<>();
        for (var vip : i.virtualAddresses()) addresses.add(action(vip, iface));
        for (var vip : i.excludedAddresses()) addresses.add(action(vip, iface));
        InetAddress mcast = i.mcastDstIp().orElse(ipv6 ? cfg.globalDefs().mcastGroup6() : cfg.globalDefs().mcastGroup4());
        if (!mcast.isMulticastAddress() || (mcast instanceof Inet6Address) != ipv6) {
            out.error(at, "(" + i.name() + ") multicast group " + mcast.getHostAddress() + " is not an "
                    + (ipv6 ? "IPv6" : "IPv4") + " multicast address", null);
            return Optional.empty();
        }
        List<VirtualRoute> routes = new ArrayList<>();
        for (var r : i.virtualRoutes()) routes.add(route(r));
        return Optional.of(new VrrpInstanceSpec(settings, iface, addresses, mcast, routes));
    }

    /**
     * A {@code virtual_routes} line as the parser read it. No device is filled in: keepalived 2.2.7
     * leaves an unnamed {@code dev} to the kernel (it follows the gateway), and so does Vigil.
     * {@code no_track} only tells keepalived not to watch the route; it is no {@code ip route} word.
     */
    static VirtualRoute route(dev.vigil.config.keepalived.VirtualRoute r) {
        Map<String, String> options = new LinkedHashMap<>(r.otherOptions());
        options.remove("no_track");
        return new VirtualRoute(r.type(), r.destination(), r.via().orElse(null), r.source().orElse(null),
                r.device().orElse(null), r.scope().orElse(null), r.table().orElse(null), r.metric().orElse(null), options);
    }

    /**
     * keepalived.md §1.1: adverts come from {@code unicast_src_ip} / {@code mcast_src_ip}, else the
     * interface's primary IPv4 address (or, for IPv6, its link-local address, RFC 5798 §5.1.2.1).
     */
    private static Optional<InetAddress> primaryAddress(KeepalivedConfig cfg, VrrpInstance i, String iface, boolean ipv6,
                                                        InterfaceInfo interfaces, Diagnostics out) {
        Optional<InetAddress> configured = i.isUnicast() ? i.unicastSrcIp().or(i::mcastSrcIp) : i.mcastSrcIp().or(i::unicastSrcIp);
        if (configured.isPresent()) {
            InetAddress a = configured.get();
            if ((a instanceof Inet6Address) != ipv6) {
                out.error(i.unicastSrcIpLocation().orElse(i.location()), "(" + i.name() + ") source address "
                        + a.getHostAddress() + " is not of the instance's address family", null);
                return Optional.empty();
            }
            return configured;
        }
        if (ipv6) {
            Optional<Inet6Address> ll = interfaces.ipv6LinkLocal(iface);
            if (ll.isEmpty()) {
                out.error(i.location(), "(" + i.name() + ") interface " + iface + " has no IPv6 link-local address",
                        "bring the interface up with IPv6 enabled, or set unicast_src_ip");
            }
            return ll.map(a -> a);
        }
        Set<InetAddress> vips = new HashSet<>();
        i.virtualAddresses().forEach(v -> vips.add(v.address()));
        i.excludedAddresses().forEach(v -> vips.add(v.address()));
        // a node killed with -9 left its VIPs on the interface; they are not its primary address
        Optional<Inet4Address> first = interfaces.ipv4Addresses(iface).stream().filter(a -> !vips.contains(a)).findFirst();
        if (first.isEmpty()) {
            out.error(i.location(), "(" + i.name() + ") interface " + iface + " has no IPv4 address to send adverts from",
                    "give " + iface + " an address, or set mcast_src_ip / unicast_src_ip");
        }
        return first.map(a -> a);
    }

    private static void trackScript(KeepalivedConfig cfg, TrackedScript t, Map<String, int[]> into) {
        Optional<VrrpScript> script = cfg.script(t.name());
        if (script.isEmpty()) return; // KeepalivedChecks reports it
        into.putIfAbsent(t.name(), new int[] {t.effectiveWeight(script), t.effectiveReverse(script) ? 1 : 0});
    }

    private static Optional<VrrpTrackScript> script(VrrpScript s, Diagnostics out) {
        if (s.command().isEmpty() || s.command().get().argv().isEmpty()) {
            out.error(s.location(), "vrrp_script " + s.name() + " has no script line", "add: script \"/path/to/check args\"");
            return Optional.empty();
        }
        Duration interval = s.interval().isZero() || s.interval().isNegative() ? VrrpScript.DEFAULT_INTERVAL : s.interval();
        // keepalived: without its own timeout a check may run for one interval
        Duration timeout = s.timeout().filter(d -> !d.isZero() && !d.isNegative()).orElse(interval);
        return Optional.of(new VrrpTrackScript(s.name(), s.command().get().argv(), interval, timeout,
                Math.max(1, s.rise()), Math.max(1, s.fall()), s.initFail(), s.user().or(() -> s.command().get().runAs())));
    }

    private static GarpSettings garp(VrrpInstance i, boolean strict) {
        var g = i.garp();
        // keepalived sends no lower-priority GARPs in strict mode
        return new GarpSettings(g.masterDelay().toNanos(), g.masterRepeat(), g.masterRefresh().toNanos(),
                g.masterRefreshRepeat(), strict ? 0 : g.lowerPriorityDelay().toNanos(), strict ? 0 : g.lowerPriorityRepeat());
    }

    private static VirtualAddress action(dev.vigil.config.keepalived.VirtualAddress vip, String iface) {
        InetAddress brd = null;
        if (vip.broadcast().isPresent() && !vip.broadcast().get().equals("+") && !vip.broadcast().get().equals("-")) {
            try {
                brd = InetAddress.getByName(vip.broadcast().get());
            } catch (java.net.UnknownHostException e) {
                brd = null; // the parser validated it; a name would never get here
            }
        }
        return new VirtualAddress(vip.address(), vip.prefixLength(), vip.device().orElse(iface), brd,
                vip.scope().orElse(null), vip.label().orElse(null));
    }

    private static int centis(Duration d) {
        return (int) (d.toNanos() / NANOS_PER_CENTI);
    }

    private static long errorCount(Diagnostics d) {
        return d.errorCount();
    }
}
