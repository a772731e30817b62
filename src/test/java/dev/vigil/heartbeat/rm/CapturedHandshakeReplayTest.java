package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.SimCluster.SEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.MembershipSettings;
import dev.vigil.heartbeat.wire.HbMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden interop for the resource protocol: a Vigil node stands in for one of the two real
 * heartbeat 3.0.6 nodes of a capture, the other node's captured packets are played into it at
 * their captured times, and Vigil must say what the real node said (research heartbeat.md §1.6;
 * captures cap1 start-up, cap5 rejoin and auto_failback).
 */
class CapturedHandshakeReplayTest {
    private static final ResourceGroup TESTBED = ResourceGroup.of("nodea", "IPaddr2::10.231.0.100/24/hb0");
    private static final List<String> RM_TYPES = List.of("starting", "resource", "ask_resources", "hb_takeover", "ip-request",
            "ip-request-resp", "stonith", "shutdone");

    /** A one-node simulation whose node is a Vigil "nodea" with the captured node's uuid. */
    private static SimCluster.Node vigilNodea(SimCluster c) {
        MembershipSettings s = new MembershipSettings("nodea", List.of("nodea", "nodeb"), List.of("hb0"), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(10), 1, 0x6b05f990L, HbFixtures.NODEA_UUID, Map.of(),
                Duration.ofMillis(250));
        return c.add(s, ResourceSettings.defaults("nodea", "nodeb", List.of(TESTBED), AutoFailback.ON));
    }

    /** Plays the packets nodeb (10.231.0.2) sent, from capture time {@code from}; Vigil starts at {@code vigilStart}. */
    private static void replayNodeb(SimCluster c, SimCluster.Node vigil, String capture, double vigilStart, double until) {
        List<HbFixtures.Captured> packets = HbFixtures.capture(capture);
        double t0 = packets.get(0).seconds();
        c.scheduler.schedule(Math.round(vigilStart * 1e9), vigil::start);
        for (HbFixtures.Captured p : packets) {
            double at = p.seconds() - t0;
            if (!p.sourceIp().equals("10.231.0.2") || at > until) continue;
            c.scheduler.schedule(Math.round(at * 1e9), () -> vigil.inject("hb0", p.message()));
        }
        c.runUntil(Math.round(until * 1e9));
    }

    private static List<String> rmMessages(List<HbMessage> sent) {
        List<String> out = new ArrayList<>();
        for (HbMessage m : sent) {
            if (RM_TYPES.contains(m.type().orElse(""))) out.add(RmDriver.summary(m));
        }
        return out;
    }

    private static List<String> realNodea(String capture, double until) {
        List<HbFixtures.Captured> packets = HbFixtures.capture(capture);
        double t0 = packets.get(0).seconds();
        List<HbMessage> sent = new ArrayList<>();
        for (HbFixtures.Captured p : packets) {
            if (p.sourceIp().equals("10.231.0.1") && p.seconds() - t0 <= until) sent.add(p.message());
        }
        return rmMessages(sent);
    }

    @Test
    void rejoiningAgainstARealHolderVigilGetsItsGroupBackThroughTheSameFailbackHandshakeAsCapture5() {
        SimCluster c = new SimCluster(31);
        SimCluster.Node vigil = vigilNodea(c);
        vigil.scripts.startLatency = 1000 * SimCluster.MS; // the real IPaddr2 start took 1.1 s here
        replayNodeb(c, vigil, "cap5-rejoin-failback", 1.9, 12);

        List<String> ours = rmMessages(vigil.sent);
        List<String> theirs = realNodea("cap5-rejoin-failback", 12);
        assertThat(ours).containsExactly("starting", "resource rsc_hold=none isstable=0", "resource rsc_hold=none isstable=1",
                "ask_resources rsc_hold=foreign info=other", "ask_resources rsc_hold=foreign info=done",
                "resource rsc_hold=local isstable=1", "resource rsc_hold=local isstable=1");
        // The real nodea said the same; its own loopback put "resource" before "done" on the wire.
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
        assertThat(c.timeline.holdersNow(TESTBED.key())).containsExactly("nodea");
        assertThat(vigil.rm.rscStatus()).isEqualTo("local");
        // nodeb ACKs the real nodea's sequence numbers, not ours: a replay artefact Vigil rightly rejects
        assertThat(vigil.log).filteredOn(l -> !l.contains("corrupted ackseq")).noneMatch(l -> l.contains("ERROR") || l.contains("CRIT"));
        // and the log reads like the real nodea's at 21:02:09 (logs/nodea-ha-log.gz)
        assertThat(vigil.log).extracting(l -> l.substring(16)).containsSubsequence("info: remote resource transition completed.",
                "info: Local Resource acquisition completed. (none)", "info: nodeb wants to go standby [foreign]",
                "info: standby: acquire [foreign] resources from nodeb", "info: acquire local HA resources (standby).",
                "info: local HA resource acquisition completed (standby).", "info: Standby resource acquisition done [foreign].",
                "info: remote resource transition completed.");
    }

    @Test
    void coldStartingAgainstARealNodeVigilTakesItsGroupAndAnnouncesItLikeCapture1() {
        SimCluster c = new SimCluster(32);
        SimCluster.Node vigil = vigilNodea(c);
        replayNodeb(c, vigil, "cap1-startup", 0, 25);

        List<String> ours = rmMessages(vigil.sent);
        assertThat(ours).startsWith("starting", "resource rsc_hold=none isstable=0");
        assertThat(ours).contains("ip-request-resp dest=nodea ipaddr=" + TESTBED.key() + " weown=yes",
                "resource rsc_hold=local info=req_our_resources() isstable=1");
        assertThat(realNodea("cap1-startup", 25)).contains("ip-request-resp dest=nodea ipaddr=" + TESTBED.key() + " weown=yes",
                "resource rsc_hold=local info=req_our_resources() isstable=1");
        long up = c.timeline.firstTimeHeldOnlyBy(TESTBED.key(), "nodea", 0);
        // comm-up at 3.6 s plus RQSTDELAY: the real nodea started it at 14.97 s
        assertThat(up).isBetween(13 * SEC, 17 * SEC);
        assertThat(vigil.rm.rscStatus()).isEqualTo("local");
        assertThat(vigil.log).filteredOn(l -> !l.contains("corrupted ackseq")).noneMatch(l -> l.contains("ERROR") || l.contains("CRIT"));
    }
}
