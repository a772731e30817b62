package dev.vigil.heartbeat;

import dev.vigil.config.heartbeat.HaCf;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.heartbeat.membership.MembershipSettings;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.rm.ResourceGroup;
import dev.vigil.heartbeat.rm.ResourceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a {@link HeartbeatNode} needs from {@code ha.cf} and {@code haresources}, with the
 * media left out (they are opened by the daemon or the simulation) and the generation and uuid
 * left out (they come from the node's state store at start).
 *
 * @param localNode this node, lowercased ({@code uname -n} or {@code --node})
 * @param nodes every {@code node} of ha.cf in file order, lowercased
 * @param groups haresources groups; empty for a cluster that manages no resources
 * @param resourceTimings heartbeat's resource-manager constants (RQSTDELAY, standby timeouts, stop
 *     retries); {@link ResourceTimings#HEARTBEAT} unless a simulation changes them
 */
public record HeartbeatSettings(
        String localNode,
        List<String> nodes,
        Duration keepalive,
        Duration deadtime,
        Duration warntime,
        Duration initdead,
        int hopfudge,
        Duration maxRexmitDelay,
        List<ResourceGroup> groups,
        AutoFailback autoFailback,
        ResourceTimings resourceTimings) {

    /** The constants of {@code hb_resource.c} and {@code ResourceManager} (research heartbeat.md §1.6, §4.3). */
    public record ResourceTimings(Duration requestDelay, Duration standbyReplyTimeout, Duration standbyTimeout, int stopRetries,
                                  Duration stopRetryInterval, Duration failedStartStandbyDelay) {
        public static final ResourceTimings HEARTBEAT = new ResourceTimings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofHours(1), 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public HeartbeatSettings {
        localNode = Objects.requireNonNull(localNode, "localNode").toLowerCase(Locale.ROOT);
        List<String> n = new ArrayList<>();
        for (String s : nodes) n.add(s.toLowerCase(Locale.ROOT));
        nodes = List.copyOf(n);
        if (new LinkedHashSet<>(nodes).size() != nodes.size()) throw new IllegalArgumentException("a node is declared twice: " + nodes);
        if (!nodes.contains(localNode)) {
            throw new IllegalArgumentException("Current node [" + localNode + "] not in configuration! (nodes: " + String.join(", ", nodes) + ")");
        }
        groups = List.copyOf(groups);
        Objects.requireNonNull(autoFailback, "autoFailback");
        Objects.requireNonNull(resourceTimings, "resourceTimings");
        if (!groups.isEmpty() && nodes.size() != 2) {
            // hb_standby, mach_down and the rsc_hold words (local/foreign) only exist for two machines.
            throw new IllegalArgumentException("haresources needs a cluster of exactly two nodes (heartbeat's v1 resource manager is "
                    + "two-node only); ha.cf declares " + nodes.size());
        }
    }

    /**
     * The mapping from a loaded {@code /etc/ha.d} directory.
     *
     * @throws IllegalArgumentException with an operator-facing line when the files are valid for
     *     heartbeat but this node cannot run them (not declared, or haresources with more than two nodes)
     */
    public static HeartbeatSettings fromConfig(HeartbeatConfig config, String localNode) {
        HaCf cf = config.haCf();
        List<String> nodes = cf.nodes().stream().map(HaCf.Node::canonicalName).toList();
        List<ResourceGroup> groups = new ArrayList<>();
        for (Haresources.Group g : config.haresources().groups()) {
            groups.add(new ResourceGroup(g.canonicalNode(), g.resources().stream().map(Haresources.Resource::canonical).toList()));
        }
        return new HeartbeatSettings(localNode, nodes, cf.keepalive().value(), cf.deadtime().value(), cf.warntime().value(),
                cf.initdead().value(), cf.hopfudge().value(), cf.maxRexmitDelay().value(), groups,
                autoFailback(cf.autoFailback().value()), ResourceTimings.HEARTBEAT);
    }

    static AutoFailback autoFailback(HaCf.AutoFailback v) {
        return switch (v) {
            case ON -> AutoFailback.ON;
            case OFF -> AutoFailback.OFF;
            case LEGACY -> AutoFailback.LEGACY;
        };
    }

    /** The other nodes, in file order. */
    public List<String> peers() {
        List<String> p = new ArrayList<>(nodes);
        p.remove(localNode);
        return List.copyOf(p);
    }

    public MembershipSettings membershipSettings(List<String> links, long generation, UUID localUuid) {
        return new MembershipSettings(localNode, nodes, links, keepalive, deadtime, warntime, initdead, hopfudge, generation,
                localUuid, Map.of(), maxRexmitDelay);
    }

    /** The resource manager's settings; empty when there is nothing to manage (no haresources groups, or no peer). */
    public Optional<ResourceSettings> resourceSettings() {
        if (nodes.size() != 2) return Optional.empty();
        ResourceTimings t = resourceTimings;
        return Optional.of(new ResourceSettings(localNode, peers().get(0), groups, autoFailback, t.requestDelay(),
                t.standbyReplyTimeout(), t.standbyTimeout(), t.stopRetries(), t.stopRetryInterval(), t.failedStartStandbyDelay()));
    }

    public HeartbeatSettings withResourceTimings(ResourceTimings timings) {
        return new HeartbeatSettings(localNode, nodes, keepalive, deadtime, warntime, initdead, hopfudge, maxRexmitDelay, groups,
                autoFailback, timings);
    }

    public HeartbeatSettings withLocalNode(String node) {
        return new HeartbeatSettings(node, nodes, keepalive, deadtime, warntime, initdead, hopfudge, maxRexmitDelay, groups,
                autoFailback, resourceTimings);
    }
}
