package dev.vigil.transport.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes eBPF instructions (the kernel's {@code struct bpf_insn}: opcode, dst and src register
 * nibbles, a 16-bit offset, a 32-bit immediate; little-endian on the hosts Vigil runs on), with
 * named labels for jumps and for the callback a {@code bpf_timer} runs. Only the instructions the
 * advert watch needs; the encodings are the ones in {@code include/uapi/linux/bpf.h}.
 *
 * <p>Why by hand: Debian's clang and libbpf would be a build and run-time dependency for one
 * program of sixty-odd instructions; the verifier checks the result at load time either way.
 */
public final class EbpfAssembler {
    // instruction classes and fields, include/uapi/linux/bpf_common.h and bpf.h
    static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, JMP = 0x05, ALU64 = 0x07;
    public static final int W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
    static final int IMM = 0x00, MEM = 0x60, ATOMIC = 0xc0;
    static final int K = 0x00, X = 0x08;
    static final int ADD = 0x00, SUB = 0x10, MOV = 0xb0, AND = 0x50;
    /** The atomic compare-and-exchange's immediate: BPF_CMPXCHG with BPF_FETCH (it always fetches). */
    static final int CMPXCHG = 0xf0 | 0x01;
    public static final int JEQ = 0x10, JGT = 0x20, JNE = 0x50, JLT = 0xa0;
    static final int JA = 0x00, CALL = 0x80, EXIT = 0x90;
    /** src_reg of a 64-bit immediate load: the immediate is a map's file descriptor. */
    static final int PSEUDO_MAP_FD = 1;
    /** src_reg of a 64-bit immediate load: the immediate is the offset of a function in the program. */
    static final int PSEUDO_FUNC = 4;

    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, FP = 10;

    private final List<long[]> insns = new ArrayList<>(); // {code, dst, src, off, imm}
    private final Map<String, Integer> labels = new HashMap<>();
    /** Instructions whose offset (jumps) or immediate (function loads) names a label. */
    private final List<Object[]> fixups = new ArrayList<>();

    private EbpfAssembler emit(int code, int dst, int src, int off, int imm) {
        insns.add(new long[] {code, dst, src, off, imm});
        return this;
    }

    /** The number of instructions so far (a 64-bit load counts two). */
    public int size() {
        return insns.size();
    }

    public EbpfAssembler label(String name) {
        if (labels.putIfAbsent(name, insns.size()) != null) throw new IllegalArgumentException("label " + name + " defined twice");
        return this;
    }

    public EbpfAssembler movImm(int dst, int imm) {
        return emit(ALU64 | MOV | K, dst, 0, 0, imm);
    }

    public EbpfAssembler mov(int dst, int src) {
        return emit(ALU64 | MOV | X, dst, src, 0, 0);
    }

    public EbpfAssembler addImm(int dst, int imm) {
        return emit(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    public EbpfAssembler add(int dst, int src) {
        return emit(ALU64 | ADD | X, dst, src, 0, 0);
    }

    public EbpfAssembler sub(int dst, int src) {
        return emit(ALU64 | SUB | X, dst, src, 0, 0);
    }

    public EbpfAssembler andImm(int dst, int imm) {
        return emit(ALU64 | AND | K, dst, 0, 0, imm);
    }

    /** {@code dst = *(size *)(src + off)}, size one of {@link #W}, {@link #H}, {@link #B}, {@link #DW}. */
    public EbpfAssembler load(int size, int dst, int src, int off) {
        return emit(LDX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = src}. */
    public EbpfAssembler store(int size, int dst, int off, int src) {
        return emit(STX | MEM | size, dst, src, off, 0);
    }

    /** {@code *(size *)(dst + off) = imm}. */
    public EbpfAssembler storeImm(int size, int dst, int off, int imm) {
        return emit(ST | MEM | size, dst, 0, off, imm);
    }

    /** {@code lock *(u64 *)(dst + off) += src}. */
    public EbpfAssembler atomicAdd64(int dst, int off, int src) {
        return emit(STX | ATOMIC | DW, dst, src, off, ADD);
    }

    /**
     * {@code r0 = cmpxchg((u64 *)(dst + off), r0, src)}: the old value lands in r0 whether or not it
     * equalled r0 and {@code src} was written.
     */
    public EbpfAssembler cmpxchg64(int dst, int off, int src) {
        return emit(STX | ATOMIC | DW, dst, src, off, CMPXCHG);
    }

    /** A 64-bit immediate: two instruction slots. */
    public EbpfAssembler loadImm64(int dst, long imm) {
        emit(LD | DW | IMM, dst, 0, 0, (int) imm);
        return emit(0, 0, 0, 0, (int) (imm >>> 32));
    }

    /** The map with file descriptor {@code fd}, as the verifier wants it: a pseudo 64-bit load. */
    public EbpfAssembler loadMap(int dst, int fd) {
        emit(LD | DW | IMM, dst, PSEUDO_MAP_FD, 0, fd);
        return emit(0, 0, 0, 0, 0);
    }

    /** The address of the function at {@code label} (a timer callback). */
    public EbpfAssembler loadFunction(int dst, String label) {
        fixups.add(new Object[] {insns.size(), label, Boolean.FALSE});
        emit(LD | DW | IMM, dst, PSEUDO_FUNC, 0, 0);
        return emit(0, 0, 0, 0, 0);
    }

    public EbpfAssembler jump(String label) {
        return jumpTo(JA, 0, 0, false, label);
    }

    /** {@code if (dst op imm) goto label}, op one of {@link #JEQ}, {@link #JNE}, {@link #JGT}. */
    public EbpfAssembler jumpIf(int op, int dst, int imm, String label) {
        return jumpTo(op, dst, imm, false, label);
    }

    /** {@code if (dst op src) goto label}. */
    public EbpfAssembler jumpIfReg(int op, int dst, int src, String label) {
        fixups.add(new Object[] {insns.size(), label, Boolean.TRUE});
        return emit(JMP | op | X, dst, src, 0, 0);
    }

    private EbpfAssembler jumpTo(int op, int dst, int imm, boolean reg, String label) {
        fixups.add(new Object[] {insns.size(), label, Boolean.TRUE});
        return emit(JMP | op | K, dst, 0, 0, imm);
    }

    public EbpfAssembler call(int helper) {
        return emit(JMP | CALL, 0, 0, 0, helper);
    }

    public EbpfAssembler exit() {
        return emit(JMP | EXIT, 0, 0, 0, 0);
    }

    /** The index of a label's instruction (for the BTF function records of subprograms). */
    public int labelIndex(String name) {
        Integer at = labels.get(name);
        if (at == null) throw new IllegalStateException("undefined label " + name);
        return at;
    }

    /** The program as the kernel reads it, 8 bytes an instruction. */
    public byte[] assemble() {
        for (Object[] f : fixups) {
            int at = (Integer) f[0];
            int target = labelIndex((String) f[1]);
            int rel = target - at - 1;
            long[] insn = insns.get(at);
            if ((Boolean) f[2]) {
                if (rel < Short.MIN_VALUE || rel > Short.MAX_VALUE) throw new IllegalStateException("jump too far");
                insn[3] = rel;
            } else {
                insn[4] = rel;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] i : insns) {
            b.put((byte) i[0]);
            b.put((byte) ((i[1] & 0x0f) | ((i[2] & 0x0f) << 4)));
            b.putShort((short) i[3]);
            b.putInt((int) i[4]);
        }
        return b.array();
    }
}
