package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.action.mail.MailSettings;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.TransitionReason;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.instance.VrrpState;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VrrpMailAlertsTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private static final long S = 1_000_000_000L;

    private VrrpMailAlerts alerts(int port, Duration timeout, List<String> log) {
        MailSettings s = MailSettings.of(List.of("ops@example.com"), "keepalived@lb-a", "127.0.0.1", port)
                .withConnectTimeout(timeout).withRetries(1, Duration.ofMillis(10));
        return new VrrpMailAlerts(new MailNotifier(s, log::add), "lb-a", false, Set.of("VI_1"), Set.of("G1"));
    }

    @Test
    void eachStateReachedIsMailedOnceWithKeepalivedsSubject() throws Exception {
        try (VrrpMailAlerts a = alerts(smtp.getSmtp().getPort(), Duration.ofSeconds(5), new CopyOnWriteArrayList<>())) {
            Instant t = Instant.parse("2026-11-25T09:00:00Z");
            a.instanceTransition(new VrrpRouter.InstanceTransition("VI_1", VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.values()[0], 150, 0, t));
            a.instanceTransition(new VrrpRouter.InstanceTransition("VI_1", VrrpState.MASTER, VrrpState.MASTER, TransitionReason.values()[0], 150, 1, t));
            a.instanceTransition(new VrrpRouter.InstanceTransition("VI_OTHER", VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.values()[0], 100, 2, t));
            a.groupTransition(new VrrpRouter.GroupTransition("G1", VrrpState.BACKUP, VrrpState.FAULT, 3, t));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (smtp.getReceivedMessages().length < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(300);
        }
        MimeMessage[] got = smtp.getReceivedMessages();
        assertThat(got).hasSize(2);
        assertThat(got[0].getSubject()).isEqualTo("[lb-a] VRRP Instance VI_1 - Entering MASTER state");
        assertThat(got[1].getSubject()).isEqualTo("[lb-a] VRRP Group G1 - Entering FAULT state");
    }

    @Test
    void aMailServerThatNeverAnswersDoesNotDelayTheTakeoverByANanosecond() throws Exception {
        long withoutMail = takeoverAfterKill(null);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) silent.accept(); // accept and stay silent
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<String> log = new CopyOnWriteArrayList<>();
            try (VrrpMailAlerts a = alerts(silent.getLocalPort(), Duration.ofSeconds(30), log)) {
                long withMail = takeoverAfterKill(a);
                // virtual time: identical, because submitting a mail never waits for the server
                assertThat(withMail).isEqualTo(withoutMail);
                assertThat(a.notifier().sent()).isZero();
            }
        }
    }

    /** Nanoseconds from killing the master to the backup holding the address, in the simulation. */
    private static long takeoverAfterKill(VrrpMailAlerts alerts) throws Exception {
        SimScheduler sched = new SimScheduler();
        SimNetwork net = new SimNetwork(sched, 7);
        SimAddressBook book = new SimAddressBook(sched);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        InetAddress vip = InetAddress.getByName("10.0.0.100");
        SimVrrpNode na = node(net, book, "a", a, 1, 150, vip);
        SimVrrpNode nb = node(net, book, "b", b, 2, 100, vip);
        if (alerts != null) {
            na.router().addListener(alerts);
            nb.router().addListener(alerts);
        }
        na.start();
        nb.start();
        sched.runFor(10 * S);
        long kill = sched.nanoTime();
        na.kill();
        sched.runFor(10 * S);
        return book.firstAdded("b", vip, kill).orElseThrow() - kill;
    }

    private static SimVrrpNode node(SimNetwork net, SimAddressBook book, String name, InetAddress self, int mac, int prio,
                                    InetAddress vip) {
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_1", 51, self).version(2).priority(prio)
                .advertIntervalSeconds(1).virtualAddress(vip).build();
        return new SimVrrpNode(net, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
    }
}
