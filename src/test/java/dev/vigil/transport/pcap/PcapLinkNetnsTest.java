package dev.vigil.transport.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testing.Netns;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class PcapLinkNetnsTest {

    /** A minimal VRRPv2 advert frame to the VRRP group (bytes as in research fixture v2-authpass-advert). */
    private static final byte[] FRAME = HexFormat.of().parseHex(
            "01005e000012" + "020000000001" + "0800"
            + "45c00028000100 00ff70 cea1 0af00101 e0000012".replace(" ", "")
            + "21339601010 1c1ec0af00164 7333637233747077".replace(" ", ""));

    @Test
    void frameSentOnOneHostArrivesAtTheOtherThroughTheBridgeFilteredByProtocol() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String b = net.host("b", "10.240.1.2/24");
            LinkedBlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<byte[]> atA = new LinkedBlockingQueue<>();
            try (PcapLink linkB = net.callIn(b, () -> PcapLink.open("vg0", "ip proto 112", atB::add));
                 PcapLink linkA = net.callIn(a, () -> PcapLink.open("vg0", "ip proto 112", atA::add))) {
                // the receive thread may still be starting: resend until the first frame arrives
                byte[] got = null;
                int sent = 0;
                for (; sent < 20 && got == null; sent++) {
                    assertThat(linkA.send(FRAME)).isTrue();
                    got = atB.poll(250, TimeUnit.MILLISECONDS);
                }
                assertThat(got).isEqualTo(FRAME);
                // direction IN: the sender does not see its own frame
                assertThat(atA.poll(300, TimeUnit.MILLISECONDS)).isNull();
                assertThat(linkA.framesOut()).isEqualTo(sent);
            }
        }
    }

    @Test
    void missingInterfaceGivesOneClearLine() throws Exception {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            assertThatThrownBy(() -> net.callIn(a, () -> PcapLink.open("nosuch0", "ip proto 112", f -> { })))
                    .hasRootCauseInstanceOf(org.pcap4j.core.PcapNativeException.class)
                    .cause().isInstanceOf(PcapUnavailableException.class)
                    .hasMessageContaining("nosuch0");
        }
    }
}
