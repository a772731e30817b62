package dev.vigil.heartbeat.rm;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the v1 resource manager needs from {@code ha.cf} and {@code haresources}. Two nodes: v1's
 * resource protocol speaks of "local" and "foreign" groups only ({@code mach_down},
 * {@code hb_standby}: "This script will only work for a two machine setup").
 *
 * @param requestDelay {@code RQSTDELAY}: how long a starting node waits for its peer to become
 *     stable before taking its own groups anyway (10 s)
 * @param standbyReplyTimeout {@code STANDBY_INIT_TO_MS}: how long a standby request waits for the
 *     peer's {@code other} (10 s)
 * @param standbyTimeout {@code HB_STANDBY_RSC_TO_MS}: how long the rest of a standby may take (1 h)
 * @param stopRetries {@code HA_STOPRETRYMAX}: retries of a failed stop (10)
 * @param stopRetryInterval pause between stop retries (1 s)
 * @param failedStartStandbyDelay after a failed start the group is given up and {@code hb_standby}
 *     runs this much later (30 s, ResourceManager's {@code sleep 30})
 */
public record ResourceSettings(
        String localNode,
        String peerNode,
        List<ResourceGroup> groups,
        AutoFailback autoFailback,
        Duration requestDelay,
        Duration standbyReplyTimeout,
        Duration standbyTimeout,
        int stopRetries,
        Duration stopRetryInterval,
        Duration failedStartStandbyDelay) {

    public ResourceSettings {
        localNode = Objects.requireNonNull(localNode, "localNode").toLowerCase(Locale.ROOT);
        peerNode = Objects.requireNonNull(peerNode, "peerNode").toLowerCase(Locale.ROOT);
        if (localNode.equals(peerNode)) throw new IllegalArgumentException("peer is the local node");
        groups = List.copyOf(groups);
        Set<String> keys = new HashSet<>();
        for (ResourceGroup g : groups) {
            if (!keys.add(g.key())) throw new IllegalArgumentException("resource group key " + g.key() + " is not unique");
            if (!g.preferredNode().equals(localNode) && !g.preferredNode().equals(peerNode)) {
                throw new IllegalArgumentException("haresources names node " + g.preferredNode() + ", which is not in the cluster");
            }
        }
        Objects.requireNonNull(autoFailback, "autoFailback");
        for (Duration d : List.of(requestDelay, standbyReplyTimeout, standbyTimeout, stopRetryInterval, failedStartStandbyDelay)) {
            if (d == null || d.isNegative()) throw new IllegalArgumentException("negative or missing duration");
        }
        if (stopRetries < 0) throw new IllegalArgumentException("stopRetries < 0");
    }

    /** heartbeat's constants (research heartbeat.md §1.6, §4.3). */
    public static ResourceSettings defaults(String localNode, String peerNode, List<ResourceGroup> groups, AutoFailback autoFailback) {
        return new ResourceSettings(localNode, peerNode, groups, autoFailback, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofHours(1), 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }
}
