package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.HbFixtures;
import dev.vigil.heartbeat.membership.MembershipAction;
import dev.vigil.heartbeat.membership.NodeStatus;
import dev.vigil.heartbeat.wire.HbMessage;
import org.junit.jupiter.api.Test;

/** The survivor's work when its peer dies ({@code hb_rsc_recover_dead_resources}, {@code takeover_from_node}, {@code mach_down}). */
class NodeDeathTest {
    private static final String VIP_B = GROUP_B.key();

    @Test
    void aPeerDyingWithResourcesGetsAStonithNoticeThenItsGroupsAreTakenAndMachDownAnnounced() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.clear();
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);

        assertThat(d.log).containsSubsequence("WARN: No STONITH device configured.", "WARN: Shared disks are not protected.",
                "info: Resources being acquired from nodeb.", "info: Taking over resource group " + VIP_B,
                "info: mach_down takeover complete for node nodeb.", "info: mach_down takeover complete.");
        assertThat(d.sentSummary()).containsSubsequence("stonith node=nodeb result=n_stnth", "resource rsc_hold=foreign info=mach_down");
        assertThat(d.isRunning(VIP_B)).isTrue();
        assertThat(d.rm.claimed()).isEqualTo(ResourceSet.ALL);
        assertThat(d.rm.rscStatus()).isEqualTo("all");
    }

    @Test
    void theStonithNoticeAndMachDownMessageHaveTheFieldsOfFixtures30And32() {
        RmDriver d = new RmDriver(B, AutoFailback.ON, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        d.clear();
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        HbMessage stonith = onTheWire(B, d.sent.get(0));
        HbMessage machDown = onTheWire(B, d.sent.stream().filter(m -> "mach_down".equals(m.string("info").orElse(null))).findFirst().orElseThrow());

        HbMessage f30 = HbFixtures.message("30-stonith-n_stnth-after-death.bin");
        assertThat(HbFixtures.fieldNames(stonith)).isEqualTo(HbFixtures.fieldNames(f30));
        assertThat(stonith.string("node")).isEqualTo(f30.string("node"));
        assertThat(stonith.string("result")).isEqualTo(f30.string("result"));
        HbMessage f32 = HbFixtures.message("32-resource-foreign-mach_down.bin");
        assertThat(HbFixtures.fieldNames(machDown)).isEqualTo(HbFixtures.fieldNames(f32)).doesNotContain("rtype", "isstable");
        assertThat(machDown.string("rsc_hold")).isEqualTo(f32.string("rsc_hold"));
        // and after the death, like fixture 31, the survivor announces everything it now holds
        assertThat(d.sentSummary()).contains("resource rsc_hold=all info=req_our_resources() isstable=1");
    }

    @Test
    void aPeerThatShutDownGracefullyNeedsNoStonithWhenItDiesLikeFixture33() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "0", "info", "shutdown");
        d.fromPeer("shutdone", "st", "dead");
        assertThat(d.log).contains("info: Received shutdown notice from 'nodeb'.");
        assertThat(d.isRunning(VIP_B)).isTrue();
        d.clear();

        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(d.log).contains("info: Dead node nodeb gave up resources.");
        assertThat(d.sentSummary()).containsExactly("stonith node=nodeb result=unneeded");
        assertThat(HbFixtures.fieldNames(onTheWire(A, d.sent.get(0))))
                .isEqualTo(HbFixtures.fieldNames(HbFixtures.message("33-stonith-unneeded.bin")));
    }

    @Test
    void aDeathDuringAStandbyHandshakeCancelsIt() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.fromPeer("ask_resources", "rsc_hold", "all", "info", "me");
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.OTHER);
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(d.log).contains("info: Cancelling pending standby operation");
        assertThat(d.rm.standbyState()).isEqualTo(ResourceManager.Standby.NOT);
        assertThat(d.isRunning(VIP_B)).isTrue();
    }

    @Test
    void vigilTreatsARestartWeDidNotSeeAsADeathSoWhatThePeerHeldIsNotOrphaned() {
        // nodeb held everything (nodea had gone standby), then restarted faster than deadtime.
        RmDriver d = nodeA(AutoFailback.OFF).stableWithPeerHolding("all");
        assertThat(d.isRunning(GROUP_A.key())).isFalse();
        d.clear();
        d.membership(new MembershipAction.PeerRestarted(B, 7, 8));

        assertThat(d.log).contains("WARN: Node nodeb restarted before it was declared dead; recovering what its previous run held");
        assertThat(d.isRunning(GROUP_A.key())).isTrue();
        assertThat(d.isRunning(VIP_B)).isTrue();
    }

    @Test
    void aKnownDeathFollowedByTheRestartIsNotRecoveredTwice() {
        RmDriver d = nodeA(AutoFailback.ON).stableWithPeerHolding("local");
        d.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        d.clear();
        d.membership(new MembershipAction.PeerRestarted(B, 7, 8));
        assertThat(d.sent).isEmpty();
        assertThat(d.runs).isEmpty();
    }
}
