package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.HbMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each medium is a link towards each peer; a node is dead only when all of them are silent. */
class LinkLivenessTest {
    @Test
    void aSilentMediumIsDeclaredDeadWhileTheNodeLivesOnTheOther() {
        Membership a = joined(7, 5000, SEC, "hb0", "hb1");
        a.received(statusFromB(7, 1, "active", 5000), "hb1", SEC); // the copy on the second medium
        assertThat(a.linkStatus(B, "hb0")).contains(LinkStatus.UP);
        assertThat(a.linkStatus(B, "hb1")).contains(LinkStatus.UP);

        // from now on only hb0 carries nodeb's heartbeats
        List<MembershipAction> out = new java.util.ArrayList<>();
        for (long s = 2; s <= 9; s++) {
            out.addAll(runUntil(a, s * SEC - 1));
            out.addAll(a.received(statusFromB(7, s + 1, "active", 5000), "hb0", s * SEC));
        }
        out.addAll(runUntil(a, 9 * SEC));

        assertThat(logs(out)).contains("info: Link nodeb:hb1 dead.").doesNotContain("WARN: node nodeb: is dead");
        assertThat(out).contains(new MembershipAction.LinkStatusChanged(B, "hb1", false));
        assertThat(a.linkStatus(B, "hb1")).contains(LinkStatus.DEAD);
        assertThat(a.linkStatus(B, "hb0")).contains(LinkStatus.UP);
        assertThat(a.nodeStatus(B)).contains(NodeStatus.ACTIVE);
    }

    @Test
    void whenEveryMediumIsSilentTheNodeAndItsLinksDie() {
        Membership a = joined(7, 5000, SEC, "hb0", "hb1");
        a.received(statusFromB(7, 1, "active", 5000), "hb1", SEC);
        List<MembershipAction> out = runUntil(a, 6 * SEC);
        assertThat(logs(out)).containsSubsequence("WARN: node nodeb: is dead", "info: Link nodeb:hb0 dead.", "info: Link nodeb:hb1 dead.");
    }

    @Test
    void aCopyOnAnotherMediumRevivesThatLinkButIsNotProcessedTwice() {
        Membership a = joined(7, 5000, SEC, "hb0", "hb1");
        HbMessage probe = fromPeer(B, HbFixtures.NODEB_UUID, 7, 3, "resource", "rsc_hold", "none", "rtype", "full", "isstable", "0");
        List<MembershipAction> first = a.received(probe, "hb0", 2 * SEC);
        List<MembershipAction> second = a.received(probe, "hb1", 2 * SEC + MS);

        assertThat(delivered(first)).containsExactly(probe);
        assertThat(delivered(second)).isEmpty();
        assertThat(logs(second)).containsExactly("info: Link nodeb:hb1 up.");
    }

    @Test
    void clStatusSeesTheConfiguredMediaPerNode() {
        Membership a = joined(7, 5000, SEC, "hb0", "hb1");
        assertThat(a.links(B)).containsExactly("hb0", "hb1");
        assertThat(a.links("nosuch")).isEmpty();
        assertThat(a.linkStatus(B, "hb1")).contains(LinkStatus.DEAD); // never heard on it
        assertThat(a.linkStatus(B, "eth9")).isEmpty();
        assertThat(a.linkStatus(A, "hb0")).contains(LinkStatus.UP);
        assertThat(a.nodeStatus(A)).contains(NodeStatus.ACTIVE);
        assertThat(a.nodeStatus("nosuch")).isEmpty();
    }
}
