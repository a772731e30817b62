package dev.vigil.heartbeat.rm;

import static dev.vigil.heartbeat.rm.RmDriver.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.membership.NodeStatus;
import org.junit.jupiter.api.Test;

/**
 * Both nodes claim the same groups without either seeing a partition: the peer was declared dead,
 * restarted while still cut off, and took its groups alone at initdead (found by the simulated
 * fault campaign, seed 1). The preferred node keeps them, the other gives them up.
 */
class DoubleClaimTest {
    private static final String VIP_A = GROUP_A.key();
    private static final String VIP_B = GROUP_B.key();

    @Test
    void theNodeHoldingItsPeersGroupsGivesThemUpWhenThePeerClaimsThem() {
        RmDriver b = new RmDriver(B, AutoFailback.OFF, GROUP_A, GROUP_B).stableWithPeerHolding("local");
        b.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(b.isRunning(VIP_A)).isTrue();
        b.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        b.clear();
        // nodea's lone start after initdead: it took everything and says so
        b.fromPeer("resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(b.log).contains("ERROR: Both machines own foreign resources!",
                "WARN: Both nodes hold the resource groups nodea prefers: giving them up to nodea");
        assertThat(b.isRunning(VIP_A)).isFalse();
        assertThat(b.isRunning(VIP_B)).isTrue();
        assertThat(b.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
        assertThat(b.sentSummary()).contains("resource rsc_hold=local isstable=1");
        assertThat(b.rm.rscStatus()).isEqualTo("local");
    }

    @Test
    void thePreferredNodeKeepsItsGroupsAndReleasesThePeersOnes() {
        RmDriver a = nodeA(AutoFailback.OFF).stableWithPeerHolding("local");
        a.peerStatus(NodeStatus.ACTIVE, NodeStatus.DEAD);
        assertThat(a.isRunning(VIP_B)).isTrue();
        a.peerStatus(NodeStatus.DEAD, NodeStatus.ACTIVE);
        a.clear();
        a.fromPeer("resource", "rsc_hold", "all", "rtype", "full", "isstable", "1");
        assertThat(a.isRunning(VIP_A)).isTrue();
        assertThat(a.isRunning(VIP_B)).isFalse();
        assertThat(a.rm.claimed()).isEqualTo(ResourceSet.LOCAL);
        assertThat(a.runsSummary()).doesNotContain(VIP_A + " stop");
    }

    @Test
    void aPeerClaimingItsEmptyLocalSetChangesNothing() {
        // nodeb has no groups but claims "local" like heartbeat's nodeb does; nodea runs only its own
        RmDriver a = new RmDriver(A, AutoFailback.ON, GROUP_A).stableWithPeerHolding("local");
        a.clear();
        a.fromPeer("resource", "rsc_hold", "local", "rtype", "full", "isstable", "1");
        assertThat(a.isRunning(VIP_A)).isTrue();
        assertThat(a.runsSummary()).isEmpty();
        assertThat(a.log).noneMatch(l -> l.contains("giving them up"));
    }

    /**
     * heartbeat 3.0.6 as the peer: it hears our claim, logs "Both machines own foreign resources!" and
     * keeps running our group for good (a mixed pair after 40 % loss, docs/reliability.md §1b).
     * RQSTDELAY later the preferred node does what an operator would: hb_takeover local, which makes
     * heartbeat's rc.d/hb_takeover run hb_standby foreign.
     */
    @Test
    void aPeerThatKeepsRunningOurGroupIsAskedToStandByAfterRqstdelay() {
        RmDriver a = new RmDriver(A, AutoFailback.ON, GROUP_A).stableWithPeerHolding("local");
        assertThat(a.isRunning(VIP_A)).isTrue();
        a.clear();
        long t = a.now;
        // nodeb took nodea's group while it could not hear nodea, and says so; nodea never lost it
        a.fromPeer("resource", "rsc_hold", "foreign", "rtype", "full", "isstable", "1");
        assertThat(a.log).contains("WARN: Both nodes hold the resource groups this node prefers: keeping them, telling nodeb");
        assertThat(a.sentSummary()).containsExactly("resource rsc_hold=local isstable=1");
        a.advance(t + 9 * SEC);
        assertThat(a.sentSummary()).as("nothing more before RQSTDELAY").hasSize(1);
        a.advance(t + 11 * SEC);
        assertThat(a.sentSummary()).last().isEqualTo("hb_takeover rsc_hold=local");
        assertThat(a.log).anyMatch(l -> l.contains("still runs the resource groups this node prefers"));
        assertThat(a.isRunning(VIP_A)).as("nodea keeps its group throughout").isTrue();
        assertThat(a.runsSummary()).doesNotContain(VIP_A + " stop");
    }

    @Test
    void aPeerThatGivesOurGroupUpIsNotAskedAgain() {
        RmDriver a = new RmDriver(A, AutoFailback.ON, GROUP_A).stableWithPeerHolding("local");
        a.clear();
        long t = a.now;
        a.fromPeer("resource", "rsc_hold", "foreign", "rtype", "full", "isstable", "1");
        // a Vigil peer stops it on hearing the claim and reports what it holds now
        a.fromPeer("resource", "rsc_hold", "none", "rtype", "full", "isstable", "1");
        a.advance(t + 30 * SEC);
        assertThat(a.sentSummary()).noneMatch(m -> m.startsWith("hb_takeover"));
    }
}
