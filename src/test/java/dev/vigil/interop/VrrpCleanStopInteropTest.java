package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.ms;
import static dev.vigil.interop.InteropLab.skew;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 3: SIGTERM of the master sends priority 0 (RFC 5798 §6.4.3) and the backup takes
 * over after Skew_Time (§6.4.2), within skew + 10%. VRRPv2 at 1 s, where Skew_Time for priority 100
 * is 609.4 ms (keepalived measured 610–612 ms from the priority-0 advert, keepalived.md §4.1).
 */
@Tag("netns")
@Tag("interop")
class VrrpCleanStopInteropTest {

    static final String VIP = "10.240.7.100";
    static final int VRID = 52;

    static String config(String id, int priority) {
        return Conf.node(id, Conf.instance("VI_1", VRID, priority, 2, "1", VIP, ""));
    }

    private void stopMasterAndCheck(Path dir, boolean vigilMaster, boolean vigilBackup) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.Node b = vigilBackup ? lab.vigil("b", config("b", 100)).awaitReady() : lab.keepalived("b", config("b", 100));
            InteropLab.Node a = vigilMaster ? lab.vigil("a", config("a", 150)).awaitReady() : lab.keepalived("a", config("a", 150));
            lab.awaitSoleHolder(VIP, "a", 20_000);
            Thread.sleep(1500);

            long termAt = System.nanoTime();
            a.term();
            lab.awaitSoleHolder(VIP, "b", 5_000);
            InteropLab.Advert zero = lab.firstAdvertFrom("a", VRID, termAt).orElseThrow();
            assertThat(zero.priority()).as("the stopping master's advert").isZero();
            long takeover = lab.firstAdvertFrom("b", VRID, termAt).orElseThrow().atNanos();
            long vipAt = lab.firstAdded("b", VIP, termAt).orElseThrow();
            long skew = skew(2, 100, 100);
            System.out.printf("SIGTERM %s master -> %s backup: signal->priority 0 %s, priority 0->first advert %s,"
                            + " priority 0->VIP %s (skew %s, bound %s)%n", a, b, ms(zero.atNanos() - termAt),
                    ms(takeover - zero.atNanos()), ms(vipAt - zero.atNanos()), ms(skew), ms(skew * 11 / 10));
            assertThat(takeover - zero.atNanos()).as("priority 0 to takeover\n" + lab.logs())
                    .isBetween(skew * 95 / 100, skew * 11 / 10);
            assertThat(vipAt - zero.atNanos()).isLessThanOrEqualTo(skew * 11 / 10);
            // a clean stop releases the address (unlike kill -9)
            assertThat(lab.exec("a", "ip", "-o", "addr").output()).doesNotContain(VIP);
            if (a instanceof InteropLab.VigilNode v) {
                assertThat(v.waitForExit(10_000)).as("Vigil exits after a clean stop\n" + v.log()).isTrue();
                assertThat(v.log()).contains("Entering STOP STATE").contains("Stopped");
            }
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void vigilMasterStopsKeepalivedTakesOver(@TempDir Path dir) throws Exception {
        stopMasterAndCheck(dir, true, false);
    }

    @Test
    void keepalivedMasterStopsVigilTakesOver(@TempDir Path dir) throws Exception {
        stopMasterAndCheck(dir, false, true);
    }

    @Test
    void vigilOnBothSides(@TempDir Path dir) throws Exception {
        stopMasterAndCheck(dir, true, true);
    }
}
