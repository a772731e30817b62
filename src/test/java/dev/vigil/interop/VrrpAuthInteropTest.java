package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 5: VRRPv2 {@code auth_type PASS}. With the same password one election; with a
 * different one each side drops the other's adverts (keepalived: "received an invalid passwd!",
 * keepalived.md §1.4 check 5) and both become master.
 */
@Tag("netns")
@Tag("interop")
class VrrpAuthInteropTest {

    static final String VIP = "10.240.7.100";
    static final int VRID = 54;

    static String config(String id, int priority, String password) {
        return Conf.node(id, Conf.instance("VI_1", VRID, priority, 2, "1", VIP, """
                    authentication {
                        auth_type PASS
                        auth_pass %s
                    }
                """.formatted(password)));
    }

    @Test
    void samePasswordOneElectionVigilMaster(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            lab.keepalived("b", config("b", 100, "s3cr3tpw"));
            InteropLab.VigilNode a = lab.vigil("a", config("a", 150, "s3cr3tpw")).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 20_000);
            Thread.sleep(2500);
            long from = System.nanoTime();
            Thread.sleep(2000);
            assertThat(lab.speakers(VRID, from, System.nanoTime())).as(lab.logs()).containsOnlyKeys(InteropLab.ip(1));
            assertThat(a.instance("VI_1").getJsonObject("counters").getLong("auth_failure")).isZero();
            lab.assertKeepalivedAcceptedEverything();
            assertThat(lab.logs()).doesNotContain("invalid passwd");
        }
    }

    @Test
    void wrongPasswordIsIgnoredBothWays(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.Node k = lab.keepalived("b", config("b", 100, "other123"));
            InteropLab.VigilNode a = lab.vigil("a", config("a", 150, "s3cr3tpw")).awaitReady();
            // neither hears the other: both take the address after their Master_Down_Interval
            InteropLab.await(15_000, () -> lab.holders(VIP).size() == 2, "both master\n" + lab.logs());
            Thread.sleep(1500);
            assertThat(lab.holders(VIP)).containsExactlyInAnyOrder("a", "b");
            assertThat(a.instance("VI_1").getString("state")).isEqualTo("MASTER");
            assertThat(a.instance("VI_1").getJsonObject("counters").getLong("auth_failure")).isPositive();
            assertThat(k.log()).contains("received an invalid passwd");
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void wrongPasswordVigilOnBothSides(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.VigilNode b = lab.vigil("b", config("b", 100, "other123")).awaitReady();
            InteropLab.VigilNode a = lab.vigil("a", config("a", 150, "s3cr3tpw")).awaitReady();
            InteropLab.await(15_000, () -> lab.holders(VIP).size() == 2, "both master\n" + lab.logs());
            assertThat(a.instance("VI_1").getJsonObject("counters").getLong("auth_failure")).isPositive();
            assertThat(b.instance("VI_1").getJsonObject("counters").getLong("auth_failure")).isPositive();
        }
    }
}
