package dev.vigil.vrrp;

import dev.vigil.vrrp.wire.MacAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's view of the interfaces, in the daemon's network namespace: {@code /sys/class/net}
 * ({@code ip netns exec} mounts the namespace's own sysfs), {@code /proc/net/if_inet6}, and
 * {@code ip -o -4 addr} for IPv4 in kernel order (primary addresses before secondaries, which the
 * JDK's NetworkInterface does not promise). Blocking: call off the event loop.
 */
public final class SystemInterfaceInfo implements InterfaceInfo {

    private static final Path SYS_NET = Path.of("/sys/class/net");

    @Override
    public boolean exists(String iface) {
        return valid(iface) && Files.isDirectory(SYS_NET.resolve(iface));
    }

    @Override
    public Optional<MacAddress> mac(String iface) {
        if (!valid(iface)) return Optional.empty();
        try {
            String text = Files.readString(SYS_NET.resolve(iface).resolve("address")).trim();
            MacAddress m = MacAddress.parse(text);
            return m.equals(MacAddress.ZERO) ? Optional.empty() : Optional.of(m);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Inet4Address> ipv4Addresses(String iface) {
        if (!exists(iface)) return List.of();
        List<Inet4Address> primary = new ArrayList<>();
        List<Inet4Address> secondary = new ArrayList<>();
        for (String line : run("ip", "-o", "-4", "addr", "show", "dev", iface).split("\n")) {
            int at = line.indexOf(" inet ");
            if (at < 0) continue;
            String rest = line.substring(at + 6).trim();
            int slash = rest.indexOf('/');
            int space = rest.indexOf(' ');
            String addr = rest.substring(0, slash > 0 ? slash : space > 0 ? space : rest.length());
            try {
                Inet4Address a = (Inet4Address) InetAddress.getByName(addr);
                (line.contains(" secondary ") ? secondary : primary).add(a);
            } catch (IOException | ClassCastException e) {
                // not an address ip(8) would print; skip
            }
        }
        primary.addAll(secondary);
        return primary;
    }

    @Override
    public List<Inet6Address> ipv6Addresses(String iface) {
        List<Inet6Address> out = new ArrayList<>();
        try {
            // "fe800000000000000aff fee8 0001 02 40 20 80 vg0": address, ifindex, prefix, scope, flags, name
            for (String line : Files.readAllLines(Path.of("/proc/net/if_inet6"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || !f[5].equals(iface)) continue;
                out.add((Inet6Address) InetAddress.getByAddress(HexFormat.of().parseHex(f[0])));
            }
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return List.of();
        }
        return out;
    }

    /** keepalived's link test: administratively up and running; "unknown" is what carrier-less devices report. */
    public static boolean linkUp(String iface) {
        if (!valid(iface)) return false;
        try {
            String state = Files.readString(SYS_NET.resolve(iface).resolve("operstate")).trim();
            return state.equals("up") || state.equals("unknown");
        } catch (IOException e) {
            return false;
        }
    }

    /** Interface names never contain '/', so they cannot walk out of /sys/class/net. */
    private static boolean valid(String iface) {
        return !iface.isEmpty() && !iface.contains("/") && !iface.equals(".") && !iface.equals("..");
    }

    private static String run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
