package dev.vigil.heartbeat.resources;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The argument of heartbeat's {@code IPaddr} and {@code IPaddr2} resources,
 * {@code ip[/bits[/iface[/broadcast]]]} (research heartbeat.md §4.3). Missing parts are found on
 * the host at start time, as heartbeat's {@code findif} does.
 *
 * @param label a {@code dev:label} alias when the iface part names one ({@code eth0:1})
 */
public record IpAddrArgument(Inet4Address address, OptionalInt prefixLength, Optional<String> device, Optional<String> label,
                             Optional<Inet4Address> broadcast) {

    /** @throws IllegalArgumentException with the reason, for the log */
    public static IpAddrArgument parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 4) throw new IllegalArgumentException("'" + text + "' is not ip[/bits[/iface[/broadcast]]]");
        Inet4Address ip = ipv4(parts[0], text);
        OptionalInt bits = OptionalInt.empty();
        if (parts.length > 1 && !parts[1].isEmpty()) {
            int b;
            try {
                b = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[1] + "' in '" + text + "' is not a prefix length");
            }
            if (b < 0 || b > 32) throw new IllegalArgumentException("prefix length " + b + " in '" + text + "' is not 0-32");
            bits = OptionalInt.of(b);
        }
        Optional<String> dev = Optional.empty();
        Optional<String> label = Optional.empty();
        if (parts.length > 2 && !parts[2].isEmpty()) {
            String iface = parts[2];
            int colon = iface.indexOf(':');
            if (colon > 0) {
                label = Optional.of(iface);
                iface = iface.substring(0, colon);
            }
            if (!iface.matches("[A-Za-z0-9_.@-]{1,15}")) throw new IllegalArgumentException("'" + parts[2] + "' is not an interface name");
            dev = Optional.of(iface);
        }
        Optional<Inet4Address> brd = parts.length > 3 && !parts[3].isEmpty() ? Optional.of(ipv4(parts[3], text)) : Optional.empty();
        return new IpAddrArgument(ip, bits, dev, label, brd);
    }

    private static Inet4Address ipv4(String s, String whole) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) throw new IllegalArgumentException("'" + s + "' in '" + whole + "' is not an IPv4 address");
        try {
            InetAddress a = InetAddress.getByName(s); // a dotted quad: parsed, never looked up
            if (a instanceof Inet4Address v4) return v4;
        } catch (java.net.UnknownHostException e) {
            // falls through
        }
        throw new IllegalArgumentException("'" + s + "' in '" + whole + "' is not an IPv4 address");
    }

    public String ip() {
        return address.getHostAddress();
    }
}
