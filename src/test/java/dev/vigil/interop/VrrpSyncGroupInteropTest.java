package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 8: three nodes (Vigil and two keepalived) with a {@code vrrp_sync_group} of two
 * instances; a tracked script with a weight ({@code sync_group_tracking_weight}, keepalived.md §2.4)
 * fails on the master and both instances move together to the next priority.
 */
@Tag("netns")
@Tag("interop")
class VrrpSyncGroupInteropTest {

    static final String VIP1 = "10.240.7.181";
    static final String VIP2 = "10.240.7.182";

    static String config(String id, int priority, Path flag) {
        String script = flag == null ? "" : """
                vrrp_script chk {
                    script "/usr/bin/test -f %s"
                    interval 1
                    weight -60
                    rise 1
                    fall 1
                }
                """.formatted(flag);
        String track = flag == null ? "" : """
                    track_script {
                        chk
                    }
                """;
        return Conf.globals(id, "") + script + """
                vrrp_sync_group G {
                    group {
                        VS_1
                        VS_2
                    }
                %s
                }
                """.formatted(flag == null ? "" : "    sync_group_tracking_weight")
                + Conf.instance("VS_1", 81, priority, 3, "0.1", VIP1, track)
                + Conf.instance("VS_2", 82, priority, 3, "0.1", VIP2, track);
    }

    @Test
    void failingScriptOnVigilMovesBothInstancesToKeepalived(@TempDir Path dir) throws Exception {
        Path flag = Files.writeString(dir.resolve("healthy"), "");
        try (InteropLab lab = new InteropLab(dir, "a", "b", "c")) {
            lab.keepalived("b", config("b", 100, null));
            lab.keepalived("c", config("c", 50, null));
            InteropLab.VigilNode v = lab.vigil("a", config("a", 150, flag)).awaitReady();
            lab.awaitSoleHolder(VIP1, "a", 15_000);
            lab.awaitSoleHolder(VIP2, "a", 15_000);
            assertThat(v.status().getJsonArray("syncGroups").getJsonObject(0).getString("state")).isEqualTo("MASTER");

            long failedAt = System.nanoTime();
            Files.delete(flag);
            lab.awaitSoleHolder(VIP1, "b", 5_000);
            lab.awaitSoleHolder(VIP2, "b", 5_000);
            long t1 = lab.firstAdded("b", VIP1, failedAt).orElseThrow();
            long t2 = lab.firstAdded("b", VIP2, failedAt).orElseThrow();
            System.out.printf("sync group: script failed on Vigil -> keepalived holds both after %s and %s%n",
                    ms(t1 - failedAt), ms(t2 - failedAt));
            assertThat(v.instance("VS_1").getInteger("effectivePriority")).isEqualTo(90);
            assertThat(v.instance("VS_2").getInteger("effectivePriority")).isEqualTo(90);
            assertThat(lab.holders(VIP1)).containsExactly("b");

            Files.writeString(flag, "");
            lab.awaitSoleHolder(VIP1, "a", 5_000);
            lab.awaitSoleHolder(VIP2, "a", 5_000);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void failingScriptOnKeepalivedMovesBothInstancesToVigil(@TempDir Path dir) throws Exception {
        Path flag = Files.writeString(dir.resolve("healthy"), "");
        try (InteropLab lab = new InteropLab(dir, "a", "b", "c")) {
            InteropLab.VigilNode v = lab.vigil("a", config("a", 100, null)).awaitReady();
            lab.keepalived("c", config("c", 50, null));
            lab.keepalived("b", config("b", 150, flag));
            lab.awaitSoleHolder(VIP1, "b", 15_000);
            lab.awaitSoleHolder(VIP2, "b", 15_000);

            long failedAt = System.nanoTime();
            Files.delete(flag);
            lab.awaitSoleHolder(VIP1, "a", 5_000);
            lab.awaitSoleHolder(VIP2, "a", 5_000);
            System.out.printf("sync group: script failed on keepalived -> Vigil holds both after %s and %s%n",
                    ms(lab.firstAdded("a", VIP1, failedAt).orElseThrow() - failedAt),
                    ms(lab.firstAdded("a", VIP2, failedAt).orElseThrow() - failedAt));
            assertThat(v.status().getJsonArray("syncGroups").getJsonObject(0).getString("state")).isEqualTo("MASTER");
            assertThat(lab.holders(VIP1)).containsExactly("a");
            lab.assertKeepalivedAcceptedEverything();
        }
    }
}
