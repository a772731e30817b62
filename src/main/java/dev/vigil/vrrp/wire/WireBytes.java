package dev.vigil.vrrp.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Big-endian field access and address conversions shared by the frame codecs. */
final class WireBytes {
    static final int ETHERNET_HEADER_LENGTH = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int IPV4_HEADER_LENGTH = 20;
    static final int IPV6_HEADER_LENGTH = 40;

    private WireBytes() {
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) (v >>> 16));
        put16(b, off + 2, (int) v);
    }

    static Inet4Address ipv4(byte[] b, int off) {
        byte[] a = new byte[4];
        System.arraycopy(b, off, a, 0, 4);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    /**
     * Always an {@link Inet6Address}: {@code InetAddress.getByAddress} would turn an IPv4-mapped
     * address (::ffff:a.b.c.d) into an Inet4Address and break re-encoding.
     */
    static Inet6Address ipv6(byte[] b, int off) {
        byte[] a = new byte[16];
        System.arraycopy(b, off, a, 0, 16);
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    static void putAddress(byte[] b, int off, InetAddress address) {
        byte[] a = address.getAddress();
        System.arraycopy(a, 0, b, off, a.length);
    }

    static Inet4Address ipv4Literal(int a, int b, int c, int d) {
        return ipv4(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, 0);
    }

    static Inet6Address ipv6Literal(int... words) {
        if (words.length != 8) {
            throw new IllegalArgumentException("an IPv6 address has 8 words");
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            put16(a, 2 * i, words[i]);
        }
        return ipv6(a, 0);
    }

    /** Plain dotted / RFC 5952 text without the leading slash of {@code InetAddress.toString()}. */
    static String text(InetAddress address) {
        return address.getHostAddress();
    }
}
