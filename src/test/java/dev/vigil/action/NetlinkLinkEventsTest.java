package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetlinkLinkEventsTest {

    /** One RTM_NEWLINK/RTM_DELLINK message: nlmsghdr, ifinfomsg, IFLA_IFNAME, IFLA_OPERSTATE, an unrelated IFLA_MTU. */
    static byte[] message(int type, String name, int oper) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        int nameLen = 4 + n.length;
        int len = 16 + 16 + ((nameLen + 3) & ~3) + 8 + 8;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) 0).putInt(0).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(7).putInt(0x1003).putInt(0);
        b.putShort((short) 8).putShort((short) 4 /* IFLA_MTU */).putInt(1500);
        b.putShort((short) nameLen).putShort((short) NetlinkLinkEvents.IFLA_IFNAME).put(n);
        while (b.position() % 4 != 0) b.put((byte) 0);
        b.putShort((short) 5).putShort((short) NetlinkLinkEvents.IFLA_OPERSTATE).put((byte) oper).put(new byte[3]);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    @Test
    void operstateUpAndUnknownAreUpEverythingElseAndDeletionAreDown() {
        byte[] d = concat(message(NetlinkLinkEvents.RTM_NEWLINK, "eth0", 6), message(NetlinkLinkEvents.RTM_NEWLINK, "veth1", 0),
                message(NetlinkLinkEvents.RTM_NEWLINK, "eth1", 2), message(NetlinkLinkEvents.RTM_NEWLINK, "eth2", 3),
                message(NetlinkLinkEvents.RTM_DELLINK, "eth3", 6));
        assertThat(NetlinkLinkEvents.parse(d, d.length)).containsExactly(
                new NetlinkLinkEvents.LinkState("eth0", true), new NetlinkLinkEvents.LinkState("veth1", true),
                new NetlinkLinkEvents.LinkState("eth1", false), new NetlinkLinkEvents.LinkState("eth2", false),
                new NetlinkLinkEvents.LinkState("eth3", false));
    }

    @Test
    void truncatedOrMalformedDatagramsYieldWhatIsWholeAndNeverThrow() {
        byte[] whole = message(NetlinkLinkEvents.RTM_NEWLINK, "eth0", 6);
        byte[] d = concat(whole, message(NetlinkLinkEvents.RTM_NEWLINK, "eth1", 2));
        for (int cut = 0; cut <= d.length; cut++) {
            var states = NetlinkLinkEvents.parse(d, cut);
            assertThat(states.size()).isLessThanOrEqualTo(2);
            if (cut >= whole.length) assertThat(states).first().isEqualTo(new NetlinkLinkEvents.LinkState("eth0", true));
        }
        byte[] bad = whole.clone();
        bad[32] = 2; // an attribute length below its header
        assertThat(NetlinkLinkEvents.parse(bad, bad.length)).isEmpty();
    }
}
