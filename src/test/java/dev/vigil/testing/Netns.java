package dev.vigil.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces for interop tests: a "switch" namespace holding a bridge, and one namespace
 * per host attached to it by a veth pair (the topology of research keepalived.md section 3). Every
 * name carries a per-run prefix so parallel or leftover runs never collide, and {@link #close()}
 * removes everything created, also after a failure. Addresses are from 10.240.x.0/24 inside the
 * namespaces only.
 */
public final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String prefix;
    private final String switchNs;
    private final List<String> namespaces = new ArrayList<>();

    private Netns(String prefix) {
        this.prefix = prefix;
        this.switchNs = prefix + "sw";
    }

    /**
     * Skips the calling test (with the reason printed) unless it can build namespaces: root and
     * iproute2. CI runs as root, so there these tests always run.
     */
    public static void assumeAvailable() {
        boolean root = "0".equals(Sh.run("id", "-u").output().trim());
        if (!root) {
            System.out.println("SKIPPED: namespace test needs root (CI runs as root)");
        }
        Assumptions.assumeTrue(root, "namespace tests need root");
        boolean ip = Sh.has("ip");
        if (!ip) System.out.println("SKIPPED: iproute2 is not installed (src/tools/test.sh installs it)");
        Assumptions.assumeTrue(ip, "iproute2 missing");
    }

    /** A new switch namespace with bridge {@code br0}. */
    public static Netns create() {
        assumeAvailable();
        String prefix = "vg" + ProcessHandle.current().pid() % 100000 + "x" + COUNTER.incrementAndGet() + "-";
        Netns n = new Netns(prefix);
        try {
            n.addNamespace(n.switchNs);
            n.exec(n.switchNs, "ip", "link", "add", "br0", "type", "bridge");
            // VRRP and heartbeat multicast must reach every port, whatever IGMP says.
            n.exec(n.switchNs, "ip", "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
            n.exec(n.switchNs, "ip", "link", "set", "br0", "up");
            // With br_netfilter loaded (it is on this kernel), the bridge validates IPv4 headers and
            // silently drops frames with a bad checksum; a real switch forwards them, and the
            // hostile-input tests need exactly those frames to arrive.
            for (String family : new String[] {"iptables", "ip6tables", "arptables"}) {
                n.execQuiet(n.switchNs, "sysctl", "-q", "-w", "net.bridge.bridge-nf-call-" + family + "=0");
            }
            n.exec(n.switchNs, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void addNamespace(String name) {
        Sh.run("ip", "netns", "add", name).orThrow("ip netns add " + name);
        namespaces.add(name);
    }

    /**
     * A host namespace {@code <prefix><name>} with {@code vg0} on the bridge (a name no real host has, so a test that failed to enter its namespace fails instead of touching a real interface), address
     * {@code cidr} (e.g. 10.240.1.1/24), link up. Returns the namespace's full name.
     */
    public String host(String name, String cidr) {
        String ns = prefix + name;
        addNamespace(ns);
        String port = ("p" + prefix + name).replace("-", "");
        if (port.length() > 15) port = port.substring(port.length() - 15);
        Sh.run("ip", "-n", ns, "link", "add", "vg0", "type", "veth", "peer", "name", port, "netns", switchNs)
                .orThrow("veth for " + ns);
        exec(ns, "ip", "addr", "add", cidr, "brd", "+", "dev", "vg0");
        exec(ns, "ip", "link", "set", "vg0", "up");
        exec(ns, "ip", "link", "set", "lo", "up");
        exec(switchNs, "ip", "link", "set", port, "master", "br0", "up");
        return ns;
    }

    /** Runs a command inside a namespace and fails the test if it fails. */
    public Sh.Result exec(String ns, String... argv) {
        return execQuiet(ns, argv).orThrow(String.join(" ", argv) + " in " + ns);
    }

    /** Runs a command inside a namespace and returns its result, whatever it is. */
    public Sh.Result execQuiet(String ns, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        Collections.addAll(cmd, argv);
        return Sh.run(cmd);
    }

    /**
     * Runs {@code body} on a fresh thread that has joined namespace {@code ns} (setns(2) affects only
     * the calling thread). Sockets and pcap handles opened inside stay in that namespace afterwards,
     * so a test JVM can drive several "hosts" at once.
     */
    public <T> T callIn(String ns, java.util.concurrent.Callable<T> body) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile("/var/run/netns/" + ns, "r")) {
                int fd = fdOf(f.getFD());
                if (LibC.C.setns(fd, 0x40000000 /* CLONE_NEWNET */) != 0) {
                    throw new IllegalStateException("setns into " + ns + " failed");
                }
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "in-" + ns);
        t.start();
        return result.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static int fdOf(java.io.FileDescriptor fd) throws ReflectiveOperationException {
        // Needs --add-opens java.base/java.io=ALL-UNNAMED (set for Surefire in pom.xml).
        java.lang.reflect.Field f = java.io.FileDescriptor.class.getDeclaredField("fd");
        f.setAccessible(true);
        return f.getInt(fd);
    }

    private interface LibC extends com.sun.jna.Library {
        LibC C = com.sun.jna.Native.load("c", LibC.class);

        int setns(int fd, int nstype);
    }

    public String prefix() {
        return prefix;
    }

    /** IPv4 addresses (without prefix length) currently on {@code dev} in {@code ns}. */
    public List<String> addresses(String ns, String dev) {
        String out = execQuiet(ns, "ip", "-o", "-4", "addr", "show", "dev", dev).output();
        List<String> r = new ArrayList<>();
        for (String line : out.split("\n")) {
            int i = line.indexOf(" inet ");
            if (i < 0) continue;
            String rest = line.substring(i + 6).trim();
            r.add(rest.substring(0, rest.indexOf('/')));
        }
        return r;
    }

    @Override
    public void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            // kill anything a test left running inside, then remove the namespace (veths go with it)
            Sh.run("sh", "-c", "ip netns pids " + ns + " 2>/dev/null | xargs -r kill -9");
            Sh.run("ip", "netns", "del", ns);
        }
        namespaces.clear();
    }
}
