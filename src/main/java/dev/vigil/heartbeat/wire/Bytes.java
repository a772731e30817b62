package dev.vigil.heartbeat.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte helpers. Heartbeat's names and string values are C strings; Vigil holds them as Java
 * strings with one char per byte (ISO-8859-1), which maps every byte value losslessly.
 */
final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {}

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static boolean startsWith(byte[] buf, int off, int end, byte[] prefix) {
        if (end - off < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (buf[off + i] != prefix[i]) return false;
        }
        return true;
    }

    /** The bytes from {@code off} to {@code end} are the beginning of {@code marker}, and fewer than all of it. */
    static boolean isCutMarker(byte[] buf, int off, int end, byte[] marker) {
        if (end - off >= marker.length) return false;
        for (int i = off; i < end; i++) {
            if (buf[i] != marker[i - off]) return false;
        }
        return true;
    }

    /** Index of {@code b} in {@code buf[from, end)}, or -1. */
    static int indexOf(byte[] buf, int from, int end, int b) {
        for (int i = from; i < end; i++) {
            if (buf[i] == (byte) b) return i;
        }
        return -1;
    }

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[b[i] & 0xF];
        }
        return new String(out);
    }

    /** A printable, bounded rendering for diagnostics: never used for key material. */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) sb.append(c);
            else if (c == '\n') sb.append("\\n");
            else sb.append(String.format("\\x%02x", (int) c));
        }
        if (sb.length() >= max) {
            sb.setLength(max);
            sb.append("...");
        }
        return sb.toString();
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
