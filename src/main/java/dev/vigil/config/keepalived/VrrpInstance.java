package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code vrrp_instance NAME { ... }} with keepalived 2.2.7's defaults applied where the file is
 * silent. Values keepalived would correct are kept as written ({@code configuredPriority},
 * {@code configuredAdvertInt}, the full {@code auth_pass}) so that {@link KeepalivedChecks} can say
 * what keepalived will do; the accessors without "configured" give the value in force.
 *
 * <p>{@code virtualRouterId} is 0 when the file does not give a valid one (the parser reports it).
 *
 * <p>{@code resourceGroup} is Vigil's extension: the resources this instance starts when it becomes
 * MASTER ({@code vigil_resources}, see {@link VigilResourceGroup} for the syntax and why it is not
 * a block); empty when the instance owns none, or when its sync group owns the resources.
 */
public record VrrpInstance(String name, SourceLocation location,
                           Optional<VrrpState> configuredState, Optional<SourceLocation> stateLocation,
                           Optional<String> interfaceName, int virtualRouterId, Optional<SourceLocation> virtualRouterIdLocation,
                           Optional<Integer> configuredPriority, Optional<SourceLocation> priorityLocation,
                           Optional<BigDecimal> configuredAdvertInt, Optional<SourceLocation> advertIntLocation,
                           int version, Optional<SourceLocation> versionLocation,
                           boolean nopreempt, Optional<SourceLocation> nopreemptLocation, Duration preemptDelay,
                           Optional<Authentication> authentication,
                           List<VirtualAddress> virtualAddresses, List<VirtualAddress> excludedAddresses,
                           List<VirtualRoute> virtualRoutes, List<VirtualRule> virtualRules,
                           Optional<InetAddress> unicastSrcIp, Optional<SourceLocation> unicastSrcIpLocation,
                           List<UnicastPeer> unicastPeers, Optional<Integer> unicastTtl, boolean unicastFaultNoPeer,
                           Optional<InetAddress> mcastSrcIp, Optional<InetAddress> mcastDstIp,
                           List<TrackedInterface> trackInterfaces, List<TrackedScript> trackScripts,
                           Notifications notifications, Optional<Boolean> smtpAlert, GarpSettings garp,
                           boolean nativeIpv6, boolean dontTrackPrimary, Optional<Vmac> useVmac, boolean vmacXmitBase,
                           boolean accept, boolean strictMode, boolean skipCheckAdvAddr, boolean checkUnicastSrc,
                           boolean lowerPrioNoAdvert, boolean higherPrioSendAdvert, int downTimerAdverts,
                           boolean promoteSecondaries, Optional<VigilResourceGroup> resourceGroup) {
    public static final int DEFAULT_PRIORITY = 100;
    public static final int OWNER_PRIORITY = 255;
    public static final BigDecimal V3_MIN_ADVERT_INT = new BigDecimal("0.01");
    public static final BigDecimal V3_MAX_ADVERT_INT = new BigDecimal("40.95");

    public VrrpInstance {
        virtualAddresses = List.copyOf(virtualAddresses);
        excludedAddresses = List.copyOf(excludedAddresses);
        virtualRoutes = List.copyOf(virtualRoutes);
        virtualRules = List.copyOf(virtualRules);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
    }

    /** {@code use_vmac [NAME]}: the macvlan interface name, when given. */
    public record Vmac(Optional<String> interfaceName) {
    }

    /** BACKUP unless the file says MASTER. Every instance still starts in BACKUP unless it owns the VIPs (section 2.3). */
    public VrrpState state() {
        return configuredState.orElse(VrrpState.BACKUP);
    }

    /**
     * The priority keepalived uses: the configured one when in 1..255; otherwise 100, except that
     * {@code state MASTER} without any {@code priority} line makes the instance the address owner
     * (255), as keepalived 2.2.7's {@code -d} dump shows.
     */
    public int priority() {
        if (configuredPriority.isPresent()) {
            int p = configuredPriority.get();
            return p >= 1 && p <= OWNER_PRIORITY ? p : DEFAULT_PRIORITY;
        }
        return configuredState.orElse(VrrpState.BACKUP) == VrrpState.MASTER ? OWNER_PRIORITY : DEFAULT_PRIORITY;
    }

    /** Whether preemption is really off: keepalived clears nopreempt with state MASTER or priority 255. */
    public boolean preemptDisabled() {
        return nopreempt && state() != VrrpState.MASTER && priority() != OWNER_PRIORITY;
    }

    /**
     * The advertisement interval keepalived uses. v2: whole seconds, a fraction rounded to the
     * nearest second (at least 1). v3: rounded to 10 ms; below 0.01 s the value is refused and 1 s
     * used; above 40.95 s it is capped (research section 5, {@code keepalived -t} table).
     */
    public Duration advertInterval() {
        if (configuredAdvertInt.isEmpty()) return Duration.ofSeconds(1);
        BigDecimal s = configuredAdvertInt.get();
        if (version == 2) {
            long whole = s.setScale(0, RoundingMode.HALF_UP).longValueExact();
            return Duration.ofSeconds(Math.max(1, Math.min(255, whole)));
        }
        if (s.compareTo(V3_MIN_ADVERT_INT) < 0) return Duration.ofSeconds(1);
        if (s.compareTo(V3_MAX_ADVERT_INT) > 0) s = V3_MAX_ADVERT_INT;
        long centis = s.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return Duration.ofMillis(centis * 10);
    }

    public boolean isIpv6() {
        return !virtualAddresses.isEmpty() && virtualAddresses.get(0).isIpv6();
    }

    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    /** The address this node's adverts carry when the file says: unicast_src_ip, else mcast_src_ip. */
    public Optional<InetAddress> configuredSourceAddress() {
        return unicastSrcIp.isPresent() ? unicastSrcIp : mcastSrcIp;
    }
}
