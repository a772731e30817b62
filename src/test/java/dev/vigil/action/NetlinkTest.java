package dev.vigil.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rtnetlink messages Netlink sends, byte for byte as iproute2's ipaddr_modify builds them. */
class NetlinkTest {
    static final ByteOrder HOST = ByteOrder.nativeOrder();

    static VirtualAddress v4(String ip, int bits, String brd, String scope, String label) throws Exception {
        return new VirtualAddress(InetAddress.getByName(ip), bits, "vg0", brd == null ? null : InetAddress.getByName(brd), scope, label);
    }

    /** type -> value of every attribute after the 16-byte header and 8-byte ifaddrmsg. */
    static java.util.Map<Integer, byte[]> attrs(byte[] m) {
        java.util.Map<Integer, byte[]> r = new java.util.LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(m).order(HOST);
        int at = 24;
        while (at + 4 <= m.length) {
            int len = b.getShort(at) & 0xffff;
            r.put(b.getShort(at + 2) & 0xffff, java.util.Arrays.copyOfRange(m, at + 4, at + len));
            at += (len + 3) & ~3;
        }
        return r;
    }

    @Test
    void addIsNewaddrCreateExclWithLocalAddressAndTheBroadcastThatBrdPlusComputes() throws Exception {
        byte[] m = Netlink.newAddress(7, v4("10.240.61.100", 24, null, null, null), 3);
        ByteBuffer b = ByteBuffer.wrap(m).order(HOST);
        assertThat(b.getInt(0)).isEqualTo(m.length);
        assertThat(m.length % 4).isZero();
        assertThat(b.getShort(4)).isEqualTo((short) Netlink.RTM_NEWADDR);
        assertThat(b.getShort(6)).isEqualTo((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL));
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(new byte[] {m[16], m[17], m[18], m[19]}).containsExactly(Netlink.AF_INET, 24, 0, 0); // family, prefix, flags, scope global
        assertThat(b.getInt(20)).isEqualTo(3);
        var a = attrs(m);
        assertThat(a.keySet()).containsExactly(Netlink.IFA_LOCAL, Netlink.IFA_ADDRESS, Netlink.IFA_BROADCAST);
        assertThat(a.get(Netlink.IFA_LOCAL)).containsExactly(10, 240, 61, 100);
        assertThat(a.get(Netlink.IFA_ADDRESS)).containsExactly(10, 240, 61, 100);
        assertThat(a.get(Netlink.IFA_BROADCAST)).containsExactly(10, 240, 61, (byte) 255);
    }

    @Test
    void explicitBroadcastScopeAndLabelAreSentAndSlash31Or32GetsNoBroadcast() throws Exception {
        var a = attrs(Netlink.newAddress(1, v4("192.168.1.10", 16, "192.168.255.254", null, "vg0:1"), 2));
        assertThat(a.get(Netlink.IFA_BROADCAST)).containsExactly((byte) 192, (byte) 168, (byte) 255, (byte) 254);
        assertThat(new String(a.get(Netlink.IFA_LABEL), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("vg0:1\0");
        assertThat(attrs(Netlink.newAddress(1, v4("10.0.0.1", 32, null, null, null), 2))).doesNotContainKey(Netlink.IFA_BROADCAST);
        assertThat(attrs(Netlink.newAddress(1, v4("10.0.0.1", 31, null, null, null), 2))).doesNotContainKey(Netlink.IFA_BROADCAST);
        assertThat(Netlink.newAddress(1, v4("10.0.0.1", 24, null, "link", null), 2)[19] & 0xff).isEqualTo(253);
        assertThat(Netlink.newAddress(1, v4("127.0.0.2", 8, null, null, null), 1)[19] & 0xff).as("iproute2 default_scope").isEqualTo(254);
    }

    @Test
    void ipv6IsAddedWithoutDuplicateAddressDetection() throws Exception {
        byte[] m = Netlink.newAddress(1, new VirtualAddress(InetAddress.getByName("fd00::1"), 64, "vg0", null, null, null), 2);
        assertThat(m[16]).isEqualTo((byte) Netlink.AF_INET6);
        assertThat(m[18]).isEqualTo((byte) Netlink.IFA_F_NODAD);
        var a = attrs(m);
        assertThat(a.get(Netlink.IFA_LOCAL)).hasSize(16);
        assertThat(ByteBuffer.wrap(a.get(Netlink.IFA_FLAGS)).order(HOST).getInt()).isEqualTo(Netlink.IFA_F_NODAD);
        assertThat(a).doesNotContainKey(Netlink.IFA_BROADCAST);
    }

    @Test
    void deleteNamesTheAddressAndPrefixOnly() throws Exception {
        byte[] m = Netlink.deleteAddress(9, v4("10.240.61.100", 24, null, null, "x"), 3);
        assertThat(ByteBuffer.wrap(m).order(HOST).getShort(4)).isEqualTo((short) Netlink.RTM_DELADDR);
        assertThat(ByteBuffer.wrap(m).order(HOST).getShort(6)).isEqualTo((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK));
        assertThat(attrs(m).keySet()).containsExactly(Netlink.IFA_LOCAL, Netlink.IFA_ADDRESS);
    }

    static byte[] error(int seq, int errno) {
        return ByteBuffer.allocate(36).order(HOST).putInt(36).putShort((short) Netlink.NLMSG_ERROR).putShort((short) 0).putInt(seq).putInt(0)
                .putInt(-errno).array();
    }

    @Test
    void theAckCarriesTheNegatedErrnoAndOnlyTheAnswerToOurSequenceCounts() {
        assertThat(Netlink.ackError(error(5, 0), 5)).isZero();
        assertThat(Netlink.ackError(error(5, Netlink.EEXIST), 5)).isEqualTo(Netlink.EEXIST);
        assertThat(Netlink.ackError(error(4, 0), 5)).isEqualTo(-1);
        assertThat(Netlink.finished(error(5, 0), 5, false)).isTrue();
        assertThat(Netlink.finished(error(4, 0), 5, false)).isFalse();
    }

    @Test
    void aDumpIsParsedIntoDeviceAddressAndPrefixAndEndsAtDone() {
        ByteBuffer b = ByteBuffer.allocate(128).order(HOST);
        // RTM_NEWADDR: ifaddrmsg AF_INET /24 index 3, IFA_ADDRESS, IFA_LOCAL
        b.putInt(40).putShort((short) Netlink.RTM_NEWADDR).putShort((short) Netlink.NLM_F_MULTI).putInt(8).putInt(0);
        b.put((byte) Netlink.AF_INET).put((byte) 24).put((byte) 0).put((byte) 0).putInt(3);
        b.putShort((short) 8).putShort((short) Netlink.IFA_ADDRESS).put(new byte[] {10, 0, 0, 99});
        b.putShort((short) 8).putShort((short) Netlink.IFA_LOCAL).put(new byte[] {10, 0, 0, 100});
        b.putInt(20).putShort((short) Netlink.NLMSG_DONE).putShort((short) Netlink.NLM_F_MULTI).putInt(8).putInt(0).putInt(0);
        byte[] d = java.util.Arrays.copyOf(b.array(), b.position());
        List<Netlink.Address> r = Netlink.parseAddresses(d, i -> "if" + i);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).device()).isEqualTo("if3");
        assertThat(r.get(0).address().getHostAddress()).as("IFA_LOCAL wins over IFA_ADDRESS (the peer on point-to-point)").isEqualTo("10.0.0.100");
        assertThat(r.get(0).prefixLength()).isEqualTo(24);
        assertThat(Netlink.finished(d, 8, true)).isTrue();
        assertThat(Netlink.finished(java.util.Arrays.copyOf(d, 40), 8, true)).isFalse();
    }

    @Test
    void aTruncatedDumpYieldsWhatIsWholeAndNeverThrows() {
        assertThat(Netlink.parseAddresses(new byte[] {1, 2, 3}, i -> "x")).isEmpty();
        byte[] bogus = ByteBuffer.allocate(24).order(HOST).putInt(4000).putShort((short) Netlink.RTM_NEWADDR).array();
        assertThat(Netlink.parseAddresses(bogus, i -> "x")).isEmpty();
        assertThat(Netlink.ackError(bogus, 0)).isEqualTo(-1);
    }
}
