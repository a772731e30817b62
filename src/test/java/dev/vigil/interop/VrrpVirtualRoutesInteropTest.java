package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived.conf {@code virtual_routes} (issue 4): installed when the instance becomes MASTER (after
 * its VIPs: one route takes the VIP as {@code src}), removed when it leaves MASTER and at a clean
 * stop, as keepalived 2.2.7 does. keepalived on the other host runs the very same block, so the
 * routes Vigil installs are compared line by line with the ones keepalived installs.
 */
@Tag("netns")
@Tag("interop")
class VrrpVirtualRoutesInteropTest {

    static final String VIP = "10.240.7.170";
    static final int VRID = 70;
    static final String ROUTES = """
                virtual_routes {
                    192.168.77.0/24 via 10.240.7.254 dev vg0 metric 7
                    blackhole 198.51.100.0/24
                    src 10.240.7.170 203.0.113.0/24 dev vg0 table 100
                }
            """;

    static String config(String id, int priority) {
        return Conf.node(id, Conf.instance("VI_R", VRID, priority, 3, "0.1", VIP, ROUTES));
    }

    /** The lines of {@code ip route} (main and table 100) for the three configured prefixes. */
    static List<String> routes(InteropLab lab, String host) {
        String main = lab.exec(host, "ip", "-4", "route", "show").output();
        String t100 = lab.exec(host, "ip", "-4", "route", "show", "table", "100").output();
        return (main + "\n" + t100).lines().map(String::strip)
                .filter(l -> l.contains("192.168.77.0/24") || l.contains("198.51.100.0/24") || l.contains("203.0.113.0/24"))
                .sorted().toList();
    }

    @Test
    void vigilInstallsTheRoutesAsMasterLikeKeepalivedAndRemovesThemOnBackupAndStop(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            InteropLab.VigilNode vigil = lab.vigil("a", config("a", 150)).awaitReady();
            lab.awaitSoleHolder(VIP, "a", 20_000);
            InteropLab.await(5_000, () -> routes(lab, "a").size() == 3, "three routes on a: " + routes(lab, "a") + "\n" + lab.logs());
            List<String> vigilRoutes = routes(lab, "a");
            assertThat(vigilRoutes).anyMatch(l -> l.startsWith("192.168.77.0/24 via 10.240.7.254 dev vg0") && l.contains("metric 7"))
                    .anyMatch(l -> l.startsWith("blackhole 198.51.100.0/24"))
                    .anyMatch(l -> l.startsWith("203.0.113.0/24 dev vg0") && l.contains("src " + VIP));

            // keepalived with a higher priority preempts: Vigil leaves MASTER and takes its routes away
            InteropLab.Node ka = lab.keepalived("b", config("b", 200));
            lab.awaitSoleHolder(VIP, "b", 20_000);
            InteropLab.await(5_000, () -> routes(lab, "a").isEmpty(), "no routes left on a: " + routes(lab, "a"));
            InteropLab.await(5_000, () -> routes(lab, "b").size() == 3, "keepalived's three routes on b: " + routes(lab, "b"));
            assertThat(routes(lab, "b")).as("keepalived installs exactly what Vigil installed").isEqualTo(vigilRoutes);

            // keepalived stops cleanly (priority 0): Vigil is MASTER again and the routes come back
            ka.term();
            lab.awaitSoleHolder(VIP, "a", 10_000);
            InteropLab.await(5_000, () -> routes(lab, "a").equals(vigilRoutes), "routes back on a: " + routes(lab, "a"));
            InteropLab.await(5_000, () -> routes(lab, "b").isEmpty(), "keepalived removed its routes: " + routes(lab, "b"));

            // SIGTERM: Vigil removes routes and VIP before it exits
            vigil.term();
            assertThat(vigil.waitForExit(10_000)).as(vigil.log()).isTrue();
            assertThat(routes(lab, "a")).as("routes after Vigil's clean stop").isEmpty();
            assertThat(vigil.log().lines().filter(l -> l.contains(" WARN ") && l.contains("route")))
                    .as("no route action failed").isEmpty();
            lab.assertKeepalivedAcceptedEverything();
        }
    }
}
