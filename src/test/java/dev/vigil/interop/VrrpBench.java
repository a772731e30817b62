package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.MS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VRRP-mode benchmark of issue 4, Vigil against keepalived 2.2.7 in one run on one machine, in
 * {@link InteropLab} namespaces. Not a test (the name matches none of surefire's patterns and it
 * asserts nothing about speed): {@code src/bench/vrrp.sh} runs it with {@code -Dtest=VrrpBench}.
 *
 * <ul>
 *   <li><b>failover</b>: a pair of one implementation (master priority 150 on host a, backup 100 on
 *       b); kill -9 of the master, then the time until the VIP appears on b ({@code ip monitor}) and
 *       the silence on the wire from a's last advert to b's first (both stamped by the kernel: the
 *       capture's frame time, the monitor line's arrival). v2 1 s, v3 0.1 s, v3 0.01 s.</li>
 *   <li><b>resources</b>: N instances (VRID 1..N, one /32 VIP each, v3 0.1 s, one interface) with
 *       each implementation as master and the other kind as backup; CPU from
 *       the nanoseconds on a CPU ({@code /proc/PID/task/TID/schedstat}) over the window of every thread of every process of the daemon
 *       (keepalived: parent and VRRP child), VmRSS and RssAnon summed at the end; advert lateness
 *       = captured gap between one VRID's consecutive adverts minus the interval.</li>
 *   <li><b>start</b>: process spawn to the first advert on the wire of a priority-255 owner (which
 *       may send at once, RFC 5798 §6.4.1), and to its VIP.</li>
 * </ul>
 *
 * Properties: {@code bench.runs} (10), {@code bench.window} (seconds, 60), {@code bench.cases}
 * (failover,resources,start), {@code bench.sizes} (1,100,255), {@code bench.settle} (seconds, 60), {@code bench.jar}
 * (target/vigil.jar), {@code bench.smallFlags}, {@code bench.out} (target/bench).
 */
@Tag("bench")
@Tag("netns")
class VrrpBench {

    static final int RUNS = Integer.getInteger("bench.runs", 10);
    static final int WINDOW_S = Integer.getInteger("bench.window", 60);
    static final Set<String> CASES = Set.of(System.getProperty("bench.cases", "failover,resources,start").split(","));
    static final List<Integer> SIZES = Arrays.stream(System.getProperty("bench.sizes", "1,100,255").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    static final String JAR = System.getProperty("bench.jar", "target/vigil.jar");
    /** The flags conf/systemd/vigil-vrrp.service ships, so what is measured is what is installed; docs/benchmarks.md "JVM flags". */
    static final String SMALL_FLAGS = System.getProperty("bench.smallFlags", unitFlags(Path.of("conf/systemd/vigil-vrrp.service")));
    /**
     * Seconds between convergence and the resources window. A daemon runs for months and its
     * JIT compilations are a start-up cost: Netty's loop and the pcap reads, which the warm-up does
     * not drive, are compiled 30-45 s into a backup's life at 100 instances (-XX:+PrintCompilation).
     */
    static final int SETTLE_S = Integer.getInteger("bench.settle", 60);
    static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));
    static final String VIP = "10.240.7.200";

    /** The JVM options of a unit's {@code ExecStart} (continuation lines joined): the words between java and {@code -jar}. */
    static String unitFlags(Path unit) {
        String text;
        try {
            text = Files.readString(unit).replace("\\\n", " ");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String line : text.split("\n")) {
            if (!line.startsWith("ExecStart=")) continue;
            List<String> words = Arrays.asList(line.trim().split("\\s+"));
            int jar = words.indexOf("-jar");
            if (jar < 1) break;
            return String.join(" ", words.subList(1, jar));
        }
        throw new IllegalStateException(unit + ": no ExecStart line with java ... -jar");
    }

    /** One implementation as launched: keepalived, or Vigil with a JVM command line. */
    record Impl(String name, List<String> launcher) {
        boolean keepalived() {
            return launcher == null;
        }

        boolean vigil() {
            return launcher != null;
        }
    }

    static final Impl KEEPALIVED = new Impl("keepalived", null);
    static final Impl VIGIL;
    static final Impl VIGIL_SMALL;

    static {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(JAR).toAbsolutePath().toString();
        VIGIL = new Impl("vigil", List.of(java, "-jar", jar));
        List<String> small = new ArrayList<>(List.of(java));
        small.addAll(Arrays.asList(SMALL_FLAGS.trim().split("\\s+")));
        small.addAll(List.of("-jar", jar));
        VIGIL_SMALL = new Impl("vigil-small", List.copyOf(small));
    }

    private final StringBuilder md = new StringBuilder();
    private final Random random = new Random(4);

    @Test
    void vrrp(@TempDir Path dir) throws Exception {
        Files.createDirectories(OUT);
        if (!Files.isRegularFile(Path.of(JAR))) throw new IllegalStateException(JAR + " missing: run mvn package first");
        md.append("### Environment\n\n").append(environment()).append('\n');
        write("vrrp-env.tsv", "key\tvalue\n" + environmentTsv());
        if (CASES.contains("failover")) failover(dir.resolve("failover"));
        if (CASES.contains("resources")) resources(dir.resolve("resources"));
        if (CASES.contains("start")) start(dir.resolve("start"));
        md.append("Load average at the end: ").append(load()).append("\n");
        write("vrrp.md", md.toString());
        System.out.println(md);
    }

    // ------------------------------------------------------------------ failover

    record Timing(int version, String advertInt, int centis) {
        String label() {
            return "v" + version + " " + advertInt + " s";
        }
    }

    static final List<Timing> TIMINGS = List.of(new Timing(2, "1", 100), new Timing(3, "0.1", 10), new Timing(3, "0.01", 1));

    record FailoverRow(String impl, Timing timing, int run, double killToVip, double lastAdvertToVip, double lastToFirstAdvert,
                       double killToFirstAdvert, String load) {
    }

    private void failover(Path dir) throws Exception {
        List<FailoverRow> rows = new ArrayList<>();
        StringBuilder tsv = new StringBuilder("impl\ttiming\trun\tkill_to_vip_ms\tlast_advert_to_vip_ms\tlast_to_first_advert_ms"
                + "\tkill_to_first_advert_ms\tmaster_down_ms\tload\n");
        String loadBefore = load();
        for (Timing t : TIMINGS) {
            for (Impl impl : List.of(KEEPALIVED, VIGIL, VIGIL_SMALL)) {
                Path d = Files.createDirectories(dir.resolve(impl.name() + "-" + t.centis()));
                for (FailoverRow r : failoverRuns(d, impl, t)) {
                    rows.add(r);
                    tsv.append(String.join("\t", r.impl(), t.label(), String.valueOf(r.run()), f(r.killToVip()),
                            f(r.lastAdvertToVip()), f(r.lastToFirstAdvert()), f(r.killToFirstAdvert()),
                            f(InteropLab.masterDown(t.version(), 100, t.centis()) / 1e6), r.load())).append('\n');
                }
                write("vrrp-failover.tsv", tsv.toString());
            }
        }
        md.append("### kill -9 of the master → VIP up on the backup\n\n")
                .append("Pairs of one implementation: master priority 150, backup priority 100; ").append(RUNS)
                .append(" runs per row. Load average before: ").append(loadBefore).append(", after: ").append(load())
                .append(".\n\n")
                .append("| implementation | version, advert_int | Master_Down_Interval | kill → VIP up: median (min–max) ms"
                        + " | A's last advert → VIP up on B: median (min–max) ms | A's last advert → B's first advert: median ms"
                        + " | ratio Vigil/keepalived (kill → VIP; last advert → VIP) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Timing t : TIMINGS) {
            List<FailoverRow> ka = rows.stream().filter(r -> r.timing().equals(t) && r.impl().equals("keepalived")).toList();
            for (Impl impl : List.of(KEEPALIVED, VIGIL, VIGIL_SMALL)) {
                List<FailoverRow> rs = rows.stream().filter(r -> r.timing().equals(t) && r.impl().equals(impl.name())).toList();
                if (rs.isEmpty()) continue;
                String ratio = "–";
                if (impl.vigil() && !ka.isEmpty()) {
                    ratio = String.format(Locale.ROOT, "%.2f; %.2f",
                            median(rs, FailoverRow::killToVip) / median(ka, FailoverRow::killToVip),
                            median(rs, FailoverRow::lastAdvertToVip) / median(ka, FailoverRow::lastAdvertToVip));
                }
                md.append("| ").append(impl.name()).append(" | ").append(t.label()).append(" | ")
                        .append(f(InteropLab.masterDown(t.version(), 100, t.centis()) / 1e6)).append(" | ")
                        .append(spread(rs, FailoverRow::killToVip)).append(" | ").append(spread(rs, FailoverRow::lastAdvertToVip))
                        .append(" | ").append(f(median(rs, FailoverRow::lastToFirstAdvert))).append(" | ").append(ratio).append(" |\n");
            }
        }
        md.append('\n');
    }

    private List<FailoverRow> failoverRuns(Path dir, Impl impl, Timing t) throws Exception {
        List<FailoverRow> rows = new ArrayList<>();
        int vrid = 51;
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            Daemon backup = Daemon.start(lab, impl, "b", config("b", 1, vrid, 100, t, false));
            backup.awaitReady();
            for (int run = 1; run <= RUNS; run++) {
                Daemon master = Daemon.start(lab, impl, "a", config("a", 1, vrid, 150, t, false));
                master.awaitReady();
                lab.awaitSoleHolder(VIP, "a", 60_000);
                // a random phase between the last advert and the kill, as a real crash has
                Thread.sleep(1000 + random.nextInt(Math.max(1, t.centis() * 10)));
                String load = load();
                long killAt = System.nanoTime();
                master.node().kill9();
                lab.awaitHolder(VIP, "b", 15_000);
                long vipAt = lab.firstAdded("b", VIP, killAt).orElseThrow();
                long last = lab.lastAdvertFrom("a", vrid, vipAt).orElseThrow().atNanos();
                long first = lab.firstAdvertFrom("b", vrid, killAt).orElseThrow().atNanos();
                rows.add(new FailoverRow(impl.name(), t, run, (vipAt - killAt) / 1e6, (vipAt - last) / 1e6, (first - last) / 1e6,
                        (first - killAt) / 1e6, load));
                System.out.printf("failover %s %s run %d: kill->VIP %.1f ms, last advert->VIP %.1f ms%n", impl.name(), t.label(), run,
                        (vipAt - killAt) / 1e6, (vipAt - last) / 1e6);
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ resources

    /** The CPU and memory of one daemon over a window. */
    record Usage(double cpu, long rssKb, long anonKb) {
    }

    /**
     * One run: the master's kind and usage, and the usage of the three backups (keepalived, Vigil,
     * Vigil with the small flags) that received the very same frames from it.
     */
    record ResourceRow(int instances, String master, Usage masterUsage, Usage keepalivedBackup, Usage vigilBackup,
                       Usage smallBackup, long adverts, long expected, double p50, double p99, double max, long backupAdverts,
                       String load) {
    }

    /**
     * CPU and memory at N instances. Every run has one master and three backups of it on one bridge:
     * keepalived, Vigil and Vigil with the small flags, so backups are compared on one advert stream
     * (a backup's cost depends on how its master bunches its adverts: Vigil's master sends each
     * instance's advert from its own timer, keepalived's in bursts, and comparing a Vigil backup of a
     * keepalived master with a keepalived backup of a Vigil master flattered keepalived by ~1.5x).
     * Masters are compared across runs that have the same three backups.
     */
    private void resources(Path dir) throws Exception {
        List<ResourceRow> rows = new ArrayList<>();
        StringBuilder tsv = new StringBuilder("instances\tmaster\tmaster_cpu_pct\tmaster_rss_kb\tmaster_anon_kb"
                + "\tkeepalived_backup_cpu_pct\tkeepalived_backup_rss_kb\tvigil_backup_cpu_pct\tvigil_backup_rss_kb"
                + "\tvigil_small_backup_cpu_pct\tvigil_small_backup_rss_kb\tadverts\texpected\tlateness_p50_ms"
                + "\tlateness_p99_ms\tlateness_max_ms\tbackup_adverts\tload\n");
        Timing t = new Timing(3, "0.1", 10);
        for (int n : SIZES) {
            for (Impl m : List.of(KEEPALIVED, VIGIL, VIGIL_SMALL)) {
                ResourceRow r = resourceRun(Files.createDirectories(dir.resolve(n + "-" + m.name())), n, m, t);
                rows.add(r);
                tsv.append(r.instances()).append('\t').append(r.master()).append('\t');
                for (Usage u : List.of(r.masterUsage(), r.keepalivedBackup(), r.vigilBackup(), r.smallBackup())) {
                    tsv.append(f3(u.cpu())).append('\t').append(u.rssKb()).append('\t');
                    if (u == r.masterUsage()) tsv.append(u.anonKb()).append('\t');
                }
                tsv.append(r.adverts()).append('\t').append(r.expected()).append('\t')
                        .append(f3(r.p50())).append('\t').append(f3(r.p99())).append('\t').append(f3(r.max())).append('\t')
                        .append(r.backupAdverts()).append('\t').append(r.load()).append('\n');
                write("vrrp-resources.tsv", tsv.toString());
            }
        }
        md.append("### CPU, memory and advert lateness at v3 0.1 s on one interface\n\n")
                .append("N instances (VRID 1..N, one /32 VIP each). Each run: a master (priority 150) on host a and three"
                        + " backups of it (priority 100) on hosts b, c, d: keepalived, vigil, vigil-small, all receiving the"
                        + " same frames; ")
                .append(WINDOW_S).append(" s window after convergence plus ").append(SETTLE_S).append(" s. CPU = schedstat run time of every thread of every process of the daemon"
                        + " over the window, % of one core. RSS = VmRSS summed over those processes at the end (the"
                        + " master's RssAnon in parentheses). Lateness = gap between one VRID's consecutive adverts on the"
                        + " wire minus 100 ms, pooled over the VRIDs. Ratios: backups against keepalived's backup in the same"
                        + " run; masters against keepalived's master at the same N.\n\n")
                .append("| N | master | master CPU % | master RSS MB (anon) | keepalived backup CPU % / RSS MB"
                        + " | vigil backup CPU % / RSS MB | vigil-small backup CPU % / RSS MB | backup CPU ratio vigil; vigil-small"
                        + " | master CPU ratio to keepalived's | adverts seen / expected | master lateness p50 / p99 / max ms"
                        + " | backup adverts (flaps) | load avg |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ResourceRow r : rows) {
            double kMaster = rows.stream().filter(x -> x.instances() == r.instances() && x.master().equals(KEEPALIVED.name()))
                    .mapToDouble(x -> x.masterUsage().cpu()).findFirst().orElse(Double.NaN);
            md.append("| ").append(r.instances()).append(" | ").append(r.master()).append(" | ")
                    .append(f3(r.masterUsage().cpu())).append(" | ")
                    .append(mb(r.masterUsage().rssKb())).append(" (").append(mb(r.masterUsage().anonKb())).append(") | ");
            for (Usage u : List.of(r.keepalivedBackup(), r.vigilBackup(), r.smallBackup())) {
                md.append(f3(u.cpu())).append(" / ").append(mb(u.rssKb())).append(" | ");
            }
            md.append(ratio(r.vigilBackup().cpu(), r.keepalivedBackup().cpu())).append("; ")
                    .append(ratio(r.smallBackup().cpu(), r.keepalivedBackup().cpu())).append(" | ")
                    .append(r.master().equals(KEEPALIVED.name()) ? "–" : ratio(r.masterUsage().cpu(), kMaster)).append(" | ")
                    .append(r.adverts()).append(" / ").append(r.expected()).append(" | ")
                    .append(f(r.p50())).append(" / ").append(f(r.p99())).append(" / ").append(f(r.max())).append(" | ")
                    .append(r.backupAdverts()).append(" | ").append(r.load()).append(" |\n");
        }
        md.append('\n');
    }

    private static String ratio(double a, double b) {
        return b > 0 ? String.format(java.util.Locale.ROOT, "%.2f", a / b) : "–";
    }

    private ResourceRow resourceRun(Path dir, int n, Impl masterImpl, Timing t) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b", "c", "d")) {
            Map<String, Impl> backups = new LinkedHashMap<>();
            backups.put("b", KEEPALIVED);
            backups.put("c", VIGIL);
            backups.put("d", VIGIL_SMALL);
            Map<String, Daemon> running = new LinkedHashMap<>();
            for (var e : backups.entrySet()) running.put(e.getKey(), Daemon.start(lab, e.getValue(), e.getKey(), config(e.getKey(), n, 1, 100, t, true)));
            Daemon master = Daemon.start(lab, masterImpl, "a", config("a", n, 1, 150, t, true));
            for (Daemon d : running.values()) d.awaitReady();
            master.awaitReady();
            InteropLab.await(180_000, () -> vipCount(lab, "a") == n && backups.keySet().stream().allMatch(h -> vipCount(lab, h) == 0),
                    n + " VIPs on a, none on the backups; now a " + vipCount(lab, "a") + "\n" + lab.logs());
            Thread.sleep(SETTLE_S * 1000L); // past the GARP bursts and the JIT's compilations
            List<Long> mp = master.pids();
            Map<String, List<Long>> bp = new LinkedHashMap<>();
            for (var e : running.entrySet()) bp.put(e.getKey(), e.getValue().pids());
            lab.wire.clear();
            String load = load();
            double m0 = cpuCentis(mp);
            Map<String, Double> b0 = new LinkedHashMap<>();
            for (var e : bp.entrySet()) b0.put(e.getKey(), cpuCentis(e.getValue()));
            long from = System.nanoTime();
            Thread.sleep(WINDOW_S * 1000L);
            double m1 = cpuCentis(mp);
            Map<String, Double> b1 = new LinkedHashMap<>();
            for (var e : bp.entrySet()) b1.put(e.getKey(), cpuCentis(e.getValue()));
            long to = System.nanoTime();
            double seconds = (to - from) / 1e9;
            long[] mm = memory(mp);
            Map<String, Usage> usage = new LinkedHashMap<>();
            for (var e : bp.entrySet()) {
                long[] mem = memory(e.getValue());
                usage.put(e.getKey(), new Usage((b1.get(e.getKey()) - b0.get(e.getKey())) / seconds, mem[0], mem[1]));
            }
            String a = lab.ipOf("a");
            java.util.Set<String> backupIps = new java.util.HashSet<>();
            for (String h : backups.keySet()) backupIps.add(lab.ipOf(h));
            Map<Integer, List<Long>> byVrid = new LinkedHashMap<>();
            long backupAdverts = 0;
            long count = 0;
            for (InteropLab.Advert x : lab.wire) {
                if (x.atNanos() < from || x.atNanos() >= to) continue;
                String src = x.source().getHostAddress();
                if (backupIps.contains(src)) backupAdverts++;
                if (!src.equals(a)) continue;
                count++;
                byVrid.computeIfAbsent(x.vrid(), k -> new ArrayList<>()).add(x.atNanos());
            }
            List<Long> lateness = new ArrayList<>();
            for (List<Long> ts : byVrid.values()) {
                Collections.sort(ts);
                for (int i = 1; i < ts.size(); i++) lateness.add(ts.get(i) - ts.get(i - 1) - t.centis() * 10 * MS);
            }
            Collections.sort(lateness);
            long expected = Math.round(n * seconds * 100.0 / t.centis());
            ResourceRow r = new ResourceRow(n, masterImpl.name(), new Usage((m1 - m0) / seconds, mm[0], mm[1]), usage.get("b"),
                    usage.get("c"), usage.get("d"), count, expected, pct(lateness, 0.50) / 1e6, pct(lateness, 0.99) / 1e6,
                    lateness.isEmpty() ? Double.NaN : lateness.get(lateness.size() - 1) / 1e6, backupAdverts, load);
            System.out.println("resources " + r);
            lab.wire.clear();
            // each daemon's log beside the figures: a row out of line is read from them, not guessed
            Path logs = Files.createDirectories(OUT.resolve("logs"));
            running.put("a", master);
            for (var e : running.entrySet()) {
                Files.writeString(logs.resolve("resources-" + n + "-" + masterImpl.name() + "-master-" + e.getKey() + "-"
                        + e.getValue().impl().name() + ".log"), e.getValue().node().log());
            }
            return r;
        }
    }

    private static int vipCount(InteropLab lab, String host) {
        String out = lab.exec(host, "ip", "-4", "-o", "addr", "show", "dev", "vg0").output();
        int c = 0;
        for (String line : out.split("\n")) if (line.contains(" 10.250.")) c++;
        return c;
    }

    /**
     * CPU time of every thread of the processes, in hundredths of a second (so per second of window
     * it is % of one core), from each thread's {@code /proc/PID/task/TID/schedstat} (nanoseconds on a
     * CPU). The ticks of {@code /proc/PID/stat} were too coarse: one tick over a 30 s window is
     * 0.03 % of a core, keepalived's whole figure at one instance.
     */
    static double cpuCentis(List<Long> pids) throws IOException {
        long nanos = 0;
        for (long pid : pids) {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String line = Files.readString(t.resolve("schedstat")).trim();
                        nanos += Long.parseLong(line.substring(0, line.indexOf(' ')));
                    } catch (java.nio.file.NoSuchFileException e) {
                        // the thread ended between the listing and the read
                    }
                }
            }
        }
        return nanos / 1e7;
    }

    /** {VmRSS, RssAnon} in kB, summed. */
    static long[] memory(List<Long> pids) throws IOException {
        long rss = 0;
        long anon = 0;
        for (long pid : pids) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) rss += kb(line);
                if (line.startsWith("RssAnon:")) anon += kb(line);
            }
        }
        return new long[] {rss, anon};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    // ------------------------------------------------------------------ start

    record StartRow(String impl, int run, double toFirstAdvert, double toVip, String load) {
    }

    private void start(Path dir) throws Exception {
        List<StartRow> rows = new ArrayList<>();
        StringBuilder tsv = new StringBuilder("impl\trun\tspawn_to_first_advert_ms\tspawn_to_vip_ms\tload\n");
        Timing t = new Timing(3, "0.1", 10);
        int vrid = 52;
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            for (Impl impl : List.of(KEEPALIVED, VIGIL, VIGIL_SMALL)) {
                for (int run = 1; run <= RUNS; run++) {
                    String load = load();
                    long spawned = System.nanoTime();
                    Daemon d = Daemon.start(lab, impl, "a", config("a", 1, vrid, 255, t, false));
                    InteropLab.await(60_000, () -> lab.firstAdvertFrom("a", vrid, spawned).isPresent()
                            && lab.firstAdded("a", VIP, spawned).isPresent(), "first advert and VIP of " + impl.name()
                            + "\n" + lab.logs());
                    long advert = lab.firstAdvertFrom("a", vrid, spawned).orElseThrow().atNanos();
                    long vip = lab.firstAdded("a", VIP, spawned).orElseThrow();
                    StartRow r = new StartRow(impl.name(), run, (advert - spawned) / 1e6, (vip - spawned) / 1e6, load);
                    rows.add(r);
                    tsv.append(impl.name()).append('\t').append(run).append('\t').append(f(r.toFirstAdvert())).append('\t')
                            .append(f(r.toVip())).append('\t').append(load).append('\n');
                    System.out.println("start " + r);
                    d.node().kill9();
                    // kill -9 leaves the VIP: take it away so the next start's add shows in ip monitor
                    lab.exec("a", "ip", "addr", "del", VIP + "/24", "dev", "vg0");
                    Thread.sleep(300);
                }
                write("vrrp-start.tsv", tsv.toString());
            }
        }
        md.append("### Start → first advert (priority-255 owner, v3 0.1 s, one instance, no peer)\n\n")
                .append("From the process spawn (`ip netns exec NS keepalived|java …`) to its first advert on the wire and to the"
                        + " VIP in the kernel; ").append(RUNS).append(" runs.\n\n")
                .append("| implementation | spawn → first advert: median (min–max) ms | spawn → VIP: median (min–max) ms |\n")
                .append("|---|---|---|\n");
        for (Impl impl : List.of(KEEPALIVED, VIGIL, VIGIL_SMALL)) {
            List<StartRow> rs = rows.stream().filter(r -> r.impl().equals(impl.name())).toList();
            md.append("| ").append(impl.name()).append(" | ").append(spread(rs, StartRow::toFirstAdvert)).append(" | ")
                    .append(spread(rs, StartRow::toVip)).append(" |\n");
        }
        md.append('\n');
    }

    // ------------------------------------------------------------------ daemons

    /** A started daemon of either kind and how to find its processes. */
    record Daemon(InteropLab lab, Impl impl, String host, InteropLab.Node node) {
        static Daemon start(InteropLab lab, Impl impl, String host, String config) throws IOException {
            if (impl.keepalived()) {
                Path d = lab.keepalivedDir(host);
                for (String f : List.of("parent.pid", "vrrp.pid")) Files.deleteIfExists(d.resolve(f));
                return new Daemon(lab, impl, host, lab.keepalived(host, config));
            }
            return new Daemon(lab, impl, host, lab.vigil(host, config, impl.launcher()));
        }

        void awaitReady() throws Exception {
            if (node instanceof InteropLab.VigilNode v) {
                v.awaitReady();
            } else {
                Path d = lab.keepalivedDir(host);
                InteropLab.await(30_000, () -> Files.exists(d.resolve("vrrp.pid")) && Files.exists(d.resolve("parent.pid")),
                        "keepalived on " + host + " started\n" + node.log());
            }
        }

        /** keepalived: the parent and its VRRP child (-P: no checker); Vigil: the JVM. */
        List<Long> pids() throws IOException {
            if (node instanceof InteropLab.VigilNode v) return List.of(v.pid());
            Path d = lab.keepalivedDir(host);
            return List.of(Long.parseLong(Files.readString(d.resolve("parent.pid")).trim()),
                    Long.parseLong(Files.readString(d.resolve("vrrp.pid")).trim()));
        }
    }

    /**
     * keepalived.conf for {@code n} instances from VRID {@code firstVrid}: with {@code many}, VIP
     * 10.250.V/32 each (a distinct address per VRID), else the lab's one VIP.
     */
    static String config(String routerId, int n, int firstVrid, int priority, Timing t, boolean many) {
        StringBuilder sb = new StringBuilder(Conf.globals(routerId, ""));
        for (int i = 0; i < n; i++) {
            int vrid = firstVrid + i;
            String vip = many ? "10.250." + (vrid / 256) + "." + (vrid % 256) + "/32" : VIP + "/24";
            sb.append("""
                    vrrp_instance VI_%d {
                        state %s
                        interface vg0
                        virtual_router_id %d
                        priority %d
                        advert_int %s
                        version %d
                        virtual_ipaddress {
                            %s dev vg0
                        }
                    }
                    """.formatted(vrid, priority == 255 ? "MASTER" : "BACKUP", vrid, priority, t.advertInt(), t.version(), vip));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ numbers and text

    static <T> double median(List<T> rows, Function<T, Double> v) {
        List<Double> xs = rows.stream().map(v).sorted().toList();
        int n = xs.size();
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
    }

    static <T> String spread(List<T> rows, Function<T, Double> v) {
        DoubleSummary s = DoubleSummary.of(rows.stream().map(v).toList());
        return f(median(rows, v)) + " (" + f(s.min()) + "–" + f(s.max()) + ")";
    }

    record DoubleSummary(double min, double max) {
        static DoubleSummary of(List<Double> xs) {
            return new DoubleSummary(xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String f(double x) {
        return String.format(Locale.ROOT, "%.1f", x);
    }

    static String f3(double x) {
        return String.format(Locale.ROOT, x < 1 ? "%.3f" : "%.2f", x);
    }

    static String mb(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String environment() {
        StringBuilder sb = new StringBuilder();
        environmentMap().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    private static String environmentTsv() {
        return environmentMap().entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).collect(Collectors.joining("\n")) + "\n";
    }

    private static Map<String, String> environmentMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("kernel", read("/proc/sys/kernel/osrelease"));
        m.put("load average (1, 5, 15 min) at start", load());
        m.put("keepalived", firstLine("/usr/sbin/keepalived", "-v"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("vigil launch", String.join(" ", VIGIL.launcher()).replace(Path.of(JAR).toAbsolutePath().toString(), JAR));
        m.put("vigil-small launch", String.join(" ", VIGIL_SMALL.launcher()).replace(Path.of(JAR).toAbsolutePath().toString(), JAR));
        m.put("runs per case", String.valueOf(RUNS));
        m.put("CPU window", WINDOW_S + " s");
        m.put("settle before the CPU window", SETTLE_S + " s after convergence");
        return m;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String firstLine(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("?");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(OUT.resolve(name), text);
    }
}
