package dev.vigil.config.heartbeat;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.DirectiveDoc;
import dev.vigil.config.DirectiveDoc.Status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of heartbeat 3.0.6's ha.cf directives ({@code config.c:Directives[]},
 * {@code WLdirectives[]} and the HBcomm media plugins), with what Vigil does with each. The
 * parser looks every directive up here, so {@code docs/configuration.md} generated from
 * {@link #all()} cannot drift from what the parser accepts. {@link #haresources()} and
 * {@link #authkeys()} describe the syntax elements of the other two files.
 */
public final class HaCfDirectives {
    private HaCfDirectives() {
    }

    /** How heartbeat's {@code parse_config} splits the rest of a directive's line. */
    enum Kind {
        /** {@code Directives[]}: values separated by spaces, tabs or commas, each applied in turn. */
        VALUES,
        /** A media plugin with a {@code new} function: one medium per value ({@code bcast eth0 eth1}). */
        MEDIUM_PER_VALUE,
        /** A media plugin with a {@code parse} function: the whole rest of the line, split at whitespace only. */
        MEDIUM_LINE,
        /** {@code WLdirectives[]}: the whole rest of the line, split at whitespace only. */
        WHOLE_LINE
    }

    /**
     * One directive: its documentation row, how heartbeat splits its line, whether one value is
     * kept (a later line replaces an earlier one) and, for ignored ones, whether using it warrants
     * a warning because the operator would expect an effect.
     */
    record Entry(DirectiveDoc doc, Kind kind, boolean scalar, boolean warnWhenIgnored) {
        String name() {
            return doc.name();
        }

        Status status() {
            return doc.status();
        }
    }

    private static final String TOP = "top level";
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static void add(String name, Kind kind, boolean scalar, Status status, boolean warn, String note) {
        ENTRIES.put(name, new Entry(new DirectiveDoc(ConfigFormat.HA_CF, TOP, name, status, note), kind, scalar, warn));
    }

    private static void supported(String name, Kind kind, boolean scalar, String note) {
        add(name, kind, scalar, Status.SUPPORTED, false, note);
    }

    private static void ignored(String name, boolean warn, String note) {
        add(name, Kind.VALUES, true, Status.IGNORED, warn, note);
    }

    static {
        // Cluster membership and timing.
        supported("node", Kind.VALUES, false,
                "Cluster node names, several per line allowed; each must equal `uname -n` of a node and is compared case-insensitively (heartbeat lowercases it).");
        supported("keepalive", Kind.VALUES, true,
                "Interval between heartbeats: plain numbers are seconds (fractions allowed), `ms` and `us` suffixes work; default 1 s (`heartbeat -D`).");
        supported("deadtime", Kind.VALUES, true,
                "Silence after which a node is declared dead; default 30 s; heartbeat refuses to start unless it is more than twice keepalive.");
        supported("warntime", Kind.VALUES, true,
                "Lateness after which a 'Late heartbeat' warning is logged; default deadtime/2.");
        supported("initdead", Kind.VALUES, true,
                "Dead time right after start-up; default deadtime when over 10 s, 12 s when under 6 s, else twice deadtime; must be at least deadtime.");
        supported("deadping", Kind.VALUES, true,
                "Dead time for ping nodes; default deadtime; must be more than twice keepalive.");
        supported("udpport", Kind.VALUES, true,
                "UDP port of bcast, ucast and ucast6 (default 694); each of those plugins reads it once, at its first line, so it must come before them.");
        supported("baud", Kind.VALUES, true,
                "Serial speed: 9600, 19200 (default), 38400, 57600, 115200, 230400 or 460800; read once at the first serial line, so it must come before it; may appear once.");
        supported("hopfudge", Kind.VALUES, true,
                "Added to the node count to make the `ttl` field of messages (0-255, default 1).");
        supported("autojoin", Kind.VALUES, true,
                "`none` (default); `other` and `any` let unknown nodes join, which heartbeat refuses in haresources (v1) mode.");
        supported("uuidfrom", Kind.VALUES, true,
                "Where the node's uuid comes from: `file` (default, hb_uuid) or `nodename`.");
        supported("hbgenmethod", Kind.VALUES, true,
                "How the generation number `hg` is chosen at start-up: `file` (default) or `time`.");
        supported("msgfmt", Kind.VALUES, true,
                "`classic` (default) or `netstring`; UDP packets are netstring-framed either way.");
        supported("max_rexmit_delay", Kind.VALUES, true,
                "Upper bound, in milliseconds, of the random delay before asking for a lost packet again (default 250).");
        supported("auto_failback", Kind.VALUES, true,
                "`on`: resources return to their preferred node when it comes back; `off`: they stay; `legacy` (default) is deprecated and warned about.");
        supported("nice_failback", Kind.VALUES, true,
                "Obsolete form of auto_failback: heartbeat logs an error-level notice and reads it as `auto_failback legacy` (or `off` after an earlier auto_failback on/off).");

        // Media.
        supported("bcast", Kind.MEDIUM_PER_VALUE, false,
                "UDP broadcast heartbeats on each named interface, to udpport.");
        supported("udp", Kind.MEDIUM_PER_VALUE, false,
                "Old name of bcast; heartbeat accepts it with a warning and so does Vigil.");
        supported("ucast", Kind.MEDIUM_LINE, false,
                "`ucast DEV PEER`: UDP unicast to PEER on udpport; a line naming the node's own address is ignored, so ha.cf can be the same on every node.");
        supported("mcast", Kind.MEDIUM_LINE, false,
                "`mcast DEV GROUP PORT TTL LOOP`: UDP multicast with its own port (udpport does not apply), TTL 0-4, LOOP 0 or 1.");
        supported("ucast6", Kind.MEDIUM_LINE, false,
                "`ucast6 DEV ADDR`: IPv6 unicast on udpport.");
        supported("mcast6", Kind.MEDIUM_LINE, false,
                "`mcast6 DEV GROUP PORT HOPS LOOP`: IPv6 multicast, HOPS 0-4, LOOP 0 or 1.");
        supported("serial", Kind.MEDIUM_PER_VALUE, false,
                "Serial heartbeats on each named tty (a full path), at the baud speed, in classic text framing.");
        supported("ping", Kind.MEDIUM_PER_VALUE, false,
                "Ping nodes: each address becomes a pseudo-node whose reachability is tracked (used by ipfail).");
        supported("ping6", Kind.MEDIUM_PER_VALUE, false,
                "IPv6 ping nodes, as ping.");
        supported("ping_group", Kind.MEDIUM_LINE, false,
                "`ping_group NAME ADDR...`: one pseudo-node that is up while any of the addresses answers.");
        add("hbaping", Kind.MEDIUM_LINE, false, Status.REJECTED, false,
                "Fibre Channel HBA ping medium; it needs the vendor's HBA API library, which Vigil cannot load.");
        add("rds", Kind.MEDIUM_LINE, false, Status.REJECTED, false,
                "Reliable Datagram Sockets medium; the JVM has no RDS sockets, so use bcast, mcast or ucast.");

        // Logging.
        supported("logfacility", Kind.VALUES, true,
                "Syslog facility (glibc names such as daemon or local0..local7, or `none`); an unknown name stops heartbeat.");
        supported("logfile", Kind.VALUES, true, "File for log messages.");
        supported("debugfile", Kind.VALUES, true, "File for debug messages.");
        supported("debug", Kind.VALUES, true, "Debug level 0-255 (default 0).");
        supported("log_badpack", Kind.VALUES, true,
                "Whether packets that fail to parse or authenticate are logged (default true).");
        ignored("use_logd", true,
                "Log through ha_logd; Vigil has no ha_logd client and logs where logfacility, logfile and debugfile say.");
        ignored("conn_logd_time", false, "Reconnect interval to ha_logd; nothing to reconnect to without ha_logd.");
        ignored("syslogmsgfmt", false, "Whether log files use syslog's line layout; Vigil's log lines have one layout.");

        // Programs, API, fencing.
        supported("respawn", Kind.WHOLE_LINE, false,
                "`respawn USER /path [ARGS]`: run a program as USER and restart it when it dies, unless it exits with 100.");
        supported("failfast", Kind.WHOLE_LINE, false,
                "Like respawn, but the node reboots when the program dies.");
        supported("apiauth", Kind.WHOLE_LINE, false,
                "`apiauth CLIENT [uid=LIST] [gid=LIST]`: who may sign on to the cluster API as CLIENT; ipfail, ccm, ping, lha-snmpagent and anon have built-in entries.");
        supported("env", Kind.VALUES, false,
                "`env NAME=value`: exported as HA_NAME to respawned programs and resource scripts.");
        supported("stonith", Kind.WHOLE_LINE, true,
                "`stonith TYPE CONFIGFILE`: v1 STONITH device that resets a dead node before its resources are taken over.");
        supported("stonith_host", Kind.WHOLE_LINE, false,
                "`stonith_host HOST|* TYPE PARAMS...`: as stonith, for the node HOST (or any node); the parameters are kept secret.");
        supported("watchdog", Kind.VALUES, true,
                "Watchdog device written every keepalive, so the kernel reboots the node if the daemon hangs; may appear once.");

        // Process tuning that has no meaning for a JVM.
        ignored("realtime", false, "heartbeat's SCHED_FIFO scheduling and locked memory; the JVM runs with normal scheduling.");
        ignored("rtprio", false, "SCHED_FIFO priority for realtime; see realtime.");
        ignored("memreserve", false, "Kilobytes of memory heartbeat preallocates; the JVM manages its own heap.");
        ignored("coredumps", false, "Whether heartbeat enables its own core dumps; not applicable to the JVM.");
        ignored("coreroot", false, "Directory for heartbeat's core dumps; see coredumps.");
        ignored("compression", false,
                "Compression module for large nested messages (zlib, bz2); v1 messages have no nested fields, so heartbeat never compresses them.");
        ignored("compression_threshold", false, "Size in KB above which nested messages are compressed; see compression.");
        ignored("traditional_compression", false, "Older compression layout for nested messages; see compression.");
        ignored("cluster", false, "Cluster name handed to the Pacemaker and quorum stack; v1 mode does not use it.");
        ignored("quorum_server", true, "Quorum server for the CCM/Pacemaker stack; v1 mode has no quorum.");
        ignored("use_apphbd", true, "Register heartbeat with apphbd, the application heartbeat daemon, which Vigil does not provide.");

        // Pacemaker.
        add("crm", Kind.VALUES, true, Status.REJECTED, false,
                "Any value but `off` (on, yes, respawn, minimal, manual, ccm-only, valgrind) hands resources to Pacemaker and disables haresources; Vigil is heartbeat's v1 mode, so only `crm off` is accepted.");
        add("pacemaker", Kind.VALUES, true, Status.REJECTED, false,
                "Newer name of crm, with the same values; only `pacemaker off` is accepted.");
        ignored("crm_daemon_dir", true, "Directory of the Pacemaker daemons; Pacemaker only.");
        ignored("crmd_spawns_pengine", true, "Whether crmd starts the policy engine; Pacemaker only.");
        ignored("record_config_changes", true, "Record CIB changes; Pacemaker only.");
        ignored("record_pengine_inputs", true, "Record policy engine inputs; Pacemaker only.");
        ignored("enable_config_writes", true, "Write CIB changes to disk; Pacemaker only.");
    }

    /** Every ha.cf directive heartbeat 3.0.6 knows, with Vigil's status and a one-sentence note. */
    public static List<DirectiveDoc> all() {
        return ENTRIES.values().stream().map(Entry::doc).toList();
    }

    /** The syntax elements of haresources. */
    public static List<DirectiveDoc> haresources() {
        String ctx = "resource line";
        return List.of(
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "NODE", Status.SUPPORTED,
                        "First word of a line: the group's preferred node, which must be a `node` in ha.cf (compared case-insensitively); heartbeat refuses to start otherwise."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "Script::arg1::arg2", Status.SUPPORTED,
                        "A resource: runs `Script arg1 arg2 start|stop|status`, the script found in /etc/ha.d/resource.d, then /etc/init.d."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "Script", Status.SUPPORTED,
                        "A resource without arguments, such as an init script name."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "IP[/bits[/iface[/broadcast]]]", Status.SUPPORTED,
                        "A bare dotted IP address means `IPaddr::IP...`."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "group key", Status.SUPPORTED,
                        "The first resource of a line names the group (ip-request, listkeys); it must not appear on any other line."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "\\", Status.SUPPORTED,
                        "A backslash right before the end of a line continues the line on the next one."),
                new DirectiveDoc(ConfigFormat.HARESOURCES, ctx, "#", Status.SUPPORTED,
                        "Starts a comment that runs to the end of the line."));
    }

    /** The syntax elements of authkeys. */
    public static List<DirectiveDoc> authkeys() {
        return List.of(
                new DirectiveDoc(ConfigFormat.AUTHKEYS, TOP, "auth", Status.SUPPORTED,
                        "`auth N`: sign outgoing messages with key N; it must come before the line defining key N, as heartbeat only selects a key it reads after the auth line."),
                new DirectiveDoc(ConfigFormat.AUTHKEYS, TOP, "N sha1 KEY", Status.SUPPORTED,
                        "Key N (0-15): HMAC-SHA1 with KEY, a single word."),
                new DirectiveDoc(ConfigFormat.AUTHKEYS, TOP, "N md5 KEY", Status.SUPPORTED,
                        "Key N: HMAC-MD5 with KEY."),
                new DirectiveDoc(ConfigFormat.AUTHKEYS, TOP, "N crc", Status.SUPPORTED,
                        "Key N: a CRC-32 without key; it detects corruption and authenticates nothing; a key after crc is an error."),
                new DirectiveDoc(ConfigFormat.AUTHKEYS, TOP, "file mode", Status.SUPPORTED,
                        "The file must not be readable by group or others (chmod 600) or heartbeat refuses to start; it should belong to root."));
    }

    static Optional<Entry> find(String name) {
        return Optional.ofNullable(ENTRIES.get(name));
    }

    static Set<String> names() {
        return ENTRIES.keySet();
    }
}
