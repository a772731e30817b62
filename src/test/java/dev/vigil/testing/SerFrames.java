package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A line-for-line Java port of the research checker {@code heartbeat-fixtures/serial/tools/serframes.py}
 * (CI images need not carry python3): splits a raw heartbeat serial byte stream into frames and checks
 * each frame's inner {@code auth} field the way heartbeat 3.0.6 does.
 *
 * <p>Frame = {@code ">>>\n"} + ({@code name=value\n})* + {@code "<<<\n"}, no NUL, no netstring trailer.
 * {@code auth} = {@code "1 " + hex(HMAC-SHA1(key, S))}, S = every field line except {@code auth},
 * byte-exact, each ending in {@code \n} (binary fields appear as {@code (1)name=<base64>} and are
 * hashed in that form). Only {@code auth 1 sha1} keys are supported: that is what the script checks.
 */
public final class SerFrames {
    private static final byte[] START = ">>>\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "<<<\n".getBytes(StandardCharsets.US_ASCII);

    /** One piece of the stream: a frame, bytes outside any frame ("junk"), or an unterminated tail ("partial"). */
    public record Piece(String kind, int offset, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The script's summary line, as numbers. */
    public record Report(int verified, int bad, int junkPieces, int partialPieces, int bytes, int nonPrintable,
                         List<Piece> badFrames, List<Piece> frames) {
        @Override
        public String toString() {
            return "frames verified " + verified + " bad " + bad + " ; bytes " + bytes
                    + " ; bytes outside printable ASCII+LF: " + nonPrintable + " ; junk " + junkPieces + " partial " + partialPieces;
        }
    }

    private SerFrames() {
    }

    /** {@code frames(data)}. */
    public static List<Piece> split(byte[] data) {
        List<Piece> out = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            int s = indexOf(data, START, i);
            if (s < 0) {
                out.add(new Piece("junk", i, slice(data, i, data.length)));
                break;
            }
            if (s > i) out.add(new Piece("junk", i, slice(data, i, s)));
            int e = indexOf(data, END, s);
            if (e < 0) {
                out.add(new Piece("partial", s, slice(data, s, data.length)));
                break;
            }
            out.add(new Piece("frame", s, slice(data, s, e + 4)));
            i = e + 4;
        }
        return out;
    }

    /** {@code fields(fr)}: name/value pairs in order (a line without '=' has a null value, as Python's 1-tuple). */
    public static List<String[]> fields(byte[] frame) {
        String body = new String(frame, 4, frame.length - 8, StandardCharsets.ISO_8859_1);
        String[] lines = body.split("\n", -1);
        List<String[]> r = new ArrayList<>();
        for (int k = 0; k < lines.length - 1; k++) {
            int eq = lines[k].indexOf('=');
            r.add(eq < 0 ? new String[] {lines[k], null} : new String[] {lines[k].substring(0, eq), lines[k].substring(eq + 1)});
        }
        return r;
    }

    /** {@code verify(fr, key)}. */
    public static boolean verify(byte[] frame, String key) {
        StringBuilder s = new StringBuilder();
        Map<String, String> last = new LinkedHashMap<>();
        for (String[] f : fields(frame)) {
            if (f[1] == null) return false; // Python's dict() raises on a 1-tuple: not a valid frame
            last.put(f[0], f[1]);
            if (!f[0].equals("auth")) s.append(f[0]).append('=').append(f[1]).append('\n');
        }
        String auth = last.getOrDefault("auth", "");
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String want = "1 " + HexFormat.of().formatHex(mac.doFinal(s.toString().getBytes(StandardCharsets.ISO_8859_1)));
            return auth.equals(want);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script's main: every frame checked, pieces outside frames and bytes outside printable ASCII + LF counted. */
    public static Report check(byte[] raw, String key) {
        int ok = 0;
        int bad = 0;
        int junk = 0;
        int partial = 0;
        List<Piece> bads = new ArrayList<>();
        List<Piece> frames = new ArrayList<>();
        for (Piece p : split(raw)) {
            switch (p.kind()) {
                case "junk" -> junk++;
                case "partial" -> partial++;
                default -> {
                    frames.add(p);
                    if (verify(p.bytes(), key)) {
                        ok++;
                    } else {
                        bad++;
                        bads.add(p);
                    }
                }
            }
        }
        int nonPrintable = 0;
        for (byte b : raw) {
            int u = b & 0xff;
            if (u > 126 || (u < 32 && u != 10)) nonPrintable++;
        }
        return new Report(ok, bad, junk, partial, raw.length, nonPrintable, List.copyOf(bads), List.copyOf(frames));
    }

    /** The value of field {@code name} in a frame, or null. */
    public static String field(byte[] frame, String name) {
        for (String[] f : fields(frame)) if (f[0].equals(name)) return f[1];
        return null;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] slice(byte[] d, int from, int to) {
        byte[] r = new byte[to - from];
        System.arraycopy(d, from, r, 0, r.length);
        return r;
    }
}
