package dev.vigil.transport.bpf;

import static dev.vigil.transport.bpf.EbpfAssembler.B;
import static dev.vigil.transport.bpf.EbpfAssembler.DW;
import static dev.vigil.transport.bpf.EbpfAssembler.FP;
import static dev.vigil.transport.bpf.EbpfAssembler.H;
import static dev.vigil.transport.bpf.EbpfAssembler.JEQ;
import static dev.vigil.transport.bpf.EbpfAssembler.JGT;
import static dev.vigil.transport.bpf.EbpfAssembler.JLT;
import static dev.vigil.transport.bpf.EbpfAssembler.JNE;
import static dev.vigil.transport.bpf.EbpfAssembler.R0;
import static dev.vigil.transport.bpf.EbpfAssembler.R1;
import static dev.vigil.transport.bpf.EbpfAssembler.R2;
import static dev.vigil.transport.bpf.EbpfAssembler.R3;
import static dev.vigil.transport.bpf.EbpfAssembler.R4;
import static dev.vigil.transport.bpf.EbpfAssembler.R6;
import static dev.vigil.transport.bpf.EbpfAssembler.R7;
import static dev.vigil.transport.bpf.EbpfAssembler.R8;
import static dev.vigil.transport.bpf.EbpfAssembler.R9;
import static dev.vigil.transport.bpf.EbpfAssembler.W;

/**
 * The advert watch's two eBPF programs, for the capture socket of a quiet VRRP backup.
 *
 * <p>The <b>filter</b>, attached to the socket, runs for every frame the kernel would queue on it:
 * <ol>
 *   <li>it keeps what the capture's classic filter kept ({@code ip proto 112 or ip6 proto 112}, with
 *       {@code or arp} when asked) and drops the rest, as that filter did: attaching it replaces it;</li>
 *   <li>it looks up the frame's VRID (IPv6 at +256) in the watch map; when that slot is armed and the
 *       frame is byte for byte the slot's template (IPv4 identification and header checksum masked,
 *       the two fields a keepalived or Vigil master changes per advert), it stamps the slot with
 *       {@code bpf_ktime_get_ns()} (CLOCK_MONOTONIC, {@link System#nanoTime}'s clock), counts it,
 *       makes sure the watch's timer runs out no later than the slot's new Master_Down deadline and
 *       drops the frame: no wake-up, no copy to user space;</li>
 *   <li>it keeps every other frame (another router, a new priority, priority 0, options, frames
 *       longer than the template) for user space.</li>
 * </ol>
 *
 * <p>One {@code bpf_timer} serves all the slots of a watch: its callback scans them, writes each
 * slot whose deadline (last absorbed advert plus Master_Down) has passed to the ring buffer, once
 * per arm, and starts the timer again for the earliest deadline still ahead, or leaves it idle. The
 * ring's descriptor turning readable is the only wake-up a watched backup gets while its master is
 * alive, and in the kernel a steady master costs about four scans a second, whatever the number of
 * instances. Why not a timer per slot: {@code bpf_timer_init} allocates with
 * {@code kmalloc_nolock} (kernel 6.18), which takes only objects already free in the slab cache and
 * failed with -ENOMEM after 135 to 236 timers on this machine, in the packet path and from a system
 * call alike, for good (retries over 3 s set up none more); a slot without a timer kept every advert
 * for user space, which re-armed it on each (6200 bpf syscalls a second at 255 instances).
 *
 * <p>The timer's deadline is kept in its map value as well ({@code scheduled}, 0 when idle). The
 * filter reads it and, only when the slot's deadline is earlier (a slot's first absorbed advert, a
 * shorter Master_Down) or the timer is idle, lowers it by compare-and-exchange and starts the timer;
 * so a steady master's advert costs one comparison, no helper call. The callback sets it to 0 before
 * its scan: an advert absorbed after that finds it 0 and starts the timer itself. Whoever started the
 * timer reads {@code scheduled} again and starts it for that value when someone lowered it meanwhile,
 * so two starts that crossed leave the earlier deadline.
 *
 * <p>The <b>timer set-up</b> program is never attached: user space runs it once through
 * {@code BPF_PROG_TEST_RUN} to {@code bpf_timer_init} the timer and give it the callback, the set-up's
 * second function. The timer lives in a map of its own that user space never writes: writing a map
 * value that holds a timer cancels and frees it (the kernel's {@code bpf_obj_free_fields}).
 *
 * <p>Watch map value ({@link #VALUE_BYTES} bytes), little-endian: armed u32 at 0, frame length u32
 * at 4, Master_Down ns u64 at 8, last absorbed ns u64 at 16, absorbed count u64 at 24, arm
 * generation u64 at 32, the generation last reported expired u64 at 40, the template from 64
 * ({@link #TEMPLATE_BYTES} bytes, zero after the frame). Timer map value ({@link #TIMER_VALUE_BYTES}
 * bytes, one entry): the timer (16 bytes, the kernel's), then {@code scheduled}, u64 at 16.
 */
public final class AdvertWatchProgram {
    public static final int TEMPLATE_BYTES = 256;
    public static final int OFF_ARMED = 0, OFF_LENGTH = 4, OFF_MASTER_DOWN = 8, OFF_LAST = 16, OFF_COUNT = 24,
            OFF_GENERATION = 32, OFF_REPORTED = 40, OFF_TEMPLATE = 64;
    public static final int VALUE_BYTES = OFF_TEMPLATE + TEMPLATE_BYTES;
    public static final int TIMER_OFF_SCHEDULED = 16, TIMER_VALUE_BYTES = 24;
    /** VRIDs 0..255 for IPv4, +256 for IPv6. */
    public static final int SLOTS = 512;
    /** What the kept frames' snap length is cut to: more than any frame (libpcap's filters say 262144 too). */
    static final int KEEP = 262_144;
    /** Offsets in the frame of the IPv4 identification and header checksum, masked in the template. */
    public static final int IPV4_ID_OFFSET = 14 + 4, IPV4_CHECKSUM_OFFSET = 14 + 10;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int EBUSY = 16;
    /** How often a lowering of {@code scheduled} is tried, and re-starts after it, when others cross it. */
    private static final int LOWER_TRIES = 3, RESTARTS = 2;
    private static final int BUF = -TEMPLATE_BYTES; // the frame's copy on the stack, fp-256 .. fp-1
    private static final int KEY = BUF - 8;

    private final byte[] instructions;
    private final int callbackIndex;

    private AdvertWatchProgram(byte[] instructions, int callbackIndex) {
        this.instructions = instructions;
        this.callbackIndex = callbackIndex;
    }

    public byte[] instructions() {
        return instructions;
    }

    /** The instruction index of the timer callback (the second BTF function record), -1 in the filter. */
    public int callbackIndex() {
        return callbackIndex;
    }

    /**
     * The socket filter.
     *
     * @param watchMapFd the array map of {@link #SLOTS} slots of {@link #VALUE_BYTES} bytes
     * @param timerMapFd the array map of one timer value of {@link #TIMER_VALUE_BYTES} bytes, with BTF
     * @param keepArp    also keep ARP (unicast peers' MAC addresses are learnt from it)
     */
    public static AdvertWatchProgram filter(int watchMapFd, int timerMapFd, boolean keepArp) {
        EbpfAssembler a = new EbpfAssembler();
        a.mov(R6, R1);
        for (int i = 0; i < TEMPLATE_BYTES; i += 8) a.storeImm(DW, FP, BUF + i, 0);
        a.load(W, R8, R6, 0); // __sk_buff.len
        a.mov(R4, R8);
        a.jumpIf(JLT, R4, 1, "drop");
        a.jumpIf(JGT, R4, TEMPLATE_BYTES, "clamp");
        a.jump("copy");
        a.label("clamp").movImm(R4, TEMPLATE_BYTES);
        a.label("copy").mov(R1, R6).movImm(R2, 0).mov(R3, FP).addImm(R3, BUF).call(Ebpf.FN_SKB_LOAD_BYTES);
        a.jumpIf(JNE, R0, 0, "drop");
        // EtherType, loaded little-endian: 0x0800 reads 0x0008
        a.load(H, R1, FP, BUF + 12);
        a.jumpIf(JEQ, R1, 0x0008, "ipv4");
        a.jumpIf(JEQ, R1, 0xdd86, "ipv6");
        if (keepArp) a.jumpIf(JEQ, R1, 0x0608, "keep");
        a.jump("drop");

        a.label("ipv4").load(B, R1, FP, BUF + 14 + 9);
        a.jumpIf(JNE, R1, 112, "drop");
        a.load(B, R1, FP, BUF + 14);
        a.jumpIf(JNE, R1, 0x45, "keep"); // options: not an advert this watch was armed with
        a.load(B, R9, FP, BUF + 14 + 20 + 1);
        a.storeImm(H, FP, BUF + IPV4_ID_OFFSET, 0);
        a.storeImm(H, FP, BUF + IPV4_CHECKSUM_OFFSET, 0);
        a.jump("slot");

        a.label("ipv6").load(B, R1, FP, BUF + 14 + 6);
        a.jumpIf(JNE, R1, 112, "drop");
        a.load(B, R9, FP, BUF + 14 + 40 + 1);
        a.addImm(R9, 256);

        a.label("slot").storeImm(DW, FP, KEY, 0).store(W, FP, KEY, R9);
        a.loadMap(R1, watchMapFd).mov(R2, FP).addImm(R2, KEY).call(Ebpf.FN_MAP_LOOKUP_ELEM);
        a.jumpIf(JEQ, R0, 0, "keep");
        a.mov(R7, R0);
        a.load(W, R1, R7, OFF_ARMED);
        a.jumpIf(JEQ, R1, 0, "keep");
        a.load(W, R1, R7, OFF_LENGTH);
        a.jumpIfReg(JNE, R1, R8, "keep");
        for (int i = 0; i < TEMPLATE_BYTES; i += 8) {
            a.load(DW, R1, FP, BUF + i);
            a.load(DW, R2, R7, OFF_TEMPLATE + i);
            a.jumpIfReg(JNE, R1, R2, "keep");
        }
        // the master's advert again: absorb it, and see that the timer runs out by its deadline
        a.call(Ebpf.FN_KTIME_GET_NS).mov(R9, R0);
        a.store(DW, R7, OFF_LAST, R9);
        a.movImm(R1, 1).atomicAdd64(R7, OFF_COUNT, R1);
        a.load(DW, R8, R7, OFF_MASTER_DOWN).add(R8, R9);
        a.storeImm(DW, FP, KEY, 0);
        a.loadMap(R1, timerMapFd).mov(R2, FP).addImm(R2, KEY).call(Ebpf.FN_MAP_LOOKUP_ELEM);
        a.jumpIf(JEQ, R0, 0, "absorbed");
        a.mov(R6, R0);
        lowerDeadline(a, "f", "absorbed");
        a.label("absorbed").movImm(R0, 0).exit();
        a.label("keep").movImm(R0, KEEP).exit();
        a.label("drop").movImm(R0, 0).exit();
        return new AdvertWatchProgram(a.assemble(), -1);
    }

    /**
     * Lowers the timer's deadline to r8 (ns, CLOCK_MONOTONIC) unless it is due by then already; r6
     * the timer's map value, r9 the time now. Goes on at {@code done}. Keeps r6 and r9.
     */
    private static void lowerDeadline(EbpfAssembler a, String p, String done) {
        for (int t = 0; t < LOWER_TRIES; t++) {
            a.load(DW, R1, R6, TIMER_OFF_SCHEDULED);
            a.jumpIf(JEQ, R1, 0, p + "swap" + t); // idle (or the callback is scanning)
            a.jumpIfReg(JGT, R1, R8, p + "swap" + t);
            a.jump(done);
            a.label(p + "swap" + t).mov(R0, R1).mov(R2, R8).cmpxchg64(R6, TIMER_OFF_SCHEDULED, R2);
            a.jumpIfReg(JEQ, R0, R1, p + "won");
        }
        a.jump(done); // lowered by others every time: each of them starts the timer
        a.label(p + "won");
        for (int r = 0; r <= RESTARTS; r++) {
            if (r > 0) {
                // someone lowered it after us, and their start may have come before ours
                a.load(DW, R1, R6, TIMER_OFF_SCHEDULED);
                a.jumpIfReg(JEQ, R1, R8, done);
                a.jumpIf(JEQ, R1, 0, done); // the callback is scanning, and saw this advert
                a.mov(R8, R1);
            }
            // bpf_timer_start counts from now (BPF_F_TIMER_ABS came only in 6.7); a deadline passed starts it at 0
            a.movImm(R2, 0);
            a.jumpIfReg(JGT, R9, R8, p + "start" + r);
            a.mov(R2, R8).sub(R2, R9);
            a.label(p + "start" + r).mov(R1, R6).movImm(R3, 0).call(Ebpf.FN_TIMER_START);
        }
        a.jump(done);
    }

    /**
     * The timer set-up program, run once by {@code BPF_PROG_TEST_RUN}. It returns 0 once the timer is
     * set up with its callback (also when it already was), else the negative errno of
     * {@code bpf_timer_init}.
     *
     * @param ringFd the ring buffer map the expired slots are written to
     */
    public static AdvertWatchProgram timerSetup(int watchMapFd, int timerMapFd, int ringFd) {
        EbpfAssembler a = new EbpfAssembler();
        a.storeImm(DW, FP, -8, 0);
        a.loadMap(R1, timerMapFd).mov(R2, FP).addImm(R2, -8).call(Ebpf.FN_MAP_LOOKUP_ELEM);
        a.jumpIf(JNE, R0, 0, "found");
        a.movImm(R0, -2).exit(); // -ENOENT: no timer value (an array map always has its entry)
        a.label("found").mov(R7, R0);
        a.mov(R1, R7).loadMap(R2, timerMapFd).movImm(R3, CLOCK_MONOTONIC).call(Ebpf.FN_TIMER_INIT);
        a.jumpIf(JEQ, R0, 0, "callback");
        a.jumpIf(JEQ, R0, -EBUSY, "callback"); // set up already
        a.exit();
        a.label("callback").mov(R1, R7).loadFunction(R2, "expired").call(Ebpf.FN_TIMER_SET_CALLBACK);
        a.exit();

        // the timer callback (timer map, key, timer value): r6 the timer value, r9 now, r7 the
        // earliest deadline ahead (all ones: none), r8 the slot
        a.label("expired").mov(R6, R3);
        a.storeImm(DW, R6, TIMER_OFF_SCHEDULED, 0);
        a.call(Ebpf.FN_KTIME_GET_NS).mov(R9, R0);
        a.movImm(R7, -1).movImm(R8, 0);
        a.label("scan").storeImm(DW, FP, -8, 0).store(W, FP, -8, R8);
        a.loadMap(R1, watchMapFd).mov(R2, FP).addImm(R2, -8).call(Ebpf.FN_MAP_LOOKUP_ELEM);
        a.jumpIf(JEQ, R0, 0, "next");
        a.load(W, R1, R0, OFF_ARMED);
        a.jumpIf(JEQ, R1, 0, "next");
        a.load(DW, R1, R0, OFF_COUNT);
        a.jumpIf(JEQ, R1, 0, "next"); // timed from its first absorbed advert
        a.load(DW, R1, R0, OFF_REPORTED).load(DW, R2, R0, OFF_GENERATION);
        a.jumpIfReg(JEQ, R1, R2, "next"); // this arm's expiry went out already
        a.load(DW, R1, R0, OFF_LAST).load(DW, R3, R0, OFF_MASTER_DOWN).add(R1, R3);
        a.jumpIfReg(JGT, R1, R9, "ahead");
        a.store(DW, R0, OFF_REPORTED, R2);
        a.loadMap(R1, ringFd).mov(R2, FP).addImm(R2, -8).movImm(R3, 8).movImm(R4, 0).call(Ebpf.FN_RINGBUF_OUTPUT);
        a.jump("next");
        a.label("ahead").jumpIfReg(JGT, R1, R7, "next"); // unsigned: all ones is above any deadline
        a.mov(R7, R1);
        a.label("next").addImm(R8, 1);
        a.jumpIf(JLT, R8, SLOTS, "scan");
        a.jumpIf(JEQ, R7, -1, "idle");
        a.mov(R8, R7);
        lowerDeadline(a, "c", "idle");
        a.label("idle").movImm(R0, 0).exit();
        return new AdvertWatchProgram(a.assemble(), a.labelIndex("expired"));
    }

    /** The BTF the timer map and the set-up program need: the timer value struct, and the two functions. */
    public record Types(byte[] blob, int keyType, int timerValueType, int setupFunction, int callbackFunction) {
    }

    public static Types types() {
        Btf btf = new Btf();
        int u32 = btf.integer("unsigned int", 4, false);
        int u64 = btf.integer("unsigned long long", 8, false);
        int opaque = btf.array(u64, u32, 2);
        // the verifier finds the timer by this name and size (struct bpf_timer { __u64 __opaque[2]; })
        int timer = btf.struct("bpf_timer", 16, "__opaque", opaque, 0);
        int value = btf.struct("vigil_advert_timer", TIMER_VALUE_BYTES, "timer", timer, 0, "scheduled", u64, 8 * TIMER_OFF_SCHEDULED);
        int proto = btf.functionProto(u32);
        int setup = btf.function("vigil_timer_setup", proto);
        int callback = btf.function("vigil_advert_watch_expired", proto);
        return new Types(btf.encode(), u32, value, setup, callback);
    }
}
