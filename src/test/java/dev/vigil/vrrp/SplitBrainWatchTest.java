package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.action.mail.MailSettings;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two masters for one VRID seen for longer than one advert interval: the simulated pair with a
 * one-way cut (b no longer hears a, a still hears b), the alert on the log sink, the control event
 * stream and the mail; and the cases that must not alert (a symmetric partition healing, a preempt).
 */
class SplitBrainWatchTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private static final long S = 1_000_000_000L;
    private static final long INTERVAL = S; // advert_int 1

    private final SimScheduler sched = new SimScheduler();
    private final SimNetwork net = new SimNetwork(sched, 11);
    private final SimAddressBook book = new SimAddressBook(sched);
    private final InetAddress vip = address("10.0.0.100");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SimVrrpNode node(String name, String ip, int mac, int prio) {
        InetAddress self = address(ip);
        VrrpInstanceSettings s = VrrpInstanceSettings.builder("VI_1", 51, self).version(2).priority(prio)
                .advertIntervalSeconds(1).virtualAddress(vip).build();
        return new SimVrrpNode(net, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(s, "eth0"))), book);
    }

    @Test
    void aOneWayCutGivesTwoMastersAndOneAlertPerEpisodeOnLogEventStreamAndMail() throws Exception {
        SimVrrpNode a = node("a", "10.0.0.1", 1, 150);
        SimVrrpNode b = node("b", "10.0.0.2", 2, 100);
        List<SplitBrainWatch.SplitBrain> seenByA = new ArrayList<>();
        List<SplitBrainWatch.SplitBrain> seenByB = new ArrayList<>();
        VrrpControl control = new VrrpControl(a.router(), List::of);
        List<JsonObject> stream = new ArrayList<>();
        control.subscribe(stream::add);
        List<String> mailLog = new CopyOnWriteArrayList<>();
        MailSettings ms = MailSettings.of(List.of("ops@example.com"), "keepalived@lb-a", "127.0.0.1", smtp.getSmtp().getPort())
                .withConnectTimeout(Duration.ofSeconds(5));
        try (VrrpMailAlerts mail = new VrrpMailAlerts(new MailNotifier(ms, mailLog::add), "lb-a", false, Set.of("VI_1"), Set.of())) {
            new SplitBrainWatch(a.router()).onSplitBrain(seenByA::add).onSplitBrain(control::splitBrain).onSplitBrain(mail::splitBrain);
            new SplitBrainWatch(b.router()).onSplitBrain(seenByB::add);
            a.start();
            b.start();
            sched.runFor(10 * S);
            assertThat(book.holders(vip)).containsExactly("a");
            assertThat(seenByA).isEmpty();

            long cut = sched.nanoTime();
            net.segment("lan").blockOneWay("a", "b");
            sched.runFor(20 * S);
            // b took the address (it hears nobody), a kept it: two masters
            assertThat(book.holders(vip)).containsExactlyInAnyOrder("a", "b");
            assertThat(seenByA).hasSize(1);
            SplitBrainWatch.SplitBrain sb = seenByA.get(0);
            assertThat(sb.otherMaster()).isEqualTo(address("10.0.0.2"));
            assertThat(sb.otherPriority()).isEqualTo(100);
            assertThat(sb.ourPriority()).isEqualTo(150);
            // seen for longer than one interval, and reported no later than the advert after that
            assertThat(sb.atNanos() - sb.sinceNanos()).isGreaterThan(INTERVAL).isLessThanOrEqualTo(2 * INTERVAL + S / 10);
            // b's first advert as master comes one Master_Down_Interval (3 s + skew) after the cut
            assertThat(sb.sinceNanos() - cut).isBetween(3 * S, 5 * S);
            assertThat(seenByB).as("b hears no other master").isEmpty();
            assertThat(stream).filteredOn(e -> "split-brain".equals(e.getString("type"))).singleElement()
                    .satisfies(e -> assertThat(e.getString("text")).contains("split brain").contains("10.0.0.2").contains("VRID 51"));

            // healing ends the episode (b hears a and steps down); a second cut is a new episode
            net.segment("lan").heal();
            sched.runFor(10 * S);
            assertThat(book.holders(vip)).containsExactly("a");
            net.segment("lan").blockOneWay("a", "b");
            sched.runFor(20 * S);
            assertThat(seenByA).hasSize(2);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (smtp.getReceivedMessages().length < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        }
        MimeMessage[] got = smtp.getReceivedMessages();
        assertThat(got).as("log %s", mailLog).hasSize(2);
        assertThat(got[0].getSubject()).isEqualTo("[lb-a] VRRP Instance VI_1 - Split brain");
        assertThat((String) got[0].getContent()).contains("10.0.0.2 also advertises as master for VRID 51");
    }

    @Test
    void aSymmetricPartitionHealingAndAPreemptAreNotSplitBrains() {
        SimVrrpNode a = node("a", "10.0.0.1", 1, 150);
        SimVrrpNode b = node("b", "10.0.0.2", 2, 100);
        List<SplitBrainWatch.SplitBrain> seen = new ArrayList<>();
        new SplitBrainWatch(a.router()).onSplitBrain(seen::add);
        new SplitBrainWatch(b.router()).onSplitBrain(seen::add);
        b.start();
        sched.runFor(10 * S);
        a.start(); // preempts b
        sched.runFor(10 * S);
        assertThat(book.holders(vip)).containsExactly("a");
        net.segment("lan").partition(Set.of("a"), Set.of("b"));
        sched.runFor(10 * S);
        assertThat(book.holders(vip)).containsExactlyInAnyOrder("a", "b"); // neither sees the other: nothing to observe
        net.segment("lan").heal();
        sched.runFor(10 * S);
        assertThat(book.holders(vip)).containsExactly("a");
        // the lower master stepped down at a's first answer: seen for less than one interval
        assertThat(seen).isEmpty();
    }
}
