package dev.vigil.heartbeat.wire;

import static dev.vigil.heartbeat.wire.Fixtures.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The serial link: classic frames captured on a real pty cable between two heartbeat 3.0.6 nodes. */
class SerialLinkTest {
    private final HbCodec codec = Fixtures.sha1Codec();

    static Stream<String> serialFrames() {
        return Fixtures.SERIAL.stream();
    }

    @ParameterizedTest
    @MethodSource("serialFrames")
    void everyCapturedFrameDecodesAndReEncodesByteExact(String fixture) {
        byte[] frame = Fixtures.serial(fixture);

        Decoded d = (Decoded) codec.decode(frame);

        assertThat(d.format()).isEqualTo(WireFormat.CLASSIC);
        assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
        assertThat(d.ignoredTrailingBytes()).isZero();
        assertThat(latin1(codec.encodeClassic(d.message()))).isEqualTo(latin1(frame));
        assertThat(latin1(HbCodec.classicText(d.message()))).isEqualTo(latin1(frame));
    }

    @Test
    void freshStatusMessageSignsToTheCapturedFrame() {
        HbMessage status = HbMessage.builder()
                .add("t", "status").add("st", "active").addHex("dt", 5000).add("protocol", "1").add("src", "nodea")
                .addBinary("srcuuid", HexFormat.of().parseHex("f42be65eb9f14c0f8966cb78691f7316"))
                .addHex("seq", 0xe).addHex("hg", 0x6b0607a7L).addHex("ts", 0x6b0607aaL)
                .add("ld", "3.32 2.18 1.22 2/98 16305").addDecimal("ttl", 3)
                .build();

        assertThat(latin1(codec.encodeClassic(status))).isEqualTo(latin1(Fixtures.serial("03-status-active-dt1388.bin")));
    }

    @Test
    void serialFrameConvertsToTheNetstringPacketHeartbeatWouldSendOnUdp() {
        HbMessage m = ((Decoded) codec.decode(Fixtures.serial("08-repnodes.bin"))).message();

        Decoded back = (Decoded) codec.decode(codec.encodeNetstring(m));

        assertThat(back.message()).isEqualTo(m);
        assertThat(back.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
    }

    @Test
    void tornFrameComesOutWholeAndFailsItsSignature() {
        byte[] torn = Fixtures.serial(Fixtures.SERIAL_TORN);
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(torn);

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).isEqualTo(torn);
        Rejected r = (Rejected) codec.decode(frames.get(0));
        assertThat(r.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
        assertThat(r.detail()).contains("nodeb");
    }

    @Test
    void bigFrameWrittenInFourChunksIsReassembled() {
        byte[] big = Fixtures.serial("30-big-1810B-sent-as-4-writes.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter();
        List<byte[]> frames = new ArrayList<>();
        int off = 0;
        for (int len : new int[] {512, 512, 512, 274}) {
            assertThat(frames).isEmpty();
            frames.addAll(splitter.feed(big, off, len));
            off += len;
        }

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).isEqualTo(big);
        assertThat(codec.decode(frames.get(0)).accepted()).isTrue();
    }

    /** The full byte streams of capture run 2, fed with the exact read() sizes socat saw. */
    @Test
    void capturedStreamFromNodeaSplitsIntoItsFramesWithRealReadSizes() {
        Replay r = replay("A2B");

        assertThat(r.frames).hasSize(876);
        assertThat(r.rejected).isEmpty();
        assertThat(r.counters.skippedLines()).isZero();
        assertThat(r.counters.bytesIn()).isEqualTo(185625);
    }

    @Test
    void capturedStreamFromNodebHasExactlyTheOneTornFrame() {
        Replay r = replay("B2A");

        assertThat(r.frames).hasSize(958);
        assertThat(r.rejected).hasSize(1);
        assertThat(r.rejected.get(0).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
        assertThat(r.frames).anySatisfy(f -> assertThat(f).isEqualTo(Fixtures.serial(Fixtures.SERIAL_TORN)));
    }

    @Test
    void capturedStreamSplitsTheSameWhenReadOneByteAtATime() {
        byte[] raw = Fixtures.serial("run2-A2B.raw");
        SerialFrameSplitter whole = new SerialFrameSplitter();
        SerialFrameSplitter bytewise = new SerialFrameSplitter();
        List<byte[]> a = whole.feed(raw);
        List<byte[]> b = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) b.addAll(bytewise.feed(raw, i, 1));

        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).isEqualTo(a.get(i));
    }

    @Test
    void junkAndBlankLinesBetweenFramesAreSkippedAndCounted() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(concat(latin1("login: \n\n  >>> not at line start\n<<<\n"), frame, latin1("noise\n"), frame));

        assertThat(frames).hasSize(2);
        assertThat(frames).allSatisfy(f -> assertThat(f).isEqualTo(frame));
        assertThat(splitter.counters().skippedLines()).isEqualTo(5);
    }

    @Test
    void junkWithoutANewlineSpoilsTheNextStartLine() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(concat(frame, latin1("noise"), frame, frame));

        assertThat(frames).as("'noise>>>' does not start with '>>>'").hasSize(2);
    }

    @Test
    void lineThatMerelyStartsWithTheMarkersOpensAndClosesAFrame() {
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(latin1(">>>junk\nt=status\n<<<junk\n"));

        assertThat(frames).hasSize(1);
        assertThat(latin1(frames.get(0))).isEqualTo(">>>junk\nt=status\n<<<junk\n");
        // heartbeat's master then refuses it in wirefmt2msg_ll: it starts with neither marker line
        assertThat(((Rejected) codec.decode(frames.get(0))).reason()).isEqualTo(RejectReason.UNKNOWN_FORMAT);
    }

    @Test
    void carriageReturnsAreDroppedLikeIgncrDoes() {
        byte[] frame = Fixtures.serial("05-NS_ackmsg-to-self.bin");
        byte[] crlf = latin1(latin1(frame).replace("\n", "\r\n"));
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(crlf);

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).isEqualTo(frame);
        assertThat(codec.decode(frames.get(0)).accepted()).isTrue();
        assertThat(splitter.counters().droppedCarriageReturns()).isEqualTo(frame.length - latin1(frame).replace("\n", "").length());
    }

    @Test
    void eighthBitIsStrippedLikeIstripDoes() {
        byte[] frame = Fixtures.serial("09-starting.bin");
        byte[] noisy = frame.clone();
        noisy[10] |= (byte) 0x80;
        noisy[40] |= (byte) 0x80;
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(noisy);

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).isEqualTo(frame);
        assertThat(splitter.counters().strippedHighBitBytes()).isEqualTo(2);
    }

    @Test
    void nulAfterTheEndLineLosesTheNextFrameAsInHeartbeat() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(concat(frame, new byte[] {0}, frame, frame));

        assertThat(frames).as("the second frame's '>>>' line reads as \"\\0>>>\"").hasSize(2);
        assertThat(splitter.counters().nulCutLines()).isEqualTo(1);
    }

    @Test
    void nulInsideAFrameLineCutsTheRestOfThatLine() {
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(latin1(">>>\nt=sta\0tus\nsrc=x\n<<<\n"));

        assertThat(frames).hasSize(1);
        assertThat(latin1(frames.get(0))).isEqualTo(">>>\nt=sta\nsrc=x\n<<<\n");
    }

    @Test
    void startLineInsideAFrameDoesNotRestartItAsInHeartbeat() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        byte[] tornHead = Arrays.copyOf(frame, 60);
        SerialFrameSplitter splitter = new SerialFrameSplitter();

        List<byte[]> frames = splitter.feed(concat(tornHead, latin1("\n"), frame, frame));

        assertThat(frames).hasSize(2);
        assertThat(((Rejected) codec.decode(frames.get(0))).reason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(frames.get(1)).isEqualTo(frame);
    }

    @Test
    void oversizedFrameIsDroppedAndTheReaderResynchronises() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        byte[] big = Fixtures.serial("30-big-1810B-sent-as-4-writes.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter(1024);

        List<byte[]> frames = splitter.feed(concat(frame, big, frame));

        assertThat(frames).hasSize(2);
        assertThat(frames).allSatisfy(f -> assertThat(f).isEqualTo(frame));
        assertThat(splitter.counters().oversizedFrames()).isEqualTo(1);
    }

    @Test
    void bufferStaysBoundedWhateverArrives() {
        SerialFrameSplitter splitter = new SerialFrameSplitter(4096);
        byte[] junk = new byte[8192];
        Arrays.fill(junk, (byte) 'x');
        for (int i = 0; i < 100; i++) splitter.feed(junk);
        assertThat(splitter.bufferedBytes()).as("a junk line is never buffered").isZero();

        splitter.feed(latin1("\n>>>\nt="));
        for (int i = 0; i < 100; i++) {
            splitter.feed(junk);
            assertThat(splitter.bufferedBytes()).isLessThan(4096);
        }
        assertThat(splitter.counters().oversizedFrames()).isEqualTo(1);
    }

    @Test
    void resetDropsAPartialFrame() {
        byte[] frame = Fixtures.serial("03-status-active-dt1388.bin");
        SerialFrameSplitter splitter = new SerialFrameSplitter();
        splitter.feed(frame, 0, 100);

        splitter.reset();
        List<byte[]> frames = splitter.feed(concat(Arrays.copyOfRange(frame, 100, frame.length), frame));

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).isEqualTo(frame);
        assertThat(splitter.counters().discardedPartialFrames()).isEqualTo(1);
    }

    private record Replay(List<byte[]> frames, List<Rejected> rejected, SerialFrameSplitter.Counters counters) {}

    private Replay replay(String direction) {
        byte[] raw = Fixtures.serial("run2-" + direction + ".raw");
        SerialFrameSplitter splitter = new SerialFrameSplitter();
        List<byte[]> frames = new ArrayList<>();
        int expectedOffset = 0;
        for (int[] chunk : chunks(direction)) {
            assertThat(chunk[0]).as("chunks cover the stream without gaps").isEqualTo(expectedOffset);
            frames.addAll(splitter.feed(raw, chunk[0], chunk[1]));
            expectedOffset = chunk[0] + chunk[1];
        }
        assertThat(expectedOffset).isEqualTo(raw.length);
        assertThat(splitter.bufferedBytes()).as("the capture ends on a frame boundary").isZero();
        List<Rejected> rejected = new ArrayList<>();
        for (byte[] f : frames) {
            if (codec.decode(f) instanceof Rejected r) rejected.add(r);
        }
        return new Replay(frames, rejected, splitter.counters());
    }

    /** {offset, length} of every read() in one direction, from run2-chunks.tsv. */
    private static List<int[]> chunks(String direction) {
        List<int[]> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                SerialLinkTest.class.getResourceAsStream("/heartbeat-fixtures/serial/run2-chunks.tsv"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                if (f[0].equals(direction)) out.add(new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3].trim())});
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
