package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.NodeStatus;
import org.junit.jupiter.api.Test;

/** The nice_failback start-up exchange and RQSTDELAY (research heartbeat.md §1.6; {@code process_resources}). */
class StartupHandshakeTest {
    private static final String VIP_A = GROUP_A.key();
    private static final String VIP_B = GROUP_B.key();

    @Test
    void commUpSendsStartingLikeFixture07AndTheResourceStateIsInTransition() {
        RmDriver d = nodeA(AutoFailback.ON).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE);
        // other_is_stable starts false, so heartbeat reports "transition" until the handshake is done
        assertThat(d.rm.rscStatus()).isEqualTo("transition");
        d.commUp();

        assertThat(d.sentSummary()).containsExactly("starting");
        assertThat(HbFixtures.fieldNames(onTheWire(A, d.sent.get(0)))).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("07-starting.bin")));
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.STARTING);
        assertThat(d.rm.rscStatus()).isEqualTo("transition");
    }

    @Test
    void thePeersStartingWhileWeStartAnswersResourceNoneUnstableLikeFixture08() {
        RmDriver d = nodeA(AutoFailback.ON).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        d.clear();
        d.fromPeer("starting");

        assertThat(d.sentSummary()).containsExactly("resource rsc_hold=none isstable=0");
        assertThat(onTheWire(A, d.sent.get(0)).withoutAuth().toBuilder().remove("srcuuid").remove("seq").remove("ts").remove("ld").remove("hg").build())
                .isEqualTo(HbFixtures.unsigned("08-resource-none-unstable.bin").toBuilder().remove("srcuuid").remove("seq").remove("ts")
                        .remove("ld").remove("hg").build());
        // BOTH_STARTING, and hearing our own reply (heartbeat's loopback) moves us on to RESOURCES_RECEIVED
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.RESOURCES_RECEIVED);
    }

    @Test
    void withBothUnstableRqstdelayOfTenSecondsPassesBeforeWeTakeOurGroups() {
        RmDriver d = nodeA(AutoFailback.ON).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        d.fromPeer("starting"); // our reply starts RQSTDELAY (we hear our own resource message)
        d.at(200 * MS).fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0");
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.RESOURCES_RECEIVED);
        d.clear();

        d.advance(10 * SEC - 1);
        assertThat(d.runs).isEmpty();
        d.advance(10 * SEC);

        assertThat(d.log).containsSubsequence("info: local resource transition completed.", "info: Local Resource acquisition completed.");
        assertThat(d.sentSummary()).containsSubsequence("ip-request-resp dest=nodea ipaddr=" + VIP_A + " weown=yes",
                "resource rsc_hold=local isstable=1", "resource rsc_hold=local info=req_our_resources() isstable=1");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.isRunning("apache")).isTrue();
        assertThat(d.isRunning(VIP_B)).isFalse();
        assertThat(d.rm.rscStatus()).isEqualTo("transition"); // until the peer, too, says it is stable
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        assertThat(d.rm.rscStatus()).isEqualTo("local");
    }

    @Test
    void ourSelfAddressedIpRequestRespHasTheFieldsOfFixture11() {
        RmDriver d = new RmDriver(A, AutoFailback.ON, ResourceGroup.of(A, "IPaddr2::10.231.0.100/24/hb0"));
        d.stableWithPeerHolding("local");
        var resp = d.sent.stream().filter(m -> m.type().orElse("").equals("ip-request-resp")).findFirst().orElseThrow();
        var wire = onTheWire(A, resp);
        var fixture = HbFixtures.message("11-ip-request-resp-self.bin");
        assertThat(HbFixtures.fieldNames(wire)).isEqualTo(HbFixtures.fieldNames(fixture));
        for (String f : new String[] {"t", "dest", "ipaddr", "weown", "ok"}) assertThat(wire.string(f)).as(f).isEqualTo(fixture.string(f));
    }

    @Test
    void aStablePeerHoldingItsOwnLetsUsTakeOursAtOnce() {
        RmDriver d = nodeA(AutoFailback.ON).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        d.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");

        assertThat(d.log).containsSubsequence("info: remote resource transition completed.", "info: remote resource transition completed.");
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.rm.rscStatus()).isEqualTo("local");
        assertThat(d.sent.get(d.sent.size() - 1).string("info")).contains("req_our_resources()");
    }

    @Test
    void aPeerHoldingOurGroupsKeepsThemAndWeTakeNothing() {
        RmDriver d = nodeA(AutoFailback.OFF).stableWithPeerHolding("all");

        assertThat(d.log).contains("info: Local Resource acquisition completed. (none)");
        assertThat(d.runs).isEmpty();
        assertThat(d.rm.rscStatus()).isEqualTo("none");
        assertThat(d.rm.peerClaimed()).isEqualTo(ResourceSet.ALL);
    }

    @Test
    void aNodeAloneTakesEverythingWhenInitdeadDeclaresItsPeerDead() {
        RmDriver d = nodeA(AutoFailback.ON);
        d.at(10 * SEC).peerStatus(NodeStatus.INIT, NodeStatus.DEAD).commUp();

        assertThat(d.sentSummary()).contains("stonith node=nodeb result=n_stnth", "starting",
                "resource rsc_hold=foreign info=mach_down");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.isRunning(VIP_B)).isTrue();
        // our own resource messages move us from STARTING, then RQSTDELAY makes us stable
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.RESOURCES_RECEIVED);
        assertThat(d.rm.rscStatus()).isEqualTo("transition");
        d.advance(21 * SEC);
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.STABLE);
        assertThat(d.rm.rscStatus()).isEqualTo("all");
    }

    @Test
    void resourceMessagesBeforeOurCommUpAreIgnoredAsHeartbeatHasNoHandlerYet() {
        RmDriver d = nodeA(AutoFailback.ON).peerStatus(NodeStatus.INIT, NodeStatus.UP);
        d.fromPeer("starting").fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        assertThat(d.sent).isEmpty();
        assertThat(d.log).isEmpty();
        assertThat(d.rm.phase()).isEqualTo(ResourceManager.Phase.INIT);
    }

    @Test
    void legacyModeSendsNoStartupMessagesAndAsksTheHolderWithIpRequest() {
        RmDriver d = nodeA(AutoFailback.LEGACY).peerStatus(NodeStatus.INIT, NodeStatus.ACTIVE).commUp();
        assertThat(d.sentSummary()).containsExactly("ip-request ipaddr=" + VIP_A);
        assertThat(d.runs).isEmpty();

        d.fromPeer("ip-request-resp", "dest", A, "ipaddr", VIP_A, "weown", "no", "ok", "OK");
        assertThat(d.log).contains("info: received ip-request-resp " + VIP_A + " OK no");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.sentSummary()).noneMatch(s -> s.startsWith("resource") || s.startsWith("starting"));
        assertThat(d.rm.rscStatus()).isEqualTo("local");
    }

    @Test
    void legacyModeAloneTakesItsGroupsWithoutAsking() {
        RmDriver d = nodeA(AutoFailback.LEGACY);
        d.at(10 * SEC).peerStatus(NodeStatus.INIT, NodeStatus.DEAD).commUp();
        assertThat(d.sentSummary()).contains("ip-request-resp dest=nodea ipaddr=" + VIP_A + " weown=yes").doesNotContain("starting");
        assertThat(d.isRunning(VIP_A)).isTrue();
        assertThat(d.isRunning(VIP_B)).isTrue(); // mach_down
    }

    @Test
    void aNodeWithNoGroupsOfItsOwnSaysSoLikeTheRealNodeb() {
        RmDriver d = new RmDriver(B, AutoFailback.ON, ResourceGroup.of(A, "IPaddr2::10.231.0.100/24/hb0"));
        d.stableWithPeerHolding("local");
        assertThat(d.log).contains("info: No local resources [/usr/share/heartbeat/ResourceManager listkeys nodeb] to acquire.");
        assertThat(d.rm.rscStatus()).isEqualTo("local"); // heartbeat claims "local" even with no local groups
        assertThat(HbFixtures.fieldNames(onTheWire(B, d.sent.get(d.sent.size() - 1))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("10-resource-req_our_resources.bin")));
    }
}
