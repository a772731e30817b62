package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.MS;
import static dev.vigil.interop.InteropLab.masterDown;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 6: VRRPv3 at {@code advert_int 0.1} and {@code 0.01} (keepalived's minimum).
 * Two instances on one pair, one mastered by each implementation, so both directions are watched at
 * once: no spurious transition for 20 s (CI; 60 s by hand with -Dvigil.fastWindowSeconds=60), then
 * kill -9 of keepalived and Vigil takes its instance within Master_Down_Interval + 10% (36.1 ms +
 * 10% at 0.01 s; keepalived measured 36.5–38.8 ms, keepalived.md §4.1).
 */
@Tag("netns")
@Tag("interop")
class VrrpFastIntervalInteropTest {

    static final String VIP_VIGIL = "10.240.7.161";
    static final String VIP_KA = "10.240.7.162";
    static final int VRID_VIGIL = 61;
    static final int VRID_KA = 62;

    private void steadyThenFailover(Path dir, String advertInt, int centis) throws Exception {
        long window = Long.getLong("vigil.fastWindowSeconds", 20) * 1000;
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.Node ka = lab.keepalived("b", Conf.node("b",
                    Conf.instance("VI_V", VRID_VIGIL, 100, 3, advertInt, VIP_VIGIL, ""),
                    Conf.instance("VI_K", VRID_KA, 150, 3, advertInt, VIP_KA, "")));
            InteropLab.VigilNode vigil = lab.vigil("a", Conf.node("a",
                    Conf.instance("VI_V", VRID_VIGIL, 150, 3, advertInt, VIP_VIGIL, ""),
                    Conf.instance("VI_K", VRID_KA, 100, 3, advertInt, VIP_KA, ""))).awaitReady();
            lab.awaitSoleHolder(VIP_VIGIL, "a", 15_000);
            lab.awaitSoleHolder(VIP_KA, "b", 15_000);
            Thread.sleep(1000);

            long from = System.nanoTime();
            int changesBefore = lab.addressChanges.size();
            Thread.sleep(window);
            long to = System.nanoTime();
            assertThat(lab.addressChanges.subList(changesBefore, lab.addressChanges.size())).as("address moves in the window\n"
                    + lab.logs()).isEmpty();
            assertThat(lab.speakers(VRID_VIGIL, from, to)).as("VRID 61 speakers").containsOnlyKeys(InteropLab.ip(1));
            assertThat(lab.speakers(VRID_KA, from, to)).as("VRID 62 speakers").containsOnlyKeys(InteropLab.ip(2));
            report("Vigil", lab.adverts(VRID_VIGIL, from, to), centis, window);
            report("keepalived", lab.adverts(VRID_KA, from, to), centis, window);
            assertThat(vigil.instance("VI_V").getString("state")).isEqualTo("MASTER");
            assertThat(vigil.instance("VI_K").getString("state")).isEqualTo("BACKUP");
            assertThat(vigil.instance("VI_V").getJsonObject("counters").getLong("become_master")).isEqualTo(1);

            long killedAt = System.nanoTime();
            ka.kill9();
            lab.awaitHolder(VIP_KA, "a", 5_000);
            long vipAt = lab.firstAdded("a", VIP_KA, killedAt).orElseThrow();
            long lastAdvert = lab.lastAdvertFrom("b", VRID_KA, vipAt).orElseThrow().atNanos();
            long firstAdvert = lab.firstAdvertFrom("a", VRID_KA, killedAt).orElseThrow().atNanos();
            long down = masterDown(3, 100, centis);
            System.out.printf("advert_int %s, kill -9 keepalived -> Vigil: last advert->Vigil's first %s, kill->VIP %s"
                    + " (Master_Down_Interval %s, bound %s)%n", advertInt, ms(firstAdvert - lastAdvert), ms(vipAt - killedAt),
                    ms(down), ms(down * 11 / 10));
            StringBuilder around = new StringBuilder();
            for (InteropLab.Advert x : lab.adverts(VRID_KA, killedAt - 500 * MS, vipAt + 100 * MS)) {
                around.append(ms(x.atNanos() - killedAt)).append(' ').append(x.source().getHostAddress()).append(" prio ")
                        .append(x.priority()).append('\n');
            }
            System.out.println("Vigil's receive lag: " + vigil.status().getJsonObject("receiveLag") + ", late timers: "
                    + vigil.status().getLong("lateTimers"));
            assertThat(firstAdvert - lastAdvert).as("silence before Vigil's takeover\n" + around + lab.logs())
                    .isBetween(down * 95 / 100, down * 11 / 10);
            // the address follows the advert after one `ip addr add` (keepalived: 0.2-11 ms)
            assertThat(vipAt - killedAt).isLessThanOrEqualTo(down * 11 / 10 + 25 * MS);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    private static void report(String who, List<InteropLab.Advert> adverts, int centis, long windowMillis) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < adverts.size(); i++) gaps.add(adverts.get(i).atNanos() - adverts.get(i - 1).atNanos());
        Collections.sort(gaps);
        System.out.printf("%s master at %d cs: %d adverts in %d s, gap median %s p99 %s max %s%n", who, centis, adverts.size(),
                windowMillis / 1000, ms(gaps.get(gaps.size() / 2)), ms(gaps.get(gaps.size() * 99 / 100)), ms(gaps.get(gaps.size() - 1)));
    }

    @Test
    void advertInt100msBothWays(@TempDir Path dir) throws Exception {
        steadyThenFailover(dir, "0.1", 10);
    }

    @Test
    void advertInt10msBothWays(@TempDir Path dir) throws Exception {
        // At 10 ms the bound leaves 3.6 ms of margin, and one late wake-up of a loaded 2-core machine can
        // eat it. A systematic error (a wrong down interval, a timer re-armed by the wrong packet) fails
        // both attempts; a single scheduling hiccup does not fail the build.
        try {
            steadyThenFailover(java.nio.file.Files.createDirectories(dir.resolve("first")), "0.01", 1);
        } catch (AssertionError first) {
            System.out.println("10 ms: first attempt missed its bound, measuring once more: "
                    + first.getMessage().lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
            steadyThenFailover(java.nio.file.Files.createDirectories(dir.resolve("second")), "0.01", 1);
        }
    }
}
