package dev.vigil.transport.bpf;

import static dev.vigil.transport.bpf.EbpfAssembler.DW;
import static dev.vigil.transport.bpf.EbpfAssembler.FP;
import static dev.vigil.transport.bpf.EbpfAssembler.JEQ;
import static dev.vigil.transport.bpf.EbpfAssembler.R0;
import static dev.vigil.transport.bpf.EbpfAssembler.R1;
import static dev.vigil.transport.bpf.EbpfAssembler.R2;
import static dev.vigil.transport.bpf.EbpfAssembler.R6;
import static dev.vigil.transport.bpf.EbpfAssembler.R7;
import static dev.vigil.transport.bpf.EbpfAssembler.R8;
import static dev.vigil.transport.bpf.EbpfAssembler.W;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Instruction encodings against the byte layouts of include/uapi/linux/bpf.h (as llvm-objdump prints them). */
class EbpfAssemblerTest {

    private static String hex(EbpfAssembler a) {
        return HexFormat.of().formatHex(a.assemble());
    }

    @Test
    void registerMovesLoadsStoresAndExitEncodeAsTheKernelReadsThem() {
        assertThat(hex(new EbpfAssembler().mov(R6, R1))).isEqualTo("bf16000000000000");
        assertThat(hex(new EbpfAssembler().movImm(R0, 262_144))).isEqualTo("b700000000000400");
        assertThat(hex(new EbpfAssembler().load(W, R8, R6, 0))).isEqualTo("6168000000000000");
        assertThat(hex(new EbpfAssembler().storeImm(DW, FP, -256, 0))).isEqualTo("7a0a00ff00000000");
        assertThat(hex(new EbpfAssembler().atomicAdd64(R7, 40, R1))).isEqualTo("db17280000000000");
        assertThat(hex(new EbpfAssembler().cmpxchg64(R6, 16, R2))).as("BPF_CMPXCHG | BPF_FETCH").isEqualTo("db261000f1000000");
        assertThat(hex(new EbpfAssembler().add(R8, R1))).isEqualTo("0f18000000000000");
        assertThat(hex(new EbpfAssembler().sub(R2, R1))).isEqualTo("1f12000000000000");
        assertThat(hex(new EbpfAssembler().call(Ebpf.FN_TIMER_START))).isEqualTo("85000000ab000000");
        assertThat(hex(new EbpfAssembler().exit())).isEqualTo("9500000000000000");
    }

    @Test
    void mapsAndFunctionsAreSixteenByteLoadsNamingThemThroughTheSourceRegister() {
        assertThat(hex(new EbpfAssembler().loadMap(R1, 7))).isEqualTo("1811000007000000" + "0000000000000000");
        // the function's immediate counts instructions from the one after the load's first slot
        EbpfAssembler a = new EbpfAssembler().loadFunction(R2, "cb").exit().label("cb").exit();
        ByteBuffer b = ByteBuffer.wrap(a.assemble()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.get(0) & 0xff).isEqualTo(0x18);
        assertThat(b.get(1) & 0xff).isEqualTo(0x42);
        assertThat(b.getInt(4)).isEqualTo(2);
        assertThat(a.labelIndex("cb")).isEqualTo(3);
        assertThat(new EbpfAssembler().loadImm64(R1, 0x1_0000_0002L).size()).isEqualTo(2);
    }

    @Test
    void jumpsAreRelativeToTheNextInstructionForwardAndBack() {
        EbpfAssembler a = new EbpfAssembler().label("top").jumpIf(JEQ, R0, 0, "out").movImm(R0, 1).jump("top").label("out").exit();
        String h = hex(a);
        assertThat(h.substring(0, 16)).isEqualTo("1500020000000000");
        assertThat(h.substring(32, 48)).isEqualTo("0500fdff00000000");
        assertThatThrownBy(() -> new EbpfAssembler().jump("nowhere").assemble()).hasMessageContaining("nowhere");
        assertThatThrownBy(() -> new EbpfAssembler().label("x").label("x")).hasMessageContaining("twice");
    }

    @Test
    void theAdvertWatchProgramsFitTheVerifiersStackAndOnlyTheSetUpCarriesTheCallback() {
        AdvertWatchProgram filter = AdvertWatchProgram.filter(3, 4, true);
        AdvertWatchProgram setup = AdvertWatchProgram.timerSetup(3, 4, 5);
        assertThat(filter.callbackIndex()).as("the filter only restarts timers").isEqualTo(-1);
        int setupInsns = setup.instructions().length / 8;
        assertThat(setup.callbackIndex()).as("after the set-up's own exit, before the scan").isBetween(15, setupInsns - 40);
        assertThat(setup.instructions()[8 * (setup.callbackIndex() - 1)] & 0xff).as("an exit just before it").isEqualTo(0x95);
        for (AdvertWatchProgram p : new AdvertWatchProgram[] {filter, setup}) {
            // every stack offset used is within the 512 bytes the verifier allows
            ByteBuffer b = ByteBuffer.wrap(p.instructions()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < p.instructions().length / 8; i++) {
                int regs = b.get(8 * i + 1) & 0xff;
                short off = b.getShort(8 * i + 2);
                if ((regs & 0x0f) == FP || (regs >> 4) == FP) assertThat(off).isBetween((short) -512, (short) 0);
            }
        }
        assertThat(AdvertWatchProgram.filter(3, 4, false).instructions().length).as("no ARP test").isEqualTo(filter.instructions().length - 8);
    }
}
