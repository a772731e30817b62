package dev.vigil.bench;

import dev.vigil.heartbeat.interop.HbClusterNode;
import dev.vigil.heartbeat.interop.RealHeartbeatNode;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import dev.vigil.transport.pcap.PcapLink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Benchmark of issue 3 (not a test: surefire never picks it up, the name matches none of its
 * patterns): {@code kill -9} of the active node of a heartbeat-mode pair to the virtual address
 * answering on the survivor, for real heartbeat 3.0.6 pairs and Vigil pairs given the same
 * {@code ha.cf}/{@code haresources}/{@code authkeys}, at two timing profiles. Run it through
 * {@code src/bench/heartbeat-failover.sh}.
 *
 * <p>Every run builds a fresh LAN of namespaces (bridge, nodes {@code a} and {@code b}, a third
 * host {@code c} as the client), starts the pair, waits until {@code a} holds and answers for the
 * address and both sides are stable, stays quiet for two seconds, then kills every process of
 * {@code a}'s daemon with SIGKILL. All events are put on one clock, microseconds since the epoch:
 * <ul>
 *   <li><b>kill</b>: just before the first SIGKILL;</li>
 *   <li><b>last status</b>: the last {@code t=status} datagram {@code a} sent (pcap on {@code a}'s
 *       bridge port, kernel timestamp), the heartbeat from which {@code b}'s dead interval runs
 *       ({@code Membership} and heartbeat's {@code check_for_timeouts} both time from the last
 *       status);</li>
 *   <li><b>dead</b>: the line {@code node a: is dead} appearing in {@code b}'s log (the file
 *       polled every millisecond; heartbeat's log has whole seconds only);</li>
 *   <li><b>added</b>: the address appearing on {@code b} ({@code ip -ts monitor address});</li>
 *   <li><b>answering</b>: the first ARP reply from {@code b}'s MAC for the address, to the ARP
 *       requests the client sends every {@value #PROBE_MICROS} µs (pcap in the client, kernel
 *       timestamp). ARP and not ping: {@code kill -9} leaves the address on {@code a}'s kernel,
 *       which keeps answering, so only {@code b}'s MAC says the survivor answers.</li>
 * </ul>
 * One TSV row per run; a markdown table of medians at the end.
 */
public final class HeartbeatFailoverBench {
    static final long PROBE_MICROS = 2000;
    static final String SUBNET = "10.240.61.";
    static final String VIP = SUBNET + "100";
    static final String KEYS = "auth 1\n1 sha1 bench-failover-key\n";
    /** Nothing polls the nodes for this long before the kill. */
    static final long QUIET_MILLIS = 3000;
    /** Attempts per run when the pair does not reach a steady state before the kill (each is reported). */
    static final int ATTEMPTS = 3;

    /** The pair was not steady before the kill: the run is retried, not counted. */
    static final class SetupFailed extends IllegalStateException {
        SetupFailed(String message) {
            super(message);
        }
    }

    /** A timing profile: the ha.cf lines that differ. */
    record Profile(String name, String keepalive, String deadtime, String warntime, String initdead, long deadtimeMillis) {
        String haCf() {
            return String.join("\n",
                    "logfile /var/lib/heartbeat/ha-log", "use_logd no",
                    "keepalive " + keepalive, "deadtime " + deadtime, "warntime " + warntime, "initdead " + initdead,
                    "udpport 694", "bcast vg0", "auto_failback on",
                    "node nodea", "node nodeb", "crm off", "");
        }
    }

    static final List<Profile> PROFILES = List.of(
            new Profile("1s/5s", "1", "5", "3", "10", 5000),
            new Profile("100ms/400ms", "100ms", "400ms", "300ms", "2", 400));

    static final String[] COLUMNS = {"impl", "profile", "run", "load1", "kill_us", "last_status_us", "last_packet_us", "dead_us",
        "added_us", "answer_us", "garp_us", "dead_log_us", "stonith_us", "kill_to_answer_ms", "kill_to_dead_ms", "status_to_dead_ms", "dead_late_ms",
        "dead_to_added_ms", "added_to_answer_ms", "dead_to_answer_ms", "note"};

    /**
     * What one run measured (epoch microseconds; 0 = not seen). {@code dead} is the earlier of
     * {@code deadLog} (the log line seen by the poller) and {@code stonith} (the {@code t=stonith}
     * notice the survivor broadcasts right after declaring the death, kernel timestamp on its bridge
     * port): a starved poller sees the line late, the wire does not.
     */
    record Run(String impl, Profile profile, int run, String load1, long kill, long lastStatus, long lastPacket, long dead, long added,
               long answer, long garp, long deadLog, long stonith, String note) {
        boolean ok() {
            return kill > 0 && answer > 0 && dead > 0 && added > 0 && lastStatus > 0;
        }

        double killToAnswer() {
            return ms(answer - kill);
        }

        double killToDead() {
            return ms(dead - kill);
        }

        double statusToDead() {
            return ms(dead - lastStatus);
        }

        double deadLate() {
            return statusToDead() - profile.deadtimeMillis();
        }

        double deadToAdded() {
            return ms(added - dead);
        }

        double addedToAnswer() {
            return ms(answer - added);
        }

        double deadToAnswer() {
            return ms(answer - dead);
        }

        Run withNote(String more) {
            return new Run(impl, profile, run, load1, kill, lastStatus, lastPacket, dead, added, answer, garp, deadLog, stonith,
                    (more + " " + note).trim());
        }

        String tsv() {
            List<String> f = new ArrayList<>(List.of(impl, profile.name(), Integer.toString(run), load1, Long.toString(kill),
                    Long.toString(lastStatus), Long.toString(lastPacket), Long.toString(dead), Long.toString(added),
                    Long.toString(answer), Long.toString(garp), Long.toString(deadLog), Long.toString(stonith)));
            if (ok()) {
                for (double d : new double[] {killToAnswer(), killToDead(), statusToDead(), deadLate(), deadToAdded(), addedToAnswer(),
                    deadToAnswer()}) {
                    f.add(String.format(Locale.ROOT, "%.1f", d));
                }
            } else {
                for (int i = 0; i < 7; i++) f.add("NA");
            }
            f.add(note.isEmpty() ? "-" : note.replaceAll("[\\t\\n]", " "));
            return String.join("\t", f);
        }
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    static long nowMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        List<String> impls = List.of("heartbeat", "vigil");
        List<Profile> profiles = PROFILES;
        Path out = Path.of("target/bench/heartbeat-failover.tsv");
        Path reportOnly = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--impl" -> impls = List.of(args[++i].split(","));
                case "--profile" -> {
                    List<String> want = List.of(args[++i].split(","));
                    profiles = PROFILES.stream().filter(p -> want.contains(p.name())).toList();
                }
                case "--out" -> out = Path.of(args[++i]);
                case "--report" -> reportOnly = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--runs N, --impl heartbeat,vigil, --profile 1s/5s,100ms/400ms, --out FILE, --report FILE, --keep: keep the nodes' logs)");
            }
        }
        if (reportOnly != null) {
            System.out.println(markdown(readTsv(reportOnly)));
            return;
        }
        if (!"0".equals(Sh.run("id", "-u").output().trim())) throw new IllegalStateException("needs root (network namespaces)");
        if (impls.contains("heartbeat") && !Files.isExecutable(Path.of("/usr/libexec/heartbeat/heartbeat"))) {
            throw new IllegalStateException("heartbeat 3.0.6 is not installed (apt-get install heartbeat)");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.join("\t", COLUMNS) + "\n");
        Path work = out.toAbsolutePath().getParent().resolve("heartbeat-failover-work");
        List<Run> all = new ArrayList<>();
        // Interleaved (run 1 of every pair and profile, then run 2 ...) so that a change in the load
        // other processes put on the machine falls on both implementations alike.
        for (int r = 1; r <= runs; r++) {
            for (Profile p : profiles) {
                for (String impl : impls) {
                    Path dir = work.resolve(impl + "-" + p.name().replace('/', '_') + "-" + r);
                    Sh.run("rm", "-rf", dir.toString());
                    Files.createDirectories(dir);
                    Run run = null;
                    String retried = "";
                    for (int attempt = 1; run == null; attempt++) {
                        try {
                            run = runOnce(impl, p, r, dir);
                            if (!retried.isEmpty()) run = run.withNote(retried);
                        } catch (SetupFailed e) {
                            System.out.printf(Locale.ROOT, "%-9s %-11s run %2d: attempt %d not steady before the kill: %s%n", impl, p.name(), r,
                                    attempt, e.getMessage().lines().findFirst().orElse(""));
                            retried += "attempt " + attempt + " not steady: " + e.getMessage().lines().findFirst().orElse("") + "; ";
                            if (attempt == ATTEMPTS) run = new Run(impl, p, r, load1(), 0, 0, 0, 0, 0, 0, 0, 0, 0, retried);
                        } catch (Exception | AssertionError e) {
                            run = new Run(impl, p, r, load1(), 0, 0, 0, 0, 0, 0, 0, 0, 0, retried + "failed: " + e);
                        }
                    }
                    all.add(run);
                    Files.writeString(out, run.tsv() + "\n", StandardOpenOption.APPEND);
                    System.out.printf(Locale.ROOT, "%-9s %-11s run %2d: %s%n", impl, p.name(), r, run.ok()
                            ? String.format(Locale.ROOT, "kill->answer %7.1f ms (kill->dead %7.1f, last status->dead %7.1f, dead->added %6.1f, added->answer %5.1f) load %s",
                                    run.killToAnswer(), run.killToDead(), run.statusToDead(), run.deadToAdded(), run.addedToAnswer(), run.load1())
                            : run.note() + " (logs kept in " + dir + ")");
                    if (run.ok() && !keep) Sh.run("rm", "-rf", dir.toString());
                }
            }
        }
        System.out.println();
        System.out.println(markdown(all));
    }

    static String load1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "NA";
        }
    }

    // ------------------------------------------------------------------ one run

    /** The LANs of the runs in progress: closed (daemons killed, namespaces removed) also on Ctrl-C. */
    static final java.util.Set<Netns> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Netns::close), "bench-cleanup"));
    }

    static Run runOnce(String impl, Profile profile, int runNo, Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            OPEN.add(net);
            try {
                return runIn(net, impl, profile, runNo, dir);
            } finally {
                OPEN.remove(net);
            }
        }
    }

    static Run runIn(Netns net, String impl, Profile profile, int runNo, Path dir) throws Exception {
        {
            String nsA = net.host("a", SUBNET + "1/24");
            String nsB = net.host("b", SUBNET + "2/24");
            String nsC = net.host("c", SUBNET + "3/24");
            byte[] macA = mac(net, nsA);
            byte[] macB = mac(net, nsB);
            byte[] macC = mac(net, nsC);
            byte[] vip = ip4(VIP);
            byte[] ipC = ip4(SUBNET + "3");

            // a's heartbeats, as they leave a (inbound on its bridge port)
            AtomicLong lastStatus = new AtomicLong();
            AtomicLong lastPacket = new AtomicLong();
            String portA = ("p" + net.prefix() + "a").replace("-", "");
            if (portA.length() > 15) portA = portA.substring(portA.length() - 15);
            String sw = net.prefix() + "sw";
            PcapLink[] hbCap = new PcapLink[1];
            String port = portA;
            hbCap[0] = net.callIn(sw, () -> PcapLink.open(port, "udp port 694", frame -> {
                long at = hbCap[0] == null ? nowMicros() : hbCap[0].currentFrameEpochMicros();
                lastPacket.set(at);
                if (contains(frame, "t=status".getBytes(StandardCharsets.US_ASCII))) lastStatus.set(at);
            }));

            // b's stonith notice (n_stnth: no STONITH device), sent as it declares a's death
            AtomicLong stonithFromB = new AtomicLong();
            String portB = ("p" + net.prefix() + "b").replace("-", "");
            if (portB.length() > 15) portB = portB.substring(portB.length() - 15);
            String portOfB = portB;
            PcapLink[] hbCapB = new PcapLink[1];
            hbCapB[0] = net.callIn(sw, () -> PcapLink.open(portOfB, "udp port 694", frame -> {
                if (!contains(frame, "t=stonith".getBytes(StandardCharsets.US_ASCII))) return;
                stonithFromB.compareAndSet(0, hbCapB[0] == null ? nowMicros() : hbCapB[0].currentFrameEpochMicros());
            }));

            // the client: ARP requests for the address, replies and announcements from b
            AtomicLong answerFromA = new AtomicLong();
            AtomicLong answerFromB = new AtomicLong();
            AtomicLong garpFromB = new AtomicLong();
            PcapLink[] client = new PcapLink[1];
            client[0] = net.callIn(nsC, () -> PcapLink.open("vg0", "arp", frame -> {
                if (frame.length < 42 || (frame[12] & 0xff) != 0x08 || (frame[13] & 0xff) != 0x06) return;
                long at = client[0] == null ? nowMicros() : client[0].currentFrameEpochMicros();
                int op = frame[21] & 0xff;
                byte[] sha = Arrays.copyOfRange(frame, 22, 28);
                byte[] spa = Arrays.copyOfRange(frame, 28, 32);
                byte[] tpa = Arrays.copyOfRange(frame, 38, 42);
                if (!Arrays.equals(spa, vip)) return;
                boolean reply = op == 2 && Arrays.equals(tpa, ipC);
                boolean gratuitous = Arrays.equals(tpa, vip);
                if (reply && Arrays.equals(sha, macA)) answerFromA.compareAndSet(0, at);
                if (reply && Arrays.equals(sha, macB)) answerFromB.compareAndSet(0, at);
                if (gratuitous && Arrays.equals(sha, macB)) garpFromB.compareAndSet(0, at);
            }));
            Thread prober = new Thread(() -> {
                byte[] req = arpRequest(macC, ipC, vip);
                long next = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    client[0].send(req);
                    next += PROBE_MICROS * 1000;
                    long left = next - System.nanoTime();
                    if (left > 0) {
                        try {
                            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else {
                        next = System.nanoTime();
                    }
                }
            }, "arp-prober");
            prober.setDaemon(true);

            // b's address changes
            AtomicLong addedOnB = new AtomicLong();
            Process monitor = new ProcessBuilder("ip", "-n", nsB, "-ts", "monitor", "address").redirectErrorStream(true).start();
            Thread monitorReader = new Thread(() -> readMonitor(monitor, addedOnB), "ip-monitor-b");
            monitorReader.setDaemon(true);
            monitorReader.start();

            HbClusterNode a = null;
            HbClusterNode b = null;
            LogWatch deadWatch = null;
            try {
                if (impl.equals("heartbeat")) {
                    a = new RealHeartbeatNode(net, nsA, "nodea", dir);
                    b = new RealHeartbeatNode(net, nsB, "nodeb", dir);
                } else {
                    // vigil-rr: the whole JVM under SCHED_RR 1, the class heartbeat puts itself in
                    // (ha.cf realtime, on by default), which Vigil ignores: what realtime would buy
                    List<String> launcher = impl.equals("vigil-rr") ? List.of("chrt", "--rr", "1") : List.of();
                    a = new VigilHeartbeatNode(net, nsA, "nodea", dir, launcher);
                    b = new VigilHeartbeatNode(net, nsB, "nodeb", dir, launcher);
                }
                String haresources = "nodea IPaddr2::" + VIP + "/24/vg0\n";
                a.configure(profile.haCf(), haresources, KEYS);
                b.configure(profile.haCf(), haresources, KEYS);
                prober.start();
                a.start();
                b.start();
                long startedB = System.nanoTime();
                Path logB = impl.equals("heartbeat") ? dir.resolve("nodeb").resolve("varlib").resolve("ha-log")
                        : dir.resolve("vigil-nodeb").resolve("vigil.log");

                // a holds and answers, b does not; both see each other active and are not in transition
                await(() -> answerFromA.get() > 0, 60_000, "nodea answering for " + VIP, a, b);
                final HbClusterNode fa = a;
                final HbClusterNode fb = b;
                await(() -> fa.nodeStatus("nodeb").equals("active") && fb.nodeStatus("nodea").equals("active"), 40_000, 1000,
                        "both active", a, b);
                await(() -> stable(fa.rscStatus()) && stable(fb.rscStatus()), 40_000, 1000, "resources stable", a, b);
                if (!net.addresses(nsA, "vg0").contains(VIP) || net.addresses(nsB, "vg0").contains(VIP) || answerFromB.get() != 0) {
                    throw new SetupFailed("before the kill: nodea must hold " + VIP + " alone (a false death during start-up?)");
                }
                // The victim advertises deadtime + 2 s for its first 5 s (hb_add_deadtime); be well past it,
                // then stay quiet (no status polling forks) for 2 s before the kill.
                long sinceStart = (System.nanoTime() - startedB) / 1_000_000;
                Thread.sleep(Math.max(0, 6000 - sinceStart));
                // Watched from here: a false death during start-up (a starving JVM) is not what is measured,
                // one in the quiet period is, and voids the run.
                deadWatch = new LogWatch(logB, "node nodea: is dead");
                Thread.sleep(QUIET_MILLIS);
                if (deadWatch.seen() != 0) throw new SetupFailed("nodeb declared nodea dead in the quiet period before the kill");
                if (!net.addresses(nsA, "vg0").contains(VIP) || net.addresses(nsB, "vg0").contains(VIP) || answerFromB.get() != 0) {
                    throw new SetupFailed("nodea no longer holds " + VIP + " alone after the quiet period");
                }

                String load = load1();
                List<ProcessHandle> victims = victims(impl, net, nsA);
                long kill = nowMicros();
                if (impl.equals("heartbeat")) {
                    for (ProcessHandle v : victims) v.destroyForcibly();
                } else {
                    a.kill9();
                }
                long killedAt = kill;
                try {
                    await(() -> answerFromB.get() > killedAt, 30_000, "nodeb answering for " + VIP, a, b);
                } catch (SetupFailed e) {
                    throw new IllegalStateException("after the kill: " + e.getMessage()); // a failed failover, not a retry
                }
                // the log line, the monitor line and the gratuitous ARP, if they come after the answer
                long until = System.nanoTime() + 1_000_000_000L;
                while (garpFromB.get() == 0 && System.nanoTime() < until) Thread.sleep(10);
                Thread.sleep(100);
                String note = "";
                if (lastStatus.get() > kill) note = "status seen after the kill";
                long deadLog = deadWatch.seen();
                long dead = stonithFromB.get() > kill && (deadLog == 0 || stonithFromB.get() < deadLog) ? stonithFromB.get() : deadLog;
                return new Run(impl, profile, runNo, load, kill, lastStatus.get(), lastPacket.get(), dead, addedOnB.get(),
                        answerFromB.get(), garpFromB.get(), deadLog, stonithFromB.get(), note);
            } finally {
                prober.interrupt();
                if (deadWatch != null) deadWatch.close();
                closeQuietly(a);
                closeQuietly(b);
                monitor.destroyForcibly();
                client[0].close();
                hbCap[0].close();
                hbCapB[0].close();
            }
        }
    }

    static boolean stable(String rscStatus) {
        return !rscStatus.isEmpty() && !rscStatus.equals("transition") && !rscStatus.contains("rror");
    }

    /** The processes a SIGKILL goes to: every heartbeat process of the node, or Vigil's JVM (killed through its Process). */
    static List<ProcessHandle> victims(String impl, Netns net, String ns) {
        List<ProcessHandle> r = new ArrayList<>();
        if (!impl.equals("heartbeat")) return r;
        for (String pid : Sh.run("ip", "netns", "pids", ns).output().trim().split("\\s+")) {
            if (pid.isEmpty()) continue;
            try {
                String comm = Files.readString(Path.of("/proc", pid, "comm")).trim();
                if (comm.equals("heartbeat")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(r::add);
            } catch (IOException | NumberFormatException e) {
                // gone already
            }
        }
        if (r.isEmpty()) throw new IllegalStateException("no heartbeat process in " + ns);
        return r;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            // best effort; Netns.close kills what is left in the namespaces
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check c, long timeoutMillis, String what, HbClusterNode a, HbClusterNode b) throws Exception {
        await(c, timeoutMillis, 5, what, a, b);
    }

    /**
     * @param pollMillis between checks: 1 s for status queries, each of which is a process (for
     *                   Vigil a JVM) that would otherwise take the CPU from the daemons measured
     */
    static void await(Check c, long timeoutMillis, long pollMillis, String what, HbClusterNode a, HbClusterNode b) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (c.ok()) return;
            Thread.sleep(pollMillis);
        }
        throw new SetupFailed("timed out waiting for " + what + "\n--- nodea:\n" + tail(a.log()) + "\n--- nodeb:\n" + tail(b.log()));
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    /** {@code ip -ts monitor address}: "[2026-11-25T10:09:54.597374] 3: vg0    inet 10.240.61.100/24 ...", local time. */
    static void readMonitor(Process p, AtomicLong added) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.contains(" inet " + VIP + "/") || line.contains("Deleted")) continue;
                long at = nowMicros();
                if (line.startsWith("[")) {
                    LocalDateTime t = LocalDateTime.parse(line.substring(1, line.indexOf(']')));
                    Instant i = t.atZone(ZoneId.systemDefault()).toInstant();
                    at = i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
                }
                added.compareAndSet(0, at);
            }
        } catch (IOException e) {
            // monitor stopped
        }
    }

    /** Polls a log file every millisecond for a line written from now on; remembers when it first appeared. */
    static final class LogWatch implements AutoCloseable {
        private final AtomicLong seen = new AtomicLong();
        private final Thread thread;

        LogWatch(Path file, String needle) {
            byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
            long start;
            try {
                start = Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                start = 0;
            }
            long from = start;
            thread = new Thread(() -> {
                long offset = from;
                byte[] carry = new byte[0];
                while (!Thread.currentThread().isInterrupted() && seen.get() == 0) {
                    try {
                        if (Files.exists(file) && Files.size(file) > offset) {
                            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                                long at = nowMicros();
                                f.seek(offset);
                                byte[] chunk = new byte[(int) (f.length() - offset)];
                                f.readFully(chunk);
                                offset += chunk.length;
                                byte[] all = new byte[carry.length + chunk.length];
                                System.arraycopy(carry, 0, all, 0, carry.length);
                                System.arraycopy(chunk, 0, all, carry.length, chunk.length);
                                if (contains(all, n)) {
                                    seen.set(at);
                                    return;
                                }
                                carry = Arrays.copyOfRange(all, Math.max(0, all.length - n.length), all.length);
                            }
                        }
                        Thread.sleep(1);
                    } catch (IOException e) {
                        // the file is being created; try again
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "logwatch");
            thread.setDaemon(true);
            thread.start();
        }

        long seen() {
            return seen.get();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    static byte[] mac(Netns net, String ns) {
        String out = net.exec(ns, "ip", "-o", "link", "show", "vg0").output();
        int i = out.indexOf("link/ether ");
        String[] hex = out.substring(i + 11, i + 28).split(":");
        byte[] m = new byte[6];
        for (int k = 0; k < 6; k++) m[k] = (byte) Integer.parseInt(hex[k], 16);
        return m;
    }

    static byte[] ip4(String dotted) {
        String[] p = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(p[i]);
        return b;
    }

    /** An Ethernet broadcast ARP request "who has TARGET, tell SENDER". */
    static byte[] arpRequest(byte[] mac, byte[] ip, byte[] target) {
        byte[] f = new byte[42];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        System.arraycopy(mac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1; // Ethernet
        f[16] = 0x08; // IPv4
        f[18] = 6;
        f[19] = 4;
        f[21] = 1; // request
        System.arraycopy(mac, 0, f, 22, 6);
        System.arraycopy(ip, 0, f, 28, 4);
        System.arraycopy(target, 0, f, 38, 4);
        return f;
    }

    // ------------------------------------------------------------------ report

    static List<Run> readTsv(Path file) throws IOException {
        List<Run> r = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        List<String> head = List.of(lines.get(0).split("\t", -1));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            java.util.function.ToLongFunction<String> num = c -> head.contains(c) ? Long.parseLong(f[head.indexOf(c)]) : 0;
            Profile p = PROFILES.stream().filter(x -> x.name().equals(f[1])).findFirst().orElseThrow();
            String note = f[head.indexOf("note")];
            long dead = num.applyAsLong("dead_us");
            r.add(new Run(f[0], p, Integer.parseInt(f[2]), f[3], num.applyAsLong("kill_us"), num.applyAsLong("last_status_us"),
                    num.applyAsLong("last_packet_us"), dead, num.applyAsLong("added_us"), num.applyAsLong("answer_us"),
                    num.applyAsLong("garp_us"), head.contains("dead_log_us") ? num.applyAsLong("dead_log_us") : dead,
                    num.applyAsLong("stonith_us"), note.equals("-") ? "" : note));
        }
        return r;
    }

    static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        int n = s.size();
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    interface Metric {
        double of(Run r);
    }

    static String cell(List<Run> runs, Metric m) {
        List<Double> v = runs.stream().map(m::of).toList();
        if (v.isEmpty()) return "—";
        return String.format(Locale.ROOT, "%s (%s–%s)", fmt(median(v)), fmt(v.stream().min(Double::compare).get()),
                fmt(v.stream().max(Double::compare).get()));
    }

    static String fmt(double ms) {
        return ms >= 1000 || ms <= -1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    static final List<String> IMPLS = List.of("heartbeat", "vigil", "vigil-rr");

    static String label(String impl) {
        return switch (impl) {
            case "heartbeat" -> "heartbeat 3.0.6";
            case "vigil" -> "Vigil";
            case "vigil-rr" -> "Vigil under `chrt --rr 1`";
            default -> impl;
        };
    }

    /** The table docs/benchmarks.md shows: medians (min–max), and Vigil/heartbeat of the median kill -> answering. */
    static String markdown(List<Run> all) {
        StringBuilder sb = new StringBuilder();
        sb.append("| keepalive / deadtime | implementation | runs | kill → answering | kill → dead declared "
                + "| last status → dead | late by | dead → address added | dead → answering | dead → GARP | ratio to heartbeat |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Double> medianTotal = new LinkedHashMap<>();
        for (Profile p : PROFILES) {
            for (String impl : IMPLS) {
                List<Run> rs = all.stream().filter(r -> r.profile().equals(p) && r.impl().equals(impl)).toList();
                if (rs.isEmpty()) continue;
                List<Run> ok = rs.stream().filter(Run::ok).toList();
                medianTotal.put(p.name() + impl, median(ok.stream().map(Run::killToAnswer).toList()));
                String ratio = "";
                if (!impl.equals("heartbeat") && medianTotal.containsKey(p.name() + "heartbeat")) {
                    ratio = String.format(Locale.ROOT, "**%.3f×**", medianTotal.get(p.name() + impl) / medianTotal.get(p.name() + "heartbeat"));
                }
                long retried = ok.stream().filter(r -> r.note().contains("not steady")).count();
                sb.append("| ").append(p.name()).append(" | ").append(label(impl))
                        .append(" | ").append(ok.size()).append('/').append(rs.size()).append(retried > 0 ? " (" + retried + " after a retry)" : "")
                        .append(" | **").append(cell(ok, Run::killToAnswer)).append("**")
                        .append(" | ").append(cell(ok, Run::killToDead))
                        .append(" | ").append(cell(ok, Run::statusToDead))
                        .append(" | ").append(cell(ok, Run::deadLate))
                        .append(" | ").append(cell(ok, Run::deadToAdded))
                        .append(" | ").append(cell(ok, Run::deadToAnswer))
                        .append(" | ").append(cell(ok.stream().filter(r -> r.garp() > 0).toList(), r -> ms(r.garp() - r.dead())))
                        .append(" | ").append(ratio).append(" |\n");
            }
        }
        sb.append("\nMedian (min–max) over the runs that completed. A run whose pair is not steady before the kill (a false "
                + "death during start-up or in the quiet period) is started again, up to " + ATTEMPTS + " attempts; \"after a retry\" "
                + "counts the completed runs that needed one, and a run failing all attempts is not completed. Goals (issue 3): declared dead ≤ 50 ms after deadtime "
                + "since the last status (\"late by\"), answering ≤ 20 ms after the dead declaration.\n");
        for (Profile p : PROFILES) {
            for (String impl : IMPLS) {
                List<Run> v = all.stream().filter(r -> r.profile().equals(p) && r.impl().equals(impl) && r.ok()).toList();
                if (v.isEmpty()) continue;
                long lateOk = v.stream().filter(r -> r.deadLate() <= 50).count();
                long answerOk = v.stream().filter(r -> r.deadToAnswer() <= 20).count();
                sb.append(String.format(Locale.ROOT, "- %s, %s: declared dead ≤ 50 ms late in %d/%d runs; answering ≤ 20 ms after that in %d/%d runs.%n",
                        label(impl), p.name(), lateOk, v.size(), answerOk, v.size()));
            }
        }
        return sb.toString();
    }
}
