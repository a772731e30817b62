package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Semantic checks of one parsed node configuration, separate from parsing so that they run on the
 * model (and on models not built from a file). Each check mirrors what keepalived 2.2.7 does with
 * the configuration (research keepalived.md sections 2.3, 5 and 6) and says so in the message.
 */
public final class KeepalivedChecks {
    private KeepalivedChecks() {
    }

    public static void check(KeepalivedConfig cfg, Diagnostics out) {
        duplicateVrid(cfg, out);
        twoOwners(cfg, out);
        for (VrrpInstance i : cfg.instances()) {
            priorityRange(i, out);
            implicitOwner(i, out);
            advertInterval(i, out);
            authentication(i, out);
            nopreempt(i, out);
            unicastSelfPeer(i, out);
            strictMode(i, out);
            ipv6NeedsV3(i, out);
            undefinedScripts(cfg, i.trackScripts(), out);
            ignoredWeights(cfg, i, out);
        }
        for (VrrpSyncGroup g : cfg.syncGroups()) {
            undefinedScripts(cfg, g.trackScripts(), out);
        }
        syncGroupMembers(cfg, out);
        unusedScripts(cfg, out);
    }

    /**
     * keepalived refuses two instances with one VRID on one interface for the same family and
     * multicast group ("VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0", fatal).
     * Versions are kept apart because a v2 and a v3 router drop each other's adverts.
     */
    static void duplicateVrid(KeepalivedConfig cfg, Diagnostics out) {
        Map<String, VrrpInstance> seen = new HashMap<>();
        for (VrrpInstance i : cfg.instances()) {
            if (i.virtualRouterId() == 0 || i.interfaceName().isEmpty()) continue;
            String family = i.isIpv6() ? "IPv6" : "IPv4";
            String group = i.isUnicast() ? "unicast" : i.mcastDstIp()
                    .orElse(i.isIpv6() ? cfg.globalDefs().mcastGroup6() : cfg.globalDefs().mcastGroup4()).getHostAddress();
            String key = i.interfaceName().get() + "|" + i.virtualRouterId() + "|" + family + "|" + group + "|" + i.version();
            VrrpInstance first = seen.putIfAbsent(key, i);
            if (first != null) {
                out.error(at(i.virtualRouterIdLocation(), i.location()),
                        i.name() + " and " + first.name() + " both use VRID " + i.virtualRouterId() + " with " + family + " on interface "
                                + i.interfaceName().get() + " (VRRPv" + i.version() + "): keepalived refuses to start",
                        "give one of them another virtual_router_id (each VRID names one virtual router per LAN)");
            }
        }
    }

    /** Two address owners (255) for one VRID: keepalived logs CONFIGURATION ERROR and drops itself to 254 (section 2.3). */
    static void twoOwners(KeepalivedConfig cfg, Diagnostics out) {
        Map<String, VrrpInstance> owners = new LinkedHashMap<>();
        for (VrrpInstance i : cfg.instances()) {
            if (i.priority() != VrrpInstance.OWNER_PRIORITY || i.virtualRouterId() == 0) continue;
            String key = i.virtualRouterId() + "|" + (i.isIpv6() ? 6 : 4);
            VrrpInstance first = owners.putIfAbsent(key, i);
            if (first == null) continue;
            boolean sameLan = i.interfaceName().equals(first.interfaceName());
            String msg = i.name() + " and " + first.name() + " both own VRID " + i.virtualRouterId() + " (priority 255"
                    + (i.configuredPriority().isEmpty() ? ", implied by state MASTER" : "") + ")";
            SourceLocation where = at(i.priorityLocation(), at(i.stateLocation(), i.location()));
            if (sameLan) {
                out.error(where, msg + ": only one router can own the addresses; keepalived logs CONFIGURATION ERROR and lowers itself to 254",
                        "give the backup a priority below 255");
            } else {
                out.warning(where, msg + " on different interfaces: fine only if they are different LANs", "give one of them a priority below 255");
            }
        }
    }

    /** keepalived: "number '256' outside range [1, 255]" then "Priority not valid! ... Using default 100". */
    static void priorityRange(VrrpInstance i, Diagnostics out) {
        Optional<Integer> p = i.configuredPriority();
        if (p.isPresent() && (p.get() < 1 || p.get() > 255)) {
            out.error(at(i.priorityLocation(), i.location()), "priority " + p.get() + " is outside 1..255: keepalived uses 100 instead",
                    "use 1..254 for a backup, 255 only for the router that owns the addresses");
        }
    }

    /** {@code state MASTER} without a priority makes keepalived 2.2.7 treat the instance as address owner (its -d dump shows 255). */
    static void implicitOwner(VrrpInstance i, Diagnostics out) {
        if (i.configuredState().orElse(null) == VrrpState.MASTER && i.configuredPriority().isEmpty()) {
            out.warning(at(i.stateLocation(), i.location()), "state MASTER without a priority line: keepalived gives " + i.name()
                    + " priority 255 (address owner), which always preempts and ignores weighted track_scripts", "write the intended priority, e.g. 'priority 150'");
        }
    }

    /**
     * v2 carries whole seconds: keepalived logs "advertisement interval ... must be an integer.
     * rounding". v3 takes 0.01..40.95 s in 10 ms steps: below is refused (1 s used), above capped.
     */
    static void advertInterval(VrrpInstance i, Diagnostics out) {
        if (i.configuredAdvertInt().isEmpty()) return;
        BigDecimal s = i.configuredAdvertInt().get();
        SourceLocation where = at(i.advertIntLocation(), i.location());
        String effective = seconds(i.advertInterval().toMillis());
        if (i.version() == 2) {
            if (s.stripTrailingZeros().scale() > 0) {
                out.warning(where, "advert_int " + s.toPlainString() + " is not a whole second: VRRPv2 carries whole seconds and keepalived rounds it to "
                        + effective, "write 'advert_int " + effective.replace(" s", "") + "', or use 'version 3' for sub-second adverts");
            } else if (s.compareTo(BigDecimal.valueOf(255)) > 0) {
                out.error(where, "advert_int " + s.toPlainString() + " is more than VRRPv2's 255 seconds", null);
            }
            return;
        }
        if (s.compareTo(VrrpInstance.V3_MIN_ADVERT_INT) < 0) {
            out.error(where, "advert_int " + s.toPlainString() + " is below VRRPv3's 0.01 s: keepalived ignores it and uses 1 s", "use 0.01..40.95");
        } else if (s.compareTo(VrrpInstance.V3_MAX_ADVERT_INT) > 0) {
            out.warning(where, "advert_int " + s.toPlainString() + " is above VRRPv3's 40.95 s: keepalived uses 40.95 s", "use 0.01..40.95");
        } else if (s.movePointRight(2).stripTrailingZeros().scale() > 0) {
            out.warning(where, "advert_int " + s.toPlainString() + " is not a multiple of 10 ms: VRRPv3 carries centiseconds and keepalived rounds it to "
                    + effective, null);
        }
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }

    /** auth_pass over 8 characters is truncated ("Truncating auth_pass to 8 characters"); v3 has no authentication at all. */
    static void authentication(VrrpInstance i, Diagnostics out) {
        if (i.authentication().isEmpty()) return;
        Authentication a = i.authentication().get();
        if (i.version() == 3) {
            out.error(a.location(), "authentication with VRRPv3: RFC 5798 removed it and keepalived ignores it ('VRRP version 3 does not support authentication')",
                    "delete the authentication block, or use version 2 on every node");
        }
        Optional<Secret> pass = a.password();
        if (pass.isPresent() && pass.get().length() > Authentication.MAX_PASSWORD_BYTES) {
            out.warning(at(a.passwordLocation(), a.location()), "auth_pass is " + pass.get().length()
                            + " characters: only the first 8 are sent (keepalived truncates it)",
                    "shorten it to 8 characters on every node so that what you read is what is checked");
        }
    }

    /** keepalived clears nopreempt with state MASTER ("nopreempt will not work with initial state MASTER - clearing") or priority 255. */
    static void nopreempt(VrrpInstance i, Diagnostics out) {
        if (!i.nopreempt()) return;
        SourceLocation where = at(i.nopreemptLocation(), i.location());
        if (i.state() == VrrpState.MASTER) {
            out.warning(where, "nopreempt with state MASTER: keepalived ignores nopreempt, so this node will take the addresses back",
                    "use 'state BACKUP' on every node that should not preempt");
        } else if (i.priority() == VrrpInstance.OWNER_PRIORITY) {
            out.warning(where, "nopreempt with priority 255: the address owner always preempts; keepalived clears nopreempt",
                    "lower the priority below 255");
        }
    }

    /** A node listing itself as a peer sends its adverts to itself; usually the other node's address is missing instead. */
    static void unicastSelfPeer(VrrpInstance i, Diagnostics out) {
        if (i.unicastSrcIp().isEmpty()) return;
        InetAddress self = i.unicastSrcIp().get();
        for (UnicastPeer p : i.unicastPeers()) {
            if (p.address().equals(self)) {
                out.warning(p.location(), "unicast_peer " + self.getHostAddress() + " is this node's own unicast_src_ip",
                        "list only the other nodes' addresses in unicast_peer");
            }
        }
    }

    /** vrrp_strict / strict_mode refuse unicast, authentication and preempt_delay (research section 5). */
    static void strictMode(VrrpInstance i, Diagnostics out) {
        if (!i.strictMode()) return;
        if (i.isUnicast()) {
            out.error(i.unicastPeers().get(0).location(), "unicast_peer in strict mode: RFC-strict VRRP is multicast only", "drop vrrp_strict/strict_mode or unicast");
        }
        i.authentication().ifPresent(a -> out.error(a.location(), "authentication in strict mode: RFC 3768/5798 have none",
                "drop vrrp_strict/strict_mode or the authentication block"));
        if (!i.preemptDelay().isZero()) {
            out.error(i.location(), "preempt_delay in strict mode is not allowed", "drop vrrp_strict/strict_mode or preempt_delay");
        }
    }

    static void ipv6NeedsV3(VrrpInstance i, Diagnostics out) {
        if (i.isIpv6() && i.version() == 2) {
            out.error(at(i.versionLocation(), i.location()), "VRRPv2 cannot carry IPv6 addresses", "use 'version 3' (keepalived forces it for IPv6 anyway)");
        }
    }

    /** keepalived: "track script chk_x not found, ignoring..." and the instance runs without that check. */
    static void undefinedScripts(KeepalivedConfig cfg, List<TrackedScript> tracks, Diagnostics out) {
        List<String> defined = cfg.scripts().stream().map(VrrpScript::name).toList();
        for (TrackedScript t : tracks) {
            if (cfg.script(t.name()).isPresent()) continue;
            Optional<String> close = Suggestions.closest(t.name(), defined);
            out.error(t.location(), "track_script '" + t.name() + "' names no vrrp_script: keepalived ignores it, so this check never moves the VIP",
                    close.map(c -> "did you mean '" + c + "'?")
                            .orElse(defined.isEmpty() ? "define it: vrrp_script " + t.name() + " { script \"...\" }"
                                    : "defined scripts: " + String.join(", ", defined)));
        }
    }

    /** Weights that keepalived silently drops: in a sync group without sync_group_tracking_weight, and on an address owner. */
    static void ignoredWeights(KeepalivedConfig cfg, VrrpInstance i, Diagnostics out) {
        Optional<VrrpSyncGroup> group = cfg.syncGroupOf(i.name());
        for (TrackedScript t : i.trackScripts()) {
            Optional<VrrpScript> s = cfg.script(t.name());
            if (s.isEmpty() || t.effectiveWeight(s) == 0) continue;
            if (group.isPresent() && !group.get().trackingWeight()) {
                out.warning(t.weightSource(s), "weight of track_script " + t.name() + " is ignored: " + i.name() + " is in sync group "
                                + group.get().name() + " (keepalived: 'ignoring tracked script with weights due to SYNC group')",
                        "add 'sync_group_tracking_weight' to the group, or use weight 0 so a failure means FAULT");
            } else if (i.priority() == VrrpInstance.OWNER_PRIORITY) {
                out.warning(t.weightSource(s), "weight of track_script " + t.name() + " is ignored: " + i.name()
                        + " has priority 255 (address owner)", "give it a priority below 255 if the check should move the VIP");
            }
        }
    }

    /** Undefined members and instances in two groups; keepalived drops groups it cannot use. */
    static void syncGroupMembers(KeepalivedConfig cfg, Diagnostics out) {
        Map<String, VrrpSyncGroup> memberOf = new HashMap<>();
        List<String> names = cfg.instances().stream().map(VrrpInstance::name).toList();
        for (VrrpSyncGroup g : cfg.syncGroups()) {
            for (VrrpSyncGroup.Member m : g.members()) {
                if (cfg.instance(m.instance()).isEmpty()) {
                    Optional<String> close = Suggestions.closest(m.instance(), names);
                    out.error(m.location(), "sync group " + g.name() + " names '" + m.instance() + "', which is no vrrp_instance",
                            close.map(c -> "did you mean '" + c + "'?").orElse(names.isEmpty() ? null : "instances: " + String.join(", ", names)));
                    continue;
                }
                VrrpSyncGroup other = memberOf.putIfAbsent(m.instance(), g);
                if (other != null && other != g) {
                    out.error(m.location(), "instance " + m.instance() + " is in two sync groups (" + other.name() + " and " + g.name() + ")",
                            "an instance can follow one group only; remove it from one of them");
                } else if (other == g) {
                    out.warning(m.location(), "instance " + m.instance() + " is listed twice in sync group " + g.name(), null);
                }
            }
            if (g.members().size() == 1) {
                out.warning(g.location(), "sync group " + g.name() + " has one instance: it synchronises nothing", null);
            }
        }
    }

    /** keepalived: "Warning - script chk_y is not used" (and never runs it). */
    static void unusedScripts(KeepalivedConfig cfg, Diagnostics out) {
        List<String> used = new ArrayList<>();
        cfg.instances().forEach(i -> i.trackScripts().forEach(t -> used.add(t.name())));
        cfg.syncGroups().forEach(g -> g.trackScripts().forEach(t -> used.add(t.name())));
        for (VrrpScript s : cfg.scripts()) {
            if (!used.contains(s.name())) {
                out.warning(s.location(), "vrrp_script " + s.name() + " is not tracked by any instance or group: keepalived never runs it",
                        "add it to a track_script block, or delete it");
            }
        }
    }

    private static SourceLocation at(Optional<SourceLocation> preferred, SourceLocation fallback) {
        return preferred.orElse(fallback);
    }
}
