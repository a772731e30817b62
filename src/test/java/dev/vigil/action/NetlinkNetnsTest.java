package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Netlink against a real kernel, inside a test namespace: what it adds is what {@code ip addr add} adds. */
@Tag("netns")
class NetlinkNetnsTest {

    @Test
    void addListAndRemoveMatchIpAddrIncludingAlreadySoAnswers() throws Exception {
        try (Netns net = Netns.create()) {
            String ns = net.host("a", "10.240.12.1/24");
            net.exec(ns, "ip", "addr", "add", "10.240.12.101/24", "brd", "+", "dev", "vg0", "label", "vg0:ip");
            net.callIn(ns, () -> {
                Netlink nl = Netlink.on(Runnable::run); // the calls run on this thread, inside the namespace
                VirtualAddress vip = new VirtualAddress(InetAddress.getByName("10.240.12.100"), 24, "vg0", null, null, "vg0:nl");
                assertThat(nl.add(vip).get(5, TimeUnit.SECONDS)).isZero();
                assertThat(nl.add(vip).get(5, TimeUnit.SECONDS)).isEqualTo(Netlink.EEXIST);
                assertThat(nl.addresses(true).get(5, TimeUnit.SECONDS))
                        .contains(new Netlink.Address("vg0", nl.addresses(true).get().stream().filter(a -> a.device().equals("vg0"))
                                .findFirst().orElseThrow().index(), InetAddress.getByName("10.240.12.100"), 24));
                return null;
            });
            // the kernel's view of both, address and label aside, is the same
            String show = net.exec(ns, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output();
            String byIp = line(show, "10.240.12.101").replace("10.240.12.101", "X").replace("vg0:ip", "L");
            String byNetlink = line(show, "10.240.12.100").replace("10.240.12.100", "X").replace("vg0:nl", "L");
            assertThat(byNetlink).isEqualTo(byIp).contains("brd 10.240.12.255");
            net.callIn(ns, () -> {
                Netlink nl = Netlink.on(Runnable::run);
                VirtualAddress vip = VirtualAddress.of(InetAddress.getByName("10.240.12.100"), 24, "vg0");
                assertThat(nl.remove(vip).get(5, TimeUnit.SECONDS)).isZero();
                assertThat(nl.remove(vip).get(5, TimeUnit.SECONDS)).isEqualTo(Netlink.EADDRNOTAVAIL);
                VirtualAddress nowhere = VirtualAddress.of(InetAddress.getByName("10.240.12.100"), 24, "nosuchdev");
                assertThat(nl.add(nowhere).get(5, TimeUnit.SECONDS)).isEqualTo(19);
                return null;
            });
            assertThat(net.addresses(ns, "vg0")).containsExactlyInAnyOrder("10.240.12.1", "10.240.12.101");
        }
    }

    static String line(String show, String ip) {
        return show.lines().filter(l -> l.contains(" " + ip + "/")).findFirst().orElseThrow(() -> new AssertionError(ip + " not in " + show))
                .replaceAll("\\\\\\s+valid_lft.*", "").trim();
    }
}
