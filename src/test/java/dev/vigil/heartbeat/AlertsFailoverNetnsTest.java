package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.interop.AddressSampler;
import dev.vigil.heartbeat.interop.FailoverScenarios;
import dev.vigil.heartbeat.interop.VigilHeartbeatNode;
import dev.vigil.testing.Netns;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vigil heartbeat nodes as processes in namespaces, {@code MailTo} first in the group and every
 * alert mailed: kill -9 of the holder moves the address as fast with a mail server that accepts and
 * never answers, or refuses, as with no mail configured. The "servers" live in a third namespace: a
 * ServerSocket of this test that accepts and stays silent, and a port where nothing listens.
 */
@Tag("netns")
class AlertsFailoverNetnsTest {
    static final String VIP = "10.240.23.100";
    static final String SMTP_HOST = "10.240.23.25";
    /** Long, so that a mail sent on the event loop would show as a takeover late by seconds. */
    static final String CONNECT_TIMEOUT = "20";
    /**
     * Runs differ by where the kill falls in the keepalive cycle (up to 200 ms) and by sampling (50
     * ms), and on a loaded 2-core machine by more than a second (a load of 20 was seen to add 1.3 s
     * to one run, and to make nodes miss a 1 s deadtime now and then). A mail waited for on the way
     * would add the silent server's 20 s timeout, or 15 s of back-off for the refused one.
     */
    static final long TOLERANCE_MILLIS = 3000;

    private static String haresources() {
        return "nodea MailTo::ops@example.com,dba@example.com::Cluster IPaddr2::" + VIP + "/24/vg0\n";
    }

    /** Milliseconds from kill -9 of the holder (nodea) to the address on nodeb. */
    private static long killToTakeover(Netns net, String nsA, String nsB, Path dir, String run, String vigilConf, List<String> awaitInLogB)
            throws Exception {
        String keys = "auth 1\n1 sha1 alerts-pair-key\n";
        Path work = dir.resolve(run);
        try (VigilHeartbeatNode a = new VigilHeartbeatNode(net, nsA, "nodea", work);
             VigilHeartbeatNode b = new VigilHeartbeatNode(net, nsB, "nodeb", work);
             AddressSampler vip = new AddressSampler(VIP, Map.of("nodea", nsA, "nodeb", nsB))) {
            for (VigilHeartbeatNode n : List.of(a, b)) {
                n.configure(FailoverScenarios.haCf("nodea", "nodeb"), haresources(), keys).vigilConf(vigilConf);
            }
            long t0 = System.nanoTime();
            a.start();
            b.start();
            vip.awaitExactly(Set.of("nodea"), t0, Duration.ofSeconds(45));
            FailoverScenarios.awaitStatus(b, "nodea", "active", () -> b.log());
            FailoverScenarios.awaitStable(a, b, () -> a.log() + b.log());
            long k = System.nanoTime();
            a.kill9();
            long onB = vip.await(h -> h.contains("nodeb"), k, Duration.ofSeconds(40), "nodeb holding " + VIP);
            long ms = TimeUnit.NANOSECONDS.toMillis(onB - k);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // every awaited line: the alerts are queued in the order the node saw the events, and under load the
            // link's death can be seen after the takeover has queued MailTo's mail (CI: the give-up of that
            // one came first, and nodeb was stopped before the link_dead mail had been given up)
            while (awaitInLogB != null && !awaitInLogB.stream().allMatch(b.log()::contains) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            lastLogB = b.log();
            b.kill9();
            net.execQuiet(nsA, "ip", "addr", "del", VIP + "/24", "dev", "vg0");
            net.execQuiet(nsB, "ip", "addr", "del", VIP + "/24", "dev", "vg0");
            return ms;
        }
    }

    private static String lastLogB;

    private static String mailConf(int port, String mailOn) {
        return "mail_to ops@example.com\nsmtp_server " + SMTP_HOST + " " + port + "\nsmtp_connect_timeout " + CONNECT_TIMEOUT
                + "\nmail_on " + mailOn + "\n";
    }

    @Test
    void aSilentOrRefusingMailServerDoesNotSlowTheTakeover(@TempDir Path dir) throws Exception {
        try (Netns net = Netns.create()) {
            String nsA = net.host("a", "10.240.23.1/24");
            String nsB = net.host("b", "10.240.23.2/24");
            String nsMail = net.host("m", SMTP_HOST + "/24");
            // a ServerSocket of this JVM, bound inside the mail namespace: accepts, then never says a word
            ServerSocket silent = net.callIn(nsMail, () -> new ServerSocket(2525, 50, InetAddress.getByName(SMTP_HOST)));
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (Exception e) {
                    // closed
                }
            }, "silent-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
            try {
                long without = killToTakeover(net, nsA, nsB, dir, "none", null, null);
                long withSilent = killToTakeover(net, nsA, nsB, dir, "silent", mailConf(2525, "all"), null);
                assertThat(held).as("nodeb reached the silent server").isNotEmpty();
                // nothing listens on 2626: refused at once, each mail given up after 15 s of back-off, one after
                // the other; nodeb runs on until all three (node_dead, link_dead, MailTo's) are given up
                long withRefusing = killToTakeover(net, nsA, nsB, dir, "refusing", mailConf(2626, "node_dead link_dead"),
                        List.of("gave up mailing 'Cluster Takeover in progress", "gave up mailing '[nodeb] node nodea: is dead'",
                                "gave up mailing '[nodeb] Link nodea:vg0 dead.'"));
                String refusingLog = lastLogB;
                System.out.printf("kill -9 -> VIP on nodeb: no mail %d ms, silent SMTP %d ms, refusing SMTP %d ms%n", without, withSilent,
                        withRefusing);
                assertThat(Math.abs(withSilent - without)).as("silent server: %d vs %d ms", withSilent, without)
                        .isLessThanOrEqualTo(TOLERANCE_MILLIS);
                assertThat(Math.abs(withRefusing - without)).as("refusing server: %d vs %d ms", withRefusing, without)
                        .isLessThanOrEqualTo(TOLERANCE_MILLIS);
                // refused: each mail given up after its attempts (1 + 5 s + 10 s back-off), one line per mail
                Matcher m = Pattern.compile("gave up mailing '([^']*)'").matcher(refusingLog);
                List<String> gaveUp = new java.util.ArrayList<>();
                while (m.find()) gaveUp.add(m.group(1));
                assertThat(gaveUp).as(refusingLog).contains("[nodeb] node nodea: is dead", "[nodeb] Link nodea:vg0 dead.");
                assertThat(gaveUp).anyMatch(g -> g.startsWith("Cluster Takeover in progress at ") && g.endsWith(" on nodeb"));
                assertThat(gaveUp.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())).values())
                        .as("one give-up line per mail: %s", gaveUp).allMatch(c -> c == 1);
            } finally {
                silent.close();
                for (Socket s : held) s.close();
            }
        }
    }
}
