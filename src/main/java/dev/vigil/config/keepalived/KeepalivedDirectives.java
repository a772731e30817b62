package dev.vigil.config.keepalived;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.DirectiveDoc;
import dev.vigil.config.DirectiveDoc.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keepalived.conf keywords Vigil knows, where each may appear and what Vigil does with it. The
 * parser looks every keyword up here (unknown ones are errors with a did-you-mean), so this table is
 * both the parser's vocabulary and the source of {@code docs/configuration.md}.
 *
 * <p>Meanings follow keepalived.conf(5) of 2.2.7 and research keepalived.md section 5. IGNORED
 * keywords are read and dropped with a warning (LVS/checker/BFD blocks: one warning per block);
 * REJECTED ones are errors because running without them would change how failover behaves.
 */
public final class KeepalivedDirectives {
    public static final String TOP = "top level";
    public static final String GLOBAL = "global_defs";
    public static final String SCRIPT = "vrrp_script";
    public static final String INSTANCE = "vrrp_instance";
    public static final String AUTH = "authentication";
    public static final String SYNC_GROUP = "vrrp_sync_group";
    public static final String ANY = "any line";

    /** How a keyword is written: no value, one or more values, a block of keywords, or a block of items. */
    enum Shape { FLAG, VALUE, BLOCK, LIST }

    record Spec(DirectiveDoc doc, Shape shape) {
        String name() {
            return doc.name();
        }

        Status status() {
            return doc.status();
        }
    }

    private static final List<Spec> SPECS = new ArrayList<>();
    private static final Map<String, Map<String, Spec>> BY_CONTEXT = new LinkedHashMap<>();

    private static final String LVS = "LVS / health-checker configuration is not handled by Vigil (VRRP only); ignored.";
    private static final String NOT_VRRP = "Not used by Vigil's VRRP engine; ignored.";

    static {
        Shape F = Shape.FLAG, V = Shape.VALUE, B = Shape.BLOCK, L = Shape.LIST;
        Status S = Status.SUPPORTED, I = Status.IGNORED, R = Status.REJECTED;

        add(ANY, "include", V, S, "Reads more files at this point; globs and {a,b} are relative to the including file; no match is a warning.");
        for (String v : List.of("includea", "includer", "includem", "includew", "includeb")) {
            add(ANY, v, V, S, "Like include, but a pattern that matches no file is an error.");
        }
        add(ANY, "@ID / @^ID", F, S, "Line prefix: keep the line only on the host whose config-id is (is not) ID; the id defaults to the host name's first label.");
        add(ANY, "$NAME=value", V, S, "Defines a parameter used as $NAME or ${NAME}; a value ending in '\\' continues on the next lines.");
        add(ANY, "~SEQ / ~LST", V, R, "Sequence and list expansion lines are not implemented by Vigil.");

        add(TOP, "global_defs", B, S, "Global settings: router id, e-mail alerts, script security, VRRP defaults.");
        add(TOP, "vrrp_script", B, S, "A health-check script that instances and sync groups track (vrrp_script NAME { ... }).");
        add(TOP, "vrrp_instance", B, S, "A VRRP virtual router (vrrp_instance NAME { ... }).");
        add(TOP, "vrrp_sync_group", B, S, "Instances that change state together (vrrp_sync_group NAME { group { ... } }).");
        for (String lvs : List.of("virtual_server", "virtual_server_group", "SSL")) {
            add(TOP, lvs, B, I, LVS);
        }
        add(TOP, "static_ipaddress", L, I, "Static addresses are not managed by Vigil; configure them with the OS; ignored.");
        add(TOP, "static_routes", L, I, "Static routes are not managed by Vigil; configure them with the OS; ignored.");
        add(TOP, "static_rules", L, I, "Static rules are not managed by Vigil; configure them with the OS; ignored.");
        add(TOP, "linkbeat_interfaces", L, I, "Vigil watches links through netlink only; ignored.");
        add(TOP, "linkbeat_use_polling", F, I, "Vigil watches links through netlink only; ignored.");
        add(TOP, "bfd_instance", B, I, "BFD is not implemented by Vigil; ignored (tracking one is an error).");
        add(TOP, "garp_group", B, I, "Per-interface GARP interval groups are not implemented; the global vrrp_garp_interval applies; ignored.");
        add(TOP, "vrrp_track_file", B, R, "File tracking is not implemented by Vigil: instances would never react to the file.");
        add(TOP, "track_file", B, R, "File tracking is not implemented by Vigil: instances would never react to the file.");
        add(TOP, "vrrp_track_process", B, R, "Process tracking is not implemented by Vigil: instances would never react to the process; use a vrrp_script.");
        add(TOP, "net_namespace", V, R, "Vigil does not switch network namespace; run it inside the namespace (ip netns exec) instead.");
        add(TOP, "net_namespace_ipvs", V, I, LVS);
        add(TOP, "namespace_with_ipsets", F, I, NOT_VRRP);
        add(TOP, "instance", V, I, "keepalived's pid-file instance name; Vigil names its own files; ignored.");
        add(TOP, "use_pid_dir", F, I, NOT_VRRP);
        add(TOP, "child_wait_time", V, I, NOT_VRRP);

        add(GLOBAL, "router_id", V, S, "Name of this node in e-mail alerts; defaults to the host name.");
        add(GLOBAL, "notification_email", L, S, "Addresses that get SMTP alerts, one per line.");
        add(GLOBAL, "notification_email_from", V, S, "From: address of SMTP alerts.");
        add(GLOBAL, "smtp_server", V, S, "SMTP relay: HOST [PORT] (port 25 by default).");
        add(GLOBAL, "smtp_helo_name", V, S, "Name sent in HELO (default: the host name).");
        add(GLOBAL, "smtp_connect_timeout", V, S, "SMTP connect timeout in seconds (default 30).");
        add(GLOBAL, "smtp_alert", F, S, "Default for every smtp_alert [<BOOL>].");
        add(GLOBAL, "smtp_alert_vrrp", F, S, "Default smtp_alert for VRRP instances and groups [<BOOL>].");
        add(GLOBAL, "smtp_alert_checker", F, I, LVS);
        add(GLOBAL, "no_email_faults", F, S, "No e-mail for FAULT transitions.");
        add(GLOBAL, "enable_script_security", F, S, "Refuse scripts that a non-root user could change (takes no value: '0' does not disable it). Vigil applies it always, set or not.");
        add(GLOBAL, "script_user", V, S, "Default USER [GROUP] for scripts (default keepalived_script, else root).");
        add(GLOBAL, "vrrp_version", V, S, "Default VRRP version 2 or 3 (default 2).");
        add(GLOBAL, "vrrp_garp_master_delay", V, S, "Seconds before the second burst of GARPs after becoming master (default 5, 0 = none).");
        add(GLOBAL, "vrrp_garp_master_repeat", V, S, "GARPs per burst after becoming master (default 5).");
        add(GLOBAL, "vrrp_garp_master_refresh", V, S, "Seconds between periodic GARP refreshes while master (default 0 = off).");
        add(GLOBAL, "vrrp_garp_master_refresh_repeat", V, S, "GARPs per periodic refresh (default 1).");
        add(GLOBAL, "vrrp_garp_lower_prio_delay", V, S, "Delay of the second GARP burst after a lower-priority advert (default: vrrp_garp_master_delay).");
        add(GLOBAL, "vrrp_garp_lower_prio_repeat", V, S, "GARPs per burst after a lower-priority advert (default: vrrp_garp_master_repeat).");
        add(GLOBAL, "vrrp_garp_interval", V, S, "Seconds between GARPs on one interface (default 0; must be > 0 when given).");
        add(GLOBAL, "vrrp_gna_interval", V, S, "Seconds between unsolicited NAs on one interface (default 0; must be > 0 when given).");
        add(GLOBAL, "vrrp_min_garp", F, S, "Send one GARP/NA and no second burst [<BOOL>].");
        add(GLOBAL, "vrrp_strict", F, S, "Strict RFC mode: no accept mode; unicast, authentication and preempt_delay are refused.");
        add(GLOBAL, "vrrp_mcast_group4", V, S, "IPv4 multicast group of adverts (default 224.0.0.18).");
        add(GLOBAL, "vrrp_mcast_group6", V, S, "IPv6 multicast group of adverts (default ff02::12).");
        add(GLOBAL, "vrrp_skip_check_adv_addr", F, S, "Check the address list of adverts only when the master changes.");
        add(GLOBAL, "vrrp_check_unicast_src", F, S, "Accept unicast adverts only from a listed unicast_peer.");
        add(GLOBAL, "vrrp_lower_prio_no_advert", F, S, "Master does not answer a lower-priority advert with its own.");
        add(GLOBAL, "vrrp_higher_prio_send_advert", F, S, "Master sends one advert before yielding to a higher priority.");
        add(GLOBAL, "vrrp_down_timer_adverts", V, S, "Adverts missed before a backup takes over (default 3).");
        add(GLOBAL, "vrrp_notify_fifo", V, S, "FIFO that gets a line per state change.");
        add(GLOBAL, "vrrp_notify_fifo_script", V, S, "Script that reads vrrp_notify_fifo.");
        add(GLOBAL, "notify_fifo", V, S, "FIFO that gets a line per state change (all processes).");
        add(GLOBAL, "notify_fifo_script", V, S, "Script that reads notify_fifo.");
        add(GLOBAL, "vrrp_startup_delay", V, S, "Seconds to wait at start before the VRRP instances run.");
        add(GLOBAL, "default_interface", V, S, "Interface for addresses without dev (default eth0).");
        add(GLOBAL, "dynamic_interfaces", F, S, "Allow interfaces that do not exist yet.");
        add(GLOBAL, "vrrp_iptables", V, S, "Firewall chain used to block VIP traffic in strict/no-accept mode.");
        add(GLOBAL, "vrrp_ipsets", V, S, "ipset names for the no-accept firewall rules.");
        add(GLOBAL, "nftables", V, S, "nftables table for the no-accept firewall rules.");
        add(GLOBAL, "vrrp_nftables", V, S, "nftables table for the no-accept firewall rules (older spelling).");
        add(GLOBAL, "max_auto_priority", V, I, "Process scheduling priority is left to the service manager; ignored.");
        for (String sched : List.of("vrrp_priority", "vrrp_rt_priority", "vrrp_rlimit_rtime", "vrrp_no_swap",
                "vrrp_cpu_affinity", "min_auto_priority_delay")) {
            add(GLOBAL, sched, V, I, "Process scheduling settings are left to the service manager; ignored.");
        }
        add(GLOBAL, "vrrp_garp_extra_if", V, I, "GARPs on extra interfaces are not implemented; ignored.");
        add(GLOBAL, "vrrp_netlink_cmd_rcv_bufs", V, I, NOT_VRRP);
        add(GLOBAL, "vrrp_netlink_monitor_rcv_bufs", V, I, NOT_VRRP);
        add(GLOBAL, "vrrp_rx_bufs_policy", V, I, NOT_VRRP);
        add(GLOBAL, "vrrp_rx_bufs_multiplier", V, I, NOT_VRRP);
        add(GLOBAL, "vrrp_startup_delay_enabled", F, I, NOT_VRRP);
        add(GLOBAL, "vrrp_dont_fork", F, I, NOT_VRRP);
        add(GLOBAL, "vrrp_process_name", V, I, NOT_VRRP);
        add(GLOBAL, "process_names", F, I, NOT_VRRP);
        add(GLOBAL, "process_name", V, I, NOT_VRRP);
        add(GLOBAL, "use_symlink_paths", F, I, NOT_VRRP);
        add(GLOBAL, "set_supplementary_groups", F, I, NOT_VRRP);
        add(GLOBAL, "tmp_config_directory", V, I, NOT_VRRP);
        add(GLOBAL, "config_save_dir", V, I, NOT_VRRP);
        add(GLOBAL, "umask", V, I, NOT_VRRP);
        add(GLOBAL, "startup_script", V, R, "Start-up/shutdown scripts are not run by Vigil; use the service manager (ExecStartPre/ExecStopPost).");
        add(GLOBAL, "shutdown_script", V, R, "Start-up/shutdown scripts are not run by Vigil; use the service manager (ExecStartPre/ExecStopPost).");
        add(GLOBAL, "startup_script_timeout", V, I, NOT_VRRP);
        add(GLOBAL, "shutdown_script_timeout", V, I, NOT_VRRP);
        add(GLOBAL, "enable_traps", F, I, "SNMP is not implemented by Vigil; ignored.");
        for (String snmp : List.of("enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_checker", "enable_snmp_rfc",
                "enable_snmp_rfcv2", "enable_snmp_rfcv3", "snmp_socket")) {
            add(GLOBAL, snmp, F, I, "SNMP is not implemented by Vigil; ignored.");
        }
        add(GLOBAL, "enable_dbus", F, I, "D-Bus is not implemented by Vigil; ignored.");
        add(GLOBAL, "dbus_service_name", V, I, "D-Bus is not implemented by Vigil; ignored.");
        for (String lvs : List.of("lvs_id", "lvs_sync_daemon", "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop",
                "checker_log_all_failures", "checker_process_name", "checker_priority", "checker_rt_priority",
                "checker_no_swap", "checker_cpu_affinity", "bfd_priority", "bfd_rt_priority", "bfd_no_swap",
                "bfd_process_name", "bfd_cpu_affinity", "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_monitor_rcv_bufs",
                "rs_init_notifies", "no_checker_emails", "lvs_notify_fifo", "lvs_notify_fifo_script")) {
            add(GLOBAL, lvs, V, I, LVS);
        }
        add(GLOBAL, "net_namespace", V, R, "Vigil does not switch network namespace; run it inside the namespace (ip netns exec) instead.");
        add(GLOBAL, "linkbeat_use_polling", F, I, "Vigil watches links through netlink only; ignored.");

        add(SCRIPT, "script", V, S, "The command to run, quoted when it has arguments; exit 0 = up.");
        add(SCRIPT, "interval", V, S, "Seconds between runs (default 1).");
        add(SCRIPT, "timeout", V, S, "Seconds after which a run counts as failed (default: the interval).");
        add(SCRIPT, "weight", V, S, "-253..253 [reverse]: 0 (default) = failure puts trackers in FAULT; >0 added while up; <0 added while down; reverse flips the sign.");
        add(SCRIPT, "rise", V, S, "Successes needed to count as up (default 1).");
        add(SCRIPT, "fall", V, S, "Failures needed to count as down (default 1).");
        add(SCRIPT, "init_fail", F, S, "Start in the failed state.");
        add(SCRIPT, "user", V, S, "USER [GROUP] to run the script as.");

        add(INSTANCE, "state", V, S, "MASTER|BACKUP starting state (default BACKUP); MASTER without priority means priority 255.");
        add(INSTANCE, "interface", V, S, "Interface the instance advertises on.");
        add(INSTANCE, "virtual_router_id", V, S, "VRID 1..255, required; the same on every node of one virtual router.");
        add(INSTANCE, "priority", V, S, "1..255 (default 100; 255 = address owner).");
        add(INSTANCE, "advert_int", V, S, "Advert interval in seconds: whole seconds for v2, 0.01..40.95 for v3 (default 1).");
        add(INSTANCE, "version", V, S, "VRRP version 2 or 3 for this instance (default vrrp_version; IPv6 addresses force 3).");
        add(INSTANCE, "nopreempt", F, S, "Do not take over from a lower-priority master (needs state BACKUP and priority < 255).");
        add(INSTANCE, "preempt", F, S, "Preempt a lower-priority master (the default).");
        add(INSTANCE, "preempt_delay", V, S, "Seconds (0..1000) a backup waits before preempting after start-up.");
        add(INSTANCE, "authentication", B, S, "VRRPv2 only: auth_type PASS|AH and auth_pass (8 characters used).");
        add(INSTANCE, "virtual_ipaddress", L, S, "Advertised addresses: IP[/LEN] [brd IP] [dev IF] [scope S] [label L] [peer IP] [no_track] ...");
        add(INSTANCE, "virtual_ipaddress_excluded", L, S, "Addresses moved with the instance but not advertised.");
        add(INSTANCE, "virtual_routes", L, S, "Routes added while master: [src IP] [to] NET via|gw IP [dev IF] [scope S] [table T] ...");
        add(INSTANCE, "virtual_rules", L, S, "Policy rules added while master (from ... table ...).");
        add(INSTANCE, "unicast_src_ip", V, S, "Source address of unicast adverts.");
        add(INSTANCE, "unicast_peer", L, S, "Send adverts by unicast to these addresses: IP [min_ttl N] [max_ttl N].");
        add(INSTANCE, "unicast_ttl", V, S, "TTL of unicast adverts (default 255).");
        add(INSTANCE, "unicast_fault_no_peer", F, S, "Go to FAULT when unicast_peer is empty instead of using multicast.");
        add(INSTANCE, "mcast_src_ip", V, S, "Source address of multicast adverts (default: the interface's primary address).");
        add(INSTANCE, "mcast_dst_ip", V, S, "Multicast group of this instance's adverts (default vrrp_mcast_group4/6).");
        add(INSTANCE, "track_interface", L, S, "Interfaces whose link state the instance follows: IF [weight W [reverse]].");
        add(INSTANCE, "track_script", L, S, "vrrp_scripts the instance follows: NAME [weight W [reverse|noreverse]].");
        add(INSTANCE, "track_file", L, R, "File tracking is not implemented by Vigil: the instance would never react to the file.");
        add(INSTANCE, "track_process", L, R, "Process tracking is not implemented by Vigil: the instance would never react to the process; use a vrrp_script.");
        add(INSTANCE, "track_bfd", L, R, "BFD is not implemented by Vigil: the instance would never react to it.");
        add(INSTANCE, "notify_master", V, S, "Script run on becoming MASTER: SCRIPT [USER [GROUP]].");
        add(INSTANCE, "notify_backup", V, S, "Script run on becoming BACKUP: SCRIPT [USER [GROUP]].");
        add(INSTANCE, "notify_fault", V, S, "Script run on entering FAULT: SCRIPT [USER [GROUP]].");
        add(INSTANCE, "notify_stop", V, S, "Script run when the instance stops: SCRIPT [USER [GROUP]].");
        add(INSTANCE, "notify", V, S, "Script run on every change, with INSTANCE NAME STATE PRIORITY appended.");
        add(INSTANCE, "notify_master_rx_lower_pri", V, S, "Script run when the master receives a lower-priority advert.");
        add(INSTANCE, "notify_deleted", F, I, "Vigil reports a removed instance as STOP; ignored.");
        add(INSTANCE, "notify_priority_changes", F, I, "Priority-change notifications are not implemented; ignored.");
        add(INSTANCE, "smtp_alert", F, S, "Send e-mail on state changes [<BOOL>].");
        add(INSTANCE, "garp_master_delay", V, S, "Seconds before the second GARP burst (default vrrp_garp_master_delay).");
        add(INSTANCE, "garp_master_repeat", V, S, "GARPs per burst (default vrrp_garp_master_repeat).");
        add(INSTANCE, "garp_master_refresh", V, S, "Periodic GARP refresh while master, seconds (default vrrp_garp_master_refresh).");
        add(INSTANCE, "garp_master_refresh_repeat", V, S, "GARPs per refresh (default vrrp_garp_master_refresh_repeat).");
        add(INSTANCE, "garp_lower_prio_delay", V, S, "Delay of the second burst after a lower-priority advert.");
        add(INSTANCE, "garp_lower_prio_repeat", V, S, "GARPs per burst after a lower-priority advert.");
        add(INSTANCE, "native_ipv6", F, S, "Force IPv6 (VRRPv3) even before an IPv6 address is listed.");
        add(INSTANCE, "dont_track_primary", F, S, "Ignore the link state of the instance's own interface.");
        add(INSTANCE, "use_vmac", F, S, "Send from a macvlan with the RFC virtual MAC: use_vmac [NAME].");
        add(INSTANCE, "vmac_xmit_base", F, S, "With use_vmac, send adverts from the base interface.");
        add(INSTANCE, "accept", F, S, "Accept packets to the VIPs when not owner (keepalived's default unless strict).");
        add(INSTANCE, "no_accept", F, S, "Drop packets to the VIPs unless owner (the RFC default).");
        add(INSTANCE, "strict_mode", F, S, "RFC-strict for this instance [<BOOL>] (implies no_accept).");
        add(INSTANCE, "skip_check_adv_addr", F, S, "Check the address list of adverts only when the master changes [<BOOL>].");
        add(INSTANCE, "check_unicast_src", F, S, "Accept unicast adverts only from a listed peer.");
        add(INSTANCE, "lower_prio_no_advert", F, S, "Do not answer a lower-priority advert [<BOOL>].");
        add(INSTANCE, "higher_prio_send_advert", F, S, "Send one advert before yielding to a higher priority [<BOOL>].");
        add(INSTANCE, "down_timer_adverts", V, S, "Adverts missed before taking over (default 3).");
        add(INSTANCE, "promote_secondaries", F, S, "Set promote_secondaries on the interface so removing a VIP keeps the others.");
        add(INSTANCE, "debug", F, I, "Per-instance debug level; Vigil's logging is configured globally; ignored.");
        add(INSTANCE, "kernel_rx_buf_size", V, I, NOT_VRRP);
        add(INSTANCE, "old_unicast_checksum", F, R, "The pre-1.3.6 unicast VRRPv3 checksum is not implemented by Vigil (research section 1.3).");
        add(INSTANCE, "lvs_sync_daemon_interface", V, I, LVS);
        add(INSTANCE, "garp_extra_if", V, I, "GARPs on extra interfaces are not implemented; ignored.");
        add(INSTANCE, "track_src_ip", F, I, "Source-address tracking is not implemented; ignored.");
        add(INSTANCE, "linkbeat_use_polling", F, I, "Vigil watches links through netlink only; ignored.");

        vigilResourceRows(INSTANCE, "this instance is MASTER");

        add(AUTH, "auth_type", V, S, "PASS (simple password) or AH.");
        add(AUTH, "auth_pass", V, S, "The password; only the first 8 characters are used.");

        add(SYNC_GROUP, "group", L, S, "The member instances, one name per line (required).");
        add(SYNC_GROUP, "notify_master", V, S, "Script run when the group becomes MASTER.");
        add(SYNC_GROUP, "notify_backup", V, S, "Script run when the group becomes BACKUP.");
        add(SYNC_GROUP, "notify_fault", V, S, "Script run when the group enters FAULT.");
        add(SYNC_GROUP, "notify_stop", V, S, "Script run when the group stops.");
        add(SYNC_GROUP, "notify", V, S, "Script run on every change, with GROUP NAME STATE 0 appended.");
        add(SYNC_GROUP, "smtp_alert", F, S, "Send e-mail on state changes [<BOOL>].");
        add(SYNC_GROUP, "track_script", L, S, "vrrp_scripts all members follow: NAME [weight W [reverse|noreverse]].");
        add(SYNC_GROUP, "track_interface", L, S, "Interfaces all members follow: IF [weight W [reverse]].");
        add(SYNC_GROUP, "track_file", L, R, "File tracking is not implemented by Vigil.");
        add(SYNC_GROUP, "track_process", L, R, "Process tracking is not implemented by Vigil; use a vrrp_script.");
        add(SYNC_GROUP, "track_bfd", L, R, "BFD is not implemented by Vigil.");
        add(SYNC_GROUP, "sync_group_tracking_weight", F, S, "Apply members' weighted track_scripts (otherwise keepalived ignores them in a group).");
        add(SYNC_GROUP, "global_tracking", F, S, "Old name of sync_group_tracking_weight.");
        add(SYNC_GROUP, "notify_priority_changes", F, I, "Priority-change notifications are not implemented; ignored.");
        vigilResourceRows(SYNC_GROUP, "the sync group is MASTER (none of its members may own resources then)");
    }

    /**
     * Vigil's resource-group extension ({@link VigilResourceGroup}). One-line keywords only:
     * keepalived 2.2.7 logs "Unknown keyword" for each and reads on, while an unknown block's '}'
     * would close the enclosing instance on keepalived nodes.
     */
    private static void vigilResourceRows(String context, String when) {
        add(context, "vigil_resources", Shape.VALUE, Status.SUPPORTED, "Vigil extension: resources started in order while " + when
                + " and stopped in reverse when it leaves MASTER, in haresources syntax (Script::arg::arg; a bare IP means IPaddr::IP); "
                + "repeat the line to append. keepalived logs 'Unknown keyword' and ignores it.");
        add(context, "vigil_resource_defaults", Shape.VALUE, Status.SUPPORTED, "Vigil extension: KEY=VALUE... policy of every resource "
                + "of this group without its own vigil_resource line; the keys of vigil.conf's resource_defaults.");
        add(context, "vigil_resource", Shape.VALUE, Status.SUPPORTED, "Vigil extension: NAME KEY=VALUE... policy of one resource, "
                + "named as written or by its script; the keys of vigil.conf's resource line (monitor_interval, max_restarts, ...).");
    }

    private KeepalivedDirectives() {
    }

    private static void add(String context, String name, Shape shape, Status status, String note) {
        Spec spec = new Spec(new DirectiveDoc(ConfigFormat.KEEPALIVED, context, name, status, note), shape);
        SPECS.add(spec);
        BY_CONTEXT.computeIfAbsent(context, k -> new LinkedHashMap<>()).put(name, spec);
    }

    /** Every row, grouped by context in file order: the configuration reference. */
    public static List<DirectiveDoc> all() {
        return SPECS.stream().map(Spec::doc).toList();
    }

    static Optional<Spec> find(String context, String name) {
        Map<String, Spec> m = BY_CONTEXT.get(context);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(name));
    }

    /** Keyword names valid in a context, for did-you-mean. */
    static Set<String> names(String context) {
        Map<String, Spec> m = BY_CONTEXT.get(context);
        return m == null ? Set.of() : m.keySet();
    }

    /** The contexts other than {@code context} where a keyword is valid (to say "belongs in vrrp_instance"). */
    static Set<String> otherContexts(String name, String context) {
        Set<String> found = new LinkedHashSet<>();
        BY_CONTEXT.forEach((ctx, m) -> {
            if (!ctx.equals(context) && !ctx.equals(ANY) && m.containsKey(name)) found.add(ctx);
        });
        return found;
    }
}
