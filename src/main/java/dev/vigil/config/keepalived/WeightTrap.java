package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostics;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weight trap (keepalived issues #2108, #942, #2103, #2379; research keepalived.md section 6.4):
 * a weighted vrrp_script that fails on the master must lower its priority below the best backup's,
 * or the VIP never moves. Given the configurations of all nodes at once, this replays keepalived's
 * arithmetic for each check that could fail on the node that would be master:
 * <ul>
 * <li>effective priority = priority + the sum of each tracked script's adjustment, clamped to
 *     1..254 ({@link VrrpScript#priorityDelta}: a positive weight counts while the script is up, a
 *     negative one while it is down, {@code reverse} flips the sign);</li>
 * <li>priority 255 ignores weights; so do members of a sync group without
 *     {@code sync_group_tracking_weight} (both logged by keepalived as "ignoring tracked script");</li>
 * <li>equal priorities go to the higher primary IP address (RFC 5798 section 6.4.3), known here only
 *     from {@code unicast_src_ip} / {@code mcast_src_ip};</li>
 * <li>a backup with (effective) {@code nopreempt} does not take over from a live master whatever the
 *     priorities (section 2.3).</li>
 * </ul>
 * The check is assumed to fail on the master only (it watches a local service); other nodes stay
 * healthy. Instances are matched across files by interface and VRID (and family), else by name.
 */
public final class WeightTrap {
    static final int MAX_WEIGHT = 253;

    private WeightTrap() {
    }

    private record Member(KeepalivedConfig cfg, VrrpInstance inst, String label) {
    }

    public static void analyze(List<KeepalivedConfig> nodes, Diagnostics out) {
        if (nodes.size() < 2) return;
        List<String> labels = labels(nodes);
        Map<String, List<Member>> byLan = new LinkedHashMap<>();
        List<Member> all = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            for (VrrpInstance i : nodes.get(n).instances()) {
                Member m = new Member(nodes.get(n), i, labels.get(n));
                all.add(m);
                if (i.interfaceName().isPresent() && i.virtualRouterId() > 0) {
                    String key = i.interfaceName().get() + "|" + i.virtualRouterId() + "|" + (i.isIpv6() ? 6 : 4);
                    addOncePerNode(byLan.computeIfAbsent(key, k -> new ArrayList<>()), m);
                }
            }
        }
        Set<VrrpInstance> matched = new HashSet<>();
        List<List<Member>> groups = new ArrayList<>();
        for (List<Member> g : byLan.values()) {
            if (g.size() < 2) continue;
            groups.add(g);
            g.forEach(m -> matched.add(m.inst()));
        }
        Map<String, List<Member>> byName = new LinkedHashMap<>();
        for (Member m : all) {
            if (!matched.contains(m.inst())) addOncePerNode(byName.computeIfAbsent(m.inst().name(), k -> new ArrayList<>()), m);
        }
        for (List<Member> g : byName.values()) if (g.size() >= 2) groups.add(g);
        for (List<Member> g : groups) analyzeGroup(g, out);
    }

    private static void addOncePerNode(List<Member> group, Member m) {
        if (group.stream().noneMatch(o -> o.cfg() == m.cfg())) group.add(m);
    }

    /** router_id where it tells nodes apart, else the file name. */
    private static List<String> labels(List<KeepalivedConfig> nodes) {
        List<String> ids = nodes.stream().map(c -> c.globalDefs().routerId().orElse("")).toList();
        boolean routerIdsWork = ids.stream().noneMatch(String::isEmpty) && new HashSet<>(ids).size() == ids.size();
        List<String> labels = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            Path fn = nodes.get(n).file().getFileName();
            String file = fn == null ? nodes.get(n).file().toString() : fn.toString();
            labels.add(routerIdsWork ? ids.get(n) + " (" + file + ")" : file);
        }
        return labels;
    }

    private static void analyzeGroup(List<Member> group, Diagnostics out) {
        List<Member> masters = healthyMasters(group);
        for (Member master : masters) {
            for (TrackedScript ts : master.inst().trackScripts()) {
                Optional<VrrpScript> script = master.cfg().script(ts.name());
                if (script.isEmpty() || ts.effectiveWeight(script) == 0 || !weightsApply(master)) continue;
                checkFailure(group, master, ts, script, out);
            }
        }
    }

    /** The node(s) that would be master with every check healthy: highest priority, ties by known primary IP. */
    private static List<Member> healthyMasters(List<Member> group) {
        int best = group.stream().mapToInt(m -> priority(m, null, null, 0)).max().orElse(0);
        List<Member> top = group.stream().filter(m -> priority(m, null, null, 0) == best).toList();
        if (top.size() == 1) return top;
        Member byIp = null;
        for (Member m : top) {
            Optional<InetAddress> ip = m.inst().configuredSourceAddress();
            if (ip.isEmpty()) return top;
            if (byIp == null || compare(ip.get(), byIp.inst().configuredSourceAddress().get()) > 0) byIp = m;
        }
        return List.of(byIp);
    }

    private static void checkFailure(List<Member> group, Member master, TrackedScript ts, Optional<VrrpScript> script, Diagnostics out) {
        int failed = priority(master, ts.name(), null, 0);
        Member rival = null;
        int rivalPriority = -1;
        for (Member m : group) {
            if (m == master) continue;
            int p = priority(m, null, null, 0);
            if (p > rivalPriority) {
                rival = m;
                rivalPriority = p;
            }
        }
        if (rival == null) return;
        String name = ts.name();
        int base = master.inst().priority();
        String masterVerb = failed == base ? "keeps " : "goes to ";
        String rivalVerb = rivalPriority == rival.inst().priority() ? "stays at " : "reaches ";
        String numbers = "if " + name + " fails on " + master.label() + ", " + master.label() + " " + masterVerb + failed
                + " and " + rival.label() + " " + rivalVerb + rivalPriority;
        boolean moves;
        String tie = "";
        if (failed < rivalPriority) {
            moves = true;
        } else if (failed == rivalPriority) {
            Optional<InetAddress> a = master.inst().configuredSourceAddress();
            Optional<InetAddress> b = rival.inst().configuredSourceAddress();
            if (a.isPresent() && b.isPresent()) {
                moves = compare(b.get(), a.get()) > 0;
                tie = " (a tie, won by the higher address " + (moves ? b : a).get().getHostAddress() + ")";
            } else {
                out.warning(ts.weightSource(script), numbers + ": a tie, decided by whichever primary IP address is higher",
                        "make the outcome certain: " + neededWeightHint(group, master, ts, script));
                return;
            }
        } else {
            moves = false;
        }
        if (!moves) {
            out.warning(ts.weightSource(script), numbers + tie + ": no failover; " + neededWeightHint(group, master, ts, script), null);
        } else if (rival.inst().preemptDisabled()) {
            out.warning(ts.weightSource(script), numbers + ", but " + rival.label() + " has nopreempt: it never takes over from a live master, so no failover",
                    "with nopreempt only FAULT or a stopped master moves the VIP: use weight 0 for " + name + ", or drop nopreempt");
        }
    }

    /** The smallest |weight| for this script (same sign and reverse, on every node that tracks it) that makes the VIP move. */
    private static String neededWeightHint(List<Member> group, Member master, TrackedScript ts, Optional<VrrpScript> script) {
        int k = smallestMovingWeight(group, master, ts.name(), 1);
        if (k > 0) return "use |weight| > " + (k - 1);
        if (ts.effectiveReverse(script)) {
            return "with 'reverse' a failing " + ts.name() + " raises the priority; drop 'reverse', or use weight 0 so a failure means FAULT";
        }
        if (ts.effectiveWeight(script) > 0) {
            int negative = smallestMovingWeight(group, master, ts.name(), -1);
            if (negative > 0) {
                return "a positive weight only raises the nodes where " + ts.name() + " succeeds, and the others do not track it: use weight < -"
                        + (negative - 1) + ", or weight 0 so a failure means FAULT";
            }
        }
        return "no weight can move the VIP here; use weight 0 so a failure means FAULT";
    }

    /**
     * The smallest k in 1..253 such that giving the script weight {@code k} times the sign of its
     * current weight (or {@code -k} when {@code sign} is -1, e.g. to try a negative weight) makes the
     * failing master fall below the best other node; 0 when none does.
     */
    private static int smallestMovingWeight(List<Member> group, Member master, String script, int sign) {
        for (int k = 1; k <= MAX_WEIGHT; k++) {
            int magnitude = sign * k;
            int failed = priority(master, script, script, magnitude);
            int rival = 0;
            for (Member m : group) if (m != master) rival = Math.max(rival, priority(m, null, script, magnitude));
            if (failed < rival) return k;
        }
        return 0;
    }

    private static boolean weightsApply(Member m) {
        if (m.inst().priority() == VrrpInstance.OWNER_PRIORITY) return false;
        Optional<VrrpSyncGroup> g = m.cfg().syncGroupOf(m.inst().name());
        return g.isEmpty() || g.get().trackingWeight();
    }

    /**
     * Effective priority of a member with {@code failing} down (null: all up). When
     * {@code resized} is given, that script's weight is replaced by {@code magnitude} with the
     * weight's own sign, or by {@code magnitude} itself when that is negative.
     */
    static int priority(Member m, String failing, String resized, int magnitude) {
        int base = m.inst().priority();
        if (!weightsApply(m)) return base;
        int sum = 0;
        boolean weighted = false;
        for (TrackedScript ts : m.inst().trackScripts()) {
            Optional<VrrpScript> s = m.cfg().script(ts.name());
            if (s.isEmpty()) continue;
            int w = ts.effectiveWeight(s);
            if (w == 0) continue;
            if (ts.name().equals(resized)) w = magnitude < 0 ? magnitude : Integer.signum(w) * magnitude;
            weighted = true;
            sum += VrrpScript.priorityDelta(w, ts.effectiveReverse(s), !ts.name().equals(failing));
        }
        if (!weighted) return base;
        return Math.max(1, Math.min(VrrpInstance.OWNER_PRIORITY - 1, base + sum));
    }

    /** Unsigned comparison of two addresses of one family, as VRRP compares primary IPs. */
    static int compare(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) return Integer.compare(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) return c;
        }
        return 0;
    }
}
