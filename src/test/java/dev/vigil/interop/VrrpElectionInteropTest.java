package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.MS;
import static dev.vigil.interop.InteropLab.masterDown;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 1: the higher priority is master and the other stays silent; kill -9 of the
 * master hands the VIP over within Master_Down_Interval + 10% (RFC 5798 §6.4.2; keepalived.md
 * §2.1, §4.1). VRRPv3 at 0.1 s: Master_Down_Interval for priority 100 is 360.9 ms.
 */
@Tag("netns")
@Tag("interop")
class VrrpElectionInteropTest {

    static final String VIP = "10.240.7.100";
    static final int VRID = 51;

    static String config(String id, int priority) {
        return Conf.node(id, Conf.instance("VI_1", VRID, priority, 3, "0.1", VIP, ""));
    }

    /** Starts {@code master} (150) on host a and {@code backup} (100) on host b, kills the master, checks the handover. */
    private void killMasterAndCheck(Path dir, boolean vigilMaster, boolean vigilBackup) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.Node b = vigilBackup ? lab.vigil("b", config("b", 100)).awaitReady() : lab.keepalived("b", config("b", 100));
            InteropLab.Node a = vigilMaster ? lab.vigil("a", config("a", 150)).awaitReady() : lab.keepalived("a", config("a", 150));
            lab.awaitSoleHolder(VIP, "a", 15_000);
            // a settled election: only the master speaks, at its interval
            Thread.sleep(300);
            long from = System.nanoTime();
            Thread.sleep(1000);
            Map<String, Long> speakers = lab.speakers(VRID, from, System.nanoTime());
            assertThat(speakers).as("who advertised VRID 51 in one second\n" + lab.logs()).containsOnlyKeys(InteropLab.ip(1));
            assertThat(speakers.get(InteropLab.ip(1))).isBetween(8L, 12L);
            assertThat(lab.holders(VIP)).containsExactly("a");

            long killedAt = System.nanoTime();
            a.kill9();
            lab.awaitHolder(VIP, "b", 5_000);
            long vipAt = lab.firstAdded("b", VIP, killedAt).orElseThrow();
            long lastAdvert = lab.lastAdvertFrom("a", VRID, vipAt).orElseThrow().atNanos();
            long firstAdvert = lab.firstAdvertFrom("b", VRID, killedAt).orElseThrow().atNanos();
            long bound = masterDown(3, 100, 10) * 11 / 10;
            System.out.printf("kill -9 %s master -> %s backup: kill->VIP %s, last advert->first advert %s (bound %s)%n",
                    a, b, ms(vipAt - killedAt), ms(firstAdvert - lastAdvert), ms(bound));
            assertThat(vipAt - killedAt).as("kill -9 to VIP up\n" + lab.logs()).isLessThanOrEqualTo(bound);
            assertThat(firstAdvert - lastAdvert).as("silence before takeover").isBetween(masterDown(3, 100, 10) * 95 / 100, bound);
            // kill -9 leaves the address on the dead node (keepalived.md §2.3): both kernels hold it now
            assertThat(lab.exec("a", "ip", "-o", "addr").output()).contains(VIP);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void vigil150OverKeepalived100ThenKill9Vigil(@TempDir Path dir) throws Exception {
        killMasterAndCheck(dir, true, false);
    }

    @Test
    void keepalived150OverVigil100ThenKill9Keepalived(@TempDir Path dir) throws Exception {
        killMasterAndCheck(dir, false, true);
    }

    @Test
    void vigilOnBothSides(@TempDir Path dir) throws Exception {
        killMasterAndCheck(dir, true, true);
    }
}
