package dev.vigil.action;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address Vigil moves between nodes: keepalived's {@code virtual_ipaddress} entry
 * ({@code addr/mask brd X dev X scope X label X}) or heartbeat's {@code IPaddr2::ip/bits/dev/brd}.
 *
 * @param broadcast null for "let the kernel compute it" ({@code brd +})
 * @param scope     null for the kernel default (global)
 * @param label     null for none; heartbeat's IPaddr uses {@code dev:N} aliases
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device, InetAddress broadcast,
                             String scope, String label) {

    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(device, "device");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) throw new IllegalArgumentException("prefix length " + prefixLength);
    }

    public static VirtualAddress of(InetAddress address, int prefixLength, String device) {
        return new VirtualAddress(address, prefixLength, device, null, null, null);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** As {@code ip addr} writes it: {@code 10.0.0.1/24}. */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return cidr() + " dev " + device + (label != null ? " label " + label : "");
    }
}
