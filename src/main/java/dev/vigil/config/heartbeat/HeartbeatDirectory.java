package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.SourceLocation;
import dev.vigil.config.Suggestions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code /etc/ha.d}-style directory read as one unit: ha.cf, haresources and authkeys, each
 * checked on its own and then against each other, as heartbeat does at start-up
 * ({@code init_config}, then {@code parse_ha_resources}).
 */
public final class HeartbeatDirectory {
    private HeartbeatDirectory() {
    }

    public static final String HA_CF = "ha.cf";
    public static final String HARESOURCES = "haresources";
    public static final String AUTHKEYS = "authkeys";

    public static ParseResult<HeartbeatConfig> load(Path dir) {
        return load(dir, Optional.empty());
    }

    /**
     * As {@link #load(Path)}, checking the files as seen by the node named {@code localNodeName}
     * (its {@code uname -n}): heartbeat refuses to start on a node that ha.cf does not declare.
     */
    public static ParseResult<HeartbeatConfig> load(Path dir, Optional<String> localNodeName) {
        Diagnostics diagnostics = new Diagnostics();
        if (!Files.isDirectory(dir)) {
            diagnostics.error(dir, 0, 0, "cannot read " + dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"),
                    "give the directory that holds ha.cf, haresources and authkeys, such as /etc/ha.d");
        }
        ParseResult<HaCf> haCf = new HaCfParser().parse(dir.resolve(HA_CF));
        ParseResult<Haresources> haresources = new HaresourcesParser().parse(dir.resolve(HARESOURCES));
        ParseResult<Authkeys> authkeys = new AuthkeysParser().parse(dir.resolve(AUTHKEYS));
        ParseResult<VigilConf> vigilConf = new VigilConfParser().parse(dir.resolve(VigilConfParser.FILE_NAME));
        if (Files.isDirectory(dir)) {
            diagnostics.addAll(haCf.diagnostics());
            diagnostics.addAll(haresources.diagnostics());
            diagnostics.addAll(authkeys.diagnostics());
            diagnostics.addAll(vigilConf.diagnostics());
            crossCheck(haCf.model(), haresources.model(), authkeys.model(), localNodeName, diagnostics);
            resourcePolicies(vigilConf.model(), haresources.model(), diagnostics);
        }
        return new ParseResult<>(new HeartbeatConfig(haCf.model(), haresources.model(), authkeys.model(), vigilConf.model()),
                diagnostics);
    }

    public static void crossCheck(HaCf haCf, Haresources haresources, Authkeys authkeys, Diagnostics diagnostics) {
        crossCheck(haCf, haresources, authkeys, Optional.empty(), diagnostics);
    }

    /** The checks that need more than one file. Each file's own checks are its parser's. */
    public static void crossCheck(HaCf haCf, Haresources haresources, Authkeys authkeys, Optional<String> localNodeName,
                                  Diagnostics diagnostics) {
        try {
            resourceNodes(haCf, haresources, diagnostics);
            ucastPeers(haCf, diagnostics);
            localNode(haCf, localNodeName, diagnostics);
        } catch (RuntimeException e) {
            diagnostics.error(haCf.file(), 0, 0, "internal error while cross-checking the heartbeat files: " + e.getClass().getName(), null);
        }
    }

    /**
     * Every group's preferred node must be a {@code node} of ha.cf, compared case-insensitively
     * ({@code config.c:parse_ha_resources} uses {@code lookup_node}); otherwise heartbeat logs
     * "Bad nodename in haresources" and does not start.
     */
    static void resourceNodes(HaCf haCf, Haresources haresources, Diagnostics d) {
        if (haCf.nodes().isEmpty()) return; // ha.cf's own "no node declared" error already covers every line
        List<String> nodeNames = haCf.nodes().stream().map(HaCf.Node::name).toList();
        for (Haresources.Group g : haresources.groups()) {
            if (haCf.hasNode(g.node()) || HeartbeatValues.looksLikePlaceholder(g.node())) continue;
            boolean isPing = haCf.pingTargets().stream().anyMatch(p -> HaCf.canonical(p.name()).equals(g.canonicalNode()));
            if (isPing) {
                d.error(g.location(), "'" + g.node() + "' is a ping node in " + haCf.file() + ", not a cluster node; it cannot hold resources",
                        "name one of the nodes: " + String.join(", ", nodeNames));
                continue;
            }
            Optional<String> close = Suggestions.closest(g.node(), nodeNames);
            d.error(g.location(), "node '" + g.node() + "' is not declared in " + haCf.file()
                            + ": heartbeat stops with 'Bad nodename in haresources [" + g.canonicalNode() + "]'",
                    close.map(c -> "did you mean '" + c + "'?")
                            .orElse("add 'node " + g.node() + "' to ha.cf, or use one of: " + String.join(", ", nodeNames)));
        }
    }

    /**
     * With unicast only, each node must reach every other node: a node's ha.cf needs a ucast
     * line towards each peer (a line naming its own address is ignored, so listing all nodes is
     * the usual way to keep one ha.cf for every node).
     */
    static void ucastPeers(HaCf haCf, Diagnostics d) {
        List<Medium> media = haCf.media();
        boolean onlyUnicast = !media.isEmpty() && media.stream().allMatch(m -> m instanceof Medium.Ucast || m instanceof Medium.Ucast6);
        Set<String> peers = new HashSet<>();
        for (Medium m : media) {
            String peer = m instanceof Medium.Ucast u ? u.peer() : m instanceof Medium.Ucast6 u6 ? u6.peer() : null;
            if (peer == null) continue;
            peers.add(peer.toLowerCase(Locale.ROOT));
            if (peer.startsWith("127.") || peer.equals("::1") || peer.equalsIgnoreCase("localhost")) {
                d.warning(m.location(), "ucast to the loopback address " + peer + " reaches no other node", null);
            }
            for (PingTarget p : haCf.pingTargets()) {
                if (p instanceof PingTarget.Ping ping && ping.address().equalsIgnoreCase(peer)) {
                    d.warning(m.location(), "ucast peer " + peer + " is also a ping node (line " + ping.location().line()
                            + "); ping nodes are not cluster nodes", null);
                }
            }
        }
        int otherNodes = haCf.nodes().size() - 1;
        if (onlyUnicast && otherNodes > 0 && peers.size() < otherNodes) {
            SourceLocation at = media.get(0).location();
            d.warning(at, "heartbeats go by ucast only, to " + peers.size() + " peer address(es), but the cluster has "
                            + haCf.nodes().size() + " nodes: each node needs a ucast line towards every other node",
                    "add a ucast line per node (a line naming this node's own address is ignored, so one ha.cf can list them all)");
        }
    }

    /**
     * A {@code resource} line of vigil.conf that names no resource of haresources is almost always a
     * typo, and its policy (monitoring, timeouts) would silently not apply.
     */
    static void resourcePolicies(VigilConf vigilConf, Haresources haresources, Diagnostics d) {
        Set<String> known = new HashSet<>();
        for (Haresources.Group g : haresources.groups()) {
            for (Haresources.Resource r : g.resources()) {
                known.add(r.text());
                known.add(r.script());
            }
        }
        if (known.isEmpty()) return;
        vigilConf.resources().forEach((name, policy) -> {
            if (known.contains(name)) return;
            SourceLocation at = policy.location().orElse(new SourceLocation(vigilConf.file(), 0, 0));
            Optional<String> close = Suggestions.closest(name, known);
            d.warning(at, "resource '" + name + "' is not in haresources; its settings apply to nothing",
                    close.map(c -> "did you mean '" + c + "'?").orElse("name a resource as written in haresources, or its script"));
        });
    }

    /** heartbeat: "Current node [x] not in configuration!" unless {@code autojoin any}. */
    static void localNode(HaCf haCf, Optional<String> localNodeName, Diagnostics d) {
        if (localNodeName.isEmpty() || localNodeName.get().isBlank()) return;
        String me = localNodeName.get().strip();
        if (haCf.hasNode(me) || haCf.autojoin().value() == HaCf.Autojoin.ANY) return;
        d.error(haCf.file(), 0, 0, "this node, '" + me + "' (uname -n), is not declared in " + haCf.file()
                        + ": heartbeat stops with 'Current node [" + HaCf.canonical(me) + "] not in configuration!'",
                "add 'node " + me + "' to ha.cf; node names must equal `uname -n`");
    }
}
