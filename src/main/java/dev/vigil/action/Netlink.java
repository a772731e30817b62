package dev.vigil.action;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Adds, removes and lists interface addresses with rtnetlink ({@code RTM_NEWADDR},
 * {@code RTM_DELADDR}, {@code RTM_GETADDR} dump; rtnetlink(7)) from inside the JVM, the messages
 * {@code ip addr add|del|show} sends, without starting a process.
 *
 * <p>Why: a takeover used to start two processes ({@code ip addr show} for the resource's status,
 * then {@code ip addr add}), each as {@code jspawnhelper -> setsid -> ip}. On an idle machine that
 * is a few milliseconds; on a loaded one every new process waits for a CPU behind the running ones,
 * and the benchmark (docs/benchmarks.md) measured 34 to 63 ms from "is dead" to the address on a
 * loaded 2-core machine against a goal of 20 ms. A netlink request is one system call on a thread
 * that already exists.
 *
 * <p>Threading: {@link #system()} makes its calls on the caller's thread, in the daemon the event
 * loop. An rtnetlink address request is handled by the kernel inside {@code sendto} and the
 * acknowledgement is waiting when {@code recv} is called: tens of microseconds, the cost of a UDP
 * send. Handing it to a thread of its own instead cost a wake-up per hop, four per takeover
 * (status, then add), and on the loaded benchmark machine that was what pushed "dead -> answering"
 * past 20 ms in 3 runs of 10 (up to 86 ms). A 2 s receive timeout bounds the worst case.
 *
 * <p>The message encodings ({@link #newAddress}, {@link #deleteAddress}, {@link #dumpAddresses},
 * {@link #parseAddresses}, {@link #ackError}) are pure and unit-tested. The messages mirror iproute2's
 * {@code ipaddr_modify}: {@code IFA_LOCAL} and {@code IFA_ADDRESS} both carry the address,
 * {@code brd +} becomes the address with the host bits set (only for prefixes up to /30), and
 * {@code 127.0.0.0/8} gets host scope unless a scope is given.
 */
public final class Netlink {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NODAD = 0x02;
    /** errno values the callers treat as "already so". */
    public static final int EEXIST = 17;
    public static final int EADDRNOTAVAIL = 99;

    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    /** An address the kernel has, as {@code ip -o addr show} lists it. */
    public record Address(String device, int index, InetAddress address, int prefixLength) {
    }

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        int close(int fd);

        int if_nametoindex(String name);

        /** Writes the name into {@code name} (JNA copies the array back after the call). */
        com.sun.jna.Pointer if_indextoname(int index, byte[] name);
    }

    private final LibC libc;
    private final Executor executor;
    private final AtomicInteger seq = new AtomicInteger((int) (System.nanoTime() & 0xffff));

    private Netlink(LibC libc, Executor thread) {
        this.libc = libc;
        this.executor = thread;
    }

    private static Optional<Netlink> system;

    /**
     * The process's netlink, calling on the caller's thread, or empty where there is none (not
     * Linux, no JNA): callers then run {@code ip}.
     */
    public static synchronized Optional<Netlink> system() {
        if (system == null) {
            Optional<Netlink> n = Optional.empty();
            if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                try {
                    Netlink nl = new Netlink(Native.load("c", LibC.class), Runnable::run);
                    // One dump now: the first call through JNA binds the native methods and loads
                    // classes (29 ms cold against 1 ms warm, measured), which must not fall on the
                    // first takeover.
                    nl.addresses(true);
                    n = Optional.of(nl);
                } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                    n = Optional.empty();
                }
            }
            system = n;
        }
        return system;
    }

    /**
     * A netlink whose calls run on {@code executor}; its sockets belong to the network namespace of
     * the thread that runs them (a test passes a direct executor and calls from inside a namespace).
     */
    public static Netlink on(Executor executor) {
        return new Netlink(Native.load("c", LibC.class), executor);
    }

    /** {@code ip addr add}; completes with 0 or the kernel's errno ({@link #EEXIST}: already there). */
    public CompletableFuture<Integer> add(VirtualAddress a) {
        return CompletableFuture.supplyAsync(() -> {
            int index = libc.if_nametoindex(a.device());
            if (index == 0) return 19; // ENODEV
            return request(newAddress(seq.incrementAndGet(), a, index));
        }, executor);
    }

    /** {@code ip addr del}; completes with 0 or the kernel's errno ({@link #EADDRNOTAVAIL}: not there). */
    public CompletableFuture<Integer> remove(VirtualAddress a) {
        return CompletableFuture.supplyAsync(() -> {
            int index = libc.if_nametoindex(a.device());
            if (index == 0) return 19;
            return request(deleteAddress(seq.incrementAndGet(), a, index));
        }, executor);
    }

    /** Every address of one family ({@code ip -o -4 addr show} / {@code -6}). */
    public CompletableFuture<List<Address>> addresses(boolean ipv4) {
        return CompletableFuture.supplyAsync(() -> {
            int s = seq.incrementAndGet();
            List<byte[]> replies = exchange(dumpAddresses(s, ipv4 ? AF_INET : AF_INET6), s, true);
            List<Address> r = new ArrayList<>();
            for (byte[] b : replies) {
                for (Address x : parseAddresses(b, i -> {
                    byte[] name = new byte[17];
                    if (libc.if_indextoname(i, name) == null) return "if" + i;
                    int end = 0;
                    while (end < name.length && name[end] != 0) end++;
                    return new String(name, 0, end, StandardCharsets.US_ASCII);
                })) {
                    r.add(x);
                }
            }
            return r;
        }, executor);
    }

    private int request(byte[] message) {
        int s = ByteBuffer.wrap(message).order(HOST).getInt(8);
        for (byte[] reply : exchange(message, s, false)) {
            int err = ackError(reply, s);
            if (err >= 0) return err;
        }
        throw new IllegalStateException("netlink: no acknowledgement");
    }

    /** Sends one request and collects the datagrams answering it: up to the ack, or to NLMSG_DONE for a dump. */
    private List<byte[]> exchange(byte[] message, int s, boolean dump) {
        int fd = libc.socket(AF_NETLINK, 3 /* SOCK_RAW */ | 0x80000 /* SOCK_CLOEXEC */, 0 /* NETLINK_ROUTE */);
        try {
            // 2 s receive timeout: the kernel answers at once; never hang the thread on a lost reply.
            ByteBuffer tv = ByteBuffer.allocate(Native.LONG_SIZE * 2).order(HOST);
            if (Native.LONG_SIZE == 8) tv.putLong(2).putLong(0);
            else tv.putInt(2).putInt(0);
            libc.setsockopt(fd, 1 /* SOL_SOCKET */, 20 /* SO_RCVTIMEO */, tv.array(), tv.capacity());
            byte[] kernel = ByteBuffer.allocate(12).order(HOST).putShort((short) AF_NETLINK).array();
            libc.sendto(fd, message, new NativeLong(message.length), 0, kernel, kernel.length);
            List<byte[]> replies = new ArrayList<>();
            byte[] buf = new byte[65536];
            while (true) {
                int n = libc.recv(fd, buf, new NativeLong(buf.length), 0).intValue();
                byte[] reply = java.util.Arrays.copyOf(buf, n);
                replies.add(reply);
                if (finished(reply, s, dump)) return replies;
            }
        } finally {
            libc.close(fd);
        }
    }

    /** True once a datagram holds the end of the answer to {@code seq}: an error/ack, or NLMSG_DONE. */
    static boolean finished(byte[] datagram, int seq, boolean dump) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(HOST);
        int at = 0;
        while (at + 16 <= datagram.length) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            if (len < 16) return true; // malformed: stop rather than loop
            if (b.getInt(at + 8) == seq && (type == NLMSG_ERROR || (dump && type == NLMSG_DONE))) return true;
            at += align(len);
        }
        return false;
    }

    // ------------------------------------------------------------------ encodings (pure)

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** RTM_NEWADDR as {@code ip addr add CIDR [brd X|+] [scope S] [label L] dev DEV [nodad]} sends it. */
    static byte[] newAddress(int seq, VirtualAddress a, int index) {
        byte[] local = a.address().getAddress();
        int scope = a.scope() != null ? scope(a.scope())
                : a.isIpv4() && (local[0] & 0xff) == 127 ? 254 : 0; // iproute2 default_scope: loopback is host scope
        Message m = new Message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq);
        m.ifaddr(a.isIpv4() ? AF_INET : AF_INET6, a.prefixLength(), a.isIpv4() ? 0 : IFA_F_NODAD, scope, index);
        m.attr(IFA_LOCAL, local);
        m.attr(IFA_ADDRESS, local);
        if (a.isIpv4()) {
            if (a.broadcast() != null) {
                m.attr(IFA_BROADCAST, a.broadcast().getAddress());
            } else if (a.prefixLength() <= 30) {
                int host = a.prefixLength() == 0 ? -1 : (1 << (32 - a.prefixLength())) - 1;
                int brd = ByteBuffer.wrap(local).getInt() | host;
                m.attr(IFA_BROADCAST, ByteBuffer.allocate(4).putInt(brd).array());
            }
            if (a.label() != null) {
                byte[] l = (a.label() + "\0").getBytes(StandardCharsets.US_ASCII);
                m.attr(IFA_LABEL, l);
            }
        } else {
            // a moved address must answer at once, not after duplicate address detection
            m.attr(IFA_FLAGS, ByteBuffer.allocate(4).order(HOST).putInt(IFA_F_NODAD).array());
        }
        return m.bytes();
    }

    /** RTM_DELADDR as {@code ip addr del CIDR dev DEV} sends it. */
    static byte[] deleteAddress(int seq, VirtualAddress a, int index) {
        Message m = new Message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq);
        m.ifaddr(a.isIpv4() ? AF_INET : AF_INET6, a.prefixLength(), 0, 0, index);
        m.attr(IFA_LOCAL, a.address().getAddress());
        m.attr(IFA_ADDRESS, a.address().getAddress());
        return m.bytes();
    }

    /** RTM_GETADDR dump of one family. */
    static byte[] dumpAddresses(int seq, int family) {
        Message m = new Message(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
        m.ifaddr(family, 0, 0, 0, 0);
        return m.bytes();
    }

    /** rt_scope names as ip(8) takes them, or a number. */
    static int scope(String name) {
        return switch (name) {
            case "global", "universe" -> 0;
            case "site" -> 200;
            case "link" -> 253;
            case "host" -> 254;
            case "nowhere" -> 255;
            default -> {
                int v = Integer.parseInt(name);
                if (v < 0 || v > 255) throw new IllegalArgumentException("scope " + name);
                yield v;
            }
        };
    }

    /** -1 when the datagram holds no NLMSG_ERROR for {@code seq}; else the errno (0 = acknowledged). */
    static int ackError(byte[] datagram, int seq) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(HOST);
        int at = 0;
        while (at + 16 <= datagram.length) {
            int len = b.getInt(at);
            if (len < 16) return -1;
            int type = b.getShort(at + 4) & 0xffff;
            if (type == NLMSG_ERROR && b.getInt(at + 8) == seq && at + 20 <= datagram.length) return -b.getInt(at + 16);
            at += align(len);
        }
        return -1;
    }

    /** The RTM_NEWADDR entries of a dump datagram; the address is IFA_LOCAL, else IFA_ADDRESS. */
    static List<Address> parseAddresses(byte[] datagram, java.util.function.IntFunction<String> names) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(HOST);
        List<Address> r = new ArrayList<>();
        int at = 0;
        while (at + 16 <= datagram.length) {
            int len = b.getInt(at);
            if (len < 16 || at + len > datagram.length) break;
            int type = b.getShort(at + 4) & 0xffff;
            if (type == RTM_NEWADDR && len >= 24) {
                int family = b.get(at + 16) & 0xff;
                int prefix = b.get(at + 17) & 0xff;
                int index = b.getInt(at + 20);
                byte[] local = null;
                byte[] address = null;
                int attr = at + 24;
                while (attr + 4 <= at + len) {
                    int alen = b.getShort(attr) & 0xffff;
                    int atype = b.getShort(attr + 2) & 0xffff;
                    if (alen < 4 || attr + alen > at + len) break;
                    byte[] v = java.util.Arrays.copyOfRange(datagram, attr + 4, attr + alen);
                    if (atype == IFA_LOCAL) local = v;
                    if (atype == IFA_ADDRESS) address = v;
                    attr += align(alen);
                }
                byte[] chosen = local != null ? local : address;
                if (chosen != null && (family == AF_INET && chosen.length == 4 || family == AF_INET6 && chosen.length == 16)) {
                    try {
                        r.add(new Address(names.apply(index), index, InetAddress.getByAddress(chosen), prefix));
                    } catch (UnknownHostException e) {
                        // cannot happen for 4 or 16 bytes
                    }
                }
            }
            at += align(len);
        }
        return r;
    }

    /** A netlink message being built: header, ifaddrmsg, attributes. */
    private static final class Message {
        private final ByteBuffer b = ByteBuffer.allocate(512).order(HOST);

        Message(int type, int flags, int seq) {
            b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        }

        void ifaddr(int family, int prefix, int flags, int scope, int index) {
            b.put((byte) family).put((byte) prefix).put((byte) flags).put((byte) scope).putInt(index);
        }

        void attr(int type, byte[] value) {
            b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
            while (b.position() % 4 != 0) b.put((byte) 0);
        }

        byte[] bytes() {
            b.putInt(0, b.position());
            return java.util.Arrays.copyOf(b.array(), b.position());
        }
    }

}
