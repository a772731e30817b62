package dev.vigil.vrrp.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Locale;

/** A 48-bit Ethernet address, held in the low bits of a {@code long} so that it compares by value. */
public record MacAddress(long value) {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("not a 48-bit MAC address: 0x" + Long.toHexString(value));
        }
    }

    // Written out rather than the record's generated ones: those go through an invokedynamic method
    // handle chain that the C1-only daemon (the units' -XX:TieredStopAtLevel=1) does not inline, and
    // a backup compares the source address of every received advert with its own.
    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /** Parses {@code 02:00:0a:e8:00:01} (also with {@code -} as the separator, any case). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            v = (v << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(v);
    }

    public static MacAddress of(byte[] sixBytes) {
        if (sixBytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + sixBytes.length);
        }
        return read(sixBytes, 0);
    }

    static MacAddress read(byte[] buf, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf[offset + i] & 0xff);
        }
        return new MacAddress(v);
    }

    void writeTo(byte[] buf, int offset) {
        for (int i = 0; i < 6; i++) {
            buf[offset + i] = (byte) (value >>> (40 - 8 * i));
        }
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        writeTo(b, 0);
        return b;
    }

    /** The I/G bit: group (multicast or broadcast) rather than individual. */
    public boolean isMulticast() {
        return ((value >>> 40) & 0x01) != 0;
    }

    /**
     * The IPv4 virtual router MAC {@code 00-00-5E-00-01-{VRID}} (RFC 3768 §7.3, RFC 5798 §7.3).
     * keepalived sources adverts from it only with {@code use_vmac}; otherwise it uses the
     * interface's own MAC, so receivers must not insist on it.
     */
    public static MacAddress vrrpIpv4VirtualMac(int vrid) {
        checkVrid(vrid);
        return new MacAddress(0x00005e000100L | vrid);
    }

    /** The IPv6 virtual router MAC {@code 00-00-5E-00-02-{VRID}} (RFC 5798 §7.3). */
    public static MacAddress vrrpIpv6VirtualMac(int vrid) {
        checkVrid(vrid);
        return new MacAddress(0x00005e000200L | vrid);
    }

    /** RFC 1112 §6.4: {@code 01:00:5e} plus the low 23 bits of the group, e.g. 224.0.0.18 → 01:00:5e:00:00:12. */
    public static MacAddress ipv4Multicast(Inet4Address group) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not an IPv4 multicast group: " + group.getHostAddress());
        }
        byte[] a = group.getAddress();
        long low23 = ((a[1] & 0x7fL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
        return new MacAddress(0x01005e000000L | low23);
    }

    /** RFC 2464 §7: {@code 33:33} plus the low 32 bits of the group, e.g. ff02::12 → 33:33:00:00:00:12. */
    public static MacAddress ipv6Multicast(Inet6Address group) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not an IPv6 multicast group: " + group.getHostAddress());
        }
        byte[] a = group.getAddress();
        long low32 = ((a[12] & 0xffL) << 24) | ((a[13] & 0xffL) << 16) | ((a[14] & 0xffL) << 8) | (a[15] & 0xffL);
        return new MacAddress(0x333300000000L | low32);
    }

    private static void checkVrid(int vrid) {
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("VRID must be 1..255, not " + vrid);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", (value >>> (40 - 8 * i)) & 0xff));
        }
        return sb.toString();
    }
}
