package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The weight trap across two or three nodes' files, with keepalived's priority arithmetic. */
class WeightTrapTest {
    @TempDir
    Path dir;

    private KeepalivedConfig node(String file, int priority, String weight, String extra) {
        String text = "vrrp_script chk_mysql {\n  script \"/usr/bin/mysqladmin ping\"\n  weight " + weight + "\n}\n"
                + "vrrp_instance VI_DB {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n  priority " + priority + "\n"
                + "  virtual_ipaddress {\n    10.0.0.100/24\n  }\n  track_script {\n    chk_mysql\n  }\n" + extra + "}\n";
        var r = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, file, text));
        assertThat(Ka.errors(r)).isEmpty();
        return r.model();
    }

    private static List<Diagnostic> analyze(KeepalivedConfig... nodes) {
        Diagnostics out = new Diagnostics();
        WeightTrap.analyze(List.of(nodes), out);
        return out.all();
    }

    @Test
    void weightPlus10With100And80CannotMoveTheVip() {
        List<Diagnostic> d = analyze(node("a.conf", 100, "10", ""), node("b.conf", 80, "10", ""));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.isError()).isFalse();
            assertThat(x.file()).isEqualTo(dir.resolve("a.conf"));
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.message()).isEqualTo("if chk_mysql fails on a.conf, a.conf keeps 100 and b.conf reaches 90: no failover; use |weight| > 20");
        });
    }

    @Test
    void weightPlus30With100And80FailsOver() {
        assertThat(analyze(node("a.conf", 100, "30", ""), node("b.conf", 80, "30", ""))).isEmpty();
    }

    @Test
    void weightMinus10With100And80CannotMoveTheVip() {
        List<Diagnostic> d = analyze(node("a.conf", 100, "-10", ""), node("b.conf", 80, "-10", ""));
        assertThat(d).singleElement().satisfies(x ->
                assertThat(x.message()).isEqualTo("if chk_mysql fails on a.conf, a.conf goes to 90 and b.conf stays at 80: no failover; use |weight| > 20"));
    }

    @Test
    void weightMinus30With100And80FailsOver() {
        assertThat(analyze(node("a.conf", 100, "-30", ""), node("b.conf", 80, "-30", ""))).isEmpty();
    }

    @Test
    void exactTieWithoutKnownAddressesIsDecidedByTheHigherPrimaryIp() {
        List<Diagnostic> d = analyze(node("a.conf", 100, "-20", ""), node("b.conf", 80, "-20", ""));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("a.conf goes to 80 and b.conf stays at 80").contains("higher");
            assertThat(x.hint()).contains("use |weight| > 20");
        });
    }

    @Test
    void exactTieIsResolvedWhenBothSourceAddressesAreKnown() {
        KeepalivedConfig a = node("a.conf", 100, "-20", "  unicast_src_ip 10.0.0.1\n  unicast_peer {\n    10.0.0.2\n  }\n");
        KeepalivedConfig bHigher = node("b.conf", 80, "-20", "  unicast_src_ip 10.0.0.2\n  unicast_peer {\n    10.0.0.1\n  }\n");
        assertThat(analyze(a, bHigher)).isEmpty();
        KeepalivedConfig a2 = node("a.conf", 100, "-20", "  unicast_src_ip 10.0.0.9\n  unicast_peer {\n    10.0.0.2\n  }\n");
        assertThat(analyze(a2, bHigher)).singleElement().satisfies(x ->
                assertThat(x.message()).contains("(a tie, won by the higher address 10.0.0.9): no failover"));
    }

    @Test
    void reverseWeightRaisesThePriorityOnFailureSoNoWeightHelps() {
        // weight 10 reverse: -10 while the script is up, 0 when it fails (measured with keepalived 2.2.7)
        List<Diagnostic> d = analyze(node("a.conf", 100, "10 reverse", ""), node("b.conf", 80, "10 reverse", ""));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.message()).startsWith("if chk_mysql fails on a.conf, a.conf keeps 100 and b.conf reaches 70: no failover;");
            assertThat(x.message()).contains("with 'reverse' a failing chk_mysql raises the priority");
        });
    }

    @Test
    void perTrackScriptWeightOverrideIsUsedAndPointedAt() {
        KeepalivedConfig a = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, "a.conf",
                "vrrp_script chk { script /bin/true\n weight -50 }\nvrrp_instance V {\n interface eth0\n virtual_router_id 9\n priority 150\n"
                        + " virtual_ipaddress {\n  10.0.0.9\n }\n track_script {\n  chk weight -5\n }\n}\n")).model();
        KeepalivedConfig b = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, "b.conf",
                "vrrp_instance V {\n interface eth0\n virtual_router_id 9\n priority 100\n virtual_ipaddress {\n  10.0.0.9\n }\n}\n")).model();
        assertThat(analyze(a, b)).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(11);
            assertThat(x.message()).contains("a.conf goes to 145 and b.conf stays at 100").contains("use |weight| > 50");
        });
    }

    @Test
    void backupWithNopreemptNeverTakesOverFromALiveMaster() {
        List<Diagnostic> d = analyze(node("a.conf", 100, "-30", ""), node("b.conf", 80, "-30", "  nopreempt\n"));
        assertThat(d).singleElement().satisfies(x -> assertThat(x.message()).contains("b.conf has nopreempt"));
    }

    @Test
    void instancesAreMatchedByNameWhenInterfacesDiffer() {
        KeepalivedConfig a = node("a.conf", 100, "10", "");
        KeepalivedConfig b = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, "b.conf",
                "vrrp_instance VI_DB {\n interface ens3\n virtual_router_id 51\n priority 80\n virtual_ipaddress {\n  10.0.0.100\n }\n}\n")).model();
        // only a.conf tracks the script, so +10 can never lift b.conf: the hint proposes a negative weight
        assertThat(analyze(a, b)).singleElement().satisfies(x -> assertThat(x.message()).contains("a.conf keeps 100 and b.conf stays at 80")
                .contains("use weight < -20"));
    }

    @Test
    void routerIdNamesTheNodesWhenItTellsThemApart() {
        KeepalivedConfig a = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, "a.conf", "global_defs {\n router_id db1\n}\n"
                + "vrrp_script chk_mysql { script /bin/true\n weight 10 }\nvrrp_instance V {\n interface eth0\n virtual_router_id 5\n priority 100\n"
                + " virtual_ipaddress {\n  10.0.0.5\n }\n track_script {\n  chk_mysql\n }\n}\n")).model();
        KeepalivedConfig b = new KeepalivedParser().withHostId("x").parse(Ka.write(dir, "b.conf", "global_defs {\n router_id db2\n}\n"
                + "vrrp_instance V {\n interface eth0\n virtual_router_id 5\n priority 80\n virtual_ipaddress {\n  10.0.0.5\n }\n}\n")).model();
        assertThat(analyze(a, b)).singleElement().satisfies(x ->
                assertThat(x.message()).startsWith("if chk_mysql fails on db1 (a.conf), db1 (a.conf) keeps 100 and db2 (b.conf) stays at 80"));
    }

    @Test
    void threeNodesCompareAgainstTheBestBackup() {
        List<Diagnostic> d = analyze(node("a.conf", 150, "-30", ""), node("b.conf", 100, "-30", ""), node("c.conf", 110, "-30", ""));
        assertThat(d).singleElement().satisfies(x -> assertThat(x.message()).contains("a.conf goes to 120 and c.conf stays at 110")
                .contains("use |weight| > 40"));
    }

    @Test
    void singleConfigOrOwnerOrSyncGroupWithoutTrackingWeightGivesNoTrapWarning() {
        assertThat(analyze(node("a.conf", 100, "10", ""))).isEmpty();
        // the owner ignores weights: KeepalivedChecks reports that, the trap analysis does not repeat it
        assertThat(analyze(node("a.conf", 255, "10", ""), node("b.conf", 80, "10", ""))).isEmpty();
    }

    @Test
    void priorityDeltaMatchesKeepalivedMeasurements() {
        // keepalived 2.2.7, priority 100: ok/10 -> 110, ok/10 reverse -> 90, failing/-10 -> 90, failing/-10 reverse -> 110
        assertThat(VrrpScript.priorityDelta(10, false, true)).isEqualTo(10);
        assertThat(VrrpScript.priorityDelta(10, true, true)).isEqualTo(-10);
        assertThat(VrrpScript.priorityDelta(-10, false, false)).isEqualTo(-10);
        assertThat(VrrpScript.priorityDelta(-10, true, false)).isEqualTo(10);
        assertThat(VrrpScript.priorityDelta(10, false, false)).isZero();
        assertThat(VrrpScript.priorityDelta(-10, false, true)).isZero();
    }
}
