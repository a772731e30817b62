package dev.vigil.heartbeat.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a serial byte stream, read in arbitrary chunks, into classic frames exactly as heartbeat's
 * serial reader assembles them, then hands them to {@link HbCodec#decode} (research heartbeat.md
 * "Serial link over a pty"; {@code lib/plugins/HBcomm/serial.c:serial_read}, {@code ttygets}).
 *
 * <p>What the tty driver does first ({@code ttysetup}: {@code ISTRIP|IGNCR}): the 8th bit of every
 * byte is cleared, then carriage returns are dropped. Then, line by line:
 * <ul>
 *   <li>Outside a frame every line is skipped until one <em>starts with</em> {@code ">>>"}.</li>
 *   <li>Inside a frame every line is kept, up to and including the first line that starts with
 *       {@code "<<<"}, and the frame is emitted. A {@code ">>>"} line inside a frame does not
 *       restart it: heartbeat keeps it as a field line and the frame then fails to decode; a frame
 *       torn by a {@code tcflush} (fixture {@code serial/90}) also comes out whole and fails its
 *       signature, as it does in heartbeat.</li>
 *   <li>Lines are C strings to heartbeat: a NUL cuts the rest of its line off. That is why a NUL
 *       after {@code "<<<\n"} makes heartbeat lose the next frame, and this splitter too.</li>
 *   <li>A frame that reaches the size limit is dropped and the reader resynchronises on the next
 *       {@code ">>>"} line ({@code "serial_pkt exceeds MAXMSG"}).</li>
 * </ul>
 * Memory is bounded by the frame limit: skipped lines are never buffered. Every deviation is
 * counted in {@link #counters()}. Not thread-safe: one splitter per tty reader.
 */
public final class SerialFrameSplitter {
    /** heartbeat's bound: the assembled frame plus its NUL must stay below {@code MAXMSG}. */
    public static final int DEFAULT_MAX_FRAME_BYTES = HbCodec.MAXMSG - 1;

    /** Totals since construction; {@link #reset()} does not clear them. */
    public record Counters(long bytesIn, long frames, long skippedLines, long strippedHighBitBytes,
            long droppedCarriageReturns, long nulCutLines, long oversizedFrames, long discardedPartialFrames) {}

    /** Where the reader is in the line structure. */
    private enum State {
        /** Outside a frame, at the first bytes of a line: is it a ">>>" line? */
        LINE_START,
        /** Outside a frame, in a line that is not a start line. */
        SKIPPING_LINE,
        /** Outside a frame, in the rest of the line that made the last frame too big. */
        SKIPPING_OVERSIZED_TAIL,
        /** Collecting a frame line. */
        IN_FRAME,
        /** In a frame line after a NUL: the rest of the line is lost, as in a C string. */
        IN_FRAME_AFTER_NUL
    }

    private final int maxFrameBytes;
    private State state = State.LINE_START;
    private byte[] frame;
    private int frameLen;
    /** Start of the current line inside {@link #frame}. */
    private int lineStart;
    /** Outside a frame: how many bytes of ">>>" the current line has matched. */
    private int startMatched;

    private long bytesIn;
    private long frames;
    private long skippedLines;
    private long strippedHighBitBytes;
    private long droppedCarriageReturns;
    private long nulCutLines;
    private long oversizedFrames;
    private long discardedPartialFrames;

    public SerialFrameSplitter() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /** @param maxFrameBytes frames of this many bytes or more are dropped */
    public SerialFrameSplitter(int maxFrameBytes) {
        if (maxFrameBytes < 8) throw new IllegalArgumentException("frame limit too small: " + maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
        this.frame = new byte[Math.min(maxFrameBytes, 1024)];
    }

    public List<byte[]> feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    /** Consumes a chunk as returned by one {@code read()} and returns the frames it completed, in order. */
    public List<byte[]> feed(byte[] chunk, int off, int len) {
        List<byte[]> out = new ArrayList<>();
        for (int i = off; i < off + len; i++) {
            bytesIn++;
            int b = chunk[i] & 0xFF;
            if (b >= 0x80) {
                strippedHighBitBytes++;
                b &= 0x7F;
            }
            if (b == '\r') {
                droppedCarriageReturns++;
                continue;
            }
            byte[] done = accept(b);
            if (done != null) out.add(done);
        }
        return out;
    }

    /** Drops a partly received frame, e.g. after the tty was reopened. */
    public void reset() {
        if (state == State.IN_FRAME || state == State.IN_FRAME_AFTER_NUL) discardedPartialFrames++;
        toLineStart();
    }

    /** Bytes held for the frame being received. */
    public int bufferedBytes() {
        return state == State.IN_FRAME || state == State.IN_FRAME_AFTER_NUL ? frameLen : 0;
    }

    public Counters counters() {
        return new Counters(bytesIn, frames, skippedLines, strippedHighBitBytes, droppedCarriageReturns, nulCutLines,
                oversizedFrames, discardedPartialFrames);
    }

    private byte[] accept(int b) {
        switch (state) {
            case LINE_START -> {
                if (b == '\n') {
                    skippedLines++;
                    toLineStart();
                } else if (b == 0) {
                    nulCutLines++;
                    state = State.SKIPPING_LINE;
                } else if (b != '>') {
                    state = State.SKIPPING_LINE;
                } else if (++startMatched == 3) {
                    state = State.IN_FRAME;
                    frameLen = 0;
                    lineStart = 0;
                    for (int i = 0; i < 3; i++) append('>');
                }
            }
            case SKIPPING_LINE, SKIPPING_OVERSIZED_TAIL -> {
                if (b == '\n') {
                    if (state == State.SKIPPING_LINE) skippedLines++;
                    toLineStart();
                }
            }
            case IN_FRAME, IN_FRAME_AFTER_NUL -> {
                if (b == '\n') return endOfFrameLine();
                if (state == State.IN_FRAME_AFTER_NUL) return null;
                if (b == 0) {
                    nulCutLines++;
                    state = State.IN_FRAME_AFTER_NUL;
                } else if (!append(b)) {
                    state = State.SKIPPING_OVERSIZED_TAIL;
                }
            }
        }
        return null;
    }

    private byte[] endOfFrameLine() {
        boolean endLine = frameLen - lineStart >= 3
                && frame[lineStart] == '<' && frame[lineStart + 1] == '<' && frame[lineStart + 2] == '<';
        if (!append('\n')) {
            toLineStart();
            return null;
        }
        if (endLine) {
            byte[] done = Arrays.copyOf(frame, frameLen);
            frames++;
            toLineStart();
            return done;
        }
        state = State.IN_FRAME;
        lineStart = frameLen;
        return null;
    }

    /** Appends one frame byte, or drops the whole frame when it would reach the limit. */
    private boolean append(int b) {
        if (frameLen + 1 >= maxFrameBytes) {
            oversizedFrames++;
            frameLen = 0;
            return false;
        }
        if (frameLen == frame.length) frame = Arrays.copyOf(frame, Math.min(maxFrameBytes, frame.length * 2));
        frame[frameLen++] = (byte) b;
        return true;
    }

    private void toLineStart() {
        state = State.LINE_START;
        frameLen = 0;
        lineStart = 0;
        startMatched = 0;
    }
}
