package dev.vigil.config.translate;

import dev.vigil.config.SourceLocation;
import dev.vigil.config.heartbeat.Authkeys;
import dev.vigil.config.heartbeat.HaCf;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatValues;
import dev.vigil.config.heartbeat.Medium;
import dev.vigil.config.heartbeat.PingTarget;
import dev.vigil.config.heartbeat.ResourcePolicyKeys;
import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import dev.vigil.heartbeat.wire.AuthMethod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Translates a heartbeat v1 cluster ({@code /etc/ha.d}: ha.cf, haresources, authkeys, vigil.conf)
 * into one keepalived.conf per node, for Vigil's VRRP mode (and, apart from the resource groups,
 * for real keepalived). Pure: no I/O, the same input always gives the same text.
 *
 * <p>The mapping, with what each side does:
 * <ul>
 * <li><b>One vrrp_instance per haresources line.</b> heartbeat moves each line as a unit between
 *     the two nodes ({@code ResourceManager takegroup/givegroup}); a VRRP instance is the unit
 *     VRRP elects a master for. Instances are independent, as heartbeat's groups are (no sync group).</li>
 * <li><b>VRID</b> = CRC32 of the group's key (its first resource, canonical form, as
 *     {@code ResourceManager listkeys} prints it) mod 255, plus 1, plus {@code --vrid-offset};
 *     a collision with an earlier group takes the next free id. The same haresources gives the
 *     same ids on every node and on every run, and editing one group does not renumber the others.
 *     The VRID must be unique on the LAN (RFC 3768 section 5.3.3): the report says so.</li>
 * <li><b>interface</b>: {@code --interface}, else the interface of the group's first IPaddr/IPaddr2
 *     address (VRRP adverts belong on the LAN of the address they protect, RFC 3768 section 1),
 *     else the first network medium of ha.cf.</li>
 * <li><b>virtual_ipaddress</b>: the group's {@code IPaddr}/{@code IPaddr2} resources
 *     ({@code ip[/bits[/iface[/broadcast]]]}, a bare IP meaning IPaddr as in haresources) with
 *     the prefix, {@code dev}, {@code brd} and (for {@code eth0:1}) {@code label}. The other
 *     resources stay in order in {@code vigil_resources}.</li>
 * <li><b>priority</b>: the preferred node of the line (heartbeat starts the group there, and gives
 *     it back there with auto_failback on) 150, the others 100, 99, ... in ha.cf order (equal
 *     priorities would be broken by the higher IP address, RFC 3768 section 6.4.3, which
 *     heartbeat never does).</li>
 * <li><b>auto_failback</b>: {@code on} (and heartbeat's default {@code legacy}, which behaves as on
 *     for two nodes) → preemption, keepalived's default; {@code off} → {@code nopreempt} with
 *     {@code state BACKUP} on every node (keepalived ignores nopreempt with state MASTER).
 *     {@code state BACKUP} is written everywhere: a node starting as MASTER would take the
 *     addresses for a moment before hearing the peer, which heartbeat never does at start-up.</li>
 * <li><b>advert_int</b> = keepalive: VRRPv2 (keepalived's default, the only version with
 *     authentication) takes whole seconds 1..255, so a sub-second keepalive selects VRRPv3
 *     (0.01..40.95 s in 10 ms steps) unless {@code --vrrp-version} says otherwise; clamped and
 *     rounded values are reported. <b>deadtime</b> → {@code down_timer_adverts} = deadtime /
 *     advert_int (1..100): a backup takes over after that many missed adverts plus the skew time,
 *     close to heartbeat's "no heartbeat for deadtime" (RFC 3768's Master_Down_Interval is
 *     3 × Advertisement_Interval + Skew_Time; keepalived makes the 3 configurable).</li>
 * <li><b>authentication</b>: heartbeat signs every packet with an HMAC (md5/sha1) or a crc.
 *     VRRPv2's PASS type sends its 8-character password in clear in every advert (RFC 3768
 *     section 5.3.6.1), AH is not implemented by Vigil and VRRPv3 has no authentication (RFC
 *     5798 section 9): no VRRP authentication is written, and the report warns for md5/sha1.
 *     Copying the heartbeat key into auth_pass would publish it on the wire.</li>
 * <li><b>ucast</b> media → {@code unicast_src_ip}/{@code unicast_peer}, when each node's address
 *     is given ({@code --address NODE=IP}): keepalived, unlike heartbeat, does not ignore its own
 *     address in the peer list (it logs "equal priority advert received from remote host with our
 *     IP address" every second).</li>
 * <li><b>vigil.conf</b> {@code resource_defaults}/{@code resource} → {@code vigil_resource_defaults}
 *     / {@code vigil_resource} in the instance owning the resource; mail settings → global_defs
 *     {@code notification_email} etc. with {@code smtp_alert} on each instance.</li>
 * </ul>
 * Everything without an equivalent (serial links, ping nodes and ipfail, broadcast vs multicast,
 * multicast TTL, initdead, stonith, respawn, more than two nodes...) is a note of the
 * {@link Result#report() report}.
 */
public final class HaToKeepalived {

    public static final int PREFERRED_PRIORITY = 150;
    public static final int OTHER_PRIORITY = 100;

    private HaToKeepalived() {
    }

    /**
     * @param interfaceOverride the VRRP interface of every instance ({@code --interface})
     * @param vrrpVersion       2 or 3; empty: 2, or 3 when keepalive is under a second
     * @param vridOffset        added to every derived VRID (mod 255), to move away from ids in use
     * @param nodeAddresses     each node's own address on the heartbeat LAN, by node name (any case)
     */
    public record Options(Optional<String> interfaceOverride, OptionalInt vrrpVersion, int vridOffset,
                          Map<String, String> nodeAddresses) {
        public Options {
            Map<String, String> lower = new LinkedHashMap<>();
            nodeAddresses.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            nodeAddresses = Map.copyOf(lower);
        }

        public static Options defaults() {
            return new Options(Optional.empty(), OptionalInt.empty(), 0, Map.of());
        }
    }

    /** What a note of the report says about one heartbeat setting. */
    public enum Kind {
        /** Translated with the same meaning. */
        MAPPED("mapped"),
        /** Translated, but behaves differently: read the note. */
        CHANGED("changed"),
        /** Not translated: VRRP/keepalived has nothing like it. */
        NO_EQUIVALENT("no equivalent"),
        /** Needs the operator's attention before the cluster is switched over. */
        WARNING("warning"),
        /** Could not be translated at all; no file is right without a fix. */
        ERROR("error");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** One line of the report. */
    public record Note(Kind kind, Optional<SourceLocation> source, String text) {
        public String format() {
            String where = source.map(s -> s.file().getFileName() + ":" + s.line()).orElse("-");
            return String.format(Locale.ROOT, "%-14s %-18s %s", kind.word(), where, text);
        }
    }

    /** One haresources group as a VRRP instance, the same on every node but for the priority. */
    public record InstancePlan(String name, int vrid, String interfaceName, Haresources.Group group, List<String> addresses,
                               List<Haresources.Resource> resources, List<String> policyLines) {
        public InstancePlan {
            addresses = List.copyOf(addresses);
            resources = List.copyOf(resources);
            policyLines = List.copyOf(policyLines);
        }

        /** The priority of {@code node} (a ha.cf node name) in this instance. */
        public int priorityOf(String node, List<String> nodes) {
            String preferred = group.canonicalNode();
            if (node.toLowerCase(Locale.ROOT).equals(preferred)) return PREFERRED_PRIORITY;
            int p = OTHER_PRIORITY;
            for (String n : nodes) {
                if (n.toLowerCase(Locale.ROOT).equals(preferred)) continue;
                if (n.equalsIgnoreCase(node)) return p;
                p--;
            }
            return p;
        }
    }

    /**
     * @param configs   keepalived.conf text per node, in ha.cf order, keyed by the node name as written
     * @param instances the instances every file has
     * @param notes     the report
     */
    public record Result(Map<String, String> configs, List<InstancePlan> instances, List<Note> notes) {
        public Result {
            configs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configs));
            instances = List.copyOf(instances);
            notes = List.copyOf(notes);
        }

        public boolean hasErrors() {
            return notes.stream().anyMatch(n -> n.kind() == Kind.ERROR);
        }

        /** The report as text: a header, then one line per note, errors and warnings first. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append("# vigil translate: ").append(configs.size()).append(" node(s), ").append(instances.size())
                    .append(" vrrp_instance(s)\n");
            for (InstancePlan p : instances) {
                sb.append("#   ").append(p.name()).append(": VRID ").append(p.vrid()).append(" on ").append(p.interfaceName())
                        .append(", preferred node ").append(p.group().node()).append(", ").append(p.addresses().size())
                        .append(" address(es), ").append(p.resources().size()).append(" resource(s)\n");
            }
            List<Note> sorted = new ArrayList<>(notes);
            sorted.sort((a, b) -> Integer.compare(rank(a.kind()), rank(b.kind())));
            for (Note n : sorted) sb.append(n.format()).append('\n');
            return sb.toString();
        }

        private static int rank(Kind k) {
            return switch (k) {
                case ERROR -> 0;
                case WARNING -> 1;
                case CHANGED -> 2;
                case NO_EQUIVALENT -> 3;
                case MAPPED -> 4;
            };
        }
    }

    /**
     * The errors of a loaded heartbeat directory that make a translation meaningless: all but
     * authkeys' (nothing of authkeys is written, only the authentication note depends on it, and
     * a copy taken from a repository rarely keeps mode 0600).
     */
    public static List<dev.vigil.config.Diagnostic> blockingErrors(dev.vigil.config.Diagnostics d) {
        return d.sorted().stream().filter(dev.vigil.config.Diagnostic::isError)
                .filter(x -> x.file() == null || x.file().getFileName() == null
                        || !x.file().getFileName().toString().equals(dev.vigil.config.heartbeat.HeartbeatDirectory.AUTHKEYS))
                .toList();
    }

    public static Result translate(HeartbeatConfig cfg, Options options) {
        return new Run(cfg, options).run();
    }

    // ------------------------------------------------------------------------------------------

    private static final Set<String> IP_SCRIPTS = Set.of("IPaddr", "IPaddr2");
    /** Characters keepalived.conf would read as a comment, a quote or a block brace. */
    private static final String UNWRITABLE = "#!\"{}";

    private static final class Run {
        final HeartbeatConfig cfg;
        final HaCf haCf;
        final Options o;
        final List<Note> notes = new ArrayList<>();
        final List<String> nodes = new ArrayList<>();
        int version;
        BigDecimal advertInt;
        Integer downTimerAdverts;

        Run(HeartbeatConfig cfg, Options options) {
            this.cfg = cfg;
            this.haCf = cfg.haCf();
            this.o = options;
        }

        void note(Kind kind, Optional<SourceLocation> at, String text) {
            notes.add(new Note(kind, at, text));
        }

        void note(Kind kind, SourceLocation at, String text) {
            note(kind, Optional.ofNullable(at), text);
        }

        Result run() {
            Set<String> seen = new LinkedHashSet<>();
            for (HaCf.Node n : haCf.nodes()) if (seen.add(n.canonicalName())) nodes.add(n.name());
            if (nodes.isEmpty()) {
                note(Kind.ERROR, Optional.empty(), "ha.cf declares no node: there is no node to write a keepalived.conf for");
                return new Result(Map.of(), List.of(), notes);
            }
            timing();
            authentication();
            media();
            pingAndOthers();
            List<InstancePlan> plans = plans();
            if (plans.isEmpty()) {
                note(Kind.WARNING, Optional.of(SourceLocation.of(cfg.haresources().file(), 0)),
                        "haresources has no resource group: the keepalived.conf files have no vrrp_instance");
            }
            if (nodes.size() > 2 && !plans.isEmpty()) {
                note(Kind.CHANGED, Optional.empty(), nodes.size() + " nodes: heartbeat v1's resource manager moves a group between "
                        + "its preferred node and one other node; VRRP elects among all " + nodes.size()
                        + " nodes by priority (preferred node " + PREFERRED_PRIORITY + ", the others " + OTHER_PRIORITY
                        + ", " + (OTHER_PRIORITY - 1) + ", ... in ha.cf order)");
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (String node : nodes) configs.put(node, render(node, plans));
            return new Result(configs, plans, notes);
        }

        // -------------------------------------------------------------------- timers

        void timing() {
            Duration keepalive = haCf.keepalive().value();
            Optional<SourceLocation> kaAt = haCf.keepalive().source();
            long ms = keepalive.toMillis();
            version = o.vrrpVersion().orElse(ms < 1000 ? 3 : 2);
            BigDecimal seconds = BigDecimal.valueOf(ms).movePointLeft(3);
            if (version == 2) {
                // VRRPv2: Adver Int is whole seconds (RFC 3768 section 5.3.7); keepalived rounds a fraction.
                BigDecimal whole = seconds.setScale(0, RoundingMode.HALF_UP).max(BigDecimal.ONE).min(BigDecimal.valueOf(255));
                advertInt = whole;
                if (whole.compareTo(seconds) != 0) {
                    note(Kind.CHANGED, kaAt, "keepalive " + fmt(keepalive) + " -> advert_int " + whole.toPlainString()
                            + ": VRRPv2 adverts are whole seconds (1..255)" + (o.vrrpVersion().isPresent() ? "" : "")
                            + "; use --vrrp-version 3 for sub-second adverts");
                } else {
                    note(Kind.MAPPED, kaAt, "keepalive " + fmt(keepalive) + " -> advert_int " + whole.toPlainString()
                            + " (VRRPv2)");
                }
            } else {
                // VRRPv3: centiseconds, 0.01..40.95 s (RFC 5798 section 5.2.7); keepalived rounds to 10 ms.
                BigDecimal v = seconds.setScale(2, RoundingMode.HALF_UP).max(new BigDecimal("0.01")).min(new BigDecimal("40.95"));
                advertInt = v.stripTrailingZeros();
                if (v.compareTo(seconds) != 0) {
                    note(Kind.CHANGED, kaAt, "keepalive " + fmt(keepalive) + " -> advert_int " + advertInt.toPlainString()
                            + ": VRRPv3 adverts are 0.01..40.95 s in 10 ms steps");
                } else {
                    note(Kind.MAPPED, kaAt, "keepalive " + fmt(keepalive) + " -> advert_int " + advertInt.toPlainString()
                            + " with version 3 (VRRPv2 cannot advertise more often than once a second)");
                }
            }
            Duration deadtime = haCf.deadtime().value();
            BigDecimal dead = BigDecimal.valueOf(deadtime.toMillis()).movePointLeft(3);
            int n = dead.divide(advertInt, 0, RoundingMode.HALF_UP).intValue();
            n = Math.max(1, Math.min(100, n));
            downTimerAdverts = n == 3 ? null : n;
            BigDecimal master = advertInt.multiply(BigDecimal.valueOf(n));
            BigDecimal skewHigh = advertInt.multiply(BigDecimal.valueOf(256 - OTHER_PRIORITY)).divide(BigDecimal.valueOf(256), 3, RoundingMode.HALF_UP);
            note(n * advertInt.doubleValue() == dead.doubleValue() ? Kind.MAPPED : Kind.CHANGED, haCf.deadtime().source(),
                    "deadtime " + fmt(deadtime) + " -> " + (downTimerAdverts == null ? "the default 3"
                            : "down_timer_adverts " + n) + " missed adverts: a backup takes over " + master.toPlainString() + " s + skew (up to "
                            + skewHigh.stripTrailingZeros().toPlainString() + " s at priority " + OTHER_PRIORITY
                            + ") after the master's last advert; heartbeat declared the peer dead after " + fmt(deadtime)
                            + " without a heartbeat, then ran its resource scripts");
            if (n == 1 && dead.compareTo(advertInt) < 0) {
                note(Kind.CHANGED, haCf.deadtime().source(), "deadtime is shorter than one advert interval: VRRP waits at least one");
            }
            if (!haCf.warntime().isDefault()) {
                note(Kind.NO_EQUIVALENT, haCf.warntime().source(), "warntime: VRRP does not log late adverts");
            }
            note(Kind.NO_EQUIVALENT, haCf.initdead().source(), "initdead " + fmt(haCf.initdead().value())
                    + ": a VRRP backup that hears nothing at start-up becomes master after the down timer, not after initdead "
                    + "(keepalived's global vrrp_startup_delay can hold every instance back at boot if the network comes up late)"
                    + (haCf.autoFailback().value() == HaCf.AutoFailback.OFF ? "; with nopreempt, nodes started more than the down timer "
                    + "apart leave every group on the first one (heartbeat: more than initdead apart)" : ""));
        }

        // -------------------------------------------------------------------- authkeys

        void authentication() {
            Authkeys keys = cfg.authkeys();
            Optional<Authkeys.Entry> signing = keys.signingEntry();
            if (signing.isEmpty()) return;
            AuthMethod m = signing.get().key().method();
            Optional<SourceLocation> at = Optional.of(signing.get().location());
            if (m == AuthMethod.CRC) {
                note(Kind.MAPPED, at, "auth crc -> no VRRP authentication: crc only detects damage, which the VRRP checksum "
                        + "(RFC 3768 section 5.3.8) also does");
            } else {
                note(Kind.WARNING, at, "auth " + m.wireName() + " has no VRRP equivalent: no authentication is written. VRRPv2 PASS sends "
                        + "its 8-character password in clear in every advert (RFC 3768 section 5.3.6), AH is not implemented by Vigil, "
                        + "VRRPv3 has none (RFC 5798 section 9); never reuse the heartbeat key as auth_pass. Keep the VRRP LAN "
                        + "trusted, or filter IP protocol 112 to the cluster nodes");
            }
        }

        // -------------------------------------------------------------------- media

        List<String> unicastPeers = List.of();
        boolean anyUcast;

        void media() {
            List<Medium> media = haCf.media();
            long network = media.stream().filter(m -> !(m instanceof Medium.Serial)).count();
            long devices = media.stream().filter(m -> !(m instanceof Medium.Serial)).map(Medium::device).distinct().count();
            if (devices > 1) {
                note(Kind.CHANGED, media.get(0).location(), devices + " network interfaces in the media: heartbeat sends every message on every medium "
                        + "(redundant paths); a VRRP instance adverts on one interface only, so losing that link makes both nodes MASTER");
            }
            List<String> peers = new ArrayList<>();
            for (Medium m : media) {
                SourceLocation at = m.location();
                if (m instanceof Medium.Bcast b) {
                    note(Kind.CHANGED, at, "bcast " + b.device() + " -> VRRP multicast 224.0.0.18 (IP protocol 112, "
                            + "RFC 3768 section 5.2.2) instead of UDP broadcast to port " + b.port() + ": firewalls must let protocol 112 through");
                } else if (m instanceof Medium.Mcast mc) {
                    note(Kind.CHANGED, at, "mcast " + mc.device() + " " + mc.group() + " port " + mc.port() + " ttl "
                            + mc.ttl() + " -> VRRP's own group 224.0.0.18 with TTL 255, link-local (RFC 3768 section 7.1 drops adverts "
                            + "with any other TTL)" + (mc.ttl() > 1 ? "; heartbeat's ttl " + mc.ttl() + " could cross routers, VRRP cannot" : ""));
                } else if (m instanceof Medium.Ucast u) {
                    anyUcast = true;
                    if (HeartbeatValues.isIpv4(u.peer())) {
                        peers.add(u.peer());
                    } else {
                        note(Kind.WARNING, at, "ucast peer '" + u.peer() + "' is a host name: keepalived's unicast_peer takes addresses only");
                    }
                } else if (m instanceof Medium.Ucast6 u6) {
                    note(Kind.NO_EQUIVALENT, at, "ucast6 " + u6.peer()
                            + ": IPv4 addresses are advertised over IPv4 (VRRP adverts use the family of the addresses)");
                } else if (m instanceof Medium.Mcast6 m6) {
                    note(Kind.NO_EQUIVALENT, at, "mcast6 " + m6.group() + ": IPv4 addresses are advertised over IPv4 multicast 224.0.0.18");
                } else if (m instanceof Medium.Serial s) {
                    note(Kind.NO_EQUIVALENT, at, "serial " + s.device() + ": VRRP runs only over the IP network of "
                            + "its addresses; the serial link no longer protects against a split brain when that network fails");
                }
            }
            unicastPeers = List.copyOf(new LinkedHashSet<>(peers));
            if (anyUcast) {
                List<String> missing = nodes.stream().filter(n -> !o.nodeAddresses().containsKey(n.toLowerCase(Locale.ROOT))).toList();
                if (missing.isEmpty()) {
                    note(Kind.MAPPED, media.stream().filter(m -> m instanceof Medium.Ucast).findFirst().map(Medium::location),
                            "ucast -> unicast_src_ip (the node's --address) and unicast_peer (every other ucast peer)");
                } else {
                    note(Kind.WARNING, media.stream().filter(m -> m instanceof Medium.Ucast).findFirst().map(Medium::location),
                            "ucast media, but no --address for " + String.join(", ", missing) + ": those nodes use multicast. keepalived, "
                                    + "unlike heartbeat, does not skip its own address in the peer list; give each node's address "
                                    + "with --address NODE=IP to get unicast_peer");
                }
            }
            if (network == 0 && o.interfaceOverride().isEmpty()) {
                note(Kind.WARNING, Optional.empty(), "ha.cf has no network medium: the interface of each instance comes from its "
                        + "addresses, or give --interface");
            }
        }

        void pingAndOthers() {
            for (PingTarget p : haCf.pingTargets()) {
                String target = p instanceof PingTarget.PingGroup g ? g.name() + " (" + String.join(" ", g.addresses()) + ")" : p.name();
                note(Kind.NO_EQUIVALENT, p.location(), "ping node " + target + ": VRRP has no ping nodes; to move the addresses away from a "
                        + "node that loses its uplink, track a vrrp_script such as 'script \"/bin/ping -c1 -W1 " + firstAddress(p)
                        + "\"' with a negative weight larger than the priority gap (" + (PREFERRED_PRIORITY - OTHER_PRIORITY) + ")");
            }
            for (HaCf.ClientChild c : haCf.clientChildren()) {
                boolean ipfail = c.path().endsWith("/ipfail");
                note(Kind.NO_EQUIVALENT, c.location(), (c.rebootIfItDies() ? "failfast " : "respawn ") + c.user() + " " + c.command() + ": "
                        + (ipfail ? "ipfail gives the resources to the node that sees more ping nodes; see the ping node note"
                        : "keepalived supervises no programs; run it from the service manager (systemd Restart=)"));
            }
            haCf.stonith().ifPresent(s -> note(Kind.WARNING, s.location(), "stonith " + s.type() + ": VRRP has no fencing; a node "
                    + "that is alive but silent keeps its addresses while the peer takes them"));
            for (HaCf.StonithHost s : haCf.stonithHosts()) {
                note(Kind.WARNING, s.location(), "stonith_host " + s.host() + " " + s.type() + ": VRRP has no fencing");
            }
            haCf.watchdog().ifPresent(w -> note(Kind.NO_EQUIVALENT, w.source(), "watchdog " + w.value()
                    + ": not translated; the service manager's watchdog can supervise Vigil"));
            if (haCf.autojoin().value() != HaCf.Autojoin.NONE) {
                note(Kind.NO_EQUIVALENT, haCf.autojoin().source(), "autojoin: VRRP nodes need no membership; any node with the VRID joins");
            }
            Set<String> handled = Set.of("node", "keepalive", "deadtime", "warntime", "initdead", "bcast", "mcast", "ucast", "mcast6",
                    "ucast6", "serial", "ping", "ping6", "ping_group", "respawn", "failfast", "stonith", "stonith_host", "watchdog",
                    "auto_failback", "nice_failback", "autojoin", "crm", "pacemaker");
            Set<String> reported = new LinkedHashSet<>();
            for (HaCf.Directive d : haCf.directives()) {
                String name = d.name().toLowerCase(Locale.ROOT);
                if (handled.contains(name) || !reported.add(name)) continue;
                String why = switch (name) {
                    case "logfacility", "logfile", "debugfile", "use_logd", "debug" -> "logging: Vigil logs to its own log and the journal";
                    case "udpport" -> "VRRP is IP protocol 112, not UDP";
                    case "baud" -> "serial links are not translated";
                    case "deadping" -> "ping nodes are not translated";
                    case "apiauth" -> "the heartbeat API is not served in VRRP mode";
                    default -> "no VRRP equivalent";
                };
                note(Kind.NO_EQUIVALENT, d.location(), name + " " + String.join(" ", d.values()) + ": " + why);
            }
            switch (haCf.autoFailback().value()) {
                case ON -> note(Kind.MAPPED, haCf.autoFailback().source(), "auto_failback on -> preemption (keepalived's default): "
                        + "the preferred node takes its groups back when it returns");
                case OFF -> note(Kind.MAPPED, haCf.autoFailback().source(), "auto_failback off -> nopreempt, with state BACKUP on every "
                        + "node (keepalived ignores nopreempt with state MASTER): a returning node leaves the groups where they are");
                case LEGACY -> note(Kind.CHANGED, haCf.autoFailback().source(), "auto_failback legacy (heartbeat's deprecated default) "
                        + "-> preemption, as auto_failback on: for two nodes legacy also moves groups back to their preferred node");
            }
        }

        /** A heartbeat time for the report: "10 s", "500 ms". */
        static String fmt(Duration d) {
            long ms = d.toMillis();
            return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
        }

        static String firstAddress(PingTarget p) {
            return p instanceof PingTarget.PingGroup g && !g.addresses().isEmpty() ? g.addresses().get(0) : p.name();
        }

        // -------------------------------------------------------------------- groups

        List<InstancePlan> plans() {
            List<InstancePlan> plans = new ArrayList<>();
            Set<Integer> usedVrids = new LinkedHashSet<>();
            Set<String> usedNames = new LinkedHashSet<>();
            Map<String, String> policyOwner = new TreeMap<>();
            VigilConf vc = cfg.vigilConf();
            for (Haresources.Group g : cfg.haresources().groups()) {
                if (g.resources().isEmpty()) continue;
                SourceLocation at = g.location();
                if (!haCf.hasNode(g.node())) {
                    note(Kind.ERROR, at, "group of node '" + g.node() + "' which ha.cf does not declare: left out");
                    continue;
                }
                String key = g.resources().get(0).canonical();
                int vrid = vrid(key, usedVrids);
                String name = instanceName(key, usedNames);
                List<String> addresses = new ArrayList<>();
                List<Haresources.Resource> rest = new ArrayList<>();
                String firstDev = null;
                boolean nonIpBefore = false;
                boolean reorder = false;
                for (Haresources.Resource r : g.resources()) {
                    if (IP_SCRIPTS.contains(r.script()) && !r.arguments().isEmpty()) {
                        Optional<Vip> vip = vip(r);
                        if (vip.isPresent()) {
                            addresses.add(vip.get().line());
                            if (firstDev == null && vip.get().dev() != null) firstDev = vip.get().dev();
                            if (nonIpBefore) reorder = true;
                            continue;
                        }
                    }
                    nonIpBefore = true;
                    if (r.text().chars().anyMatch(c -> UNWRITABLE.indexOf(c) >= 0)) {
                        note(Kind.ERROR, r.location(), "resource '" + r.text() + "' contains one of " + UNWRITABLE
                                + ", which keepalived.conf reads as a comment, quote or brace: left out");
                        continue;
                    }
                    rest.add(r);
                }
                if (reorder) {
                    note(Kind.CHANGED, at, "group " + key + ": heartbeat started its addresses in line order, after the resources before "
                            + "them; keepalived adds virtual_ipaddress on becoming MASTER, before vigil_resources start (and removes them "
                            + "before the resources stop)");
                }
                if (addresses.isEmpty()) {
                    note(Kind.WARNING, at, "group " + key + " has no IPaddr/IPaddr2 address: its instance advertises no address "
                            + "(keepalived warns 'No VIP specified'), it only elects where the resources run");
                }
                String iface;
                if (o.interfaceOverride().isPresent()) {
                    iface = o.interfaceOverride().get();
                } else if (firstDev != null) {
                    iface = firstDev;
                } else {
                    Optional<Medium> net = haCf.media().stream().filter(m -> !(m instanceof Medium.Serial)).findFirst();
                    if (net.isPresent()) {
                        iface = net.get().device();
                        if (!addresses.isEmpty()) {
                            note(Kind.WARNING, at, "group " + key + ": its addresses name no interface (heartbeat's IPaddr finds the "
                                    + "interface whose subnet holds the address); VRRP adverts go on " + iface
                                    + ", the first heartbeat medium: check it, or give --interface");
                        }
                    } else {
                        iface = "eth0";
                        note(Kind.ERROR, at, "group " + key + ": no interface known (no dev in its addresses, no network medium); "
                                + "eth0 written, give --interface");
                    }
                }
                List<String> policies = policies(vc, g, rest, policyOwner, name);
                plans.add(new InstancePlan(name, vrid, iface, g, addresses, rest, policies));
            }
            vc.resources().forEach((res, policy) -> {
                if (policyOwner.containsKey(res)) return;
                boolean ip = cfg.haresources().groups().stream().flatMap(gr -> gr.resources().stream())
                        .anyMatch(r -> (r.text().equals(res) || r.script().equals(res)) && IP_SCRIPTS.contains(r.script()));
                note(ip ? Kind.CHANGED : Kind.WARNING, policy.location(), "vigil.conf resource " + res + ": "
                        + (ip ? "the address is now a virtual_ipaddress managed by VRRP, so its policy (monitoring, timeouts) is dropped"
                        : "names no translated resource; dropped"));
            });
            if (!plans.isEmpty()) {
                note(Kind.WARNING, Optional.empty(), "VRIDs " + plans.stream().map(p -> Integer.toString(p.vrid())).toList()
                        + " are derived from the group keys (CRC32 mod 255 + 1): make sure no other VRRP router on these LANs uses them, "
                        + "or move them all with --vrid-offset");
            }
            return plans;
        }

        List<String> policies(VigilConf vc, Haresources.Group g, List<Haresources.Resource> rest, Map<String, String> owner, String instance) {
            List<String> lines = new ArrayList<>();
            if (rest.isEmpty()) return lines;
            ResourcePolicy defaults = vc.defaults();
            String d = ResourcePolicyKeys.format(defaults, ResourcePolicy.DEFAULTS);
            if (!d.isEmpty()) lines.add("vigil_resource_defaults " + d);
            vc.resources().forEach((res, policy) -> {
                boolean here = rest.stream().anyMatch(r -> r.text().equals(res) || r.script().equals(res));
                if (!here) return;
                owner.putIfAbsent(res, instance);
                String keys = ResourcePolicyKeys.format(policy, defaults);
                if (!keys.isEmpty()) lines.add("vigil_resource " + res + " " + keys);
            });
            if (!lines.isEmpty()) {
                note(Kind.MAPPED, vc.defaults().location().or(() -> Optional.of(SourceLocation.of(vc.file(), 0))),
                        "vigil.conf policies of group " + g.resources().get(0).canonical() + " -> " + lines.size() + " vigil_resource* line(s) in "
                                + instance);
            }
            return lines;
        }

        int vrid(String key, Set<Integer> used) {
            CRC32 crc = new CRC32();
            crc.update(key.getBytes(StandardCharsets.UTF_8));
            int v = (int) ((crc.getValue() + Math.floorMod(o.vridOffset(), 255)) % 255) + 1;
            while (used.contains(v)) v = v % 255 + 1;
            used.add(v);
            return v;
        }

        static String instanceName(String key, Set<String> used) {
            StringBuilder sb = new StringBuilder("HB_");
            for (char c : key.toCharArray()) {
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
                sb.append(ok ? c : '_');
            }
            String base = sb.toString().replaceAll("_+", "_").replaceAll("_$", "");
            if (base.length() > 48) base = base.substring(0, 48);
            String name = base;
            for (int i = 2; !used.add(name); i++) name = base + "_" + i;
            return name;
        }

        record Vip(String line, String dev) {
        }

        /** {@code ip[/bits[/iface[/broadcast]]]} of IPaddr/IPaddr2 as a virtual_ipaddress line. */
        Optional<Vip> vip(Haresources.Resource r) {
            String[] f = r.arguments().get(0).split("/", -1);
            if (!HeartbeatValues.isIpv4(f[0])) {
                note(Kind.ERROR, r.location(), "'" + r.text() + "': '" + f[0] + "' is not an IPv4 address: left out");
                return Optional.empty();
            }
            StringBuilder line = new StringBuilder(f[0]);
            if (f.length > 1 && !f[1].isEmpty()) {
                OptionalInt bits = HeartbeatValues.parseInt(f[1]);
                if (bits.isEmpty() && HeartbeatValues.isIpv4(f[1])) bits = prefixOf(f[1]);
                if (bits.isPresent() && bits.getAsInt() >= 0 && bits.getAsInt() <= 32) {
                    line.append('/').append(bits.getAsInt());
                } else {
                    note(Kind.WARNING, r.location(), "'" + r.text() + "': netmask '" + f[1] + "' not understood; written as /32");
                }
            } else {
                note(Kind.CHANGED, r.location(), "'" + r.text() + "' has no netmask: heartbeat's IPaddr takes the netmask of the interface "
                        + "route that holds the address; keepalived adds it as /32");
            }
            String dev = null;
            if (f.length > 3 && !f[3].isEmpty()) {
                if (HeartbeatValues.isIpv4(f[3])) {
                    line.append(" brd ").append(f[3]);
                } else {
                    note(Kind.WARNING, r.location(), "'" + r.text() + "': broadcast '" + f[3] + "' is not an address (" + r.script()
                            + " reads ip/bits/interface/broadcast); not written");
                }
            }
            boolean badInterface = f.length > 2 && !f[2].isEmpty() && (f[2].matches("[0-9]+") || !HeartbeatValues.isInterfaceName(f[2]));
            if (badInterface) {
                note(Kind.WARNING, r.location(), "'" + r.text() + "': '" + f[2] + "' is not an interface name (" + r.script()
                        + " reads ip/bits/interface/broadcast, an empty field shifts the next ones); no dev written");
            } else if (f.length > 2 && !f[2].isEmpty()) {
                String iface = f[2];
                int colon = iface.indexOf(':');
                dev = colon > 0 ? iface.substring(0, colon) : iface;
                line.append(" dev ").append(dev);
                if (colon > 0) line.append(" label ").append(iface);
            }
            if (r.script().equals("IPaddr") && (f.length <= 2 || f[2].indexOf(':') < 0)) {
                note(Kind.CHANGED, r.location(), "'" + r.text() + "': heartbeat's IPaddr adds an alias interface (eth0:0); keepalived adds "
                        + "a secondary address without a label, as IPaddr2 does");
            }
            return Optional.of(new Vip(line.toString(), dev));
        }

        static OptionalInt prefixOf(String netmask) {
            String[] p = netmask.split("\\.");
            long v = 0;
            for (String s : p) v = (v << 8) | Integer.parseInt(s);
            int bits = Long.bitCount(v);
            long expect = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            return v == expect ? OptionalInt.of(bits) : OptionalInt.empty();
        }

        // -------------------------------------------------------------------- output

        String render(String node, List<InstancePlan> plans) {
            StringBuilder sb = new StringBuilder();
            Path dir = haCf.file().getParent();
            sb.append("# keepalived.conf for node ").append(node).append(", written by 'vigil translate' from ")
                    .append(dir == null ? "ha.cf" : dir.toString()).append(".\n");
            sb.append("# vigil_* lines are Vigil's resource groups; keepalived logs 'Unknown keyword' for them and reads on.\n");
            sb.append("# See the translation report for what heartbeat did that this file cannot.\n\n");
            sb.append("global_defs {\n    router_id ").append(node).append('\n');
            Optional<VigilConf.Mail> mail = cfg.vigilConf().mail();
            mail.ifPresent(m -> {
                sb.append("    notification_email {\n");
                for (String r : m.recipients()) sb.append("        ").append(r).append('\n');
                sb.append("    }\n");
                if (!m.from().isEmpty()) sb.append("    notification_email_from ").append(m.from()).append('\n');
                sb.append("    smtp_server ").append(m.smtpHost()).append(m.smtpPort() == 25 ? "" : " " + m.smtpPort()).append('\n');
                m.helo().ifPresent(h -> sb.append("    smtp_helo_name ").append(h).append('\n'));
                sb.append("    smtp_connect_timeout ").append(Math.max(1, m.connectTimeout().toSeconds())).append('\n');
            });
            sb.append("}\n");
            if (mail.isPresent() && node.equals(nodes.get(0))) {
                note(Kind.CHANGED, Optional.of(mail.get().location()), "vigil.conf mail -> global_defs notification_email/smtp_server and "
                        + "smtp_alert on every instance: keepalived mails each MASTER/BACKUP/FAULT change, mail_on does not apply");
            }
            if (cfg.vigilConf().notifyScript().isPresent() && node.equals(nodes.get(0))) {
                note(Kind.NO_EQUIVALENT, Optional.empty(), "vigil.conf notify_script " + cfg.vigilConf().notifyScript().get()
                        + ": its events are heartbeat's; for VRRP add 'notify SCRIPT' to the instances (called with INSTANCE NAME STATE PRIORITY)");
            }
            String own = o.nodeAddresses().get(node.toLowerCase(Locale.ROOT));
            for (InstancePlan p : plans) {
                sb.append('\n');
                sb.append("# haresources line ").append(p.group().location().line()).append(": ").append(p.group().node());
                for (Haresources.Resource r : p.group().resources()) sb.append(' ').append(r.text());
                sb.append('\n');
                sb.append("vrrp_instance ").append(p.name()).append(" {\n");
                sb.append("    state BACKUP\n");
                sb.append("    interface ").append(p.interfaceName()).append('\n');
                sb.append("    virtual_router_id ").append(p.vrid()).append('\n');
                sb.append("    priority ").append(p.priorityOf(node, nodes)).append('\n');
                sb.append("    advert_int ").append(advertInt.toPlainString()).append('\n');
                if (version == 3) sb.append("    version 3\n");
                if (downTimerAdverts != null) sb.append("    down_timer_adverts ").append(downTimerAdverts).append('\n');
                if (haCf.autoFailback().value() == HaCf.AutoFailback.OFF) sb.append("    nopreempt\n");
                if (anyUcast && own != null) {
                    sb.append("    unicast_src_ip ").append(own).append('\n');
                    Set<String> peers = new LinkedHashSet<>(unicastPeers);
                    for (String n : nodes) {
                        String a = o.nodeAddresses().get(n.toLowerCase(Locale.ROOT));
                        if (a != null) peers.add(a);
                    }
                    peers.remove(own);
                    sb.append("    unicast_peer {\n");
                    for (String peer : peers) sb.append("        ").append(peer).append('\n');
                    sb.append("    }\n");
                }
                if (mail.isPresent()) sb.append("    smtp_alert\n");
                if (!p.addresses().isEmpty()) {
                    sb.append("    virtual_ipaddress {\n");
                    for (String a : p.addresses()) sb.append("        ").append(a).append('\n');
                    sb.append("    }\n");
                }
                if (!p.resources().isEmpty()) {
                    sb.append("    vigil_resources");
                    for (Haresources.Resource r : p.resources()) sb.append(' ').append(r.text());
                    sb.append('\n');
                    for (String l : p.policyLines()) sb.append("    ").append(l).append('\n');
                }
                sb.append("}\n");
            }
            return sb.toString();
        }
    }
}
