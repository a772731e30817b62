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
 * The advert watch's socket filter, for the capture socket of a quiet VRRP backup. For every frame
 * the kernel would queue on that socket it
 * <ol>
 *   <li>keeps what the capture's classic filter kept ({@code ip proto 112 or ip6 proto 112}, with
 *       {@code or arp} when asked) and drops the rest, as that filter did: attaching this program
 *       replaces it;</li>
 *   <li>looks up the frame's VRID (IPv6 at +256) in the watch map; when that slot is armed and the
 *       frame is byte for byte the slot's template (IPv4 identification and header checksum masked,
 *       the two fields a keepalived or Vigil master changes per advert), it stamps the slot with
 *       {@code bpf_ktime_get_ns()} (CLOCK_MONOTONIC, {@link System#nanoTime}'s clock), counts it,
 *       restarts the slot's {@code bpf_timer} for the slot's Master_Down interval and drops the frame:
 *       no wake-up, no copy to user space;</li>
 *   <li>keeps every other frame (another router, a new priority, priority 0, options, frames longer
 *       than the template) for user space, as before.</li>
 * </ol>
 * The timer's callback writes the VRID key to the ring buffer map when its slot is still armed; the
 * ring's descriptor turns readable, and that is the only wake-up a watched backup gets while its
 * master is alive.
 *
 * <p>Map value ({@link #VALUE_BYTES} bytes), little-endian: the timer at 0 (16 bytes, the kernel's),
 * armed u32 at 16, frame length u32 at 20, Master_Down ns u64 at 24, last absorbed ns u64 at 32,
 * absorbed count u64 at 40, the template from 64 ({@link #TEMPLATE_BYTES} bytes, zero after the frame).
 */
public final class AdvertWatchProgram {
    public static final int TEMPLATE_BYTES = 256;
    public static final int OFF_ARMED = 16, OFF_LENGTH = 20, OFF_MASTER_DOWN = 24, OFF_LAST = 32, OFF_COUNT = 40, OFF_TEMPLATE = 64;
    public static final int VALUE_BYTES = OFF_TEMPLATE + TEMPLATE_BYTES;
    /** VRIDs 0..255 for IPv4, +256 for IPv6. */
    public static final int SLOTS = 512;
    /** What the kept frames' snap length is cut to: more than any frame (libpcap's filters say 262144 too). */
    static final int KEEP = 262_144;
    /** Offsets in the frame of the IPv4 identification and header checksum, masked in the template. */
    public static final int IPV4_ID_OFFSET = 14 + 4, IPV4_CHECKSUM_OFFSET = 14 + 10;
    private static final int CLOCK_MONOTONIC = 1;
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

    /** The instruction index of the timer callback (the second BTF function record). */
    public int callbackIndex() {
        return callbackIndex;
    }

    /**
     * @param watchMapFd the array map of {@link #SLOTS} slots of {@link #VALUE_BYTES} bytes, with BTF
     * @param ringFd     the ring buffer map the expiries are written to
     * @param keepArp    also keep ARP (unicast peers' MAC addresses are learnt from it)
     */
    public static AdvertWatchProgram build(int watchMapFd, int ringFd, boolean keepArp) {
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

        a.label("slot").store(W, FP, KEY, R9);
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
        // the master's advert again: absorb it
        a.call(Ebpf.FN_KTIME_GET_NS);
        a.store(DW, R7, OFF_LAST, R0);
        a.movImm(R1, 1).atomicAdd64(R7, OFF_COUNT, R1);
        a.mov(R1, R7).loadMap(R2, watchMapFd).movImm(R3, CLOCK_MONOTONIC).call(Ebpf.FN_TIMER_INIT); // -EBUSY once set up
        a.mov(R1, R7).loadFunction(R2, "expired").call(Ebpf.FN_TIMER_SET_CALLBACK);
        a.mov(R1, R7).load(DW, R2, R7, OFF_MASTER_DOWN).movImm(R3, 0).call(Ebpf.FN_TIMER_START);
        a.jumpIf(JNE, R0, 0, "keep"); // no timer running: user space must see the advert
        a.movImm(R0, 0).exit();
        a.label("keep").movImm(R0, KEEP).exit();
        a.label("drop").movImm(R0, 0).exit();

        // the timer callback: (map, key, value)
        a.label("expired").load(W, R4, R3, OFF_ARMED);
        a.jumpIf(JEQ, R4, 0, "done");
        a.load(W, R4, R2, 0);
        a.storeImm(DW, FP, -8, 0);
        a.store(W, FP, -8, R4);
        a.loadMap(R1, ringFd).mov(R2, FP).addImm(R2, -8).movImm(R3, 8).movImm(R4, 0).call(Ebpf.FN_RINGBUF_OUTPUT);
        a.label("done").movImm(R0, 0).exit();
        return new AdvertWatchProgram(a.assemble(), a.labelIndex("expired"));
    }

    /** The BTF the watch map and the program need: the value struct with its timer, and the two functions. */
    public record Types(byte[] blob, int keyType, int valueType, int mainFunction, int callbackFunction) {
    }

    public static Types types() {
        Btf btf = new Btf();
        int u32 = btf.integer("unsigned int", 4, false);
        int u64 = btf.integer("unsigned long long", 8, false);
        int u8 = btf.integer("unsigned char", 1, false);
        int opaque = btf.array(u64, u32, 2);
        // the verifier finds the timer by this name and size (struct bpf_timer { __u64 __opaque[2]; })
        int timer = btf.struct("bpf_timer", 16, "__opaque", opaque, 0);
        int rest = btf.array(u8, u32, VALUE_BYTES - 16);
        int value = btf.struct("vigil_advert_watch", VALUE_BYTES, "timer", timer, 0, "data", rest, 128);
        int proto = btf.functionProto(u32);
        int main = btf.function("vigil_advert_watch", proto);
        int callback = btf.function("vigil_advert_watch_expired", proto);
        return new Types(btf.encode(), u32, value, main, callback);
    }
}
