package dev.vigil.heartbeat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HbMessageTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a=b", "a\nb", "a\0b", "(1)x", ">>>x", "<<<x", "caf\u20ac"})
    void namesHeartbeatCannotCarryAreRefused(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().add(name, "v"));
    }

    @Test
    void stringValuesMayNotHoldNul() {
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().add("x", "a\0b"));
    }

    @Test
    void namesMayRepeatAndLookupsTakeTheFirst() {
        HbMessage m = HbMessage.builder().add("x", "1").add("y", "2").add("x", "3").build();

        assertThat(m.string("x")).contains("1");
        assertThat(m.all("x")).extracting(f -> ((HbValue.Text) f.value()).value()).containsExactly("1", "3");
        assertThat(m.size()).isEqualTo(3);
    }

    @Test
    void typedLookupOfAFieldOfAnotherTypeIsEmptyAsHaMsgValueIs() {
        HbMessage m = HbMessage.builder().addBinary("srcuuid", new byte[16]).build();

        assertThat(m.string("srcuuid")).isEmpty();
        assertThat(m.binary("srcuuid")).isPresent();
        assertThat(m.struct("srcuuid")).isEmpty();
    }

    @Test
    void setReplacesTheFirstFieldInPlaceOrAppends() {
        HbMessage m = HbMessage.builder().add("a", "1").add("b", "2").add("a", "3").set("a", "9").set("c", "4").build();

        assertThat(m.fields()).extracting(HbField::toString).containsExactly("a=9", "b=2", "a=3", "c=4");
    }

    @Test
    void setRefusesToChangeAFieldsTypeAsClMsgModDoes() {
        HbMessage.Builder b = HbMessage.builder().addBinary("a", new byte[] {1});

        assertThatIllegalArgumentException().isThrownBy(() -> b.set("a", "text"));
    }

    @Test
    void numbersAreReadInTheRadixHeartbeatWritesThem() {
        HbMessage m = HbMessage.builder().addHex("seq", 0x1b2).add("hg", "6b05f989").add("ttl", "3").add("bad", "12z")
                .add("firstseq", "415").build();

        assertThat(m.seq()).hasValue(0x1b2);
        assertThat(m.generation()).hasValue(0x6b05f989L);
        assertThat(m.ttl()).hasValue(3);
        assertThat(m.decimal("firstseq")).hasValue(415);
        assertThat(m.hex("bad")).isEmpty();
        assertThat(m.hex("missing")).isEmpty();
        assertThat(m.string("seq")).contains("1b2");
    }

    @Test
    void uuidRoundTripsThroughTheBinaryField() {
        UUID u = UUID.fromString("c79c62d2-d6e2-4b07-85b9-b3a4f4446a66");
        HbMessage m = HbMessage.builder().addUuid("srcuuid", u).add("bad", "x").addBinary("short", new byte[3]).build();

        assertThat(m.srcUuid()).contains(u);
        assertThat(m.uuid("short")).isEmpty();
    }

    @Test
    void authIsTheLastAuthFieldAsIsauthenticReadsIt() {
        HbMessage m = HbMessage.builder().add("auth", "1 aaaa").add("t", "x").add("auth", "2 bbbb").build();

        assertThat(m.auth()).contains(new AuthSignature(2, "bbbb"));
        assertThat(m.withoutAuth().fields()).extracting(HbField::name).containsExactly("t");
        assertThat(m.toBuilder().addBinary("auth", new byte[] {1}).build().auth()).as("the last one is not a string").isEmpty();
    }

    @Test
    void signatureParsesLikeSscanfPercentDPercentS() {
        assertThat(AuthSignature.parse("1 8db3")).contains(new AuthSignature(1, "8db3"));
        assertThat(AuthSignature.parse("  1 \t 8db3 trailing")).contains(new AuthSignature(1, "8db3"));
        assertThat(AuthSignature.parse("1abc")).as("%d then an empty match of ' ', then %s").contains(new AuthSignature(1, "abc"));
        assertThat(AuthSignature.parse("99999999999 x")).contains(new AuthSignature(Integer.MIN_VALUE, "x"));
        assertThat(AuthSignature.parse("x 1")).isEmpty();
        assertThat(AuthSignature.parse("1")).isEmpty();
        assertThat(AuthSignature.parse("1   ")).isEmpty();
    }

    @Test
    void listsOfTheSameNameMergeAndMayNotFollowAnotherType() {
        HbMessage m = HbMessage.builder().addList("l", List.of("a")).add("x", "1").addList("l", List.of("b", "c")).build();

        assertThat(m.list("l")).contains(List.of("a", "b", "c"));
        assertThat(m.fields()).extracting(HbField::name).containsExactly("l", "x");
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().add("l", "s").addList("l", List.of("a")));
    }

    @Test
    void listsMustBeNonEmptyWithNonEmptySingleLineItems() {
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().addList("l", List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().addList("l", List.of("")));
        assertThatIllegalArgumentException().isThrownBy(() -> HbMessage.builder().addList("l", List.of("a\nb")));
    }

    @Test
    void binaryValuesAreCopiedInAndOut() {
        byte[] raw = {1, 2, 3};
        HbMessage m = HbMessage.builder().addBinary("b", raw).build();
        raw[0] = 9;
        m.binary("b").orElseThrow()[1] = 9;

        assertThat(m.binary("b")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }

    @Test
    void equalMessagesAreEqualAndPrintTheirFields() {
        HbMessage a = HbMessage.builder().add("t", "status").addBinary("u", new byte[] {(byte) 0xab}).addList("l", List.of("x")).build();
        HbMessage b = HbMessage.builder().add("t", "status").addBinary("u", new byte[] {(byte) 0xab}).addList("l", List.of("x")).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("HbMessage{t=status, (1)u=ab, (3)l=[x]}");
    }
}
