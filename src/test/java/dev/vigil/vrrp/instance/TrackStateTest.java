package dev.vigil.vrrp.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weight semantics of track_script / track_interface (vrrp_track.c; keepalived.md §5, §6.4). */
class TrackStateTest {

    private static TrackState script(int weight, boolean reverse) {
        return new TrackState(List.of(new TrackedScript("chk", weight, reverse)), List.of());
    }

    @Test
    void positiveWeightIsAddedWhileTheScriptSucceeds() {
        TrackState t = script(20, false);
        assertThat(t.effectivePriority(100)).isEqualTo(100); // unknown: nothing yet
        t.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(t.effectivePriority(100)).isEqualTo(120);
        t.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(t.effectivePriority(100)).isEqualTo(100);
    }

    @Test
    void negativeWeightIsAddedWhileTheScriptFailsAndNeverFaults() {
        // keepalived.md §6.4: "a negative weight never causes FAULT"
        TrackState t = script(-60, false);
        t.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(t.effectivePriority(150)).isEqualTo(90);
        assertThat(t.faulted()).isFalse();
        t.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(t.effectivePriority(150)).isEqualTo(150);
    }

    @Test
    void reverseNegatesTheAdjustmentButKeepsWhenItApplies() {
        TrackState plus = script(20, true);
        plus.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(plus.effectivePriority(100)).isEqualTo(80);
        plus.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(plus.effectivePriority(100)).isEqualTo(100);

        TrackState minus = script(-20, true);
        minus.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(minus.effectivePriority(100)).isEqualTo(120);
        minus.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(minus.effectivePriority(100)).isEqualTo(100);
    }

    @Test
    void weightZeroFailureIsAFaultAndReverseFlipsIt() {
        TrackState t = script(0, false);
        assertThat(t.initPending()).isTrue();
        t.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(t.faulted()).isTrue();
        assertThat(t.initPending()).isFalse();
        t.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(t.faulted()).isFalse();

        TrackState r = script(0, true);
        r.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(r.faulted()).isTrue();
    }

    @Test
    void effectivePriorityIsClampedTo1Through254AndTheOwnerIsNeverAdjusted() {
        TrackState up = script(253, false);
        up.setScriptStatus("chk", ScriptStatus.GOOD);
        assertThat(up.effectivePriority(100)).isEqualTo(254);
        assertThat(up.effectivePriority(255)).isEqualTo(255);
        TrackState down = script(-253, false);
        down.setScriptStatus("chk", ScriptStatus.BAD);
        assertThat(down.effectivePriority(100)).isEqualTo(1);
        assertThat(down.effectivePriority(255)).isEqualTo(255);
    }

    @Test
    void interfacesStartUpAndFollowTheSameRules() {
        TrackState t = new TrackState(List.of(), List.of(new TrackedInterface("eth0", 0, false), new TrackedInterface("eth1", -30, false)));
        assertThat(t.faulted()).isFalse();
        t.setInterfaceUp("eth1", false);
        assertThat(t.effectivePriority(100)).isEqualTo(70);
        t.setInterfaceUp("eth0", false);
        assertThat(t.faulted()).isTrue();
        assertThat(t.faultCauses()).containsExactly("interface eth0");
        assertThat(t.setInterfaceUp("eth9", false)).isFalse();
    }

    @Test
    void syncGroupMembersDropWeightedScriptsAndZeroWeightedInterfaces() {
        // keepalived.md §2.4 "ignoring tracked script … due to SYNC group"
        TrackState t = new TrackState(List.of(new TrackedScript("w", -60, false), new TrackedScript("z", 0, false)),
                List.of(new TrackedInterface("eth1", -30, false)));
        List<String> ignored = new ArrayList<>();
        TrackState member = t.forSyncGroupMember(false, "VI_1", ignored);
        assertThat(member.tracksScript("w")).isFalse();
        assertThat(member.tracksScript("z")).isTrue();
        member.setInterfaceUp("eth1", false);
        assertThat(member.faulted()).isTrue(); // weight became 0: link down is now a fault
        assertThat(ignored).hasSize(2).allMatch(l -> l.contains("due to SYNC group"));

        List<String> none = new ArrayList<>();
        TrackState weighted = t.forSyncGroupMember(true, "VI_1", none);
        weighted.setScriptStatus("w", ScriptStatus.BAD);
        assertThat(weighted.effectivePriority(150)).isEqualTo(90);
        assertThat(none).isEmpty();
    }
}
