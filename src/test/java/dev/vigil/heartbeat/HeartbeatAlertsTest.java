package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.action.ScriptRunner;
import dev.vigil.action.mail.Alert;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.config.heartbeat.VigilConfParser;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.sim.SimHeartbeatCluster;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeat mode's alerts on the simulated pair: the mails for each transition (GreenMail), the
 * split-brain alert after a partition, and a mail server that never answers or refuses leaving the
 * takeover time exactly as without mail.
 */
class HeartbeatAlertsTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    static final String A = "nodea";
    static final String B = "nodeb";
    static final String VIP = "IPaddr2::10.0.0.100/24/eth0";

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, HeartbeatAlerts> alerts = new LinkedHashMap<>();
    private final ScriptRunner runner = new ScriptRunner();

    @AfterEach
    void close() {
        alerts.values().forEach(HeartbeatAlerts::close);
        runner.close();
    }

    private VigilConf conf(String text) {
        Path sub = dir.resolve("conf" + alerts.size() + "-" + System.nanoTime());
        try {
            Files.createDirectories(sub);
            Files.writeString(sub.resolve("vigil.conf"), text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ParseResult<VigilConf> r = new VigilConfParser().parse(sub.resolve("vigil.conf"));
        assertThat(r.diagnostics().all().stream().filter(d -> d.isError()).toList()).isEmpty();
        return r.model();
    }

    /** A pair whose nodes each have their own HeartbeatAlerts built from {@code vigilConf}. */
    private SimHeartbeatCluster pair(Supplier<VigilConf> vigilConf) {
        for (String n : List.of(A, B)) {
            alerts.put(n, HeartbeatAlerts.from(vigilConf.get(), n, runner, log::add, m -> m.withRetries(3, Duration.ofMillis(50))));
        }
        return SimHeartbeatCluster.builder().nodes(A, B).timings(Duration.ofMillis(200), Duration.ofSeconds(1))
                .initdead(Duration.ofSeconds(2)).autoFailback(AutoFailback.ON).group(A, VIP, "apache")
                .alerts((node, a) -> alerts.get(node).accept(a)).build();
    }

    private String toGreenMail(String mailOn) {
        return "mail_to ops@example.com,oncall@example.com\nmail_from vigil@cluster.example.com\nsmtp_server 127.0.0.1 "
                + smtp.getSmtp().getPort() + "\nsmtp_connect_timeout 5\nmail_on " + mailOn + "\n";
    }

    /** The mails received, once each (GreenMail stores one copy per recipient). */
    private static MimeMessage[] received() throws Exception {
        Map<String, MimeMessage> byId = new LinkedHashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) byId.putIfAbsent(m.getMessageID(), m);
        return byId.values().toArray(MimeMessage[]::new);
    }

    private MimeMessage[] awaitMessages(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (received().length < n && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(300); // and no more than that
        return received();
    }

    private static List<String> subjects(MimeMessage[] ms) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : ms) out.add(m.getSubject());
        return out;
    }

    @Test
    void eachTransitionIsMailedWithItsHeadersAndBody() throws Exception {
        SimHeartbeatCluster c = pair(() -> conf(toGreenMail("all")));
        c.start().runFor(Duration.ofSeconds(20));
        // the start: each node sees the other join; a takes its group
        MimeMessage[] start = awaitMessages(3);
        assertThat(subjects(start)).containsExactlyInAnyOrder(
                "[nodea] Status update for node nodeb: status active",
                "[nodeb] Status update for node nodea: status active",
                "[nodea] Resource group " + VIP + " is running on nodea");
        smtp.purgeEmailFromAllMailboxes();

        c.kill(A).runFor(Duration.ofSeconds(5));
        MimeMessage[] death = awaitMessages(3);
        assertThat(subjects(death)).containsExactlyInAnyOrder(
                "[nodeb] node nodea: is dead",
                "[nodeb] Link nodea:eth0 dead.",
                "[nodeb] Resource group " + VIP + " is running on nodeb");
        MimeMessage dead = Arrays.stream(death).filter(m -> subject(m).endsWith("is dead")).findFirst().orElseThrow();
        assertThat(dead.getFrom()[0].toString()).isEqualTo("vigil@cluster.example.com");
        assertThat(Arrays.stream(dead.getAllRecipients()).map(Object::toString)).containsExactlyInAnyOrder("ops@example.com",
                "oncall@example.com");
        assertThat(dead.getHeader("X-Mailer")).containsExactly("Vigil");
        assertThat(body(dead)).startsWith("node nodea: is dead\n\nevent: node_dead\nabout: nodea\nnode: nodeb\ntime: ");
        smtp.purgeEmailFromAllMailboxes();

        c.restart(A).runFor(Duration.ofSeconds(30));
        // b sees a come back (node and link) and gives the group home; a takes it
        MimeMessage[] back = awaitMessages(5);
        assertThat(subjects(back)).containsExactlyInAnyOrder(
                "[nodeb] Status update for node nodea: status active",
                "[nodeb] Link nodea:eth0 up.",
                "[nodeb] Resource group " + VIP + " released by nodeb",
                "[nodea] Status update for node nodeb: status active",
                "[nodea] Resource group " + VIP + " is running on nodea");
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        assertThat(log).isEmpty();
    }

    /** The text body with SMTP's CRLF line ends back to the LF Vigil wrote. */
    private static String body(MimeMessage m) throws Exception {
        return ((String) m.getContent()).replace("\r\n", "\n");
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mailOnSelectsTheEventsThatMail() throws Exception {
        SimHeartbeatCluster c = pair(() -> conf(toGreenMail("node_dead")));
        c.start().runFor(Duration.ofSeconds(20));
        c.kill(A).runFor(Duration.ofSeconds(5));
        assertThat(subjects(awaitMessages(1))).containsExactly("[nodeb] node nodea: is dead");
    }

    @Test
    void aPartitionWhileBothHoldResourcesIsASplitBrainOnBothSides() throws Exception {
        SimHeartbeatCluster c = pair(() -> conf(toGreenMail("split_brain")));
        c.start().runFor(Duration.ofSeconds(20));
        c.partition(Set.of(A), Set.of(B)).runFor(Duration.ofSeconds(5));
        assertThat(c.timeline().holders(VIP)).containsExactlyInAnyOrder(A, B);
        long healedAt = c.now();
        c.heal().runFor(Duration.ofSeconds(30));
        assertThat(c.timeline().holders(VIP)).containsExactly(A);
        MimeMessage[] got = awaitMessages(2);
        assertThat(subjects(got)).containsExactlyInAnyOrder(
                "[nodea] Split brain: nodeb returned after a partition while both nodes held resources (nodea holds " + VIP + ")",
                "[nodeb] Split brain: nodea returned after a partition while both nodes held resources (nodeb holds " + VIP + ")");
        MimeMessage m = Arrays.stream(got).filter(x -> subject(x).startsWith("[nodea]")).findFirst().orElseThrow();
        assertThat(body(m)).contains("event: split_brain\nabout: nodeb\nnode: nodea\n");
        // on the event stream too, right when the peer spoke again
        for (String n : List.of(A, B)) {
            assertThat(c.node(n).events()).filteredOn(e -> e.kind().equals("split-brain")).singleElement()
                    .satisfies(e -> assertThat(e.nanos()).isBetween(healedAt, healedAt + 2_000_000_000L));
        }
    }

    @Test
    void aDeathAndReturnWithoutPartitionIsNoSplitBrain() throws Exception {
        SimHeartbeatCluster c = pair(() -> conf(toGreenMail("split_brain")));
        c.start().runFor(Duration.ofSeconds(20));
        c.kill(B).runFor(Duration.ofSeconds(5));
        c.restart(B).runFor(Duration.ofSeconds(20));
        // a restart is a new generation, not a return after partition
        assertThat(alerts.get(A).mail().orElseThrow().drain(Duration.ofSeconds(10))).isTrue();
        assertThat(received()).isEmpty();
        assertThat(c.node(A).events()).noneMatch(e -> e.kind().equals("split-brain"));
    }

    @Test
    void nonAsciiNodeNamesAreEncodedInSubjectAndBody() throws Exception {
        VigilConf vc = conf(toGreenMail("all"));
        try (MailNotifier n = new MailNotifier(HeartbeatAlerts.settings(vc.mail().orElseThrow(), "nœud-α"), log::add)) {
            n.submit(Alert.heartbeatEvent("nœud-α", "node_dead", "knoten-ü", "node knoten-ü: is dead", Instant.now()));
            n.submit(Alert.mailToTakeover("Grappe été", "nœud-α", Instant.now()).to(List.of("ops@example.com")));
            assertThat(n.drain(Duration.ofSeconds(10))).isTrue();
        }
        MimeMessage[] got = received();
        assertThat(got).hasSize(2);
        assertThat(got[0].getSubject()).isEqualTo("[nœud-α] node knoten-ü: is dead");
        assertThat(got[0].getHeader("Subject")[0]).startsWith("=?UTF-8?"); // RFC 2047 on the wire
        assertThat(got[0].getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(body(got[0])).contains("about: knoten-ü\nnode: nœud-α\n");
        assertThat(got[1].getSubject()).startsWith("Grappe été Takeover in progress at ").endsWith(" on nœud-α");
        assertThat(got[1].getHeader("Subject")[0]).startsWith("=?UTF-8?");
    }

    // ------------------------------------------------------------------ a mail server that does not help

    /** Virtual nanoseconds from killing the holder to the peer holding the group, with these alerts. */
    private long takeoverAfterKill(Supplier<VigilConf> vc) {
        alerts.values().forEach(HeartbeatAlerts::close);
        alerts.clear();
        SimHeartbeatCluster c = pair(vc);
        c.start().runFor(Duration.ofSeconds(20));
        long killedAt = c.now();
        c.kill(A).runFor(Duration.ofSeconds(5));
        return c.timeline().firstHeldBy(VIP, B, killedAt).orElseThrow() - killedAt;
    }

    @Test
    void aSilentOrRefusingMailServerLeavesTheTakeoverTimeExactlyAsWithoutMail() throws Exception {
        long withoutMail = takeoverAfterKill(() -> conf(""));
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accept, then never say a word
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String silentConf = "mail_to ops@example.com\nsmtp_server 127.0.0.1 " + silent.getLocalPort()
                    + "\nsmtp_connect_timeout 300ms\nmail_on all\n";
            long withSilent = takeoverAfterKill(() -> conf(silentConf));
            assertThat(withSilent).isEqualTo(withoutMail);
            MailNotifier n = alerts.get(B).mail().orElseThrow();
            // b mailed node_up, node_dead, link_dead, takeover: each given up once, after its 3 attempts
            assertThat(n.queued()).as("bounded").isLessThanOrEqualTo(100);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (n.gaveUp() < 4 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(n.gaveUp()).isEqualTo(4);
            assertThat(n.sent()).isZero();
            assertThat(n.queued()).isZero();
            for (Socket s : held) s.close();
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        log.clear();
        String refusingConf = "mail_to ops@example.com\nsmtp_server 127.0.0.1 " + closedPort + "\nmail_on all\n";
        long withRefusing = takeoverAfterKill(() -> conf(refusingConf));
        assertThat(withRefusing).isEqualTo(withoutMail);
        MailNotifier n = alerts.get(B).mail().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (n.gaveUp() < 4 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(n.gaveUp()).isEqualTo(4);
        Thread.sleep(200);
        // one line per message given up, never one per attempt
        List<String> bLines = log.stream().filter(l -> l.contains("gave up") && l.contains("[nodeb]")).toList();
        assertThat(bLines).hasSize(4).doesNotHaveDuplicates();
        assertThat(bLines).allMatch(l -> l.contains("after 3 attempt(s)"));
    }

    // ------------------------------------------------------------------ notify_script

    private Path notifyScript(String perms) throws Exception {
        Path d = dir.resolve("scripts-" + perms);
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path s = d.resolve("notify.sh");
        Files.writeString(s, "#!/bin/sh\nprintf '%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" \"$VIGIL_NODE\" >> " + dir.resolve("notified") + "\n");
        Files.setPosixFilePermissions(s, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        return s;
    }

    private List<String> notified() throws Exception {
        Path f = dir.resolve("notified");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void theNotifyScriptRunsOnEveryEventAsEventSubjectDetail() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getOwner(dir).getName().equals("root"), "needs a root-owned temp dir");
        Path script = notifyScript("rwxr-xr-x");
        SimHeartbeatCluster c = pair(() -> conf("notify_script " + script + "\nnotify_timeout 5\n"));
        assertThat(alerts.get(A).refusal()).isEmpty();
        c.start().runFor(Duration.ofSeconds(20));
        c.kill(A).runFor(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (notified().size() < 6 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(notified()).containsExactlyInAnyOrder(
                "node_up|nodeb|Status update for node nodeb: status active|nodea",
                "node_up|nodea|Status update for node nodea: status active|nodeb",
                "takeover|" + VIP + "|Resource group " + VIP + " is running on nodea|nodea",
                "node_dead|nodea|node nodea: is dead|nodeb",
                "link_dead|nodea:eth0|Link nodea:eth0 dead.|nodeb",
                "takeover|" + VIP + "|Resource group " + VIP + " is running on nodeb|nodeb");
    }

    @Test
    void aGroupWritableNotifyScriptIsRefusedAndNeverRun() throws Exception {
        Path script = notifyScript("rwxrwxr-x");
        SimHeartbeatCluster c = pair(() -> conf("notify_script " + script + "\n"));
        assertThat(alerts.get(A).refusal()).hasValueSatisfying(r -> assertThat(r).contains("Unsafe permissions found for script"));
        assertThat(alerts.get(A).notifyQueue()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("notify_script " + script));
        c.start().runFor(Duration.ofSeconds(20));
        Thread.sleep(300);
        assertThat(notified()).isEmpty();
    }
}
