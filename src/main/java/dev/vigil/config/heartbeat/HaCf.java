package dev.vigil.config.heartbeat;

import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ha.cf as heartbeat 3.0.6 would run it: every setting with the value heartbeat ends up using
 * (the file's, or heartbeat's default or derived value) and where it came from. Built only by
 * {@link HaCfParser}; immutable.
 */
public final class HaCf {

    /** A cluster node. heartbeat stores names lowercased ({@code config.c:add_node}) and compares them so. */
    public record Node(String name, SourceLocation location) {
        /** The name as heartbeat keeps and compares it: ASCII lowercase. */
        public String canonicalName() {
            return canonical(name);
        }
    }

    /** {@code respawn}/{@code failfast USER COMMAND...}: a supervised program; {@code path} is the command's first word. */
    public record ClientChild(String user, String command, String path, boolean rebootIfItDies, SourceLocation location) {
    }

    /** {@code apiauth CLIENT uid=... gid=...}; {@code builtIn} marks heartbeat's defaults ({@code parse_config:defserv[]}). */
    public record ApiAuth(String client, List<String> uids, List<String> gids, boolean builtIn, Optional<SourceLocation> location) {
        public ApiAuth {
            uids = List.copyOf(uids);
            gids = List.copyOf(gids);
        }
    }

    /** {@code stonith TYPE CONFIGFILE}. */
    public record StonithDevice(String type, String configFile, SourceLocation location) {
    }

    /**
     * {@code stonith_host HOST TYPE PARAMS...}; {@code host} is {@code *} or a node name (lowercased,
     * as heartbeat compares it to the local node). The parameters usually hold a device password,
     * so they are a {@link Secret}.
     */
    public record StonithHost(String host, String type, Secret parameters, SourceLocation location) {
        @Override
        public String toString() {
            return "StonithHost[" + host + " " + type + " " + Secret.MASK + " at " + location + "]";
        }
    }

    /** {@code env NAME=value}: heartbeat exports it as {@code HA_NAME} ({@code config.c:set_env}). */
    public record EnvVar(String name, String value, SourceLocation location) {
        public String exportedName() {
            return "HA_" + name;
        }
    }

    /** One directive line as written, for tools that show or translate the file. Values are not kept for secret-bearing lines. */
    public record Directive(String name, List<String> values, SourceLocation location) {
        public Directive {
            values = List.copyOf(values);
        }
    }

    public enum AutoFailback {
        /** Resources go back to their preferred node when it comes back. */
        ON,
        /** Resources stay where they are. */
        OFF,
        /** heartbeat's deprecated default: the behaviour before nice_failback, warned about at start-up. */
        LEGACY
    }

    public enum MessageFormat { CLASSIC, NETSTRING }

    public enum UuidSource { FILE, NODENAME }

    public enum Autojoin { NONE, OTHER, ANY }

    public enum GenerationMethod { FILE, TIME }

    /** heartbeat's built-in API users: {@code HA_CCMUSER} and {@code HA_APIGROUP} of the Debian build. */
    static final String CCM_USER = "hacluster";
    static final String API_GROUP = "haclient";

    private final Path file;
    private final List<Node> nodes;
    private final List<Medium> media;
    private final List<PingTarget> pingTargets;
    private final Setting<Duration> keepalive;
    private final Setting<Duration> deadtime;
    private final Setting<Duration> warntime;
    private final Setting<Duration> initdead;
    private final Setting<Duration> deadping;
    private final Setting<Integer> udpPort;
    private final Setting<Integer> baud;
    private final Setting<AutoFailback> autoFailback;
    private final Setting<String> logFacility;
    private final Optional<Setting<String>> logFile;
    private final Optional<Setting<String>> debugFile;
    private final Setting<Boolean> useLogd;
    private final Setting<Integer> debugLevel;
    private final Setting<Boolean> logBadPackets;
    private final List<ClientChild> clientChildren;
    private final List<ApiAuth> apiAuth;
    private final List<EnvVar> environment;
    private final Optional<StonithDevice> stonith;
    private final List<StonithHost> stonithHosts;
    private final Optional<Setting<String>> watchdog;
    private final Setting<Integer> hopfudge;
    private final Setting<MessageFormat> messageFormat;
    private final Setting<Autojoin> autojoin;
    private final Setting<UuidSource> uuidFrom;
    private final Setting<GenerationMethod> generationMethod;
    private final Setting<Duration> maxRexmitDelay;
    private final Setting<String> compression;
    private final Setting<Integer> compressionThresholdKb;
    private final Setting<Boolean> traditionalCompression;
    private final Setting<Boolean> realtime;
    private final Setting<Boolean> coredumps;
    private final Setting<String> clusterName;
    private final List<Directive> directives;

    private HaCf(Builder b) {
        this.file = b.file;
        this.nodes = List.copyOf(b.nodes);
        this.media = List.copyOf(b.media);
        this.pingTargets = List.copyOf(b.pingTargets);
        this.keepalive = b.keepalive;
        this.deadtime = b.deadtime;
        this.warntime = b.warntime;
        this.initdead = b.initdead;
        this.deadping = b.deadping;
        this.udpPort = b.udpPort;
        this.baud = b.baud;
        this.autoFailback = b.autoFailback;
        this.logFacility = b.logFacility;
        this.logFile = Optional.ofNullable(b.logFile);
        this.debugFile = Optional.ofNullable(b.debugFile);
        this.useLogd = b.useLogd;
        this.debugLevel = b.debugLevel;
        this.logBadPackets = b.logBadPackets;
        this.clientChildren = List.copyOf(b.clientChildren);
        this.apiAuth = List.copyOf(b.apiAuth.values());
        this.environment = List.copyOf(b.environment);
        this.stonith = Optional.ofNullable(b.stonith);
        this.stonithHosts = List.copyOf(b.stonithHosts);
        this.watchdog = Optional.ofNullable(b.watchdog);
        this.hopfudge = b.hopfudge;
        this.messageFormat = b.messageFormat;
        this.autojoin = b.autojoin;
        this.uuidFrom = b.uuidFrom;
        this.generationMethod = b.generationMethod;
        this.maxRexmitDelay = b.maxRexmitDelay;
        this.compression = b.compression;
        this.compressionThresholdKb = b.compressionThresholdKb;
        this.traditionalCompression = b.traditionalCompression;
        this.realtime = b.realtime;
        this.coredumps = b.coredumps;
        this.clusterName = b.clusterName;
        this.directives = List.copyOf(b.directives);
    }

    /** ASCII lowercase, as heartbeat's {@code inplace_ascii_strdown}/{@code g_strdown} do for node names. */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public Path file() { return file; }

    /** The {@code node} entries in file order (duplicates kept, as heartbeat keeps them). */
    public List<Node> nodes() { return nodes; }

    /** Node lookup as heartbeat's {@code lookup_node}: case-insensitive. */
    public Optional<Node> node(String name) {
        String wanted = canonical(name);
        return nodes.stream().filter(n -> n.canonicalName().equals(wanted)).findFirst();
    }

    public boolean hasNode(String name) {
        return node(name).isPresent();
    }

    public List<Medium> media() { return media; }

    public List<PingTarget> pingTargets() { return pingTargets; }

    /** Interval between heartbeats (heartbeat's default 1000 ms, {@code config.c:Directives[]}). */
    public Setting<Duration> keepalive() { return keepalive; }

    /** Silence before a node is declared dead (default 30 s). */
    public Setting<Duration> deadtime() { return deadtime; }

    /** Lateness that logs "Late heartbeat" (default deadtime/2, {@code init_config}). */
    public Setting<Duration> warntime() { return warntime; }

    /** Dead time right after start-up (default derived from deadtime, {@code init_config}). */
    public Setting<Duration> initdead() { return initdead; }

    /** Dead time for ping nodes (default deadtime). */
    public Setting<Duration> deadping() { return deadping; }

    /** The last {@code udpport} value (what {@code cl_status hbparameter -p udpport} shows); media carry the port they really use. */
    public Setting<Integer> udpPort() { return udpPort; }

    public Setting<Integer> baud() { return baud; }

    public Setting<AutoFailback> autoFailback() { return autoFailback; }

    /** Syslog facility name, {@code none} when not logging to syslog. */
    public Setting<String> logFacility() { return logFacility; }

    public Optional<Setting<String>> logFile() { return logFile; }

    public Optional<Setting<String>> debugFile() { return debugFile; }

    public Setting<Boolean> useLogd() { return useLogd; }

    public Setting<Integer> debugLevel() { return debugLevel; }

    public Setting<Boolean> logBadPackets() { return logBadPackets; }

    /** {@code respawn} and {@code failfast} programs in file order. */
    public List<ClientChild> clientChildren() { return clientChildren; }

    /** {@code apiauth} entries: the file's, then heartbeat's built-in ones for clients the file did not name. */
    public List<ApiAuth> apiAuth() { return apiAuth; }

    public List<EnvVar> environment() { return environment; }

    public Optional<StonithDevice> stonith() { return stonith; }

    public List<StonithHost> stonithHosts() { return stonithHosts; }

    public Optional<Setting<String>> watchdog() { return watchdog; }

    public Setting<Integer> hopfudge() { return hopfudge; }

    public Setting<MessageFormat> messageFormat() { return messageFormat; }

    public Setting<Autojoin> autojoin() { return autojoin; }

    public Setting<UuidSource> uuidFrom() { return uuidFrom; }

    public Setting<GenerationMethod> generationMethod() { return generationMethod; }

    public Setting<Duration> maxRexmitDelay() { return maxRexmitDelay; }

    public Setting<String> compression() { return compression; }

    public Setting<Integer> compressionThresholdKb() { return compressionThresholdKb; }

    public Setting<Boolean> traditionalCompression() { return traditionalCompression; }

    public Setting<Boolean> realtime() { return realtime; }

    public Setting<Boolean> coredumps() { return coredumps; }

    public Setting<String> clusterName() { return clusterName; }

    /** Every directive line in file order (values of stonith lines left out: they may hold passwords). */
    public List<Directive> directives() { return directives; }

    @Override
    public String toString() {
        return "HaCf[" + file + ": nodes=" + nodes.stream().map(Node::name).toList()
                + ", media=" + media.size() + ", keepalive=" + HeartbeatValues.format(keepalive.value())
                + ", deadtime=" + HeartbeatValues.format(deadtime.value()) + "]";
    }

    /** Mutable state while {@link HaCfParser} reads a file; starts at heartbeat's defaults. */
    static final class Builder {
        final Path file;
        final List<Node> nodes = new ArrayList<>();
        final List<Medium> media = new ArrayList<>();
        final List<PingTarget> pingTargets = new ArrayList<>();
        Setting<Duration> keepalive = Setting.byDefault(Duration.ofMillis(1000));
        Setting<Duration> deadtime = Setting.byDefault(Duration.ofMillis(30000));
        Setting<Duration> warntime;
        Setting<Duration> initdead;
        Setting<Duration> deadping;
        Setting<Integer> udpPort = Setting.byDefault(694);
        Setting<Integer> baud = Setting.byDefault(19200);
        Setting<AutoFailback> autoFailback = Setting.byDefault(AutoFailback.LEGACY);
        Setting<String> logFacility = Setting.byDefault("none");
        Setting<String> logFile;
        Setting<String> debugFile;
        Setting<Boolean> useLogd = Setting.byDefault(false);
        Setting<Integer> debugLevel = Setting.byDefault(0);
        Setting<Boolean> logBadPackets = Setting.byDefault(true);
        final List<ClientChild> clientChildren = new ArrayList<>();
        final Map<String, ApiAuth> apiAuth = new LinkedHashMap<>();
        final List<EnvVar> environment = new ArrayList<>();
        StonithDevice stonith;
        final List<StonithHost> stonithHosts = new ArrayList<>();
        Setting<String> watchdog;
        Setting<Integer> hopfudge = Setting.byDefault(1);
        Setting<MessageFormat> messageFormat = Setting.byDefault(MessageFormat.CLASSIC);
        Setting<Autojoin> autojoin = Setting.byDefault(Autojoin.NONE);
        Setting<UuidSource> uuidFrom = Setting.byDefault(UuidSource.FILE);
        Setting<GenerationMethod> generationMethod = Setting.byDefault(GenerationMethod.FILE);
        Setting<Duration> maxRexmitDelay = Setting.byDefault(Duration.ofMillis(250));
        Setting<String> compression = Setting.byDefault("zlib");
        Setting<Integer> compressionThresholdKb = Setting.byDefault(2);
        Setting<Boolean> traditionalCompression = Setting.byDefault(false);
        Setting<Boolean> realtime = Setting.byDefault(true);
        Setting<Boolean> coredumps = Setting.byDefault(true);
        Setting<String> clusterName = Setting.byDefault("linux-ha");
        final List<Directive> directives = new ArrayList<>();

        Builder(Path file) {
            this.file = file;
        }

        HaCf build() {
            return new HaCf(this);
        }
    }
}
