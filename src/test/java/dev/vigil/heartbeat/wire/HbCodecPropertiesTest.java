package dev.vigil.heartbeat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

/**
 * Property tests. The default run is about 1000 tries in all; the {@code slow-fuzz} tag (excluded
 * by default, see pom.xml {@code vigil.excludedGroups}) runs the decoders much longer.
 */
class HbCodecPropertiesTest {
    private final HbCodec codec = Fixtures.sha1Codec();

    // ------------------------------------------------------------ decode never crashes

    @Property(tries = 250)
    void randomBytesAreNeverAnInternalError(@ForAll("packets") byte[] packet) {
        assertDecodesCleanly(packet);
    }

    @Property(tries = 250)
    void mutatedFixturesAreNeverAnInternalError(@ForAll("mutatedFixtures") byte[] packet) {
        assertDecodesCleanly(packet);
    }

    @Property(tries = 20_000)
    @Tag("slow-fuzz")
    void randomBytesAreNeverAnInternalErrorLongRun(@ForAll("packets") byte[] packet) {
        assertDecodesCleanly(packet);
    }

    @Property(tries = 20_000)
    @Tag("slow-fuzz")
    void mutatedFixturesAreNeverAnInternalErrorLongRun(@ForAll("mutatedFixtures") byte[] packet) {
        assertDecodesCleanly(packet);
    }

    private void assertDecodesCleanly(byte[] packet) {
        DecodeResult r = codec.decode(packet);
        if (r instanceof Rejected rej) {
            assertThat(rej.reason()).as(rej.detail()).isNotEqualTo(RejectReason.INTERNAL_ERROR);
            assertThat(rej.detail()).doesNotContain(Fixtures.SHA1_KEY);
        }
    }

    /** Raw bytes, often behind a start marker so that the parsers are reached. */
    @Provide
    Arbitrary<byte[]> packets() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
        Arbitrary<byte[]> textish = Arbitraries.strings().withChars("0123456789:,()=#%<>\n\0 abt").ofMaxLength(200).map(Fixtures::latin1);
        Arbitrary<String> marker = Arbitraries.of("", "###\n", ">>>\n");
        return Combinators.combine(marker, Arbitraries.oneOf(body, textish)).as((m, b) -> SerialLinkTest.concat(Fixtures.latin1(m), b));
    }

    /** A captured packet or frame with a few random edits: set, insert, delete, cut. */
    @Provide
    Arbitrary<byte[]> mutatedFixtures() {
        List<byte[]> originals = new ArrayList<>();
        Fixtures.UDP.forEach(n -> originals.add(Fixtures.udp(n)));
        Fixtures.SERIAL.forEach(n -> originals.add(Fixtures.serial(n)));
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 255)).as((op, pos, val) -> new int[] {op, pos, val});
        return Combinators.combine(Arbitraries.of(originals), edit.list().ofMinSize(1).ofMaxSize(4)).as(HbCodecPropertiesTest::mutate);
    }

    private static byte[] mutate(byte[] original, List<int[]> edits) {
        byte[] p = original.clone();
        for (int[] e : edits) {
            if (p.length == 0) break;
            int at = e[1] % p.length;
            switch (e[0]) {
                case 0 -> p[at] = (byte) e[2];
                case 1 -> {
                    byte[] q = new byte[p.length + 1];
                    System.arraycopy(p, 0, q, 0, at);
                    q[at] = (byte) e[2];
                    System.arraycopy(p, at, q, at + 1, p.length - at);
                    p = q;
                }
                case 2 -> {
                    byte[] q = new byte[p.length - 1];
                    System.arraycopy(p, 0, q, 0, at);
                    System.arraycopy(p, at + 1, q, at, p.length - at - 1);
                    p = q;
                }
                default -> p = Arrays.copyOf(p, at);
            }
        }
        return p;
    }

    // ------------------------------------------------------------ round trips

    @Property(tries = 150)
    void builtMessagesRoundTripThroughNetstring(@ForAll("messages") HbMessage m) {
        Decoded d = (Decoded) codec.decode(codec.encodeNetstring(m));

        assertThat(d.message()).isEqualTo(codec.sign(m));
        assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
    }

    @Property(tries = 150)
    void builtMessagesRoundTripThroughClassic(@ForAll("messages") HbMessage m) {
        byte[] frame = codec.encodeClassic(m);
        Decoded d = (Decoded) codec.decode(frame);

        assertThat(d.message()).isEqualTo(codec.sign(m));
        assertThat(HbCodec.classicText(d.message())).isEqualTo(frame);
    }

    @Provide
    Arbitrary<HbMessage> messages() {
        return messages(2);
    }

    private Arbitrary<HbMessage> messages(int depth) {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_', '-', '.')
                .ofMinLength(1).ofMaxLength(8).filter(n -> !n.equals(HbMessage.AUTH));
        // Text avoids 0x13 (classic form turns it into a newline) and other control bytes
        // (heartbeat's struct newline symbols); it includes newlines, tabs and Latin-1.
        Arbitrary<HbValue> text = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t').withCharRange('\u00a0', '\u00ff')
                .ofMaxLength(24).map(HbValue.Text::new);
        Arbitrary<HbValue> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(HbValue.Binary::new);
        Arbitrary<HbValue> compressed = Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(HbValue.Compressed::new);
        Arbitrary<HbValue> list = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(8).list().ofMinSize(1).ofMaxSize(4)
                .map(HbValue.StringList::new);
        Arbitrary<HbValue> value = depth == 0
                ? Arbitraries.oneOf(text, text, binary, compressed, list)
                : Arbitraries.oneOf(text, text, binary, compressed, list, messages(depth - 1).map(HbValue.Struct::new));
        Arbitrary<HbField> field = Combinators.combine(names, value).as(HbField::new);
        return field.list().ofMaxSize(8).map(fields -> {
            HbMessage.Builder b = HbMessage.builder();
            for (HbField f : fields) {
                try {
                    b.add(f);
                } catch (IllegalArgumentException listAfterAnotherTypeOfTheSameName) {
                    // heartbeat refuses that combination too; leave the field out
                }
            }
            return b.build();
        });
    }

    // ------------------------------------------------------------ serial splitter

    @Property(tries = 100)
    void splitterOutputDoesNotDependOnReadSizes(@ForAll("serialStreams") List<byte[]> pieces, @ForAll @Size(max = 12) List<Integer> cuts) {
        byte[] stream = SerialLinkTest.concat(pieces.toArray(new byte[0][]));
        List<byte[]> expected = new ArrayList<>();
        for (byte[] p : pieces) {
            if (Bytes.startsWith(p, 0, p.length, ClassicForm.START)) expected.add(p); // junk lines never start so
        }
        int[] at = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        SerialFrameSplitter splitter = new SerialFrameSplitter();
        List<byte[]> frames = new ArrayList<>();
        int prev = 0;
        for (int c : at) {
            frames.addAll(splitter.feed(stream, prev, c - prev));
            prev = c;
        }
        frames.addAll(splitter.feed(stream, prev, stream.length - prev));

        assertThat(frames).hasSameSizeAs(expected);
        for (int i = 0; i < frames.size(); i++) assertThat(frames.get(i)).isEqualTo(expected.get(i));
        assertThat(splitter.bufferedBytes()).isZero();
    }

    /** Captured frames with junk lines between them. */
    @Provide
    Arbitrary<List<byte[]>> serialStreams() {
        List<byte[]> frames = new ArrayList<>();
        Fixtures.SERIAL.forEach(n -> frames.add(Fixtures.serial(n)));
        Arbitrary<byte[]> junkLine = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)
                .filter(s -> !s.startsWith(">>>")).map(s -> Fixtures.latin1(s + "\n"));
        return Arbitraries.oneOf(Arbitraries.of(frames), Arbitraries.of(frames), junkLine).list().ofMaxSize(10);
    }

    @Property(tries = 100)
    void splitterSurvivesAnyBytesWithinItsBound(@ForAll("packets") byte[] a, @ForAll("packets") byte[] b) {
        SerialFrameSplitter splitter = new SerialFrameSplitter(256);
        for (byte[] frame : splitter.feed(SerialLinkTest.concat(a, b, a))) {
            assertThat(frame.length).isLessThan(256);
            assertDecodesCleanly(frame);
        }
        assertThat(splitter.bufferedBytes()).isLessThan(256);
    }

    @Property(tries = 5_000)
    @Tag("slow-fuzz")
    void splitterSurvivesAnyBytesLongRun(@ForAll("packets") byte[] a, @ForAll("mutatedFixtures") byte[] b) {
        SerialFrameSplitter splitter = new SerialFrameSplitter(512);
        for (byte[] frame : splitter.feed(SerialLinkTest.concat(a, b, a, b))) assertDecodesCleanly(frame);
        assertThat(splitter.bufferedBytes()).isLessThan(512);
    }
}
