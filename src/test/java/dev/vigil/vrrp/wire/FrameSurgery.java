package dev.vigil.vrrp.wire;

import java.util.Arrays;

/**
 * Edits captured frames for hostile-input tests and repairs the checksums afterwards, so that a
 * test can aim at exactly one defect. Works on raw offsets, independently of the codec under test.
 */
final class FrameSurgery {
    static final int ETH = 14;

    private final byte[] frame;

    private FrameSurgery(byte[] frame) {
        this.frame = frame.clone();
    }

    static FrameSurgery of(byte[] frame) {
        return new FrameSurgery(frame);
    }

    boolean isIpv6() {
        return ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == 0x86dd;
    }

    int ipHeaderLength() {
        return isIpv6() ? 40 : (frame[ETH] & 0x0f) * 4;
    }

    int payloadOffset() {
        return ETH + ipHeaderLength();
    }

    int payloadLength() {
        if (isIpv6()) {
            return u16(ETH + 4);
        }
        return u16(ETH + 2) - ipHeaderLength();
    }

    FrameSurgery set(int offset, int value) {
        frame[offset] = (byte) value;
        return this;
    }

    FrameSurgery setIp(int ipOffset, int value) {
        return set(ETH + ipOffset, value);
    }

    FrameSurgery setVrrp(int vrrpOffset, int value) {
        return set(payloadOffset() + vrrpOffset, value);
    }

    FrameSurgery setIpWord(int ipOffset, int value) {
        frame[ETH + ipOffset] = (byte) (value >>> 8);
        frame[ETH + ipOffset + 1] = (byte) value;
        return this;
    }

    /** Recomputes the IPv4 header checksum. */
    FrameSurgery fixIpChecksum() {
        if (!isIpv6()) {
            setIpWord(10, 0);
            setIpWord(10, InternetChecksum.compute(frame, ETH, ipHeaderLength()));
        }
        return this;
    }

    /**
     * Recomputes the VRRP checksum the keepalived 2.2.7 way, reading the version from byte 0:
     * v2 over the message, v3 with the pseudo-header and the real destination.
     */
    FrameSurgery fixVrrpChecksum() {
        int off = payloadOffset();
        int len = payloadLength();
        frame[off + 6] = 0;
        frame[off + 7] = 0;
        long sum = 0;
        if ((frame[off] & 0xff) >>> 4 == 3) {
            if (isIpv6()) {
                sum = InternetChecksum.add(sum, frame, ETH + 8, 32);
                sum = InternetChecksum.addWord(sum, len >>> 16);
                sum = InternetChecksum.addWord(sum, len);
            } else {
                sum = InternetChecksum.add(sum, frame, ETH + 12, 8);
                sum = InternetChecksum.addWord(sum, len);
            }
            sum = InternetChecksum.addWord(sum, 112);
        }
        int c = InternetChecksum.finish(InternetChecksum.add(sum, frame, off, len));
        frame[off + 6] = (byte) (c >>> 8);
        frame[off + 7] = (byte) c;
        return this;
    }

    /** Recomputes the ICMPv6 checksum of an NA frame. */
    FrameSurgery fixIcmpv6Checksum() {
        int off = ETH + 40;
        int len = u16(ETH + 4);
        frame[off + 2] = 0;
        frame[off + 3] = 0;
        long sum = InternetChecksum.add(0, frame, ETH + 8, 32);
        sum = InternetChecksum.addWord(sum, len >>> 16);
        sum = InternetChecksum.addWord(sum, len);
        sum = InternetChecksum.addWord(sum, 58);
        int c = InternetChecksum.finish(InternetChecksum.add(sum, frame, off, len));
        frame[off + 2] = (byte) (c >>> 8);
        frame[off + 3] = (byte) c;
        return this;
    }

    FrameSurgery truncate(int length) {
        return new FrameSurgery(Arrays.copyOf(frame, length));
    }

    /** Appends bytes as an Ethernet NIC pads a short frame (with arbitrary content, as some do). */
    FrameSurgery padTo(int length, int fill) {
        byte[] out = Arrays.copyOf(frame, Math.max(length, frame.length));
        Arrays.fill(out, frame.length, out.length, (byte) fill);
        return new FrameSurgery(out);
    }

    byte[] payload() {
        return Arrays.copyOfRange(frame, payloadOffset(), payloadOffset() + payloadLength());
    }

    byte[] bytes() {
        return frame.clone();
    }

    private int u16(int off) {
        return (frame[off] & 0xff) << 8 | (frame[off + 1] & 0xff);
    }
}
