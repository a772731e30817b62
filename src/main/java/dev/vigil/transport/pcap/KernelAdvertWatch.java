package dev.vigil.transport.pcap;

import static dev.vigil.transport.bpf.AdvertWatchProgram.IPV4_CHECKSUM_OFFSET;
import static dev.vigil.transport.bpf.AdvertWatchProgram.IPV4_ID_OFFSET;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_ARMED;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_COUNT;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_GENERATION;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_LAST;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_LENGTH;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_MASTER_DOWN;
import static dev.vigil.transport.bpf.AdvertWatchProgram.OFF_TEMPLATE;
import static dev.vigil.transport.bpf.AdvertWatchProgram.SLOTS;
import static dev.vigil.transport.bpf.AdvertWatchProgram.TEMPLATE_BYTES;
import static dev.vigil.transport.bpf.AdvertWatchProgram.TIMER_VALUE_BYTES;
import static dev.vigil.transport.bpf.AdvertWatchProgram.VALUE_BYTES;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.vigil.transport.bpf.AdvertWatchProgram;
import dev.vigil.transport.bpf.BpfUnavailableException;
import dev.vigil.transport.bpf.Ebpf;
import java.util.BitSet;

/**
 * The advert watch of one polled capture ({@link AdvertWatchProgram} attached to its socket in place
 * of libpcap's classic filter): per VRID, a template the kernel absorbs and times, and a ring buffer
 * whose descriptor turns readable when a watched master falls silent.
 *
 * <p>Owned by the capture's event loop: every call but {@link #close} comes on it. Close it with its
 * link, after the reader: a watch closed while the link stays open disarms every slot first, so the
 * program left on the socket only filters.
 */
public final class KernelAdvertWatch implements AutoCloseable {
    /** One page of records; each expiry is 16 bytes, and the loop reads them all at once. */
    private static final int RING_BYTES = 4096;

    private final String device;
    private final int btfFd;
    private final int mapFd;
    private final int timerMapFd;
    private final int ringFd;
    private final int programFd;
    private final long pageSize;
    private final Pointer consumer;
    private final Pointer producer;
    private final Memory key = new Memory(4);
    private final Memory value = new Memory(VALUE_BYTES);
    private final BitSet armed = new BitSet(SLOTS);
    /** Each slot's arm generation: the kernel reports a slot's expiry once per generation. */
    private final long[] generations = new long[SLOTS];
    private boolean closed;

    private KernelAdvertWatch(String device, int btfFd, int mapFd, int timerMapFd, int ringFd, int programFd, long pageSize,
                              Pointer consumer, Pointer producer) {
        this.device = device;
        this.btfFd = btfFd;
        this.mapFd = mapFd;
        this.timerMapFd = timerMapFd;
        this.ringFd = ringFd;
        this.programFd = programFd;
        this.pageSize = pageSize;
        this.consumer = consumer;
        this.producer = producer;
    }

    /**
     * Loads the programs, sets up the watch's timer and attaches the filter to {@code link}'s
     * capture socket.
     *
     * @param keepArp the capture's filter kept ARP too
     * @throws BpfUnavailableException with one line: what the kernel refused (privileges, a kernel
     *                                 without BPF timers, before 5.15, no memory for the timer)
     */
    public static KernelAdvertWatch attach(PcapLink link, boolean keepArp) {
        int btf = -1, map = -1, timers = -1, ring = -1, setup = -1, prog = -1;
        Pointer cons = null, prod = null;
        long page = 0;
        try {
            AdvertWatchProgram.Types types = AdvertWatchProgram.types();
            btf = Ebpf.loadBtf(types.blob());
            map = Ebpf.createMap(Ebpf.MAP_TYPE_ARRAY, 4, VALUE_BYTES, SLOTS, "vigil_watch", 0, 0, 0);
            timers = Ebpf.createMap(Ebpf.MAP_TYPE_ARRAY, 4, TIMER_VALUE_BYTES, 1, "vigil_timer", btf, types.keyType(),
                    types.timerValueType());
            ring = Ebpf.createMap(Ebpf.MAP_TYPE_RINGBUF, 0, 0, RING_BYTES, "vigil_expired", 0, 0, 0);
            AdvertWatchProgram s = AdvertWatchProgram.timerSetup(map, timers, ring);
            setup = Ebpf.loadProgram(Ebpf.PROG_TYPE_SOCKET_FILTER, s.instructions(), "Dual MIT/GPL", "vigil_timers", btf,
                    new int[] {0, types.setupFunction(), s.callbackIndex(), types.callbackFunction()});
            int r = Ebpf.testRun(setup);
            if (r != 0) throw new BpfUnavailableException("setting up the BPF timer: " + (r < 0 ? Ebpf.errnoText(-r) : "returned " + r));
            // the timer holds the program its callback is in; the descriptor is not needed again
            Ebpf.close(setup);
            setup = -1;
            AdvertWatchProgram p = AdvertWatchProgram.filter(map, timers, keepArp);
            prog = Ebpf.loadProgram(Ebpf.PROG_TYPE_SOCKET_FILTER, p.instructions(), "Dual MIT/GPL", "vigil_watch", 0, new int[0]);
            page = Ebpf.pageSize();
            cons = Ebpf.map(ring, page, true, 0);
            prod = Ebpf.map(ring, page, false, page);
            Ebpf.attachToSocket(link.selectableFd(), prog);
            return new KernelAdvertWatch(link.device(), btf, map, timers, ring, prog, page, cons, prod);
        } catch (BpfUnavailableException | IllegalStateException e) {
            Ebpf.unmap(cons, page);
            Ebpf.unmap(prod, page);
            for (int fd : new int[] {prog, setup, ring, timers, map, btf}) Ebpf.close(fd);
            throw e instanceof BpfUnavailableException b ? b : new BpfUnavailableException(e.getMessage());
        }
    }

    public String device() {
        return device;
    }

    /** Readable while an expiry waits; {@link #takeExpiries} clears it. */
    public int wakeFd() {
        return ringFd;
    }

    /**
     * Marks every expiry written so far as read; whether there was any. Which VRIDs they name does
     * not matter: the owner hands every watched instance back on any expiry, which also covers one
     * whose record was being written as this read past it.
     */
    public boolean takeExpiries() {
        if (closed) return false;
        long produced = producer.getLong(0);
        if (produced == consumer.getLong(0)) return false;
        consumer.setLong(0, produced);
        return true;
    }

    private static int slot(int vrid, boolean ipv6) {
        if (vrid < 0 || vrid > 255) throw new IllegalArgumentException("VRID " + vrid);
        return vrid + (ipv6 ? 256 : 0);
    }

    /**
     * Arms (or re-arms) the slot with {@code frame} as it came from the capture.
     *
     * @return false for a frame longer than the template
     */
    public boolean arm(int vrid, boolean ipv6, byte[] frame, long masterDownNanos) {
        if (closed || frame.length > TEMPLATE_BYTES || frame.length < 14 + 20 || masterDownNanos <= 0) return false;
        int slot = slot(vrid, ipv6);
        value.clear();
        value.setInt(OFF_ARMED, 1);
        value.setLong(OFF_GENERATION, ++generations[slot]);
        value.setInt(OFF_LENGTH, frame.length);
        value.setLong(OFF_MASTER_DOWN, masterDownNanos);
        value.write(OFF_TEMPLATE, frame, 0, frame.length);
        if (!ipv6) {
            value.setShort(OFF_TEMPLATE + IPV4_ID_OFFSET, (short) 0);
            value.setShort(OFF_TEMPLATE + IPV4_CHECKSUM_OFFSET, (short) 0);
        }
        key.setInt(0, slot);
        // the count starts at 0, and with it the slot's timing
        Ebpf.update(mapFd, key, value);
        armed.set(slot);
        return true;
    }

    /** What the slot absorbed since it was armed: {count, last capture time on the {@link System#nanoTime} axis}. */
    public long[] peek(int vrid, boolean ipv6) {
        int slot = slot(vrid, ipv6);
        if (closed || !armed.get(slot)) return new long[] {0, Long.MIN_VALUE};
        key.setInt(0, slot);
        if (!Ebpf.lookup(mapFd, key, value)) return new long[] {0, Long.MIN_VALUE};
        long count = value.getLong(OFF_COUNT);
        return new long[] {count, count == 0 ? Long.MIN_VALUE : value.getLong(OFF_LAST)};
    }

    /**
     * Disarms the slot; what it absorbed, as {@link #peek}. The watch's timer, if it was running for
     * this slot, runs out and finds nothing to report.
     */
    public long[] disarm(int vrid, boolean ipv6) {
        long[] absorbed = peek(vrid, ipv6);
        int slot = slot(vrid, ipv6);
        if (closed || !armed.get(slot)) return absorbed;
        clear(slot);
        return absorbed;
    }

    private void clear(int slot) {
        value.clear();
        key.setInt(0, slot);
        Ebpf.update(mapFd, key, value);
        armed.clear(slot);
    }

    /** Armed slots, for status and tests. */
    public int armedSlots() {
        return armed.cardinality();
    }

    @Override
    public void close() {
        if (closed) return;
        try {
            for (int s = armed.nextSetBit(0); s >= 0; s = armed.nextSetBit(s + 1)) clear(s);
        } catch (BpfUnavailableException e) {
            // the map is going with its descriptors anyway
        }
        closed = true;
        Ebpf.unmap(consumer, pageSize);
        Ebpf.unmap(producer, pageSize);
        // the socket keeps the program (and the program its maps) until the capture closes
        // closing the timer map's only user descriptor frees its timers (the kernel's map_release_uref)
        for (int fd : new int[] {programFd, ringFd, timerMapFd, mapFd, btfFd}) Ebpf.close(fd);
    }
}
