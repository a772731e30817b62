package dev.vigil.action;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Link state changes as the kernel announces them: a NETLINK_ROUTE socket subscribed to
 * {@code RTMGRP_LINK}, as keepalived's netlink monitor is. A pulled cable reaches the owner within
 * the kernel's own notification, where reading sysfs every 500 ms cost up to half a second and two
 * wake-ups a second of an idle daemon.
 *
 * <p>The socket is opened (and subscribed) at {@link #open}, before the caller reads the starting
 * state, so a change between that read and the first {@link #next} is not lost: it waits in the
 * socket. {@link #next} blocks up to {@code timeoutMillis} (so that a closing owner's thread notices),
 * and reports an overflow of the socket's buffer as {@link Batch#overflowed}: the owner then reads every
 * state again.
 */
public final class NetlinkLinkEvents implements AutoCloseable {
    static final int AF_NETLINK = 16;
    static final int RTMGRP_LINK = 1;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_OPERSTATE = 16;
    /** RFC 2863 operational states as the kernel numbers them (IF_OPER_*). */
    static final int OPER_UNKNOWN = 0;
    static final int OPER_UP = 6;
    static final int ENOBUFS = 105;
    static final int EAGAIN = 11;
    static final int EINTR = 4;

    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    /** One interface's state in a notification. */
    public record LinkState(String name, boolean up) {
    }

    /** What one {@link #next} call got: states in order, or an overflow (states were lost). */
    public record Batch(List<LinkState> states, boolean overflowed) {
    }

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        int close(int fd);
    }

    private final LibC libc;
    private final int fd;
    private final byte[] buf = new byte[65536];
    /** Guarded by {@code this}: whether the reader is inside recv, and whether the fd is gone. */
    private boolean reading;
    private boolean closed;
    private boolean released;

    private NetlinkLinkEvents(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /**
     * Subscribes in the calling thread's network namespace; empty where netlink cannot be used (not
     * Linux, no JNA, refused): the owner polls instead.
     */
    public static Optional<NetlinkLinkEvents> open(int timeoutMillis) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return Optional.empty();
        try {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.socket(AF_NETLINK, 3 /* SOCK_RAW */ | 0x80000 /* SOCK_CLOEXEC */, 0 /* NETLINK_ROUTE */);
            try {
                ByteBuffer tv = ByteBuffer.allocate(Native.LONG_SIZE * 2).order(HOST);
                long sec = timeoutMillis / 1000;
                long usec = (timeoutMillis % 1000) * 1000;
                if (Native.LONG_SIZE == 8) tv.putLong(sec).putLong(usec);
                else tv.putInt((int) sec).putInt((int) usec);
                libc.setsockopt(fd, 1 /* SOL_SOCKET */, 20 /* SO_RCVTIMEO */, tv.array(), tv.capacity());
                // struct sockaddr_nl: family, pad, pid 0 (the kernel picks), groups
                byte[] addr = ByteBuffer.allocate(12).order(HOST).putShort((short) AF_NETLINK).putShort((short) 0)
                        .putInt(0).putInt(RTMGRP_LINK).array();
                libc.bind(fd, addr, addr.length);
            } catch (LastErrorException e) {
                libc.close(fd);
                throw e;
            }
            return Optional.of(new NetlinkLinkEvents(libc, fd));
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /**
     * Waits for the next notification (up to the timeout: then an empty batch). Call from one thread.
     * After {@link #close} it returns empty batches at once.
     */
    public Batch next() {
        synchronized (this) {
            if (closed) return new Batch(List.of(), false);
            reading = true;
        }
        int n;
        try {
            n = libc.recv(fd, buf, new NativeLong(buf.length), 0).intValue();
        } catch (LastErrorException e) {
            n = -e.getErrorCode();
        } finally {
            synchronized (this) {
                reading = false;
                // close() during the recv left the descriptor to us: closing it under a blocked recv
                // could hand its number to another open() while the recv still used it
                if (closed) release();
            }
        }
        if (n == -ENOBUFS) return new Batch(List.of(), true);
        if (n == -EAGAIN || n == -EINTR || n < 0 && closed()) return new Batch(List.of(), false);
        if (n < 0) throw new IllegalStateException("netlink link events: errno " + (-n));
        return new Batch(parse(buf, n), false);
    }

    private synchronized boolean closed() {
        return closed;
    }

    private void release() {
        if (!released) {
            released = true;
            libc.close(fd);
        }
    }

    /**
     * The link states in one datagram of RTM_NEWLINK/RTM_DELLINK messages. Up means operstate UP or
     * UNKNOWN (what {@code /sys/class/net/IF/operstate} reads as "up"/"unknown": a veth or tunnel without
     * carrier reporting says UNKNOWN while it passes traffic); a deleted link is down.
     */
    static List<LinkState> parse(byte[] datagram, int length) {
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(HOST);
        List<LinkState> out = new ArrayList<>();
        int at = 0;
        while (at + 16 <= length) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            if (len < 16 || at + len > length) break;
            if ((type == RTM_NEWLINK || type == RTM_DELLINK) && len >= 32) {
                String name = null;
                int oper = -1;
                int a = at + 32; // nlmsghdr (16) + ifinfomsg (16)
                while (a + 4 <= at + len) {
                    int alen = b.getShort(a) & 0xffff;
                    int atype = b.getShort(a + 2) & 0x3fff;
                    if (alen < 4 || a + alen > at + len) break;
                    if (atype == IFLA_IFNAME) {
                        int end = a + 4;
                        while (end < a + alen && datagram[end] != 0) end++;
                        name = new String(datagram, a + 4, end - a - 4, StandardCharsets.UTF_8);
                    } else if (atype == IFLA_OPERSTATE && alen >= 5) {
                        oper = datagram[a + 4] & 0xff;
                    }
                    a += (alen + 3) & ~3;
                }
                if (name != null) {
                    boolean up = type == RTM_NEWLINK && (oper == OPER_UP || oper == OPER_UNKNOWN);
                    out.add(new LinkState(name, up));
                }
            }
            at += (len + 3) & ~3;
        }
        return out;
    }

    /** Stops; the descriptor is closed now, or by the reader when its recv returns (within the timeout). */
    @Override
    public synchronized void close() {
        closed = true;
        if (!reading) release();
    }
}
