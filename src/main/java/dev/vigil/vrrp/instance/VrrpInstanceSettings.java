package dev.vigil.vrrp.instance;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The configuration one {@link VrrpInstance} runs on: what keepalived.conf's {@code vrrp_instance}
 * block (plus the {@code global_defs} it inherits) says, already resolved to values. The config layer
 * maps its model onto this; {@link #builder(String, int, InetAddress)} starts from keepalived 2.2.7's
 * defaults.
 *
 * @param name instance name, as in {@code vrrp_instance NAME}
 * @param vrid {@code virtual_router_id}, 1..255
 * @param version 2 or 3 ({@code version}, {@code vrrp_version}; IPv6 needs 3)
 * @param priority {@code priority}, 1..255 (255 = address owner)
 * @param advertIntervalCentis {@code advert_int} in centiseconds: v2 whole seconds (100..25500, RFC 3768
 *     §5.3.7), v3 1..4095 (RFC 5798 §5.2.7)
 * @param initialState {@code state MASTER|BACKUP}; keepalived starts in BACKUP either way unless
 *     priority is 255, and MASTER only clears {@code nopreempt} (keepalived.md §2.3)
 * @param nopreempt {@code nopreempt}
 * @param preemptDelayNanos {@code preempt_delay}, 0..1000 s
 * @param acceptMode {@code accept} (keepalived default on unless strict); the glue applies it
 * @param primaryAddress the IP source of our adverts ({@code unicast_src_ip}, {@code mcast_src_ip} or the
 *     interface primary address; IPv6: the link-local); the tie-break compares against it
 * @param virtualAddresses the advertised {@code virtual_ipaddress} entries (not the excluded ones), in order
 * @param unicastPeers {@code unicast_peer}; empty = multicast
 * @param checkUnicastSrc {@code check_unicast_src} (or the global {@code vrrp_check_unicast_src})
 * @param skipCheckAdvAddr {@code skip_check_adv_addr}
 * @param lowerPrioNoAdvert {@code lower_prio_no_advert}
 * @param higherPrioSendAdvert {@code higher_prio_send_advert}
 * @param downTimerAdverts {@code down_timer_adverts}, 1..100 (3 per the RFCs)
 * @param authType v2 {@code auth_type}; AH is not supported (keepalived.md §1.1)
 * @param authPassword v2 {@code auth_pass}; keepalived truncates it to 8 characters
 * @param garp gratuitous ARP / NA schedule
 * @param trackedScripts {@code track_script} entries
 * @param trackedInterfaces {@code track_interface} entries (including the own interface unless {@code dont_track_primary})
 */
public record VrrpInstanceSettings(
        String name,
        int vrid,
        int version,
        int priority,
        int advertIntervalCentis,
        ConfiguredState initialState,
        boolean nopreempt,
        long preemptDelayNanos,
        boolean acceptMode,
        InetAddress primaryAddress,
        List<InetAddress> virtualAddresses,
        List<UnicastPeer> unicastPeers,
        boolean checkUnicastSrc,
        boolean skipCheckAdvAddr,
        boolean lowerPrioNoAdvert,
        boolean higherPrioSendAdvert,
        int downTimerAdverts,
        AuthType authType,
        String authPassword,
        GarpSettings garp,
        List<TrackedScript> trackedScripts,
        List<TrackedInterface> trackedInterfaces) {

    /** The address owner's priority (RFC 5798 §5.2.4). */
    public static final int OWNER_PRIORITY = 255;

    private static final long MAX_PREEMPT_DELAY_NANOS = 1000L * 1_000_000_000L;

    /** {@code state MASTER|BACKUP}. */
    public enum ConfiguredState {
        MASTER,
        BACKUP
    }

    /** v2 {@code auth_type}. */
    public enum AuthType {
        /** Auth Type 0. */
        NONE(0),
        /** Auth Type 1, simple text password (RFC 2338). */
        PASS(1);

        private final int code;

        AuthType(int code) {
            this.code = code;
        }

        /** The Auth Type field value. */
        public int code() {
            return code;
        }
    }

    public VrrpInstanceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(primaryAddress, "primaryAddress");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(garp, "garp");
        virtualAddresses = List.copyOf(virtualAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        trackedScripts = List.copyOf(trackedScripts);
        trackedInterfaces = List.copyOf(trackedInterfaces);
        authPassword = authPassword == null ? "" : authPassword;
        if (vrid < 1 || vrid > 255) throw new IllegalArgumentException("vrid must be within 1..255");
        if (version != 2 && version != 3) throw new IllegalArgumentException("version must be 2 or 3");
        if (priority < 1 || priority > 255) throw new IllegalArgumentException("priority must be within 1..255");
        if (version == 2 && (advertIntervalCentis % 100 != 0 || advertIntervalCentis < 100 || advertIntervalCentis > 25_500)) {
            throw new IllegalArgumentException("VRRPv2 advert interval must be whole seconds within 1..255");
        }
        if (version == 3 && (advertIntervalCentis < 1 || advertIntervalCentis > 4095)) {
            throw new IllegalArgumentException("VRRPv3 advert interval must be within 1..4095 centiseconds");
        }
        if (version == 2 && primaryAddress instanceof Inet6Address) {
            throw new IllegalArgumentException("IPv6 needs VRRP version 3");
        }
        for (InetAddress vip : virtualAddresses) {
            if (vip.getClass() != primaryAddress.getClass()) {
                throw new IllegalArgumentException("virtual address " + vip.getHostAddress() + " is not of the instance's family");
            }
        }
        if (virtualAddresses.size() > 255) throw new IllegalArgumentException("at most 255 advertised addresses");
        if (preemptDelayNanos < 0 || preemptDelayNanos > MAX_PREEMPT_DELAY_NANOS) {
            throw new IllegalArgumentException("preempt_delay must be within 0..1000 s");
        }
        if (downTimerAdverts < 1 || downTimerAdverts > 100) throw new IllegalArgumentException("down_timer_adverts must be within 1..100");
        if (authType != AuthType.NONE && version != 2) throw new IllegalArgumentException("authentication is VRRPv2 only");
    }

    /** IPv4 or IPv6, from the primary address. */
    public boolean ipv6() {
        return primaryAddress instanceof Inet6Address;
    }

    /** Unicast mode: adverts go to each peer instead of the multicast group. */
    public boolean unicast() {
        return !unicastPeers.isEmpty();
    }

    /** The address owner (RFC 5798 §5.2.4): keepalived never adjusts its priority and starts it as master. */
    public boolean addressOwner() {
        return priority == OWNER_PRIORITY;
    }

    /** The 8 auth bytes as keepalived puts them on the wire: the password truncated to 8 bytes, NUL-padded. */
    public byte[] authData() {
        return Arrays.copyOf(authPassword.getBytes(StandardCharsets.UTF_8), 8);
    }

    public static Builder builder(String name, int vrid, InetAddress primaryAddress) {
        return new Builder(name, vrid, primaryAddress);
    }

    /** Starts from keepalived 2.2.7's defaults (non-strict mode). */
    public static final class Builder {
        private final String name;
        private final int vrid;
        private final InetAddress primaryAddress;
        private int version = 2;
        private int priority = 100;
        private int advertIntervalCentis = 100;
        private ConfiguredState initialState = ConfiguredState.BACKUP;
        private boolean nopreempt;
        private long preemptDelayNanos;
        private boolean acceptMode = true;
        private final List<InetAddress> virtualAddresses = new ArrayList<>();
        private final List<UnicastPeer> unicastPeers = new ArrayList<>();
        private boolean checkUnicastSrc;
        private boolean skipCheckAdvAddr;
        private boolean lowerPrioNoAdvert;
        private boolean higherPrioSendAdvert;
        private int downTimerAdverts = 3;
        private AuthType authType = AuthType.NONE;
        private String authPassword = "";
        private GarpSettings garp = GarpSettings.keepalivedDefaults();
        private final List<TrackedScript> trackedScripts = new ArrayList<>();
        private final List<TrackedInterface> trackedInterfaces = new ArrayList<>();

        private Builder(String name, int vrid, InetAddress primaryAddress) {
            this.name = name;
            this.vrid = vrid;
            this.primaryAddress = primaryAddress;
            if (primaryAddress instanceof Inet6Address) version = 3;
            else if (!(primaryAddress instanceof Inet4Address)) throw new IllegalArgumentException("primary address must be IPv4 or IPv6");
        }

        public Builder version(int v) { this.version = v; return this; }
        public Builder priority(int p) { this.priority = p; return this; }
        /** v2: whole seconds. */
        public Builder advertIntervalSeconds(int seconds) { this.advertIntervalCentis = seconds * 100; return this; }
        public Builder advertIntervalCentis(int centis) { this.advertIntervalCentis = centis; return this; }
        public Builder initialState(ConfiguredState s) { this.initialState = s; return this; }
        public Builder nopreempt(boolean b) { this.nopreempt = b; return this; }
        public Builder preemptDelayNanos(long n) { this.preemptDelayNanos = n; return this; }
        public Builder acceptMode(boolean b) { this.acceptMode = b; return this; }
        public Builder virtualAddress(InetAddress a) { this.virtualAddresses.add(a); return this; }
        public Builder unicastPeer(UnicastPeer p) { this.unicastPeers.add(p); return this; }
        public Builder checkUnicastSrc(boolean b) { this.checkUnicastSrc = b; return this; }
        public Builder skipCheckAdvAddr(boolean b) { this.skipCheckAdvAddr = b; return this; }
        public Builder lowerPrioNoAdvert(boolean b) { this.lowerPrioNoAdvert = b; return this; }
        public Builder higherPrioSendAdvert(boolean b) { this.higherPrioSendAdvert = b; return this; }
        public Builder downTimerAdverts(int n) { this.downTimerAdverts = n; return this; }
        public Builder authentication(AuthType type, String password) { this.authType = type; this.authPassword = password; return this; }
        public Builder garp(GarpSettings g) { this.garp = g; return this; }
        public Builder trackScript(String script, int weight, boolean reverse) { trackedScripts.add(new TrackedScript(script, weight, reverse)); return this; }
        public Builder trackInterface(String iface, int weight, boolean reverse) { trackedInterfaces.add(new TrackedInterface(iface, weight, reverse)); return this; }

        public VrrpInstanceSettings build() {
            return new VrrpInstanceSettings(name, vrid, version, priority, advertIntervalCentis, initialState, nopreempt,
                    preemptDelayNanos, acceptMode, primaryAddress, virtualAddresses, unicastPeers, checkUnicastSrc,
                    skipCheckAdvAddr, lowerPrioNoAdvert, higherPrioSendAdvert, downTimerAdverts, authType, authPassword,
                    garp, trackedScripts, trackedInterfaces);
        }
    }
}
