package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Vigil extension of keepalived.conf: the heartbeat-style resource group a {@code vrrp_instance}
 * or a {@code vrrp_sync_group} owns, started in order when it becomes MASTER and stopped in reverse
 * when it leaves MASTER. Written inside the instance or group as one-line keywords:
 *
 * <pre>
 * vrrp_instance VI_1 {
 *     ...
 *     vigil_resources Filesystem::/dev/drbd0::/data::ext4 apache2
 *     vigil_resources 10.0.0.9/24/eth0
 *     vigil_resource_defaults stop_timeout=60
 *     vigil_resource apache2 monitor_interval=10 max_restarts=3 restart_window=300
 * }
 * </pre>
 *
 * <ul>
 * <li>{@code vigil_resources R...}: resources in haresources syntax ({@code script::arg::arg}, a bare
 *     dotted IP meaning {@code IPaddr::IP}), the words of a haresources line without the node name.
 *     The keyword may be repeated; each line appends to the group in order, so a group can also be
 *     written one resource per line.</li>
 * <li>{@code vigil_resource_defaults KEY=VALUE...} and {@code vigil_resource NAME KEY=VALUE...}:
 *     exactly vigil.conf's {@code resource_defaults} / {@code resource} keys and values
 *     ({@link dev.vigil.config.heartbeat.ResourcePolicyKeys}).</li>
 * </ul>
 *
 * <p><b>Why one-line keywords and not a {@code vigil_resources { ... }} block:</b> keepalived 2.2.7
 * does not skip the block of a keyword it does not know. {@code keepalived -t} shows
 * "Unknown keyword 'vigil_resources'", then "Unexpected '{' - ignoring", reads each resource as an
 * unknown keyword, and the block's {@code }} then closes the enclosing {@code vrrp_instance}: every
 * line after it (e.g. {@code nopreempt}) is silently lost from the instance. Unknown one-line
 * keywords are only logged ("Unknown keyword 'vigil_resources'", rc 5 under {@code -t} as for any
 * unknown keyword) and the instance is otherwise read as written, so one file can serve a mixed
 * cluster of Vigil and keepalived nodes. Vigil refuses the block form with this explanation.
 *
 * @param resources the group in start order
 * @param defaults  {@code vigil_resource_defaults} over Vigil's defaults
 * @param policies  per-resource policies, keyed as written on the {@code vigil_resource} line (the
 *                  resource as written, or its script name), each already applied over {@code defaults}
 * @param location  the first {@code vigil_resources} line
 */
public record VigilResourceGroup(List<Haresources.Resource> resources, ResourcePolicy defaults,
                                 Map<String, ResourcePolicy> policies, SourceLocation location) {
    public VigilResourceGroup {
        resources = List.copyOf(resources);
        policies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    }

    /**
     * The policy of one resource, by the rule of {@link VigilConf#policyFor}: its own
     * {@code vigil_resource} line matched on the resource as written, then on its script name,
     * else the defaults.
     */
    public ResourcePolicy policyFor(String resourceAsWritten) {
        ResourcePolicy p = policies.get(resourceAsWritten);
        if (p != null) return p;
        int sep = resourceAsWritten.indexOf("::");
        if (sep > 0) {
            p = policies.get(resourceAsWritten.substring(0, sep));
            if (p != null) return p;
        }
        return defaults;
    }

    public ResourcePolicy policyFor(Haresources.Resource resource) {
        return policyFor(resource.text());
    }

    /** Whether any resource of the group is monitored (a policy with a monitor_interval). */
    public boolean monitored() {
        return resources.stream().anyMatch(r -> policyFor(r).monitored());
    }
}
