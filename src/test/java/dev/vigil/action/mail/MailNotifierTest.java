package dev.vigil.action.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MailNotifierTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** Polls the mailbox: GreenMail's waitForIncomingEmail misses messages delivered from another thread before it is called. */
    private void awaitMessages(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (smtp.getReceivedMessages().length < n && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(smtp.getReceivedMessages()).as("log: %s", log).hasSize(n);
    }

    private MailSettings toGreenMail() {
        return MailSettings.of(List.of("ops@example.com", "oncall@example.com"), "keepalived@lb-a.example.com",
                "127.0.0.1", smtp.getSmtp().getPort()).withConnectTimeout(Duration.ofSeconds(5));
    }

    @Test
    void vrrpTransitionMailCarriesKeepalivedsSubjectAndBody() throws Exception {
        try (MailNotifier n = new MailNotifier(toGreenMail(), log::add)) {
            n.submit(Alert.vrrpInstance("lb-a", "VI_WEB", "MASTER", 150, Instant.parse("2026-11-25T08:00:00Z")));
            awaitMessages(2);
        }
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[lb-a] VRRP Instance VI_WEB - Entering MASTER state");
        String body = ((String) m.getContent());
        assertThat(body).startsWith("=> VRRP Instance is now owning VRRP VIPs <=").contains("priority: 150")
                .contains("instance: VI_WEB").contains("state: MASTER");
        assertThat(m.getFrom()[0].toString()).isEqualTo("keepalived@lb-a.example.com");
        assertThat(m.getAllRecipients()).hasSize(2);
    }

    @Test
    void groupAndHeartbeatMailToFormatsMatchTheOriginals() {
        Instant t = Instant.parse("2026-11-25T08:00:00Z");
        assertThat(Alert.vrrpGroup("lb-a", "G1", "BACKUP", t).subject()).isEqualTo("[lb-a] VRRP Group G1 - Entering BACKUP state");
        assertThat(Alert.vrrpGroup("lb-a", "G1", "BACKUP", t).body()).startsWith("=> All VRRP group instances are now in BACKUP state <=");
        assertThat(Alert.vrrpInstance("lb-a", "VI_1", "BACKUP", 100, t).body()).startsWith("=> VRRP Instance is no longer owning VRRP VIPs <=");
        assertThat(Alert.mailToTakeover("web-cluster", "nodea", t).subject()).startsWith("web-cluster Takeover in progress at ").endsWith(" on nodea");
        assertThat(Alert.mailToMigrating("", "nodea", t).subject()).startsWith("Resource Group Migrating resource away at ").endsWith(" from nodea");
    }

    @Test
    void nonAsciiNodeNamesSurviveTheTrip() throws Exception {
        try (MailNotifier n = new MailNotifier(toGreenMail(), log::add)) {
            n.submit(Alert.mailToTakeover("Grappe", "nœud-été-北京", Instant.now()));
            awaitMessages(2);
        }
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).endsWith("on nœud-été-北京");
        assertThat(m.getHeader("Subject")[0]).startsWith("=?UTF-8?"); // RFC 2047 on the wire
        assertThat((String) m.getContent()).contains("nœud-été-北京");
    }

    @Test
    void serverThatAcceptsAndNeverAnswersNeitherBlocksSubmitNorGrowsTheQueue() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accept, then say nothing, ever
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MailSettings s = MailSettings.of(List.of("ops@example.com"), "vigil@example.com", "127.0.0.1", silent.getLocalPort())
                    .withConnectTimeout(Duration.ofSeconds(2)).withRetries(2, Duration.ofMillis(50)).withQueueCapacity(10);
            try (MailNotifier n = new MailNotifier(s, log::add)) {
                long worst = 0;
                for (int i = 0; i < 500; i++) {
                    long t0 = System.nanoTime();
                    n.submit(Alert.event("c", "alert " + i, "x", Instant.now()));
                    worst = Math.max(worst, System.nanoTime() - t0);
                }
                // a submit that waited for the server would take its 2 s timeout; a loaded machine (GC, JIT,
                // the first log line) can stall one call by tens of milliseconds, so the bound is far from both
                assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("submit never waits for the server").isLessThan(1000);
                assertThat(n.queued()).isLessThanOrEqualTo(10);
                assertThat(n.dropped()).isGreaterThanOrEqualTo(489);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (n.gaveUp() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(n.gaveUp()).isGreaterThanOrEqualTo(2);
                assertThat(n.sent()).isZero();
            }
            for (Socket h : held) h.close();
        }
        List<String> gaveUpLines = log.stream().filter(l -> l.startsWith("gave up")).toList();
        // once per message given up, never once per attempt
        assertThat(gaveUpLines).doesNotHaveDuplicates();
        assertThat(gaveUpLines.get(0)).contains("after 2 attempt(s)").contains("timed out");
    }

    @Test
    void refusingServerIsGivenUpOnceAndLogged() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MailSettings s = MailSettings.of(List.of("ops@example.com"), "vigil@example.com", "127.0.0.1", closedPort)
                .withConnectTimeout(Duration.ofMillis(500)).withRetries(3, Duration.ofMillis(20));
        try (MailNotifier n = new MailNotifier(s, log::add)) {
            n.submit(Alert.event("c", "node nodeb is dead", "x", Instant.now()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (n.gaveUp() < 1 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(n.gaveUp()).isEqualTo(1);
        }
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).contains("node nodeb is dead").contains("after 3 attempt(s)").containsIgnoringCase("connect");
    }
}
