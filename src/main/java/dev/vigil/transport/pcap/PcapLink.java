package dev.vigil.transport.pcap;

import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.RawPacketListener;

/**
 * Whole Ethernet frames in and out of one interface through libpcap (pcap4j): VRRP adverts (IP
 * protocol 112, which no ordinary socket API sends with TTL 255 and our own headers), gratuitous
 * ARP and unsolicited neighbour advertisements.
 *
 * <p>Threading: libpcap's receive call blocks (in immediate mode it even ignores the read timeout,
 * research java-stack.md gotcha 4), so each link has one receive thread of its own. It never runs
 * protocol code: it hands the raw bytes to {@code receiver}, which must pass them to the event loop
 * (e.g. {@code Scheduler.execute}). Immediate mode is what keeps receive latency under a
 * millisecond; a buffered handle adds up to its timeout (5 ms median measured).
 */
public final class PcapLink implements Closeable, dev.vigil.transport.FrameLink {

    /**
     * The receive ring (libpcap's default is 2 MiB): a quiet reader leaves frames in it for a
     * Master_Down interval ({@link EpollFrameReader#setQuiet}).
     */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** tcpdump syntax for "no frame": every Ethernet frame is longer than one byte. */
    static final String NO_FRAME_FILTER = "less 1";

    private final String interfaceName;
    private final byte[] hardwareAddress;
    private final PcapHandle sendHandle;
    /** The send handle's {@code pcap_t *} for direct {@code pcap_inject}; null sends through pcap4j. */
    private final com.sun.jna.Pointer sendPcap;
    private final PcapHandle receiveHandle;
    /** Null when polled: the owner's event loop reads the frames ({@link #openPolled}). */
    private final Thread receiveThread;
    private final PcapReceiveRing ring;
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile boolean closed;

    private PcapLink(String interfaceName, byte[] hardwareAddress, PcapHandle sendHandle, PcapHandle receiveHandle,
                     Consumer<byte[]> receiver) {
        this.interfaceName = interfaceName;
        this.hardwareAddress = hardwareAddress;
        this.sendHandle = sendHandle;
        com.sun.jna.Pointer p;
        try {
            p = PcapNative.pcapOf(sendHandle);
        } catch (RuntimeException | LinkageError e) {
            p = null;
        }
        this.sendPcap = p;
        this.receiveHandle = receiveHandle;
        if (receiver == null) {
            this.receiveThread = null;
            this.ring = PcapReceiveRing.of(receiveHandle);
            return;
        }
        this.ring = null;
        RawPacketListener listener = frame -> {
            framesIn.incrementAndGet();
            receiver.accept(frame);
        };
        this.receiveThread = new Thread(() -> receiveLoop(listener), "vigil-pcap-" + interfaceName);
        this.receiveThread.setDaemon(true);
    }

    /**
     * Opens the interface for sending and for receiving frames that match {@code bpfFilter}
     * (tcpdump syntax), only those arriving from the wire (not our own transmissions).
     *
     * @throws PcapUnavailableException with one line saying what is missing (libpcap, CAP_NET_RAW,
     *                                  the interface) and how to get it
     */
    public static PcapLink open(String interfaceName, String bpfFilter, Consumer<byte[]> receiver) {
        return open(interfaceName, bpfFilter, Objects.requireNonNull(receiver), false);
    }

    /**
     * As {@link #open(String, String, Consumer)} but without a receive thread: the receive handle is
     * non-blocking, and the owner waits for {@link #selectableFd()} to be readable in its own event
     * loop and then calls {@link #drain}. One wake-up of one thread per burst of frames, where the
     * thread model costs a wake-up of the pcap thread plus a hand-over that wakes the loop (at 2 550
     * adverts a second those wake-ups were most of a VRRP backup's CPU; docs/benchmarks.md).
     *
     * @throws PcapUnavailableException as {@link #open(String, String, Consumer)}, and when libpcap's
     *                                  functions cannot be bound directly (the caller falls back to
     *                                  the thread model)
     */
    public static PcapLink openPolled(String interfaceName, String bpfFilter) {
        return open(interfaceName, bpfFilter, null, true);
    }

    private static PcapLink open(String interfaceName, String bpfFilter, Consumer<byte[]> receiver, boolean polled) {
        PcapHandle send = null;
        PcapHandle recv = null;
        try {
            // The send handle is a capture socket too, which nothing reads. Immediate mode makes libpcap
            // use TPACKET_V2, whose ring has no block-retire timer (TPACKET_V3's fires every timeout,
            // 10 ms here, for the life of the socket), and a filter that matches no frame keeps the
            // kernel from copying every frame of the interface into its ring until the ring is full.
            send = new PcapHandle.Builder(interfaceName).snaplen(2048).immediateMode(true).timeoutMillis(10).build();
            send.setFilter(NO_FRAME_FILTER, BpfProgram.BpfCompileMode.OPTIMIZE);
            recv = new PcapHandle.Builder(interfaceName)
                    .snaplen(2048)
                    // Multicast VRRP groups reach us on veths and bridges either way; on real NICs the
                    // hardware filter would drop 01:00:5e:00:00:12 unless the group is joined.
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                    .immediateMode(true)
                    .timeoutMillis(100)
                    .bufferSize(RECEIVE_BUFFER_BYTES)
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
            recv.setFilter(bpfFilter, BpfProgram.BpfCompileMode.OPTIMIZE);
            if (polled) recv.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            ignoreOutgoing(send);
            ignoreOutgoing(recv);
        } catch (PcapNativeException | NotOpenException e) {
            closeQuietly(send);
            closeQuietly(recv);
            throw PcapUnavailableException.explain(interfaceName, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            closeQuietly(send);
            closeQuietly(recv);
            throw PcapUnavailableException.libraryMissing(e);
        }
        byte[] mac;
        try {
            java.net.NetworkInterface nif = java.net.NetworkInterface.getByName(interfaceName);
            mac = nif == null ? null : nif.getHardwareAddress();
        } catch (java.net.SocketException e) {
            mac = null;
        }
        PcapLink link;
        try {
            link = new PcapLink(interfaceName, mac == null ? new byte[0] : mac, send, recv, receiver);
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(send);
            closeQuietly(recv);
            throw PcapUnavailableException.noDirectBinding(interfaceName, e);
        }
        if (link.receiveThread != null) link.receiveThread.start();
        return link;
    }

    private void receiveLoop(RawPacketListener listener) {
        while (!closed) {
            try {
                receiveHandle.loop(-1, listener);
            } catch (InterruptedException e) {
                // breakLoop() on close: fall through to the closed check
            } catch (PcapNativeException | NotOpenException e) {
                if (closed) return;
                // The interface went away (e.g. deleted veth); back off and let the owner see the
                // counters stop. Re-opening is the owner's decision.
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
                if (!receiveHandle.isOpen()) return;
            }
        }
    }

    /** The receive handle's file descriptor, readable when frames wait (polled links only). */
    public int selectableFd() {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        return ring.selectableFd();
    }

    /**
     * Polled links: hands up to {@code max} waiting frames to {@code receiver}, on the caller's thread,
     * without blocking. Returns how many; fewer than {@code max} means the ring is empty for now.
     */
    public int drain(int max, Consumer<byte[]> receiver) {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        if (closed) return 0;
        int n = ring.drain(max, receiver);
        framesIn.addAndGet(n);
        return n;
    }

    /**
     * How many frames the receive ring holds at least: libpcap gives each a slot of the snapshot
     * length plus headers, rounded to a block of at least a page, so never fewer than one a page.
     */
    public int receiveRingFramesAtLeast() {
        return RECEIVE_BUFFER_BYTES / 4096;
    }

    /** Polled links: frames the kernel dropped because the receive ring was full; -1 when unknown. */
    public long receiveDrops() {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        return ring.drops();
    }

    /** Polled links: frames the kernel put into the receive ring since the open; -1 when unknown. */
    long receiveKernelPackets() {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        return ring.kernelPackets();
    }

    /** Frames the kernel handed the send handle's socket since the last call (the tests' look at its filter); -1 when unknown. */
    long sendSocketPackets() {
        return sendPcap == null ? -1 : PcapNative.packetsSinceLastAsked(sendPcap);
    }

    /** Frames the polled ring could not read (libpcap errors); the link goes on. */
    public long receiveErrors() {
        return ring == null ? 0 : ring.errors();
    }

    /**
     * The kernel's capture time of the frame being delivered, in microseconds since the epoch.
     * Only meaningful when called from inside the receiver, on the receive thread: it is what lets a
     * measurement ignore how late the receive thread got to the frame.
     */
    public long currentFrameEpochMicros() {
        if (ring != null) return ring.lastEpochMicros();
        try {
            java.sql.Timestamp ts = receiveHandle.getTimestamp();
            return ts.getTime() / 1000 * 1_000_000 + ts.getNanos() / 1000;
        } catch (RuntimeException e) {
            return java.time.Instant.now().toEpochMilli() * 1000;
        }
    }

    /**
     * Polled links, from inside the receiver of {@link #drain}: when the kernel captured the frame
     * being delivered, on the {@link System#nanoTime} axis. A frame read some milliseconds after it
     * arrived (a busy loop, or the reader's batching) is still timed from its arrival.
     */
    public long currentFrameNanos() {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        return ring.lastCaptureNanos();
    }

    /**
     * Polled links, from inside the receiver of {@link #drain}: when the read that delivers the frame
     * began ({@link System#nanoTime}), a clock reading the receiver can use instead of its own.
     */
    public long currentDrainNanos() {
        if (ring == null) throw new IllegalStateException(interfaceName + " has a receive thread");
        return ring.drainNanos();
    }

    /** Sends one whole frame. Never throws: a failed send is counted (the protocol tolerates loss). */
    @Override
    public boolean send(byte[] frame) {
        if (closed) return false;
        try {
            synchronized (sendHandle) {
                if (closed) return false;
                if (sendPcap == null) {
                    sendHandle.sendPacket(frame);
                } else if (PcapNative.Direct.pcap_inject(sendPcap, frame, frame.length) != frame.length) {
                    sendErrors.incrementAndGet();
                    return false;
                }
            }
            framesOut.incrementAndGet();
            return true;
        } catch (PcapNativeException | NotOpenException e) {
            sendErrors.incrementAndGet();
            return false;
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public String device() {
        return interfaceName;
    }

    @Override
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    public long framesIn() {
        return framesIn.get();
    }

    public long framesOut() {
        return framesOut.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (receiveThread != null) {
            try {
                receiveHandle.breakLoop();
            } catch (NotOpenException e) {
                // already closed
            }
            try {
                receiveThread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(receiveHandle);
        synchronized (sendHandle) {
            // under the lock that send() checks `closed` in: pcap_inject on a freed pcap_t would crash the JVM
            closeQuietly(sendHandle);
        }
    }

    /**
     * Asks the kernel not to give {@code h} the frames this host sends ({@link PcapNative#ignoreOutgoing}):
     * with {@code PCAP_D_IN} alone libpcap drops them only after reading them. Best effort: without the
     * direct binding or on a kernel before 4.20 libpcap's own check still drops them.
     */
    static void ignoreOutgoing(PcapHandle h) {
        try {
            PcapNative.ignoreOutgoing(PcapNative.pcapOf(h));
        } catch (RuntimeException | LinkageError e) {
            // libpcap still drops our own frames, one read later
        }
    }

    /** Closes {@code h} if it is open (null allowed); also for {@link PcapDoorbell}'s handle. */
    static void closeQuietly(PcapHandle h) {
        if (h != null && h.isOpen()) h.close();
    }
}
