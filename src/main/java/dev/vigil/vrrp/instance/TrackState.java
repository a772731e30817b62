package dev.vigil.vrrp.instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an instance's tracked scripts and interfaces currently say, turned into keepalived's two
 * outputs: a priority adjustment and a fault (vrrp_track.c {@code process_script_update_priority},
 * {@code initialise_*_tracking_priorities}).
 *
 * <p>keepalived adjusts {@code total_priority} incrementally on each change; this recomputes the sum
 * from the current statuses, which gives the same totals for every sequence of changes. Per entry, with
 * weight {@code w}:
 * <pre>
 *   w &gt; 0: while up, +w (reverse: −w)         w &lt; 0: while down, +w (reverse: −w)
 *   w = 0: down is a fault (reverse: up is a fault)
 * </pre>
 * A script with no result yet ({@link ScriptStatus#UNKNOWN}) adds nothing; if its weight is 0 it keeps
 * the instance in INIT ({@link #initPending()}, keepalived {@code num_script_init}).
 */
public final class TrackState {

    private static final class Entry {
        final int weight;
        final boolean reverse;
        ScriptStatus status;

        Entry(int weight, boolean reverse, ScriptStatus status) {
            this.weight = weight;
            this.reverse = reverse;
            this.status = status;
        }

        int adjustment() {
            if (status == ScriptStatus.UNKNOWN || weight == 0) return 0;
            boolean up = status == ScriptStatus.GOOD;
            boolean applies = weight > 0 ? up : !up;
            if (!applies) return 0;
            return reverse ? -weight : weight;
        }

        boolean fault() {
            return weight == 0 && status != ScriptStatus.UNKNOWN && (status == ScriptStatus.GOOD) == reverse;
        }

        boolean pending() {
            return weight == 0 && status == ScriptStatus.UNKNOWN;
        }
    }

    private final Map<String, Entry> scripts = new LinkedHashMap<>();
    private final Map<String, Entry> interfaces = new LinkedHashMap<>();

    /** Scripts start {@link ScriptStatus#UNKNOWN}, interfaces up, until told otherwise. */
    public TrackState(List<TrackedScript> trackedScripts, List<TrackedInterface> trackedInterfaces) {
        for (TrackedScript s : trackedScripts) scripts.put(s.name(), new Entry(s.weight(), s.reverse(), ScriptStatus.UNKNOWN));
        for (TrackedInterface i : trackedInterfaces) interfaces.put(i.name(), new Entry(i.weight(), i.reverse(), ScriptStatus.GOOD));
    }

    private TrackState() {
    }

    /** @return false if the instance does not track this script */
    public boolean setScriptStatus(String script, ScriptStatus status) {
        Entry e = scripts.get(script);
        if (e == null) return false;
        e.status = status;
        return true;
    }

    /** @return false if the instance does not track this interface */
    public boolean setInterfaceUp(String iface, boolean up) {
        Entry e = interfaces.get(iface);
        if (e == null) return false;
        e.status = up ? ScriptStatus.GOOD : ScriptStatus.BAD;
        return true;
    }

    public boolean tracksScript(String script) {
        return scripts.containsKey(script);
    }

    public boolean tracksInterface(String iface) {
        return interfaces.containsKey(iface);
    }

    /** The sum of the weights that currently apply. */
    public int adjustment() {
        int sum = 0;
        for (Entry e : scripts.values()) sum += e.adjustment();
        for (Entry e : interfaces.values()) sum += e.adjustment();
        return sum;
    }

    /** keepalived {@code vrrp_set_effective_priority}: base + adjustment clamped to 1..254; the owner is never adjusted. */
    public int effectivePriority(int basePriority) {
        if (basePriority == VrrpInstanceSettings.OWNER_PRIORITY) return basePriority;
        return Math.max(1, Math.min(VrrpInstanceSettings.OWNER_PRIORITY - 1, basePriority + adjustment()));
    }

    /** A weight-0 entry is down (or up, with reverse). */
    public boolean faulted() {
        for (Entry e : scripts.values()) if (e.fault()) return true;
        for (Entry e : interfaces.values()) if (e.fault()) return true;
        return false;
    }

    /** A weight-0 script has not reported yet. */
    public boolean initPending() {
        for (Entry e : scripts.values()) if (e.pending()) return true;
        return false;
    }

    /** Names of the entries currently causing a fault, for the log. */
    public List<String> faultCauses() {
        List<String> causes = new ArrayList<>();
        scripts.forEach((n, e) -> { if (e.fault()) causes.add("script " + n); });
        interfaces.forEach((n, e) -> { if (e.fault()) causes.add("interface " + n); });
        return causes;
    }

    /**
     * The tracking of a {@code vrrp_sync_group} member. Without {@code sync_group_tracking_weight},
     * keepalived (vrrp.c {@code vrrp_complete_instance}; keepalived.md §2.4) drops weighted track_scripts
     * ("ignoring tracked script with weights due to SYNC group") and turns weighted track_interfaces into
     * weight 0 ("ignoring weights of tracked interface"), so a member's priority never floats and an
     * interface going down faults the whole group.
     *
     * @param ignored receives one log line per dropped or converted entry
     */
    public TrackState forSyncGroupMember(boolean syncGroupTrackingWeight, String instanceName, List<String> ignored) {
        TrackState t = new TrackState();
        scripts.forEach((n, e) -> {
            if (e.weight != 0 && !syncGroupTrackingWeight) {
                ignored.add("(" + instanceName + ") ignoring tracked script " + n + " with weights due to SYNC group");
            } else {
                t.scripts.put(n, new Entry(e.weight, e.reverse, e.status));
            }
        });
        interfaces.forEach((n, e) -> {
            if (e.weight != 0 && !syncGroupTrackingWeight) {
                ignored.add("(" + instanceName + ") ignoring weights of tracked interface " + n + " due to SYNC group");
                t.interfaces.put(n, new Entry(0, e.reverse, e.status));
            } else {
                t.interfaces.put(n, new Entry(e.weight, e.reverse, e.status));
            }
        });
        return t;
    }
}
