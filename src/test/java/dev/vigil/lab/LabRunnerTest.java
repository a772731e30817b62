package dev.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LabRunnerTest {
    private static final double S = 1e9;

    private static LabParams params(int pA, int pB, int weight, double recoverAt) {
        return new LabParams(pA, pB, weight, 1, 2, true, 1, 5, true, 30, 20, recoverAt, 60, 1);
    }

    @Test
    void weightTrapWeight10DoesNotMoveTheAddressAndSaysWhy() {
        LabResult r = LabRunner.run(LabScenario.CHECK_FAILS, params(100, 80, -10, 0));
        LabResult.Lane vrrp = r.lane("vrrp");
        assertThat(vrrp.detectionAtNanos()).isNull();
        assertThat(vrrp.finalHolder()).isEqualTo("A");
        assertThat(vrrp.explanation()).contains("100 → 90").contains("no failover").contains("|weight| > 20");
    }

    @Test
    void weightTrapWeight30MovesTheAddress() {
        LabResult r = LabRunner.run(LabScenario.CHECK_FAILS, params(100, 80, -30, 0));
        LabResult.Lane vrrp = r.lane("vrrp");
        assertThat(vrrp.detectionAtNanos()).isNotNull();
        assertThat(vrrp.finalHolder()).isEqualTo("B");
        assertThat(vrrp.explanation()).contains("100 → 70").contains("B preempts");
        // B adds the address as it sends its first advert; A removes it when that advert arrives:
        // one network delay of overlap, as on a real LAN, and no more
        assertThat(vrrp.doubleHolderNanos()).isLessThan(1_000_000);
    }

    @Test
    void heartbeatV1NeverNoticesAFailingService() {
        LabResult.Lane hb = LabRunner.run(LabScenario.CHECK_FAILS, params(100, 80, -30, 0)).lane("heartbeat");
        assertThat(hb.detectionAtNanos()).isNull();
        assertThat(hb.finalHolder()).isEqualTo("A");
        assertThat(hb.explanation()).contains("nodes, not services");
    }

    @Test
    void masterKilledShowsATakeoverInBothLanesWithinEachProtocolsBound() {
        LabResult r = LabRunner.run(LabScenario.MASTER_KILLED, params(150, 100, -10, 0));
        LabResult.Lane vrrp = r.lane("vrrp");
        LabResult.Lane hb = r.lane("heartbeat");
        double vrrpTakeover = (vrrp.detectionAtNanos() - r.faultAtNanos()) / S;
        double hbTakeover = (hb.detectionAtNanos() - r.faultAtNanos()) / S;
        // v2, 1 s, backup priority 100: Master_Down_Interval = 3 + 156/256 = 3.609 s after the last advert
        assertThat(vrrpTakeover).isBetween(2.6, 3.62);
        // deadtime 5 after the last heartbeat (keepalive 1), plus the resource start
        assertThat(hbTakeover).isBetween(4.0, 5.6);
        assertThat(vrrp.finalHolder()).isEqualTo("B");
        assertThat(hb.finalHolder()).isEqualTo("B");
        assertThat(vrrp.doubleHolderNanos()).isZero();
        assertThat(hb.doubleHolderNanos()).isZero();
        assertThat(vrrp.outageNanos()).isPositive();
        assertThat(vrrp.messagesSent()).isPositive();
        assertThat(hb.messagesSent()).isPositive();
    }

    @Test
    void vrrpV2At1sPriority100TakesOver3609msAfterTheLastAdvertAsKeepalivedMeasured() {
        // research keepalived.md 2.1: v2, priority 100, 1 s: Master_Down_Interval = 3 + (256-100)/256 = 3.609 s,
        // measured 3.6116 s on real keepalived
        LabResult r = LabRunner.run(LabScenario.MASTER_KILLED, params(150, 100, -10, 0));
        LabResult.Lane vrrp = r.lane("vrrp");
        double afterLastAdvert = (vrrp.detectionAtNanos() - vrrp.lastHeardFromAAtNanos()) / S;
        assertThat(afterLastAdvert).isBetween(3.609, 3.6105);
    }

    @Test
    void vrrpCleanStopTakesOverAfterSkewTime() {
        // priority 0 from the stopping master: the backup waits only Skew_Time = (256-100)/256 = 0.609 s
        LabResult r = LabRunner.run(LabScenario.CLEAN_STOP, params(150, 100, -10, 0));
        double afterFault = (r.lane("vrrp").detectionAtNanos() - r.faultAtNanos()) / S;
        assertThat(afterFault).isBetween(0.609, 0.6105);
    }

    @Test
    void masterReturnsAndTakesBackWithPreemptAndAutoFailback() {
        LabResult r = LabRunner.run(LabScenario.MASTER_KILLED, params(150, 100, -10, 40));
        assertThat(r.lane("vrrp").finalHolder()).isEqualTo("A");
        assertThat(r.lane("heartbeat").finalHolder()).isEqualTo("A");
    }

    @Test
    void serialCableKeepsHeartbeatTogetherWhileVrrpSplits() {
        LabResult r = LabRunner.run(LabScenario.SERIAL_SURVIVES, params(150, 100, -10, 40));
        LabResult.Lane hb = r.lane("heartbeat");
        assertThat(hb.detectionAtNanos()).isNull();
        assertThat(hb.doubleHolderNanos()).isZero();
        assertThat(r.lane("vrrp").doubleHolderNanos()).isPositive();
    }

    @Test
    void singleLinkCutSplitsHeartbeatLikeTheRealOne() {
        LabResult r = LabRunner.run(LabScenario.LINK_CUT, params(150, 100, -10, 0));
        assertThat(r.lane("heartbeat").doubleHolderNanos()).isPositive();
        // keepalived's tracked interface sends A to FAULT: the address moves, no split
        assertThat(r.lane("vrrp").doubleHolderNanos()).isZero();
        assertThat(r.lane("vrrp").finalHolder()).isEqualTo("B");
    }

    @Test
    void everyScenarioRunsAndSerialisesForTheConsole() {
        for (LabScenario s : LabScenario.values()) {
            long t0 = System.nanoTime();
            JsonObject j = LabRunner.run(s, LabParams.defaults()).toJson();
            System.out.printf("%s: %d ms%n", s.id(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(j.getJsonArray("lanes")).hasSize(2);
            assertThat(j.getJsonArray("lanes").getJsonObject(0).getString("protocol")).isEqualTo("vrrp");
        }
    }

    @Test
    void impossibleParametersAreRefusedInTheConfigFilesTerms() {
        assertThatThrownBy(() -> LabRunner.run(LabScenario.MASTER_KILLED, new LabParams(100, 80, -10, 0.5, 2, true, 1, 5, true, 30, 20, 40, 60, 1)))
                .hasMessageContaining("VRRPv2 advert_int is whole seconds");
        assertThatThrownBy(() -> LabRunner.run(LabScenario.MASTER_KILLED, new LabParams(100, 80, -10, 1, 2, true, 1, 2, true, 30, 20, 40, 60, 1)))
                .hasMessageContaining("deadtime must be more than twice keepalive");
    }
}
