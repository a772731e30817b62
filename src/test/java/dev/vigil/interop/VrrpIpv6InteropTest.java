package dev.vigil.interop;

import static dev.vigil.interop.InteropLab.masterDown;
import static dev.vigil.interop.InteropLab.ms;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VRRPv3 over IPv6 with keepalived: adverts from the interface's link-local address to ff02::12
 * (RFC 5798 §5.1.2), the checksum over the IPv6 pseudo-header; kill -9 of the master both ways.
 */
@Tag("netns")
@Tag("interop")
class VrrpIpv6InteropTest {

    static final String VIP = "fd00:240::100";
    static final int VRID = 66;

    static String config(String id, int priority) {
        return Conf.globals(id, "") + """
                vrrp_instance VI_6 {
                    state BACKUP
                    interface vg0
                    virtual_router_id %d
                    priority %d
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/64 dev vg0
                    }
                }
                """.formatted(VRID, priority, VIP);
    }

    private void killMaster(Path dir, boolean vigilMaster) throws Exception {
        try (InteropLab lab = new InteropLab(dir, "a", "b")) {
            // the link-local addresses must have finished duplicate address detection before anyone sends
            InteropLab.await(10_000, () -> !lab.exec("a", "ip", "-6", "addr").output().contains("tentative")
                    && !lab.exec("b", "ip", "-6", "addr").output().contains("tentative"), "link-local addresses");
            InteropLab.Node b = vigilMaster ? lab.keepalived("b", config("b", 100)) : lab.vigil("b", config("b", 100)).awaitReady();
            InteropLab.Node a = vigilMaster ? lab.vigil("a", config("a", 150)).awaitReady() : lab.keepalived("a", config("a", 150));
            lab.awaitSoleHolder(VIP, "a", 15_000);
            Thread.sleep(1000);
            long now = System.nanoTime();
            assertThat(lab.adverts(VRID, now - 900 * InteropLab.MS, now)).isNotEmpty().allSatisfy(x -> {
                assertThat(x.source()).isInstanceOf(Inet6Address.class);
                assertThat(x.source().isLinkLocalAddress()).isTrue();
                assertThat(x.destination().getHostAddress()).isEqualTo("ff02:0:0:0:0:0:0:12");
            });
            long killedAt = System.nanoTime();
            a.kill9();
            lab.awaitHolder(VIP, "b", 3_000);
            long vipAt = lab.firstAdded("b", VIP, killedAt).orElseThrow();
            long bound = masterDown(3, 100, 10) * 11 / 10;
            System.out.printf("IPv6: kill -9 %s -> %s: kill->VIP %s (bound %s)%n", a, b, ms(vipAt - killedAt), ms(bound));
            assertThat(vipAt - killedAt).as(lab.logs()).isLessThanOrEqualTo(bound);
            lab.assertKeepalivedAcceptedEverything();
        }
    }

    @Test
    void vigilMasterKilledKeepalivedTakesOver(@TempDir Path dir) throws Exception {
        killMaster(dir, true);
    }

    @Test
    void keepalivedMasterKilledVigilTakesOver(@TempDir Path dir) throws Exception {
        killMaster(dir, false);
    }
}
