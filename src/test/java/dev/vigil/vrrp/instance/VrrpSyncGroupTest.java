package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.LOCAL;
import static dev.vigil.vrrp.instance.Fixtures.MCAST;
import static dev.vigil.vrrp.instance.Fixtures.PEER;
import static dev.vigil.vrrp.instance.Fixtures.SECOND;
import static dev.vigil.vrrp.instance.Fixtures.US;
import static dev.vigil.vrrp.instance.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.vrrp.instance.SyncGroupAction.ForInstance;
import dev.vigil.vrrp.instance.SyncGroupAction.GroupTransition;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** keepalived vrrp_sync.c rules (keepalived.md §2.4), member by member. */
class VrrpSyncGroupTest {

    private static final long MDI_100 = 3_609_375 * US;
    private static final InetAddress VIP1 = ip("10.232.0.100");
    private static final InetAddress VIP2 = ip("10.232.0.101");

    /** A group of VI_1 (VRID 51) and VI_2 (VRID 52) on virtual time, timers booked from the action stream. */
    private static final class GroupDriver {
        final VrrpSyncGroup group;
        final Map<String, Map<TimerKind, Long>> timers = new HashMap<>();
        final List<SyncGroupAction> log = new ArrayList<>();
        long now;

        GroupDriver(boolean trackingWeight, VrrpInstanceSettings.Builder vi1, VrrpInstanceSettings.Builder vi2) {
            group = new VrrpSyncGroup("G1", List.of(new VrrpInstance(vi1.build()), new VrrpInstance(vi2.build())), trackingWeight);
        }

        GroupDriver() {
            this(false, member("VI_1", 51, VIP1, 100), member("VI_2", 52, VIP2, 100));
        }

        static VrrpInstanceSettings.Builder member(String name, int vrid, InetAddress vip, int priority) {
            return VrrpInstanceSettings.builder(name, vrid, LOCAL).priority(priority).virtualAddress(vip);
        }

        VrrpInstance m(String name) {
            return group.member(name);
        }

        List<SyncGroupAction> apply(List<SyncGroupAction> acts) {
            for (SyncGroupAction a : acts) {
                log.add(a);
                if (a instanceof ForInstance f) {
                    Map<TimerKind, Long> t = timers.computeIfAbsent(f.instance(), k -> new HashMap<>());
                    if (f.action() instanceof VrrpAction.SetTimer s) t.put(s.kind(), s.atNanos());
                    else if (f.action() instanceof VrrpAction.CancelTimer c) t.remove(c.kind());
                }
            }
            return acts;
        }

        List<SyncGroupAction> start() {
            return apply(group.start(now));
        }

        List<SyncGroupAction> advert(String member, int vrid, InetAddress vip, int priority) {
            ReceivedAdvert a = ReceivedAdvert.wellFormed(PEER, MCAST, 2, vrid, priority, 1, List.of(vip));
            return apply(group.onAdvert(member, a, now));
        }

        List<SyncGroupAction> script(String member, String script, ScriptStatus s) {
            return apply(group.onScriptStatus(member, script, s, now));
        }

        /** Fires every due timer up to t, earliest first. */
        List<SyncGroupAction> advanceTo(long t) {
            List<SyncGroupAction> all = new ArrayList<>();
            while (true) {
                String who = null;
                TimerKind kind = null;
                long at = Long.MAX_VALUE;
                for (var e : timers.entrySet()) {
                    for (var k : e.getValue().entrySet()) {
                        if (k.getValue() <= t && k.getValue() < at) {
                            who = e.getKey();
                            kind = k.getKey();
                            at = k.getValue();
                        }
                    }
                }
                if (who == null) break;
                now = Math.max(now, at);
                timers.get(who).remove(kind);
                all.addAll(apply(group.onTimer(who, kind, now)));
            }
            now = Math.max(now, t);
            return all;
        }
    }

    private static List<VrrpAction> of(List<SyncGroupAction> acts, String member) {
        return acts.stream().filter(a -> a instanceof ForInstance f && f.instance().equals(member))
                .map(a -> ((ForInstance) a).action()).toList();
    }

    @Test
    void startBringsEveryMemberToBackupAndNotifiesTheGroup() {
        GroupDriver d = new GroupDriver();
        List<SyncGroupAction> acts = d.start();
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.INIT, VrrpState.BACKUP));
        assertThat(d.m("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(d.m("VI_2").state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void aMemberTimingOutAloneIsHeldInBackupUntilEverySiblingWantsMaster() {
        // keepalived vrrp_sync_can_goto_master: "Only sync to master if everyone wants to"
        GroupDriver d = new GroupDriver();
        d.start();
        // VI_2's master keeps advertising; VI_1's master is gone
        for (long t = 1; t <= 20; t++) {
            d.advanceTo(t * SECOND);
            d.advert("VI_2", 52, VIP2, 150);
        }
        assertThat(d.m("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(d.log).anyMatch(a -> a instanceof ForInstance f && f.action() instanceof VrrpAction.Log l
                && l.message().contains("not ready for MASTER"));
        // VI_2's master stops: VI_2 times out after skew, and takes VI_1 along
        List<SyncGroupAction> acts = new ArrayList<>(d.advert("VI_2", 52, VIP2, 0));
        acts.addAll(d.advanceTo(d.now + 609_375 * US));
        assertThat(of(acts, "VI_2")).contains(new VrrpAction.Transition(VrrpState.BACKUP, VrrpState.MASTER,
                TransitionReason.MASTER_DOWN_TIMER, 100));
        assertThat(of(acts, "VI_1")).contains(new VrrpAction.SendAdvert(100),
                new VrrpAction.Transition(VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.SYNC_GROUP, 100));
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.BACKUP, VrrpState.MASTER));
    }

    @Test
    void aMemberLosingMasterPullsItsSiblingsToBackupWithoutPriorityZero() {
        GroupDriver d = new GroupDriver();
        d.start();
        d.advanceTo(MDI_100);
        assertThat(d.group.state()).isEqualTo(VrrpState.MASTER);
        d.advanceTo(MDI_100 + 100_000);
        List<SyncGroupAction> acts = d.advert("VI_1", 51, VIP1, 200);
        assertThat(of(acts, "VI_2")).contains(new VrrpAction.RemoveVirtualAddresses(),
                new VrrpAction.Transition(VrrpState.MASTER, VrrpState.BACKUP, TransitionReason.SYNC_GROUP, 100))
                .noneMatch(a -> a instanceof VrrpAction.SendAdvert);
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.MASTER, VrrpState.BACKUP));
    }

    @Test
    void aFaultyMemberFaultsTheGroupAndRecoveryWaitsForEveryOwnFault() {
        GroupDriver d = new GroupDriver(false,
                GroupDriver.member("VI_1", 51, VIP1, 100).trackInterface("eth0", 0, false),
                GroupDriver.member("VI_2", 52, VIP2, 100).trackInterface("eth1", 0, false));
        d.start();
        d.apply(d.group.onInterfaceState("VI_1", "eth0", false, d.now));
        assertThat(d.m("VI_2").state()).isEqualTo(VrrpState.FAULT);
        assertThat(d.group.state()).isEqualTo(VrrpState.FAULT);
        d.apply(d.group.onInterfaceState("VI_2", "eth1", false, d.now));
        // VI_1 recovers while VI_2 still has its own fault: both stay FAULT (keepalived num_member_fault)
        assertThat(d.apply(d.group.onInterfaceState("VI_1", "eth0", true, d.now))).noneMatch(
                a -> a instanceof ForInstance f && f.action() instanceof VrrpAction.Transition);
        assertThat(d.m("VI_1").state()).isEqualTo(VrrpState.FAULT);
        List<SyncGroupAction> acts = d.apply(d.group.onInterfaceState("VI_2", "eth1", true, d.now));
        assertThat(d.m("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(d.m("VI_2").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.FAULT, VrrpState.BACKUP));
    }

    @Test
    void aSiblingPulledFromMasterToFaultSendsPriorityZeroOnce() {
        GroupDriver d = new GroupDriver(false,
                GroupDriver.member("VI_1", 51, VIP1, 100).trackScript("chk", 0, false),
                GroupDriver.member("VI_2", 52, VIP2, 100));
        d.script("VI_1", "chk", ScriptStatus.GOOD);
        d.start();
        d.advanceTo(MDI_100);
        List<SyncGroupAction> acts = d.script("VI_1", "chk", ScriptStatus.BAD);
        assertThat(of(acts, "VI_1").stream().filter(a -> a.equals(new VrrpAction.SendAdvert(0)))).hasSize(2);
        assertThat(of(acts, "VI_2").stream().filter(a -> a.equals(new VrrpAction.SendAdvert(0)))).hasSize(1);
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.MASTER, VrrpState.FAULT));
    }

    @Test
    void aPendingWeightZeroScriptHoldsTheWholeGroupInInit() {
        GroupDriver d = new GroupDriver(false,
                GroupDriver.member("VI_1", 51, VIP1, 100).trackScript("chk", 0, false),
                GroupDriver.member("VI_2", 52, VIP2, 100));
        d.start();
        assertThat(d.m("VI_2").state()).isEqualTo(VrrpState.INIT);
        assertThat(d.group.state()).isEqualTo(VrrpState.INIT);
        List<SyncGroupAction> acts = d.script("VI_1", "chk", ScriptStatus.GOOD);
        assertThat(d.m("VI_1").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(d.m("VI_2").state()).isEqualTo(VrrpState.BACKUP);
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.INIT, VrrpState.BACKUP));
    }

    @Test
    void weightedTrackingOfMembersIsIgnoredUnlessSyncGroupTrackingWeight() {
        // keepalived.md §2.4: "Weighted track_scripts are ignored in sync groups … unless sync_group_tracking_weight"
        GroupDriver ignored = new GroupDriver(false,
                GroupDriver.member("VI_1", 51, VIP1, 150).trackScript("chk", -60, false),
                GroupDriver.member("VI_2", 52, VIP2, 150));
        assertThat(ignored.start()).anyMatch(a -> a instanceof SyncGroupAction.Log l && l.message().contains("due to SYNC group"));
        ignored.script("VI_1", "chk", ScriptStatus.BAD);
        assertThat(ignored.m("VI_1").effectivePriority()).isEqualTo(150);

        GroupDriver weighted = new GroupDriver(true,
                GroupDriver.member("VI_1", 51, VIP1, 150).trackScript("chk", -60, false),
                GroupDriver.member("VI_2", 52, VIP2, 150));
        weighted.start();
        weighted.script("VI_1", "chk", ScriptStatus.BAD);
        assertThat(weighted.m("VI_1").effectivePriority()).isEqualTo(90);
    }

    @Test
    void shutdownStopsEveryMemberAndTheGroup() {
        GroupDriver d = new GroupDriver();
        d.start();
        d.advanceTo(MDI_100);
        List<SyncGroupAction> acts = d.apply(d.group.shutdown(d.now));
        assertThat(of(acts, "VI_1")).contains(new VrrpAction.SendAdvert(0));
        assertThat(of(acts, "VI_2")).contains(new VrrpAction.SendAdvert(0));
        assertThat(acts).contains(new GroupTransition("G1", VrrpState.MASTER, VrrpState.STOP));
        assertThat(d.advert("VI_1", 51, VIP1, 200)).isEmpty();
    }

    @Test
    void membersCannotBeDrivenDirectlyOrJoinTwoGroups() {
        GroupDriver d = new GroupDriver();
        VrrpInstance vi1 = d.m("VI_1");
        assertThatThrownBy(() -> vi1.start(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("G1");
        assertThatThrownBy(() -> new VrrpSyncGroup("G2", List.of(vi1), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void siblingsMastersAlsoRefreshArpWhenOneHearsALowerPriority() {
        GroupDriver d = new GroupDriver();
        d.start();
        d.advanceTo(MDI_100);
        List<SyncGroupAction> acts = d.advert("VI_1", 51, VIP1, 50);
        assertThat(of(acts, "VI_2")).contains(new VrrpAction.SendGratuitous(5, GarpReason.LOWER_PRIORITY));
    }
}
