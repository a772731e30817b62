package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 2: equal priorities, the higher primary address wins (RFC 5798 §6.4.3). A
 * backup does not preempt an equal master, so the tie-break only shows when two masters meet: the
 * LAN is partitioned until both are master, then healed; the one at .2 must end as the only master,
 * whichever implementation runs where.
 */
@Tag("netns")
@Tag("interop")
class VrrpTieBreakInteropTest {

    static final String VIP = "10.240.7.100";
    static final int VRID = 53;

    static String config(String id) {
        return Conf.node(id, Conf.instance("VI_1", VRID, 100, 3, "0.1", VIP, ""));
    }

    private void twoMastersMeet(Path dir, boolean vigilAtLowerIp, boolean vigilAtHigherIp) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            lab.partition(true);
            if (vigilAtLowerIp) lab.vigil("a", config("a")).awaitReady();
            else lab.keepalived("a", config("a"));
            if (vigilAtHigherIp) lab.vigil("b", config("b")).awaitReady();
            else lab.keepalived("b", config("b"));
            InteropLab.await(15_000, () -> lab.holders(VIP).size() == 2, "both partitioned nodes master\n" + lab.logs());

            long healedAt = System.nanoTime();
            lab.partition(false);
            lab.awaitSoleHolder(VIP, "b", 5_000);
            Thread.sleep(1000);
            long from = System.nanoTime();
            Thread.sleep(1000);
            assertThat(lab.speakers(VRID, from, System.nanoTime())).as(lab.logs()).containsOnlyKeys(InteropLab.ip(2));
            assertThat(lab.holders(VIP)).isEqualTo(List.of("b"));
            long settled = lab.addressChanges.stream().filter(c -> c.host().equals("a") && !c.added() && c.atNanos() >= healedAt)
                    .mapToLong(InteropLab.AddressChange::atNanos).min().orElseThrow();
            System.out.printf("tie-break (%s at .1, %s at .2): the .1 master released the VIP %s after the heal%n",
                    vigilAtLowerIp ? "Vigil" : "keepalived", vigilAtHigherIp ? "Vigil" : "keepalived",
                    InteropLab.ms(settled - healedAt));
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void vigilAtLowerAddressYieldsToKeepalived(@TempDir Path dir) throws Exception {
        twoMastersMeet(dir, true, false);
    }

    @Test
    void keepalivedAtLowerAddressYieldsToVigil(@TempDir Path dir) throws Exception {
        twoMastersMeet(dir, false, true);
    }

    @Test
    void vigilOnBothSides(@TempDir Path dir) throws Exception {
        twoMastersMeet(dir, true, true);
    }
}
