package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.transport.pcap.PcapLink;
import dev.vigil.vrrp.wire.ArpFrame;
import dev.vigil.vrrp.wire.ArpFrames;
import dev.vigil.vrrp.wire.NeighborFrameDecodeResult;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class KernelAddressActionsNetnsTest {

    @Test
    void addTakesTheAddressAndAnnouncesItWithAGratuitousArpThatPeersSee() throws Exception {
        try (Netns net = Netns.create(); ScriptRunner runner = new ScriptRunner()) {
            String a = net.host("a", "10.240.7.1/24");
            String b = net.host("b", "10.240.7.2/24");
            LinkedBlockingQueue<byte[]> arpAtB = new LinkedBlockingQueue<>();
            try (PcapLink linkA = net.callIn(a, () -> PcapLink.open("vg0", "arp", f -> { }));
                 PcapLink linkB = net.callIn(b, () -> PcapLink.open("vg0", "arp", arpAtB::add))) {
                KernelAddressActions actions = new KernelAddressActions(runner,
                        dev -> dev.equals("vg0") ? linkA : null, List.of("ip", "netns", "exec", a));
                VirtualAddress vip = new VirtualAddress(InetAddress.getByName("10.240.7.100"), 24, "vg0", null, null, "vg0:vip");

                long t0 = System.nanoTime();
                AddressActions.ActionResult r = actions.add(vip).get(10, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(r.ok()).as(r.detail()).isTrue();
                assertThat(net.addresses(a, "vg0")).contains("10.240.7.100");
                System.out.println("address added and announced in " + ms + " ms");

                byte[] frame = arpAtB.poll(5, TimeUnit.SECONDS);
                assertThat(frame).isNotNull();
                NeighborFrameDecodeResult<ArpFrame> arp = ArpFrames.decode(frame);
                assertThat(arp).isInstanceOf(NeighborFrameDecodeResult.Ok.class);
                assertThat(arp.toString()).contains("10.240.7.100");

                // adding twice and removing twice are both harmless, as heartbeat's stop retries need
                assertThat(actions.add(vip).get(10, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(actions.remove(vip).get(10, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(actions.remove(vip).get(10, TimeUnit.SECONDS).ok()).isTrue();
                assertThat(net.addresses(a, "vg0")).doesNotContain("10.240.7.100");
            }
        }
    }
}
