package dev.vigil.transport.pcap;

import java.io.Closeable;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * A second, receive-only capture on an interface whose frames are never used, only noticed: its
 * descriptor turns readable when a frame that must not wait arrives, while the link's own ring is
 * left unread on purpose ({@link EpollFrameReader#setQuiet}). The kernel runs its filter on every
 * frame; only the rare match is copied into its small ring.
 *
 * <p>For VRRP that frame is a priority-0 advert: a backup must take over Skew_Time after it (RFC 5798
 * §6.4.2), a few milliseconds, while every other advert a backup hears can wait for its next timer.
 */
public final class PcapDoorbell implements Closeable {
    /** Enough for a burst of rings before the owner drains them; a full ring drops the rest, which is harmless. */
    private static final int BUFFER_BYTES = 256 * 1024;

    private final String interfaceName;
    private final PcapHandle handle;
    private final PcapReceiveRing ring;
    private volatile boolean closed;
    private long rings;

    private PcapDoorbell(String interfaceName, PcapHandle handle, PcapReceiveRing ring) {
        this.interfaceName = interfaceName;
        this.handle = handle;
        this.ring = ring;
    }

    /**
     * Opens {@code interfaceName} for frames matching {@code bpfFilter} (tcpdump syntax), arriving
     * from the wire only, in immediate mode and non-blocking.
     *
     * @throws PcapUnavailableException as {@link PcapLink#openPolled}
     */
    public static PcapDoorbell open(String interfaceName, String bpfFilter) {
        PcapHandle h = null;
        try {
            h = new PcapHandle.Builder(interfaceName)
                    .snaplen(64)
                    .bufferSize(BUFFER_BYTES)
                    .immediateMode(true)
                    .timeoutMillis(100)
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
            h.setFilter(bpfFilter, BpfProgram.BpfCompileMode.OPTIMIZE);
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            PcapLink.ignoreOutgoing(h);
            return new PcapDoorbell(interfaceName, h, PcapReceiveRing.of(h));
        } catch (PcapNativeException | NotOpenException e) {
            PcapLink.closeQuietly(h);
            throw PcapUnavailableException.explain(interfaceName, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            PcapLink.closeQuietly(h);
            throw PcapUnavailableException.libraryMissing(e);
        } catch (RuntimeException e) {
            PcapLink.closeQuietly(h);
            throw PcapUnavailableException.noDirectBinding(interfaceName, e);
        }
    }

    /** Readable when a matching frame waits. */
    public int selectableFd() {
        return ring.selectableFd();
    }

    /** Throws away every waiting frame (the descriptor is level-triggered); returns how many. */
    public int clear() {
        if (closed) return 0;
        int total = 0;
        int n;
        do {
            n = ring.drain(64, frame -> { });
            total += n;
        } while (n == 64);
        rings += total;
        return total;
    }

    /** Frames that rang it since it opened. */
    public long rings() {
        return rings;
    }

    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        PcapLink.closeQuietly(handle);
    }
}
