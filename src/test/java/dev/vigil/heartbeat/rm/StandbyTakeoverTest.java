package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.wire.HbMessage;
import org.junit.jupiter.api.Test;

/**
 * {@code hb_standby} and {@code hb_takeover}, from both ends of the handshake (research heartbeat.md
 * §1.6; {@code ask_for_resources}, {@code go_standby}, {@code rc.d/hb_takeover}; captures cap2, cap3).
 */
class StandbyTakeoverTest {
    private static final String VIP_A = GROUP_A.key();
    private static final String VIP_B = GROUP_B.key();

    private static RmDriver holderOfAll() {
        // nodea holds everything: nodeb died, and came back holding nothing (auto_failback off, so no failback)
        RmDriver d = nodeA(AutoFailback.OFF).stableWithPeerHolding("local");
        d.peerStatus(dev.vigil.heartbeat.membership.NodeStatus.ACTIVE, dev.vigil.heartbeat.membership.NodeStatus.DEAD);
        d.peerStatus(dev.vigil.heartbeat.membership.NodeStatus.DEAD, dev.vigil.heartbeat.membership.NodeStatus.ACTIVE);
        d.fromPeer("starting");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        d.advance(d.now + 11 * RmDriver.SEC);
        assertThat(d.rm.rscStatus()).isEqualTo("all");
        d.clear();
        return d;
    }

    @Test
    void theNodeGoingStandbyAsksReleasesAndSaysDoneLikeFixtures20_22_23() {
        RmDriver e = holderOfAll();
        e.apply(e.rm.requestStandby(AdminRequest.ALL, e.now));
        assertThat(e.log).containsSubsequence("info: Going standby [all].", "info: nodea wants to go standby [all]");
        assertThat(e.sentSummary()).containsExactly("ask_resources rsc_hold=all info=me");
        assertThat(e.rm.standbyState()).isEqualTo(ResourceManager.Standby.ME);
        assertThat(HbFixtures.fieldNames(onTheWire(A, e.sent.get(0))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("20-ask_resources-standby-me.bin")));
        e.clear();

        e.fromPeer("ask_resources", "rsc_hold", "all", "info", "other");
        assertThat(e.log).containsSubsequence("info: standby: nodeb can take our all resources", "info: give up all HA resources (standby).",
                "info: all HA resource release completed (standby).", "info: Local standby process completed [all].");
        assertThat(e.sentSummary()).containsExactly("resource rsc_hold=none info=standby isstable=0", "ask_resources rsc_hold=all info=done");
        assertThat(HbFixtures.fieldNames(onTheWire(A, e.sent.get(0))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("22-resource-standby.bin")));
        assertThat(HbFixtures.fieldNames(onTheWire(A, e.sent.get(1))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("23-ask_resources-done.bin")));
        assertThat(e.isRunning(VIP_A)).isFalse();
        assertThat(e.isRunning(VIP_B)).isFalse();
        assertThat(e.rm.rscStatus()).isEqualTo("transition");
        e.clear();

        e.fromPeer("ask_resources", "rsc_hold", "all", "info", "done");
        assertThat(e.log).contains("info: Other node completed standby takeover of all resources.");
        assertThat(e.sentSummary()).containsExactly("resource rsc_hold=none isstable=1");
        e.fromPeer("resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(e.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
        assertThat(e.rm.rscStatus()).isEqualTo("none");
    }

    @Test
    void theTakingNodeAnswersOtherTakesOnDoneAndAnnouncesLikeFixture21() {
        RmDriver d = new RmDriver(B, AutoFailback.ON, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        assertThat(d.isRunning(VIP_B)).isTrue();
        d.clear();

        d.fromPeer("ask_resources", "rsc_hold", "all", "info", "me");
        assertThat(d.log).contains("info: nodea wants to go standby [all]");
        assertThat(d.sentSummary()).containsExactly("ask_resources rsc_hold=all info=other");
        assertThat(HbFixtures.fieldNames(onTheWire(B, d.sent.get(0))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("21-ask_resources-standby-other.bin")));
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.OTHER);
        d.clear();

        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0", "info", "standby");
        d.fromPeer("ask_resources", "rsc_hold", "all", "info", "done");
        assertThat(d.log).containsSubsequence("info: standby: acquire [all] resources from nodea", "info: acquire all HA resources (standby).",
                "info: all HA resource acquisition completed (standby).", "info: Standby resource acquisition done [all].");
        assertThat(d.sentSummary()).containsExactly("ask_resources rsc_hold=all info=done", "resource rsc_hold=all isstable=1");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.rm.claimed()).isEqualTo(ResourceSet.ALL);
    }

    @Test
    void aStandbyIsRefusedWhileThePeerIsInFlux() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "0");
        d.clear();
        d.apply(d.rm.requestStandby(AdminRequest.ALL, d.now));
        assertThat(d.log).contains("WARN: standby message [me] from nodea ignored.  Other side is in flux.");
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
    }

    @Test
    void aSecondRequestWithinTheReplyTimeoutIsIgnored() {
        RmDriver d = holderOfAll();
        d.apply(d.rm.requestStandby(AdminRequest.ALL, d.now));
        d.at(d.now + 3 * SEC);
        d.apply(d.rm.requestStandby(AdminRequest.ALL, d.now));
        assertThat(d.log).contains("WARN: Standby in progress- new request from nodea ignored [7 seconds left]");
    }

    @Test
    void withoutAReplyTheStandbyIsCancelledAfterTenSeconds() {
        RmDriver d = holderOfAll();
        long t = d.now;
        d.apply(d.rm.requestStandby(AdminRequest.ALL, d.now));
        d.advance(t + 10 * SEC - 1);
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.ME);
        d.advance(t + 10 * SEC);
        assertThat(d.log).contains("WARN: No reply to standby request.  Standby request cancelled.");
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
        assertThat(d.isRunning(VIP_A)).isTrue();
    }

    @Test
    void failbackMeansForeignForHbStandby() {
        RmDriver d = holderOfAll();
        d.apply(d.rm.requestStandby(AdminRequest.FAILBACK, d.now));
        assertThat(d.sentSummary()).containsExactly("ask_resources rsc_hold=foreign info=me");
    }

    @Test
    void legacyModeHasNoStandby() {
        RmDriver d = nodeA(AutoFailback.LEGACY);
        d.peerStatus(dev.vigil.heartbeat.membership.NodeStatus.INIT, dev.vigil.heartbeat.membership.NodeStatus.ACTIVE).commUp();
        d.clear();
        d.fromPeer("ask_resources", "rsc_hold", "all", "info", "me");
        assertThat(d.log).containsExactly("info: Standby mode only implemented when nice_failback on");
        assertThat(d.sent).isEmpty();
    }

    @Test
    void hbTakeoverSendsItsRequestLikeFixture24() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.clear();
        d.apply(d.rm.requestTakeover(AdminRequest.ALL, d.now));
        assertThat(d.sentSummary()).containsExactly("hb_takeover rsc_hold=all");
        HbMessage wire = onTheWire(A, d.sent.get(0));
        assertThat(HbFixtures.fieldNames(wire)).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("24-hb_takeover-all.bin")));
    }

    @Test
    void thePeersHbTakeoverMakesUsGoStandbyForTheComplementarySet() {
        String[][] cases = {{"all", "all"}, {"local", "foreign"}, {"foreign", "local"}, {"failback", "all"}};
        for (String[] c : cases) {
            RmDriver d = holderOfAll();
            d.fromPeer("hb_takeover", "rsc_hold", c[0]);
            assertThat(d.sentSummary()).as(c[0]).containsExactly("ask_resources rsc_hold=" + c[1] + " info=me");
            assertThat(d.log).as(c[0]).contains("info: Going standby [" + c[1] + "].");
        }
    }
}
