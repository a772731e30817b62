package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.masterDown;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.vrrp.wire.MacAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 scenario 7: {@code unicast_src_ip} / {@code unicast_peer}, VRRPv3 (checksum over a
 * pseudo-header carrying the peer's address, keepalived.md §1.3) and VRRPv2 with a password, one
 * instance mastered by each side. Adverts go to the peer's address and MAC address, never to the
 * group.
 */
@Tag("netns")
@Tag("interop")
class VrrpUnicastInteropTest {

    static final String VIP3 = "10.240.7.171";
    static final String VIP2 = "10.240.7.172";

    static String unicast(String self, String peer) {
        return """
                    unicast_src_ip %s
                    unicast_peer {
                        %s
                    }
                """.formatted(self, peer);
    }

    static String config(String id, String self, String peer, int prio3, int prio2) {
        return Conf.node(id,
                Conf.instance("VU_3", 71, prio3, 3, "0.1", VIP3, unicast(self, peer)),
                Conf.instance("VU_2", 72, prio2, 2, "1", VIP2, unicast(self, peer) + """
                    authentication {
                        auth_type PASS
                        auth_pass unipass1
                    }
                """));
    }

    static MacAddress mac(InteropLab lab, String host) {
        String out = lab.exec(host, "ip", "-o", "link", "show", "vg0").output();
        String s = out.substring(out.indexOf("link/ether ") + 11);
        return MacAddress.parse(s.substring(0, 17));
    }

    @Test
    void oneInstanceMasteredByEachSideThenKill9Keepalived(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            String a = InteropLab.ip(1);
            String b = InteropLab.ip(2);
            InteropLab.Node ka = lab.keepalived("b", config("b", b, a, 100, 150));
            InteropLab.VigilNode vigil = lab.vigil("a", config("a", a, b, 150, 100)).awaitReady();
            lab.awaitSoleHolder(VIP3, "a", 15_000);
            lab.awaitSoleHolder(VIP2, "b", 15_000);
            Thread.sleep(1500);
            long from = System.nanoTime();
            Thread.sleep(2500);
            long to = System.nanoTime();
            assertThat(lab.speakers(71, from, to)).as(lab.logs()).containsOnlyKeys(a);
            assertThat(lab.speakers(72, from, to)).as(lab.logs()).containsOnlyKeys(b);
            MacAddress macB = mac(lab, "b");
            List<InteropLab.Advert> fromVigil = lab.adverts(71, from, to);
            assertThat(fromVigil).isNotEmpty().allSatisfy(x -> {
                assertThat(x.destination().getHostAddress()).isEqualTo(b);
                // the peer's MAC, learned from its ARP reply or its frames, not the broadcast address
                assertThat(MacAddress.of(java.util.Arrays.copyOfRange(x.frame(), 0, 6))).isEqualTo(macB);
            });
            assertThat(lab.adverts(72, from, to)).allSatisfy(x -> assertThat(x.destination().getHostAddress()).isEqualTo(a));
            assertThat(vigil.instance("VU_2").getJsonObject("counters").getLong("advert_rcvd")).isPositive();
            assertThat(vigil.instance("VU_2").getString("masterAddress")).isEqualTo(b);

            long killedAt = System.nanoTime();
            ka.kill9();
            lab.awaitHolder(VIP2, "a", 6_000);
            long vipAt = lab.firstAdded("a", VIP2, killedAt).orElseThrow();
            long last = lab.lastAdvertFrom("b", 72, vipAt).orElseThrow().atNanos();
            long first = lab.firstAdvertFrom("a", 72, killedAt).orElseThrow().atNanos();
            long down = masterDown(2, 100, 100);
            System.out.printf("unicast v2: kill -9 keepalived -> Vigil: last advert->first %s, kill->VIP %s (bound %s)%n",
                    ms(first - last), ms(vipAt - killedAt), ms(down * 11 / 10));
            assertThat(vipAt - killedAt).isLessThanOrEqualTo(down * 11 / 10);
            assertThat(first - last).isBetween(down * 95 / 100, down * 11 / 10);
            lab.assertKeepalivedAcceptedEverything();
            assertThat(lab.logs()).doesNotContain("invalid passwd").doesNotContain("Expected multicast");
        }
    }

    @Test
    void vigilOnBothSidesV3(@TempDir Path dir) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            String a = InteropLab.ip(1);
            String b = InteropLab.ip(2);
            InteropLab.VigilNode vb = lab.vigil("b", config("b", b, a, 100, 150)).awaitReady();
            InteropLab.VigilNode va = lab.vigil("a", config("a", a, b, 150, 100)).awaitReady();
            lab.awaitSoleHolder(VIP3, "a", 15_000);
            lab.awaitSoleHolder(VIP2, "b", 15_000);
            long killedAt = System.nanoTime();
            va.kill9();
            lab.awaitHolder(VIP3, "b", 3_000);
            long vipAt = lab.firstAdded("b", VIP3, killedAt).orElseThrow();
            System.out.printf("unicast v3: kill -9 Vigil -> Vigil: kill->VIP %s (bound %s)%n", ms(vipAt - killedAt),
                    ms(masterDown(3, 100, 10) * 11 / 10));
            assertThat(vipAt - killedAt).isLessThanOrEqualTo(masterDown(3, 100, 10) * 11 / 10);
            assertThat(vb.instance("VU_3").getString("state")).isEqualTo("MASTER");
        }
    }
}
