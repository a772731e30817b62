package dev.vigil.transport.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * The few libpcap and libc calls Vigil makes on pcap4j's handles itself, bound by JNA direct mapping
 * (one JNI call each; pcap4j's interface-mapped calls go through a proxy, reflection and argument
 * conversion on every call). The handles stay pcap4j's: it opened, configured and filtered them and
 * closes them; only their {@code pcap_t *} is borrowed.
 */
final class PcapNative {
    static final int SOL_PACKET = 263;
    static final int PACKET_STATISTICS = 6;
    /** Linux 4.20+: the socket is not given the frames its host sends (af_packet.c, dev_queue_xmit_nit). */
    static final int PACKET_IGNORE_OUTGOING = 23;

    private PcapNative() {
    }

    /** The {@code pcap_t *} behind a pcap4j handle, read from its private field. */
    static Pointer pcapOf(PcapHandle handle) {
        if (Native.POINTER_SIZE != 8) throw new IllegalStateException("a 64-bit JVM is needed to read pcap headers directly");
        Direct.bind();
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("pcap4j's handle field is not readable: " + e, e);
        }
    }

    /**
     * Stops the kernel from handing the capture socket the frames this host transmits. libpcap's
     * {@code PCAP_D_IN} on Linux only skips them in user space, after the kernel has run the
     * socket's filter, copied each into the ring and woken the reader: a master then read and threw
     * away each of its own adverts (strace: the ring readable right after every {@code sendto}).
     * Returns false on kernels before 4.20, where libpcap's own check still drops them.
     */
    static boolean ignoreOutgoing(Pointer pcap) {
        int fd = Direct.pcap_fileno(pcap);
        if (fd < 0) return false;
        Memory one = new Memory(4);
        one.setInt(0, 1);
        return Libc.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4) == 0;
    }

    /**
     * Frames the kernel has handed the socket of {@code pcap} since the last read of its statistics
     * (which resets them), or -1 when it cannot say.
     */
    static long packetsSinceLastAsked(Pointer pcap) {
        int fd = Direct.pcap_fileno(pcap);
        if (fd < 0) return -1;
        Memory stats = new Memory(12);
        Memory length = new Memory(4);
        length.setInt(0, 12);
        if (Libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, length) != 0) return -1;
        return stats.getInt(0) & 0xffffffffL;
    }

    /** libc, for the capture sockets' options. */
    static final class Libc {
        static {
            Native.register(Libc.class, NativeLibrary.getInstance("c"));
        }

        static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

        static native int setsockopt(int fd, int level, int name, Pointer value, int length);

        private Libc() {
        }
    }

    /** libpcap, bound once, the library pcap4j already found. */
    static final class Direct {
        private static boolean bound;

        static synchronized void bind() {
            if (bound) return;
            Native.register(Direct.class, NativeLibrary.getInstance(System.getProperty("org.pcap4j.core.pcapLibName", "pcap")));
            bound = true;
        }

        static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

        static native int pcap_get_selectable_fd(Pointer p);

        static native int pcap_fileno(Pointer p);

        /** Sends one whole frame; the byte count, or -1 ({@code pcap_inject}, what {@code pcap_sendpacket} wraps). */
        static native int pcap_inject(Pointer p, byte[] frame, int size);

        private Direct() {
        }
    }
}
