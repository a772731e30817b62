package dev.vigil.transport.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The BTF blob's layout (Documentation/bpf/btf.rst): header, type records, names. */
class BtfTest {

    @Test
    void headerTypesAndNamesAreWhereTheKernelLooksForThem() {
        Btf btf = new Btf();
        int u32 = btf.integer("unsigned int", 4, false);
        int s = btf.struct("pair", 8, "a", u32, 0, "b", u32, 32);
        assertThat(u32).isEqualTo(1);
        assertThat(s).isEqualTo(2);
        ByteBuffer b = ByteBuffer.wrap(btf.encode()).order(ByteOrder.nativeOrder());
        assertThat(b.getShort(0) & 0xffff).isEqualTo(0xeb9f);
        assertThat(b.get(2)).isEqualTo((byte) 1);
        assertThat(b.getInt(4)).as("header length").isEqualTo(24);
        int typeLen = b.getInt(12);
        assertThat(typeLen).as("INT: 4 words; STRUCT of 2: 3 + 6 words").isEqualTo(4 * (4 + 9));
        assertThat(b.getInt(16)).as("names follow the types").isEqualTo(typeLen);
        // INT: name, kind 1 in bits 24-28, size 4, 32 bits unsigned
        assertThat(b.getInt(24 + 4)).isEqualTo(1 << 24);
        assertThat(b.getInt(24 + 8)).isEqualTo(4);
        assertThat(b.getInt(24 + 12)).isEqualTo(32);
        // STRUCT: kind 4, two members, the second at bit 32
        assertThat(b.getInt(24 + 16 + 4)).isEqualTo((4 << 24) | 2);
        assertThat(b.getInt(24 + 16 + 8 + 4 * 6)).isEqualTo(32);
        byte[] names = new byte[b.getInt(20)];
        b.get(24 + typeLen, names);
        assertThat(names[0]).as("offset 0 is the empty name").isZero();
        assertThat(new String(names, StandardCharsets.US_ASCII)).contains("unsigned int\0pair\0a\0b\0");
        assertThat(b.getInt(24)).as("the INT's name offset").isEqualTo(1);
    }

    @Test
    void theTimerValueCarriesABpfTimerStructOfSixteenBytesFirst() {
        AdvertWatchProgram.Types t = AdvertWatchProgram.types();
        String names = new String(t.blob(), StandardCharsets.US_ASCII);
        assertThat(names).contains("\0bpf_timer\0", "\0vigil_advert_timer\0");
        assertThat(t.timerValueType()).isGreaterThan(t.keyType());
        assertThat(t.callbackFunction()).isEqualTo(t.setupFunction() + 1);
    }
}
