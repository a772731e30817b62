package dev.vigil.transport.bpf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The few {@code bpf(2)} commands the advert watch uses, on {@code union bpf_attr} laid out as in
 * {@code include/uapi/linux/bpf.h}, plus the socket and memory calls around them, through JNA direct
 * mapping of libc (pcap4j already ships JNA). x86-64 and arm64 Linux only: the system call number
 * is the one place that differs.
 */
public final class Ebpf {
    static final int BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2, BPF_PROG_LOAD = 5,
            BPF_PROG_TEST_RUN = 10, BPF_BTF_LOAD = 18;
    public static final int MAP_TYPE_ARRAY = 2, MAP_TYPE_RINGBUF = 27;
    public static final int PROG_TYPE_SOCKET_FILTER = 1;
    // helper function numbers: the FN() list of include/uapi/linux/bpf.h
    public static final int FN_MAP_LOOKUP_ELEM = 1, FN_KTIME_GET_NS = 5, FN_SKB_LOAD_BYTES = 26, FN_RINGBUF_OUTPUT = 130,
            FN_TIMER_INIT = 169, FN_TIMER_SET_CALLBACK = 170, FN_TIMER_START = 171;
    static final int SOL_SOCKET = 1, SO_ATTACH_BPF = 50, SO_DETACH_FILTER = 27;
    static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    /** Larger than every attribute used here; the kernel checks that the bytes it does not know are zero. */
    private static final int ATTR_SIZE = 160;

    private static volatile Throwable unavailable;
    private static volatile boolean bound;

    private Ebpf() {
    }

    /** Binds libc once; throws {@link BpfUnavailableException} when that cannot be done here. */
    static synchronized void bind() {
        if (bound) return;
        if (unavailable != null) throw new BpfUnavailableException("libc cannot be bound for bpf(2): " + unavailable);
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name", "").startsWith("Linux") || Native.POINTER_SIZE != 8
                || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            unavailable = new UnsupportedOperationException("not 64-bit Linux on x86-64 or arm64");
            throw new BpfUnavailableException("bpf(2) is used only on 64-bit Linux (x86-64, arm64), not " + arch);
        }
        try {
            Native.register(Libc.class, NativeLibrary.getInstance("c"));
        } catch (RuntimeException | LinkageError e) {
            unavailable = e;
            throw new BpfUnavailableException("libc cannot be bound for bpf(2): " + e);
        }
        bound = true;
    }

    private static long syscallNumber() {
        return System.getProperty("os.arch").equals("aarch64") ? 280 : 321;
    }

    static final class Libc {
        static native long syscall(long number, int cmd, Pointer attr, int size) throws LastErrorException;

        static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

        static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

        static native int munmap(Pointer addr, long length);

        static native int close(int fd);

        static native int getpagesize();

        private Libc() {
        }
    }

    private static Memory attr() {
        Memory m = new Memory(ATTR_SIZE);
        m.clear();
        return m;
    }

    private static int bpf(int cmd, Memory attr, String what) {
        try {
            return (int) Libc.syscall(syscallNumber(), cmd, attr, ATTR_SIZE);
        } catch (LastErrorException e) {
            throw new BpfUnavailableException(what + ": " + errnoText(e.getErrorCode()));
        }
    }

    /** The errno's name and what it usually means here. */
    public static String errnoText(int errno) {
        return switch (errno) {
            case 1 -> "EPERM (needs CAP_BPF or root, and CAP_NET_ADMIN for the timer helpers)";
            case 7 -> "E2BIG";
            case 12 -> "ENOMEM (RLIMIT_MEMLOCK on kernels before 5.11)";
            case 13 -> "EACCES (the verifier refused the program)";
            case 22 -> "EINVAL";
            case 38 -> "ENOSYS (kernel without bpf(2))";
            case 95 -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }

    /** Loads a BTF blob; returns its file descriptor. */
    public static int loadBtf(byte[] blob) {
        bind();
        Memory data = new Memory(blob.length);
        data.write(0, blob, 0, blob.length);
        Memory log = new Memory(16 * 1024);
        log.clear();
        Memory a = attr();
        a.setLong(0, Pointer.nativeValue(data));
        a.setLong(8, Pointer.nativeValue(log));
        a.setInt(16, blob.length);
        a.setInt(20, (int) log.size());
        a.setInt(24, 1);
        try {
            return bpf(BPF_BTF_LOAD, a, "loading BTF");
        } catch (BpfUnavailableException e) {
            throw new BpfUnavailableException(e.getMessage() + lastLines(log));
        }
    }

    /**
     * Creates a map; returns its file descriptor. {@code btfFd} 0 for none, else the key and value
     * type ids in that BTF.
     */
    public static int createMap(int type, int keySize, int valueSize, int maxEntries, String name, int btfFd,
                                int btfKeyType, int btfValueType) {
        bind();
        Memory a = attr();
        a.setInt(0, type);
        a.setInt(4, keySize);
        a.setInt(8, valueSize);
        a.setInt(12, maxEntries);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        a.write(28, n, 0, Math.min(15, n.length));
        a.setInt(48, btfFd);
        a.setInt(52, btfKeyType);
        a.setInt(56, btfValueType);
        return bpf(BPF_MAP_CREATE, a, "creating map " + name);
    }

    /**
     * Loads a program; returns its file descriptor. A refusal carries the verifier's last lines.
     *
     * @param functionInfo {insn index, BTF FUNC type id} pairs, one per function, or empty
     */
    public static int loadProgram(int type, byte[] insns, String license, String name, int btfFd, int[] functionInfo) {
        bind();
        Memory code = new Memory(insns.length);
        code.write(0, insns, 0, insns.length);
        byte[] lic = (license + "\0").getBytes(StandardCharsets.US_ASCII);
        Memory licence = new Memory(lic.length);
        licence.write(0, lic, 0, lic.length);
        Memory funcs = new Memory(Math.max(4, functionInfo.length) * 4L);
        for (int i = 0; i < functionInfo.length; i++) funcs.setInt(4L * i, functionInfo[i]);
        Memory log = new Memory(64 * 1024);
        log.clear();
        Memory a = attr();
        a.setInt(0, type);
        a.setInt(4, insns.length / 8);
        a.setLong(8, Pointer.nativeValue(code));
        a.setLong(16, Pointer.nativeValue(licence));
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        a.write(48, n, 0, Math.min(15, n.length));
        if (functionInfo.length > 0) {
            a.setInt(72, btfFd);
            a.setInt(76, 8);
            a.setLong(80, Pointer.nativeValue(funcs));
            a.setInt(88, functionInfo.length / 2);
        }
        try {
            return bpf(BPF_PROG_LOAD, a, "loading program " + name);
        } catch (BpfUnavailableException first) {
            // again with the verifier's log, which costs nothing when the load succeeds
            a.setInt(24, 1);
            a.setInt(28, (int) log.size());
            a.setLong(32, Pointer.nativeValue(log));
            try {
                return bpf(BPF_PROG_LOAD, a, "loading program " + name);
            } catch (BpfUnavailableException e) {
                throw new BpfUnavailableException(e.getMessage() + lastLines(log));
            }
        }
    }

    private static String lastLines(Memory log) {
        String s = log.getString(0, "US-ASCII").strip();
        if (s.isEmpty()) return "";
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder(": ");
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) b.append(i > Math.max(0, lines.length - 3) ? " / " : "").append(lines[i].strip());
        return b.toString();
    }

    /** Copies the value at {@code key} into {@code value}; false when there is none. */
    public static boolean lookup(int mapFd, Memory key, Memory value) {
        Memory a = attr();
        a.setInt(0, mapFd);
        a.setLong(8, Pointer.nativeValue(key));
        a.setLong(16, Pointer.nativeValue(value));
        try {
            Libc.syscall(syscallNumber(), BPF_MAP_LOOKUP_ELEM, a, ATTR_SIZE);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** Writes {@code value} at {@code key} (any flag: array slots always exist). */
    public static void update(int mapFd, Memory key, Memory value) {
        Memory a = attr();
        a.setInt(0, mapFd);
        a.setLong(8, Pointer.nativeValue(key));
        a.setLong(16, Pointer.nativeValue(value));
        bpf(BPF_MAP_UPDATE_ELEM, a, "updating map");
    }

    /** Runs a socket filter once on a minimal frame through {@code BPF_PROG_TEST_RUN}; returns what it returned. */
    public static int testRun(int programFd) {
        bind();
        Memory data = new Memory(64); // at least an Ethernet header, else EINVAL
        data.clear();
        Memory a = attr();
        a.setInt(0, programFd);
        a.setInt(8, (int) data.size());
        a.setLong(16, Pointer.nativeValue(data));
        a.setInt(32, 1);
        bpf(BPF_PROG_TEST_RUN, a, "running a program once");
        return a.getInt(4);
    }

    /** Replaces the socket's filter (libpcap's classic one) with the program. */
    public static void attachToSocket(int socketFd, int programFd) {
        bind();
        Memory v = new Memory(4);
        v.setInt(0, programFd);
        try {
            Libc.setsockopt(socketFd, SOL_SOCKET, SO_ATTACH_BPF, v, 4);
        } catch (LastErrorException e) {
            throw new BpfUnavailableException("attaching the program to the capture socket: " + errnoText(e.getErrorCode()));
        }
    }

    public static int pageSize() {
        bind();
        return Libc.getpagesize();
    }

    /** Maps {@code length} bytes of a map at {@code offset} (a ring buffer's positions). */
    public static Pointer map(int fd, long length, boolean writable, long offset) {
        bind();
        try {
            return Libc.mmap(null, length, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, offset);
        } catch (LastErrorException e) {
            throw new BpfUnavailableException("mapping the ring buffer: " + errnoText(e.getErrorCode()));
        }
    }

    public static void unmap(Pointer p, long length) {
        if (p != null) Libc.munmap(p, length);
    }

    public static void close(int fd) {
        if (fd > 0) Libc.close(fd);
    }
}
