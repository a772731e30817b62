package dev.vigil.heartbeat.wire;

import static dev.vigil.heartbeat.wire.Fixtures.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The field types the fixtures do not show (struct, list, compressed, strings with newlines),
 * against byte strings written by hand from the grammar in cl_msg_types.c (research §1.2).
 */
class FieldTypesTest {
    private final HbCodec codec = Fixtures.sha1Codec();

    private static final HbMessage CHILD = HbMessage.builder().add("a", "b").build();

    @Test
    void structIsANestedNetstringMessageWithoutTrailer() {
        HbMessage m = HbMessage.builder().addStruct("c", CHILD).build();

        assertThat(latin1(HbCodec.netstringBody(m))).isEqualTo("###\n22:(2)c=###\n6:(0)a=b,%%%\n,%%%\n");
    }

    @Test
    void structInClassicFormHasItsNewlinesReplacedByTheDepthSymbol() {
        HbMessage m = HbMessage.builder().addStruct("c", CHILD).build();

        assertThat(latin1(HbCodec.classicText(m))).isEqualTo(">>>\n(2)c=>>>\u0014a=b\u0014<<<\u0014\n<<<\n");
    }

    @Test
    void structInAStructUsesTheNextSymbol() {
        HbMessage m = HbMessage.builder().addStruct("outer", HbMessage.builder().addStruct("inner", CHILD).build()).build();

        assertThat(latin1(HbCodec.classicText(m)))
                .isEqualTo(">>>\n(2)outer=>>>\u0014(2)inner=>>>\u0015a=b\u0015<<<\u0015\u0014<<<\u0014\n<<<\n");
    }

    @Test
    void listIsPackedAsLengthColonItemComma() {
        HbMessage m = HbMessage.builder().addList("l", List.of("abc", "defg")).build();

        assertThat(latin1(HbCodec.netstringBody(m))).isEqualTo("###\n18:(3)l=3:abc,4:defg,,%%%\n");
        assertThat(latin1(HbCodec.classicText(m))).isEqualTo(">>>\n(3)l=3:abc,4:defg,\n<<<\n");
    }

    @Test
    void stringNewlineIsRawInNetstringAndSymbol19InClassic() {
        HbMessage m = HbMessage.builder().add("s", "a\nb").build();

        assertThat(latin1(HbCodec.netstringBody(m))).isEqualTo("###\n8:(0)s=a\nb,%%%\n");
        assertThat(latin1(HbCodec.classicText(m))).isEqualTo(">>>\ns=a\u0013b\n<<<\n");
    }

    @Test
    void binaryAndCompressedAreRawInNetstringAndBase64InClassic() {
        HbMessage m = HbMessage.builder().addBinary("u", new byte[] {0, (byte) 0xff, '\n'}).addCompressed("z", new byte[] {1, 2}).build();

        assertThat(latin1(HbCodec.netstringBody(m))).isEqualTo("###\n8:(1)u=\0\u00ff\n,7:(4)z=\u0001\u0002,%%%\n");
        assertThat(latin1(HbCodec.classicText(m))).isEqualTo(">>>\n(1)u=AP8K\n(4)z=AQI=\n<<<\n");
    }

    @Test
    void everyTypeRoundTripsThroughBothFormsWithSignatures() {
        HbMessage m = HbMessage.builder()
                .add("t", "test").add("s", "line1\nline2").addBinary("u", new byte[] {0, 1, 2, (byte) 0x80})
                .addStruct("c", HbMessage.builder().add("x", "y").addStruct("d", CHILD).addList("l", List.of("q")).build())
                .addList("l", List.of("a", "b c")).addCompressed("z", new byte[] {9, 8, 7}).add("src", "nodea")
                .build();

        Decoded viaNetstring = (Decoded) codec.decode(codec.encodeNetstring(m));
        Decoded viaClassic = (Decoded) codec.decode(codec.encodeClassic(m));

        assertThat(viaNetstring.message()).isEqualTo(codec.sign(m));
        assertThat(viaNetstring.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
        assertThat(viaClassic.message()).isEqualTo(codec.sign(m));
        assertThat(viaClassic.message().struct("c").flatMap(c -> c.struct("d"))).contains(CHILD);
    }

    @Test
    void sixteenLevelsOfStructsAreTheLimit() {
        HbMessage deepest = CHILD;
        for (int i = 0; i < 16; i++) deepest = HbMessage.builder().addStruct("s", deepest).build();
        HbMessage sixteen = deepest;
        HbMessage seventeen = HbMessage.builder().addStruct("s", sixteen).build();

        assertThat(codec.decode(codec.encodeNetstring(sixteen)).accepted()).isTrue();
        assertThat(codec.decode(codec.encodeClassic(sixteen)).accepted()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> codec.encodeClassic(seventeen));
        assertThatIllegalArgumentException().isThrownBy(() -> HbCodec.netstringBody(seventeen));
    }

    @Test
    void netstringNestedDeeperThanSixteenIsMalformed() {
        String inner = "###\n6:(0)a=b,%%%\n";
        for (int i = 0; i < 17; i++) inner = "###\n" + ("(2)s=" + inner).length() + ":(2)s=" + inner + ",%%%\n";

        Rejected r = (Rejected) codec.decode(latin1(inner + "3:1 x,"));

        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void structHoldingItsOwnNewlineSymbolCannotBeWrittenInClassicForm() {
        HbMessage m = HbMessage.builder().addStruct("c", HbMessage.builder().add("a", "x\u0014y").build()).build();

        assertThatIllegalArgumentException().isThrownBy(() -> HbCodec.classicText(m));
        assertThatIllegalArgumentException().isThrownBy(() -> codec.sign(m));
    }

    @Test
    void listsOfTheSameNameMergeOnDecodeAsAddListFieldDoes() {
        HbMessage m = codec.sign(parseClassicUnverified(">>>\n(3)l=1:a,\nt=x\n(3)l=1:b,\n<<<\n"));

        assertThat(((Decoded) codec.decode(codec.encodeNetstring(m))).message()).isEqualTo(m);

        assertThat(m.list("l")).contains(List.of("a", "b"));
        assertThat(m.all("l")).hasSize(1);
    }

    @Test
    void listAfterAStringOfTheSameNameIsMalformed() {
        Rejected r = (Rejected) codec.decode(latin1(">>>\nl=x\n(3)l=1:a,\nauth=1 00\n<<<\n"));

        assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void classicTypePrefixesHeartbeatRefusesAreMalformed() {
        for (String line : List.of("(0)x=1", "(5)x=1", "(9)x=1", "(x)y=1", "(1x=1", "(1)x=not*base64")) {
            Rejected r = (Rejected) codec.decode(latin1(">>>\n" + line + "\nauth=1 00\n<<<\n"));
            assertThat(r.reason()).as(line).isEqualTo(RejectReason.MALFORMED);
        }
    }

    @Test
    void emptyListAndZeroLengthItemAreMalformed() {
        for (String field : List.of("5:(3)l=", "9:(3)l=0:,")) {
            Rejected r = (Rejected) codec.decode(latin1("###\n" + field + ",%%%\n3:1 x,"));
            assertThat(r.reason()).as(field).isEqualTo(RejectReason.MALFORMED);
        }
    }

    @Test
    void emptyStringAndEmptyBinaryValuesAreAllowed() {
        HbMessage m = HbMessage.builder().add("e", "").addBinary("b", new byte[0]).add("src", "n").build();

        assertThat(((Decoded) codec.decode(codec.encodeClassic(m))).message()).isEqualTo(codec.sign(m));
        assertThat(((Decoded) codec.decode(codec.encodeNetstring(m))).message()).isEqualTo(codec.sign(m));
    }

    @Test
    void blankLinesInsideAClassicMessageAreSkippedAsString2msgDoes() {
        byte[] frame = Fixtures.serial("09-starting.bin");
        String withBlanks = latin1(frame).replace("src=", "\n\nsrc=");

        assertThat(codec.decode(latin1(withBlanks)).accepted()).isTrue();
    }

    private HbMessage parseClassicUnverified(String frame) {
        return ClassicForm.parse(latin1(frame), 0, frame.length(), 0).message();
    }
}
