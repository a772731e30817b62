package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import io.vertx.core.json.JsonArray;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The live view's warnings: split brain, no master, a VIP list that differs between nodes. */
class VrrpControlWarningsTest {
    private static final long S = 1_000_000_000L;

    private final SimScheduler sched = new SimScheduler();
    private final SimNetwork net = new SimNetwork(sched, 3);
    private final SimAddressBook book = new SimAddressBook(sched);

    private SimVrrpNode node(String name, String ip, int mac, int prio, String... vips) throws Exception {
        InetAddress self = InetAddress.getByName(ip);
        VrrpInstanceSettings.Builder b = VrrpInstanceSettings.builder("VI_1", 51, self).version(3).priority(prio)
                .advertIntervalCentis(100);
        for (String v : vips) b.virtualAddress(InetAddress.getByName(v));
        return new SimVrrpNode(net, "lan", name, "eth0", new MacAddress(0x020000000000L | mac), List.of(self),
                VrrpNodeConfig.of(List.of(VrrpInstanceSpec.of(b.build(), "eth0"))), book);
    }

    private static String texts(JsonArray warnings) {
        return warnings.encode();
    }

    @Test
    void twoMastersAfterAPartitionHealsShowAsSplitBrainUntilTheElectionSettles() throws Exception {
        SimVrrpNode a = node("a", "10.0.0.1", 1, 150, "10.0.0.100");
        SimVrrpNode b = node("b", "10.0.0.2", 2, 100, "10.0.0.100");
        VrrpControl ca = new VrrpControl(a.router(), List::of);
        a.start();
        b.start();
        assertThat(texts(ca.warnings())).contains("no master heard yet");
        sched.runFor(10 * S);
        assertThat(ca.warnings()).isEmpty();
        net.segment("lan").partition(Set.of("a"), Set.of("b"));
        sched.runFor(10 * S);
        // b became master on its side; when the partition heals, a hears b's lower-priority adverts
        net.segment("lan").heal();
        sched.runFor(S / 2);
        assertThat(texts(ca.warnings())).contains("split brain").contains("10.0.0.2");
        sched.runFor(10 * S);
        assertThat(ca.warnings()).isEmpty();
    }

    @Test
    void differentVirtualAddressListsAreFlagged() throws Exception {
        SimVrrpNode a = node("a", "10.0.0.1", 1, 100, "10.0.0.100");
        SimVrrpNode b = node("b", "10.0.0.2", 2, 150, "10.0.0.100", "10.0.0.101");
        VrrpControl ca = new VrrpControl(a.router(), List::of);
        a.start();
        b.start();
        sched.runFor(10 * S);
        assertThat(texts(ca.warnings())).contains("addr_list_err").contains("virtual_ipaddress blocks for VRID 51 differ");
    }
}
