package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.LOCAL;
import static dev.vigil.vrrp.instance.Fixtures.MS;
import static dev.vigil.vrrp.instance.Fixtures.PEER;
import static dev.vigil.vrrp.instance.Fixtures.PEER_HIGH;
import static dev.vigil.vrrp.instance.Fixtures.SECOND;
import static dev.vigil.vrrp.instance.Fixtures.US;
import static dev.vigil.vrrp.instance.Fixtures.ip;
import static dev.vigil.vrrp.instance.Fixtures.v2;
import static dev.vigil.vrrp.instance.Fixtures.v2Advert;
import static dev.vigil.vrrp.instance.Fixtures.v3;
import static dev.vigil.vrrp.instance.Fixtures.v3Advert;
import static dev.vigil.vrrp.instance.InstanceDriver.advertWith;
import static dev.vigil.vrrp.instance.InstanceDriver.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.vrrp.instance.VrrpAction.AddVirtualAddresses;
import dev.vigil.vrrp.instance.VrrpAction.CancelTimer;
import dev.vigil.vrrp.instance.VrrpAction.RemoveVirtualAddresses;
import dev.vigil.vrrp.instance.VrrpAction.SendAdvert;
import dev.vigil.vrrp.instance.VrrpAction.SendGratuitous;
import dev.vigil.vrrp.instance.VrrpAction.SetTimer;
import dev.vigil.vrrp.instance.VrrpAction.Transition;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One instance, one rule per test; each keepalived deviation cites keepalived.md. */
class VrrpInstanceTest {

    private static final long MDI_100 = 3_609_375 * US;
    private static final long MDI_150 = 3_414_062 * US;

    private static InstanceDriver backup(VrrpInstanceSettings s) {
        InstanceDriver d = new InstanceDriver(s);
        d.start();
        return d;
    }

    /** An instance that became master by timing out, with time just after that. */
    private static InstanceDriver master(VrrpInstanceSettings s) {
        InstanceDriver d = backup(s);
        d.advanceUntil(VrrpState.MASTER, 10 * SECOND);
        return d;
    }

    private static List<Class<?>> kinds(List<VrrpAction> actions) {
        return actions.stream().<Class<?>>map(Object::getClass).toList();
    }

    @Nested
    class Startup {

        @Test
        void startsInBackupWithTheMasterDownTimerAtMasterDownInterval() {
            InstanceDriver d = new InstanceDriver(v2(100).build());
            List<VrrpAction> acts = d.start();
            assertThat(acts).contains(new Transition(VrrpState.INIT, VrrpState.BACKUP, TransitionReason.STARTUP, 100),
                    new SetTimer(TimerKind.MASTER_DOWN, MDI_100));
            assertThat(acts).noneMatch(InstanceDriver::isAdvert);
        }

        @Test
        void stateMasterStillStartsInBackupLikeKeepalived() {
            // keepalived.md §2.3: "state MASTER prio 100 after 3.68 s, same as BACKUP"
            InstanceDriver d = backup(v2(100).initialState(VrrpInstanceSettings.ConfiguredState.MASTER).build());
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(MDI_100);
        }

        @Test
        void addressOwnerBecomesMasterAtOnceAdvertFirstThenVipsThenGarps() {
            // RFC 5798 §6.4.1 and keepalived.md §1.5 order; keepalived.md §2.3 "prio 255 advertised after 69 ms"
            InstanceDriver d = new InstanceDriver(v2(255).build());
            List<VrrpAction> acts = d.start();
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.MASTER);
            assertThat(kinds(acts)).containsSubsequence(SendAdvert.class, AddVirtualAddresses.class, SendGratuitous.class,
                    Transition.class);
            assertThat(acts).contains(new SendAdvert(255), new SendGratuitous(5, GarpReason.BECOME_MASTER),
                    new SetTimer(TimerKind.ADVERT, SECOND), new SetTimer(TimerKind.GARP_MASTER_DELAYED, 5 * SECOND));
            assertThat(d.vrrp.counter(VrrpCounter.BECOME_MASTER)).isEqualTo(1);
        }

        @Test
        void stateMasterOrPriority255ClearNopreempt() {
            // keepalived.md §2.3: "keepalived clears it with state MASTER or priority 255"
            VrrpInstance withMaster = new VrrpInstance(v2(150).nopreempt(true)
                    .initialState(VrrpInstanceSettings.ConfiguredState.MASTER).build());
            VrrpInstance owner = new VrrpInstance(v2(255).nopreempt(true).build());
            VrrpInstance plain = new VrrpInstance(v2(150).nopreempt(true).build());
            assertThat(withMaster.preempts()).isTrue();
            assertThat(owner.preempts()).isTrue();
            assertThat(plain.preempts()).isFalse();
            assertThat(withMaster.start(0)).anyMatch(a -> a instanceof VrrpAction.Log l && l.message().contains("nopreempt"));
        }

        @Test
        void weightZeroScriptWithoutResultHoldsInitUntilItReports() {
            // keepalived num_script_init: the instance waits for the first result of a weight-0 script
            InstanceDriver d = new InstanceDriver(v2(100).trackScript("chk", 0, false).build());
            assertThat(d.start()).noneMatch(a -> a instanceof Transition);
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.INIT);
            assertThat(d.script("chk", ScriptStatus.GOOD)).contains(
                    new Transition(VrrpState.INIT, VrrpState.BACKUP, TransitionReason.STARTUP, 100));
        }

        @Test
        void faultedTrackingAtStartGoesToFaultAndNotifiesIt() {
            InstanceDriver d = new InstanceDriver(v2(100).trackInterface("eth0", 0, false).build());
            d.link("eth0", false);
            assertThat(d.start()).contains(new Transition(VrrpState.INIT, VrrpState.FAULT, TransitionReason.TRACKING_FAULT, 100));
            assertThat(d.timers).isEmpty();
        }

        @Test
        void startingTwiceIsRefused() {
            InstanceDriver d = backup(v2(100).build());
            assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Backup {

        @Test
        void masterDownTimerMakesItMasterAdvertVipsGarpsInOrder() {
            InstanceDriver d = backup(v2(100).build());
            List<VrrpAction> acts = d.advanceTo(MDI_100);
            assertThat(kinds(acts)).containsSubsequence(SendAdvert.class, AddVirtualAddresses.class, SendGratuitous.class, Transition.class);
            assertThat(acts).contains(new Transition(VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.MASTER_DOWN_TIMER, 100),
                    new SetTimer(TimerKind.ADVERT, MDI_100 + SECOND));
            assertThat(d.vipsUp).isTrue();
        }

        @Test
        void acceptedAdvertRestartsTheMasterDownTimer() {
            InstanceDriver d = backup(v2(100).build());
            d.advanceTo(2 * SECOND);
            assertThat(d.advert(v2Advert(PEER, 150))).contains(new SetTimer(TimerKind.MASTER_DOWN, 2 * SECOND + MDI_100));
            assertThat(d.vrrp.masterAddress()).isEqualTo(PEER);
            assertThat(d.vrrp.masterPriority()).isEqualTo(150);
        }

        @Test
        void equalPriorityIsAcceptedInBackup() {
            // RFC 5798 §6.4.2: priority greater than or equal to the local priority
            InstanceDriver d = backup(v2(100).build());
            d.advanceTo(SECOND);
            assertThat(d.advert(v2Advert(PEER, 100))).contains(new SetTimer(TimerKind.MASTER_DOWN, SECOND + MDI_100));
        }

        @Test
        void lowerPriorityIsDiscardedWithoutTouchingTheTimerSoTakeoverIsMdiAfterLastAccepted() {
            // keepalived.md §2.3: "received lower priority (90) advert … - discarding"; takeover 3.61 s after the last accepted advert
            InstanceDriver d = backup(v2(100).build());
            d.advanceTo(SECOND);
            d.advert(v2Advert(PEER, 150));
            for (int i = 2; i <= 4; i++) {
                d.advanceTo(i * SECOND);
                List<VrrpAction> acts = d.advert(v2Advert(PEER, 90));
                assertThat(acts).noneMatch(InstanceDriver::touchesTimer);
                assertThat(acts).anyMatch(a -> a instanceof VrrpAction.Log l && l.message().contains("received lower priority (90)"));
            }
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(SECOND + MDI_100);
        }

        @Test
        void priorityZeroSetsTheMasterDownTimerToSkewTime() {
            // RFC 5798 §6.4.2; keepalived.md §4.1: priority-0 advert → B's first advert 610–612 ms
            InstanceDriver d = backup(v2(100).build());
            d.advanceTo(SECOND);
            d.advert(v2Advert(PEER, 150));
            d.advanceTo(2 * SECOND);
            assertThat(d.advert(v2Advert(PEER, 0))).contains(new SetTimer(TimerKind.MASTER_DOWN, 2 * SECOND + 609_375 * US));
            assertThat(d.vrrp.counter(VrrpCounter.PRI_ZERO_RCVD)).isEqualTo(1);
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(2 * SECOND + 609_375 * US);
        }

        @Test
        void nopreemptAcceptsLowerPriorityAndStaysBackup() {
            // keepalived.md §2.3: "prio 150 stayed BACKUP under prio 100"
            InstanceDriver d = backup(v2(150).nopreempt(true).build());
            for (int i = 1; i <= 20; i++) {
                d.advanceTo(i * SECOND);
                assertThat(d.advert(v2Advert(PEER, 100))).contains(new SetTimer(TimerKind.MASTER_DOWN, i * SECOND + MDI_150));
            }
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.BACKUP);
            // "took over 0.43 s after that master's priority 0 (skew 0.414)"
            d.advanceTo(21 * SECOND);
            d.advert(v2Advert(PEER, 0));
            assertThat(d.advanceUntil(VrrpState.MASTER, 30 * SECOND)).isEqualTo(21 * SECOND + 414_062 * US);
        }

        @Test
        void preemptDelayAcceptsLowerAdvertsUntilItExpiresSoTakeoverIsDelayPlusMdi() {
            // keepalived.md §2.3: "lower adverts are accepted until it expires, then discarded, so takeover ≈ N + Master_Down_Interval"
            InstanceDriver d = backup(v2(150).preemptDelayNanos(5 * SECOND).build());
            long first = 500 * MS;
            for (long t = first; t < 30 * SECOND && d.vrrp.state() == VrrpState.BACKUP; t += SECOND) {
                d.advanceTo(t);
                if (d.vrrp.state() == VrrpState.BACKUP) d.advert(v2Advert(PEER, 100));
            }
            // window opens at 0.5 s and closes at 5.5 s: adverts at 0.5 … 4.5 s accepted, 5.5 s discarded
            assertThat(d.timesOf(a -> a instanceof Transition t && t.to() == VrrpState.MASTER))
                    .containsExactly(first + 4 * SECOND + MDI_150);
        }

        @Test
        void preemptDelayWindowResetsWhenAnEqualOrHigherMasterAdvertises() {
            InstanceDriver d = backup(v2(150).preemptDelayNanos(5 * SECOND).build());
            d.advanceTo(SECOND);
            d.advert(v2Advert(PEER, 100)); // window opens: closes at 6 s
            d.advanceTo(2 * SECOND);
            d.advert(v2Advert(PEER_HIGH, 200)); // higher master: window closed
            d.advanceTo(3 * SECOND);
            d.advert(v2Advert(PEER, 100)); // opens again: closes at 8 s
            for (long t = 4; t <= 7; t++) {
                d.advanceTo(t * SECOND);
                assertThat(d.advert(v2Advert(PEER, 100))).anyMatch(InstanceDriver::touchesTimer);
            }
            d.advanceTo(8 * SECOND);
            assertThat(d.advert(v2Advert(PEER, 100))).noneMatch(InstanceDriver::touchesTimer);
        }

        @Test
        void v3BackupLearnsASlowerMastersInterval() {
            // RFC 5798 §6.4.2: Master_Adver_Interval ← the advert's Max Adver Int; local 0.1 s, master 1 s
            InstanceDriver d = backup(v3(100, 10).build());
            assertThat(d.timers.get(TimerKind.MASTER_DOWN)).isEqualTo(360_937 * US);
            d.advanceTo(100 * MS);
            assertThat(d.advert(v3Advert(PEER, 150, 100))).contains(new SetTimer(TimerKind.MASTER_DOWN, 100 * MS + MDI_100));
            assertThat(d.vrrp.masterAdvertIntervalCentis()).isEqualTo(100);
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(100 * MS + MDI_100);
            // as master it advertises its own interval again
            assertThat(d.vrrp.masterAdvertIntervalCentis()).isEqualTo(10);
        }

        @Test
        void v3PriorityZeroSkewUsesTheLearnedInterval() {
            InstanceDriver d = backup(v3(100, 10).build());
            d.advert(v3Advert(PEER, 150, 100));
            d.advanceTo(SECOND);
            assertThat(d.advert(v3Advert(PEER, 0, 100))).contains(new SetTimer(TimerKind.MASTER_DOWN, SECOND + 609_375 * US));
        }

        @Test
        void v2IntervalMismatchIsRefusedAndCounted() {
            InstanceDriver d = backup(v2(100).build());
            ReceivedAdvert twoSeconds = ReceivedAdvert.wellFormed(PEER, Fixtures.MCAST, 2, 51, 150, 2, List.of(Fixtures.VIP));
            assertThat(d.advert(twoSeconds)).containsExactly(new VrrpAction.AdvertRejected(RejectReason.ADVERT_INTERVAL_MISMATCH, PEER));
            assertThat(d.vrrp.stats()).containsEntry("advert_interval_err", 1L).containsEntry("advert_rcvd", 0L);
        }

        @Test
        void skipCheckAdvAddrChecksTheAddressListOnlyWhenTheMasterChanges() {
            // keepalived.md §1.4 check 7
            InstanceDriver d = backup(v2(100).skipCheckAdvAddr(true).build());
            ReceivedAdvert wrongList = ReceivedAdvert.wellFormed(PEER, Fixtures.MCAST, 2, 51, 150, 1, List.of(ip("10.232.0.7")));
            assertThat(d.advert(wrongList)).containsExactly(new VrrpAction.AdvertRejected(RejectReason.VIRTUAL_ADDRESS_MISSING, PEER));
            d.advert(v2Advert(PEER, 150)); // now PEER is the known master
            assertThat(d.advert(wrongList)).anyMatch(InstanceDriver::touchesTimer);
            assertThat(d.advert(wrongList.withSource(PEER_HIGH))).containsExactly(
                    new VrrpAction.AdvertRejected(RejectReason.VIRTUAL_ADDRESS_MISSING, PEER_HIGH));
        }

        /** The router hands a repeated advert over as the same object; its verdict is reused, its counting is not. */
        @Test
        void theSameAdvertObjectAgainIsCheckedToTheSameVerdictAndCountedEachTime() {
            InstanceDriver d = backup(v2(100).build());
            ReceivedAdvert good = v2Advert(PEER, 150);
            ReceivedAdvert twoSeconds = ReceivedAdvert.wellFormed(PEER, Fixtures.MCAST, 2, 51, 150, 2, List.of(Fixtures.VIP));
            for (int i = 1; i <= 3; i++) {
                d.advanceTo(i * 100 * MS);
                assertThat(d.advert(good)).anyMatch(InstanceDriver::touchesTimer);
                assertThat(d.advert(twoSeconds)).containsExactly(
                        new VrrpAction.AdvertRejected(RejectReason.ADVERT_INTERVAL_MISMATCH, PEER));
            }
            assertThat(d.vrrp.stats()).containsEntry("advert_rcvd", 3L).containsEntry("advert_interval_err", 3L);
        }

        @Test
        void invalidAdvertsInBackupDoNotTouchTheMasterDownTimer() {
            InstanceDriver d = backup(v2(100).build());
            for (int i = 0; i < 100; i++) {
                d.advanceTo(i * 30 * MS);
                assertThat(d.advert(Fixtures.badChecksum(v2Advert(PEER, 200)))).noneMatch(InstanceDriver::touchesTimer);
            }
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(MDI_100);
            assertThat(d.vrrp.counter(VrrpCounter.CHK_ERR)).isEqualTo(100);
        }
    }

    @Nested
    class Master {

        @Test
        void advertTimerSendsOneAdvertPerInterval() {
            InstanceDriver d = master(v2(100).build());
            long became = d.now;
            d.advanceTo(became + 10 * SECOND);
            assertThat(d.timesOf(advertWith(100))).hasSize(11).last().isEqualTo(became + 10 * SECOND);
        }

        @Test
        void lowerPrioritySendsAnImmediateAdvertForcingNewElection() {
            // keepalived.md §2.3: "Master receiving a lower priority sends an immediate advert"; the RFC says discard
            InstanceDriver d = master(v2(150).build());
            d.advanceBy(300 * MS);
            long t = d.now;
            List<VrrpAction> acts = d.advert(v2Advert(PEER, 100));
            assertThat(acts).contains(new SendAdvert(150), new SetTimer(TimerKind.ADVERT, t + SECOND),
                    new SendGratuitous(5, GarpReason.LOWER_PRIORITY),
                    new SetTimer(TimerKind.GARP_LOWER_PRIORITY_DELAYED, t + 5 * SECOND),
                    new VrrpAction.MasterReceivedLowerPriority(PEER, 100));
            assertThat(acts).anyMatch(a -> a instanceof VrrpAction.Log l && l.message().endsWith("forcing new election"));
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.MASTER);
        }

        @Test
        void lowerPrioNoAdvertSendsNothingAndLeavesTheAdvertScheduleAlone() {
            InstanceDriver d = master(v2(150).lowerPrioNoAdvert(true).garp(GarpSettings.strictDefaults()).build());
            d.advanceBy(300 * MS);
            List<VrrpAction> acts = d.advert(v2Advert(PEER, 100));
            assertThat(acts).noneMatch(InstanceDriver::isAdvert).noneMatch(InstanceDriver::touchesTimer);
        }

        @Test
        void higherPriorityMakesItBackupRemovingVipsWithoutPriorityZero() {
            InstanceDriver d = master(v2(100).build());
            d.advanceBy(200 * MS);
            long t = d.now;
            List<VrrpAction> acts = d.advert(v2Advert(PEER, 150));
            assertThat(acts).noneMatch(InstanceDriver::isAdvert);
            assertThat(kinds(acts)).containsSubsequence(RemoveVirtualAddresses.class, Transition.class);
            assertThat(acts).contains(new CancelTimer(TimerKind.ADVERT), new CancelTimer(TimerKind.GARP_MASTER_DELAYED),
                    new Transition(VrrpState.MASTER, VrrpState.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT, 100),
                    new SetTimer(TimerKind.MASTER_DOWN, t + MDI_100));
            assertThat(d.vipsUp).isFalse();
            assertThat(d.vrrp.counter(VrrpCounter.RELEASE_MASTER)).isEqualTo(1);
        }

        @Test
        void equalPriorityTieIsBrokenByTheHigherPrimaryAddressComparedUnsigned() {
            // RFC 5798 §6.4.3; 10.232.0.200 > 10.232.0.1 only as unsigned bytes (0xC8 is negative as a Java byte)
            InstanceDriver low = master(v2(100).build());
            assertThat(low.advert(v2Advert(PEER_HIGH, 100))).contains(
                    new Transition(VrrpState.MASTER, VrrpState.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT, 100));

            InstanceDriver high = master(VrrpInstanceSettings.builder("VI_1", 51, PEER_HIGH).virtualAddress(Fixtures.VIP).build());
            List<VrrpAction> acts = high.advert(v2Advert(LOCAL, 100));
            assertThat(high.vrrp.state()).isEqualTo(VrrpState.MASTER);
            assertThat(acts).contains(new SendAdvert(100));
        }

        @Test
        void equalPriorityFromOurOwnAddressOnlyWarns() {
            InstanceDriver d = master(v2(100).build());
            List<VrrpAction> acts = d.advert(v2Advert(LOCAL, 100));
            assertThat(acts).anyMatch(a -> a instanceof VrrpAction.Log l && l.level() == LogLevel.WARNING);
            assertThat(acts).noneMatch(InstanceDriver::isAdvert).noneMatch(a -> a instanceof Transition);
        }

        @Test
        void higherPrioSendAdvertSendsOneAdvertBeforeYielding() {
            // keepalived.md §2.3: "higher_prio_send_advert sends one advert before yielding to a higher one"
            InstanceDriver d = master(v2(100).higherPrioSendAdvert(true).build());
            List<VrrpAction> acts = d.advert(v2Advert(PEER, 150));
            assertThat(kinds(acts)).containsSubsequence(SendAdvert.class, RemoveVirtualAddresses.class, Transition.class);
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void priorityZeroMakesTheMasterAdvertAtOnceAndResetTheAdverTimer() {
            // RFC 5798 §6.4.3
            InstanceDriver d = master(v2(100).build());
            d.advanceBy(400 * MS);
            long t = d.now;
            assertThat(d.advert(v2Advert(PEER, 0))).containsExactly(new SendAdvert(100), new SetTimer(TimerKind.ADVERT, t + SECOND));
        }

        @Test
        void twoAddressOwnersLowerThemselvesTo254WithAConfigurationError() {
            // keepalived.md §2.3: "logs CONFIGURATION ERROR and lowers its own priority to 254"
            InstanceDriver d = new InstanceDriver(v2(255).build());
            d.start();
            List<VrrpAction> acts = d.advert(v2Advert(PEER, 255));
            assertThat(acts).anyMatch(a -> a instanceof VrrpAction.Log l && l.level() == LogLevel.ERROR
                    && l.message().contains("CONFIGURATION ERROR"));
            assertThat(acts).contains(new VrrpAction.PriorityChanged(255, 254));
            assertThat(d.vrrp.effectivePriority()).isEqualTo(254);
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void garpSecondSetAfterMasterDelayAndRefreshPiggybacksOnAdverts() {
            GarpSettings g = new GarpSettings(5 * SECOND, 2, 3 * SECOND, 1, 0, 0);
            InstanceDriver d = master(v2(100).garp(g).build());
            long became = d.now;
            d.advanceTo(became + 10 * SECOND);
            assertThat(d.timesOf(a -> a instanceof SendGratuitous s && s.reason() == GarpReason.MASTER_DELAYED))
                    .containsExactly(became + 5 * SECOND);
            // refresh is checked when an advert goes out, strictly after the due time: 4 s, 8 s
            assertThat(d.timesOf(a -> a instanceof SendGratuitous s && s.reason() == GarpReason.MASTER_REFRESH))
                    .containsExactly(became + 4 * SECOND, became + 8 * SECOND);
        }

        @Test
        void invalidAdvertFloodLeavesTheMastersAdvertScheduleExactlyUnchangedUnlikeKeepalived() {
            // keepalived.md §1.4: 20 pps of bad-checksum v3 adverts for 3.55 s at 0.1 s made keepalived send 12
            // adverts instead of about 35 and the backup took over 8 times. Vigil must not re-arm on them.
            InstanceDriver flooded = master(v3(150, 10).build());
            InstanceDriver quiet = master(v3(150, 10).build());
            long start = flooded.now;
            for (long t = start; t <= start + 3550 * MS; t += 50 * MS) {
                flooded.advanceTo(t);
                quiet.advanceTo(t);
                List<VrrpAction> acts = flooded.advert(Fixtures.badChecksum(v3Advert(PEER, 100, 10)));
                assertThat(acts).noneMatch(InstanceDriver::touchesTimer).noneMatch(InstanceDriver::isAdvert);
            }
            assertThat(flooded.timesOf(advertWith(150))).isEqualTo(quiet.timesOf(advertWith(150))).hasSize(36);
            assertThat(flooded.vrrp.counter(VrrpCounter.CHK_ERR)).isEqualTo(72);
            assertThat(flooded.vrrp.state()).isEqualTo(VrrpState.MASTER);
        }
    }

    @Nested
    class Fault {

        @Test
        void masterEnteringFaultSendsPriorityZeroTwiceLikeKeepalivedAndRemovesVips() {
            // keepalived.md §2.3: "Master → FAULT sends priority 0 [RUN: 2 packets from the failing instance]"
            InstanceDriver d = new InstanceDriver(v2(150).trackScript("chk", 0, false).build());
            d.script("chk", ScriptStatus.GOOD);
            d.start();
            d.advanceUntil(VrrpState.MASTER, 10 * SECOND);
            List<VrrpAction> acts = d.script("chk", ScriptStatus.BAD);
            assertThat(only(acts, SendAdvert.class)).containsExactly(new SendAdvert(0), new SendAdvert(0));
            assertThat(kinds(acts)).containsSubsequence(SendAdvert.class, RemoveVirtualAddresses.class, Transition.class);
            assertThat(acts).contains(new Transition(VrrpState.MASTER, VrrpState.FAULT, TransitionReason.TRACKING_FAULT, 150));
            assertThat(d.timers).isEmpty();
            assertThat(d.vipsUp).isFalse();
        }

        @Test
        void backupEnteringFaultSendsNothing() {
            InstanceDriver d = backup(v2(100).trackInterface("eth0", 0, false).build());
            List<VrrpAction> acts = d.link("eth0", false);
            assertThat(acts).noneMatch(InstanceDriver::isAdvert).contains(new CancelTimer(TimerKind.MASTER_DOWN),
                    new Transition(VrrpState.BACKUP, VrrpState.FAULT, TransitionReason.TRACKING_FAULT, 100));
        }

        @Test
        void advertsAreIgnoredInFaultWithoutCounting() {
            InstanceDriver d = backup(v2(100).trackInterface("eth0", 0, false).build());
            d.link("eth0", false);
            assertThat(d.advert(v2Advert(PEER, 150))).isEmpty();
            assertThat(d.vrrp.counter(VrrpCounter.ADVERT_RCVD)).isZero();
        }

        @Test
        void recoveryReturnsToBackupWithAFreshMasterDownInterval() {
            InstanceDriver d = backup(v2(100).trackInterface("eth0", 0, false).build());
            d.link("eth0", false);
            d.advanceTo(7 * SECOND);
            assertThat(d.link("eth0", true)).contains(
                    new Transition(VrrpState.FAULT, VrrpState.BACKUP, TransitionReason.TRACKING_RECOVERED, 100),
                    new SetTimer(TimerKind.MASTER_DOWN, 7 * SECOND + MDI_100));
        }

        @Test
        void addressOwnerRecoveringFromFaultGoesStraightToMaster() {
            // keepalived try_up_instance → vrrp_state_leave_fault → vrrp_state_goto_master
            InstanceDriver d = new InstanceDriver(v2(255).trackInterface("eth0", 0, false).build());
            d.start();
            d.link("eth0", false);
            assertThat(d.link("eth0", true)).contains(
                    new Transition(VrrpState.FAULT, VrrpState.MASTER, TransitionReason.ADDRESS_OWNER, 255), new SendAdvert(255));
        }

        @Test
        void negativeWeightNeverFaultsItOnlyLowersThePriority() {
            InstanceDriver d = master(v2(150).trackScript("chk", -60, false).build());
            List<VrrpAction> acts = d.script("chk", ScriptStatus.BAD);
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.MASTER);
            assertThat(acts).contains(new VrrpAction.PriorityChanged(150, 90));
        }
    }

    @Nested
    class Priority {

        @Test
        void changedPriorityIsAdvertisedAtTheNextAdvertNotImmediately() {
            // keepalived vrrp_set_effective_priority does not send; the next periodic advert carries it
            InstanceDriver d = master(v2(150).trackScript("chk", -60, false).build());
            long became = d.now;
            d.advanceTo(became + 300 * MS);
            assertThat(d.script("chk", ScriptStatus.BAD)).noneMatch(InstanceDriver::isAdvert).noneMatch(InstanceDriver::touchesTimer);
            assertThat(d.advanceTo(became + SECOND)).contains(new SendAdvert(90));
        }

        @Test
        void priorityChangeInBackupMovesTheTakeoverByTheSkewDifference() {
            InstanceDriver d = backup(v2(100).trackScript("chk", 50, false).build());
            d.advanceTo(SECOND);
            d.advert(v2Advert(PEER, 200));
            d.advanceTo(2 * SECOND);
            // 100 → 150: skew 156/256 → 106/256 s, so the deadline comes 50/256 s earlier
            long expected = SECOND + MDI_100 - 609_375 * US + 414_062 * US;
            assertThat(d.script("chk", ScriptStatus.GOOD)).contains(new VrrpAction.PriorityChanged(100, 150),
                    new SetTimer(TimerKind.MASTER_DOWN, expected));
            assertThat(d.advanceUntil(VrrpState.MASTER, 10 * SECOND)).isEqualTo(expected);
        }

        @Test
        void ownerPriorityIsNeverAdjustedByTracking() {
            InstanceDriver d = new InstanceDriver(v2(255).trackScript("chk", -100, false).build());
            d.start();
            assertThat(d.script("chk", ScriptStatus.BAD)).noneMatch(a -> a instanceof VrrpAction.PriorityChanged);
            assertThat(d.vrrp.effectivePriority()).isEqualTo(255);
        }
    }

    @Nested
    class Timers {

        @Test
        void staleTimerFiringIsIgnored() {
            InstanceDriver d = master(v2(100).build());
            assertThat(d.fireNow(TimerKind.MASTER_DOWN)).isEmpty();
            d.advert(v2Advert(PEER, 150)); // back to BACKUP: ADVERT cancelled
            assertThat(d.fireNow(TimerKind.ADVERT)).isEmpty();
        }

        @Test
        void earlyTimerFiringAsksForTheDeadlineAgainInsteadOfActing() {
            InstanceDriver d = backup(v2(100).build());
            d.now = SECOND;
            assertThat(d.fireNow(TimerKind.MASTER_DOWN)).containsExactly(new SetTimer(TimerKind.MASTER_DOWN, MDI_100));
            assertThat(d.vrrp.state()).isEqualTo(VrrpState.BACKUP);
        }
    }

    @Nested
    class Shutdown {

        @Test
        void masterShutdownSendsPriorityZeroRemovesVipsAndStops() {
            InstanceDriver d = master(v2(100).build());
            List<VrrpAction> acts = d.shutdown();
            assertThat(kinds(acts)).containsSubsequence(SendAdvert.class, RemoveVirtualAddresses.class, Transition.class);
            assertThat(acts).contains(new SendAdvert(0), new Transition(VrrpState.MASTER, VrrpState.STOP, TransitionReason.SHUTDOWN, 100));
            assertThat(d.timers).isEmpty();
            assertThat(d.vrrp.counter(VrrpCounter.PRI_ZERO_SENT)).isEqualTo(1);
        }

        @Test
        void backupShutdownJustStopsAndEverythingAfterIsIgnored() {
            InstanceDriver d = backup(v2(100).build());
            assertThat(d.shutdown()).containsExactly(new CancelTimer(TimerKind.MASTER_DOWN),
                    new Transition(VrrpState.BACKUP, VrrpState.STOP, TransitionReason.SHUTDOWN, 100));
            assertThat(d.advert(v2Advert(PEER, 150))).isEmpty();
            assertThat(d.shutdown()).isEmpty();
        }
    }
}
