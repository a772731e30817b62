package dev.vigil.heartbeat.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the membership state machine needs from {@code ha.cf}, {@code hb_generation} and
 * {@code hb_uuid}. A glue layer builds it from the parsed configuration; this package does not read
 * files.
 *
 * @param localNode this node's name ({@code uname -n}); lowercased as heartbeat does
 * @param nodes every {@code node} line in file order, including the local node; lowercased
 * @param links the names of the heartbeat media ({@code hb0} for {@code bcast hb0}, the tty path for
 *     {@code serial}); each is tracked as a separate link towards every peer
 * @param keepalive interval between our status messages ({@code keepalive})
 * @param deadtime our own dead interval, advertised in {@code dt} ({@code deadtime})
 * @param warntime a status later than this logs {@code Late heartbeat} ({@code warntime})
 * @param initdead how long peers may stay silent before the first comm-up ({@code initdead})
 * @param hopfudge added to the node count for the unused {@code ttl} field ({@code hopfudge}, 1)
 * @param generation this run's generation ({@code hg}); see {@link HbGeneration}
 * @param localUuid this node's {@code hb_uuid}
 * @param knownUuids uuids of peers known from a previous run (heartbeat's host cache), used for
 *     {@code destuuid} before the peer has spoken; may be empty
 * @param maxRexmitDelay {@code max_rexmit_delay} (250 ms): the ceiling of the random delay before a
 *     retransmission request, and the interval at which it repeats
 */
public record MembershipSettings(
        String localNode,
        List<String> nodes,
        List<String> links,
        Duration keepalive,
        Duration deadtime,
        Duration warntime,
        Duration initdead,
        int hopfudge,
        long generation,
        UUID localUuid,
        Map<String, UUID> knownUuids,
        Duration maxRexmitDelay) {

    public MembershipSettings {
        Objects.requireNonNull(localNode, "localNode");
        localNode = localNode.toLowerCase(Locale.ROOT);
        List<String> n = new ArrayList<>();
        for (String s : Objects.requireNonNull(nodes, "nodes")) n.add(s.toLowerCase(Locale.ROOT));
        if (n.isEmpty()) throw new IllegalArgumentException("no nodes");
        if (new LinkedHashSet<>(n).size() != n.size()) throw new IllegalArgumentException("duplicate node in " + n);
        if (!n.contains(localNode)) {
            throw new IllegalArgumentException("Current node [" + localNode + "] not in configuration!");
        }
        nodes = List.copyOf(n);
        links = List.copyOf(Objects.requireNonNull(links, "links"));
        if (links.isEmpty()) throw new IllegalArgumentException("no heartbeat media");
        if (new LinkedHashSet<>(links).size() != links.size()) throw new IllegalArgumentException("duplicate link in " + links);
        requirePositive(keepalive, "keepalive");
        requirePositive(deadtime, "deadtime");
        requirePositive(warntime, "warntime");
        requirePositive(initdead, "initdead");
        requirePositive(maxRexmitDelay, "maxRexmitDelay");
        if (hopfudge < 0) throw new IllegalArgumentException("hopfudge < 0");
        if (generation <= 0) throw new IllegalArgumentException("generation must be positive");
        Objects.requireNonNull(localUuid, "localUuid");
        Map<String, UUID> u = new LinkedHashMap<>();
        for (Map.Entry<String, UUID> e : Objects.requireNonNull(knownUuids, "knownUuids").entrySet()) {
            u.put(e.getKey().toLowerCase(Locale.ROOT), Objects.requireNonNull(e.getValue()));
        }
        knownUuids = Map.copyOf(u);
    }

    /**
     * heartbeat's defaults (research heartbeat.md §3, §4.1): keepalive 1 s, deadtime 30 s, warntime
     * deadtime/2, initdead per {@link #defaultInitdead}, hopfudge 1, max_rexmit_delay 250 ms.
     */
    public static MembershipSettings defaults(String localNode, List<String> nodes, List<String> links, long generation, UUID localUuid) {
        Duration deadtime = Duration.ofSeconds(30);
        return new MembershipSettings(localNode, nodes, links, Duration.ofSeconds(1), deadtime, deadtime.dividedBy(2),
                defaultInitdead(deadtime), 1, generation, localUuid, Map.of(), Duration.ofMillis(250));
    }

    /** The same settings with other timings. */
    public MembershipSettings withTimings(Duration keepalive, Duration deadtime, Duration warntime, Duration initdead) {
        return new MembershipSettings(localNode, nodes, links, keepalive, deadtime, warntime, initdead, hopfudge, generation,
                localUuid, knownUuids, maxRexmitDelay);
    }

    public MembershipSettings withGeneration(long newGeneration) {
        return new MembershipSettings(localNode, nodes, links, keepalive, deadtime, warntime, initdead, hopfudge, newGeneration,
                localUuid, knownUuids, maxRexmitDelay);
    }

    /**
     * heartbeat's {@code initdead} when {@code ha.cf} has none: deadtime when it is over 10 s, 12 s
     * when it is under 6 s, twice the deadtime otherwise (research heartbeat.md §3).
     */
    public static Duration defaultInitdead(Duration deadtime) {
        if (deadtime.compareTo(Duration.ofSeconds(10)) > 0) return deadtime;
        if (deadtime.compareTo(Duration.ofSeconds(6)) < 0) return Duration.ofSeconds(12);
        return deadtime.multipliedBy(2);
    }

    /** The peers: every node but the local one, in file order. */
    public List<String> peers() {
        List<String> out = new ArrayList<>(nodes);
        out.remove(localNode);
        return List.copyOf(out);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
    }
}
