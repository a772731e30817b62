package dev.vigil.heartbeat.wire;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Classic text form ({@code cl_msg.c:msg2string_buf}, {@code string2msg_ll},
 * {@code cl_msg_types.c}): {@code ">>>\n"}, one {@code [(T)]name=value\n} line per field,
 * {@code "<<<\n"}. The same field text without the markers and without {@code auth} is what the
 * inner signature covers (research heartbeat.md §1.3).
 *
 * <p>Newlines inside values are replaced by control characters so that a field stays on one line:
 * 0x13 in strings ({@code SPECIAL_SYM}), and for a nested struct at depth {@code d} the
 * {@code d}-th entry of {@code SPECIAL_SYMS}. heartbeat gives up beyond 16 levels
 * ({@code MAXDEPTH}).
 */
final class ClassicForm {
    static final byte[] START = {'>', '>', '>', '\n'};
    static final byte[] END = {'<', '<', '<', '\n'};
    static final int MAX_NESTING = 16;
    private static final int STRING_NEWLINE = 0x13;
    private static final int[] STRUCT_NEWLINE = {20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 15, 16, 17, 18};

    private ClassicForm() {}

    record Parsed(HbMessage message, int end) {}

    /** The whole message with markers. Throws IllegalArgumentException if it cannot be written. */
    static byte[] write(HbMessage m) {
        ByteSink out = new ByteSink(256);
        out.write(START);
        writeFields(m, out, 0, false);
        out.write(END);
        return out.toByteArray();
    }

    /** The bytes the inner {@code auth} digest covers ({@code msg2string_buf(..., NOHEAD)}). */
    static byte[] signedText(HbMessage m) {
        ByteSink out = new ByteSink(256);
        writeFields(m, out, 0, true);
        return out.toByteArray();
    }

    private static void writeFields(HbMessage m, ByteSink out, int depth, boolean skipAuth) {
        for (HbField f : m.fields()) {
            if (skipAuth && f.name().equals(HbMessage.AUTH)) continue;
            if (f.type() != FieldType.STRING) out.writeAscii("(" + f.type().code() + ")");
            out.write(Bytes.latin1(f.name()));
            out.write('=');
            writeValue(f.value(), out, depth);
            out.write('\n');
        }
    }

    private static void writeValue(HbValue v, ByteSink out, int depth) {
        if (v instanceof HbValue.Text t) {
            byte[] b = Bytes.latin1(t.value());
            for (byte x : b) out.write(x == '\n' ? STRING_NEWLINE : x);
        } else if (v instanceof HbValue.Binary bin) {
            out.write(Base64.getEncoder().encode(bin.bytes()));
        } else if (v instanceof HbValue.Compressed c) {
            out.write(Base64.getEncoder().encode(c.bytes()));
        } else if (v instanceof HbValue.StringList l) {
            out.write(packList(l.items()));
        } else if (v instanceof HbValue.Struct s) {
            if (depth >= MAX_NESTING) {
                throw new IllegalArgumentException("structs nested deeper than " + MAX_NESTING + " levels cannot be written in classic form");
            }
            byte[] child = write(s.message(), depth + 1);
            int sym = STRUCT_NEWLINE[depth];
            for (byte x : child) {
                // cl_msg_types.c:convert_nl_sym refuses a value that already holds its symbol.
                if (x == sym) throw new IllegalArgumentException("nested struct contains control byte " + sym + " used for its newlines");
                out.write(x == '\n' ? sym : x);
            }
        }
    }

    private static byte[] write(HbMessage m, int depth) {
        ByteSink out = new ByteSink(128);
        out.write(START);
        writeFields(m, out, depth, false);
        out.write(END);
        return out.toByteArray();
    }

    /** {@code len:item,} for each item ({@code cl_msg_types.c:string_list_pack}); shared with netstring form. */
    static byte[] packList(List<String> items) {
        ByteSink out = new ByteSink(64);
        for (String item : items) {
            byte[] b = Bytes.latin1(item);
            out.writeAscii(b.length + ":");
            out.write(b);
            out.write(',');
        }
        return out.toByteArray();
    }

    /** The inverse of {@link #packList}; heartbeat refuses empty lists and zero-length items. */
    static List<String> unpackList(byte[] b, int off, int end) {
        if (off >= end) throw new WireException(RejectReason.MALFORMED, "empty list field");
        List<String> items = new ArrayList<>();
        int pos = off;
        while (pos < end) {
            int digits = pos;
            while (digits < end && b[digits] >= '0' && b[digits] <= '9' && digits - pos < 10) digits++;
            if (digits == pos || digits - pos > 9 || digits >= end || b[digits] != ':') {
                throw new WireException(RejectReason.MALFORMED, "list item without a length");
            }
            int len = Integer.parseInt(Bytes.latin1(b, pos, digits - pos));
            int itemStart = digits + 1;
            if (len <= 0 || (long) itemStart + len >= end || b[itemStart + len] != ',') {
                throw new WireException(RejectReason.MALFORMED, "list item of bad length");
            }
            items.add(Bytes.latin1(b, itemStart, len));
            pos = itemStart + len + 1;
        }
        return items;
    }

    /**
     * Parses one message starting with {@code ">>>\n"} at {@code off}, up to and including its
     * {@code "<<<\n"} line. Blank lines are skipped and each other line splits at its first
     * {@code '='}, as in {@code string2msg_ll}. Stricter than heartbeat where heartbeat's result
     * would be garbage: a line without {@code '='}, a NUL, or a missing {@code "<<<"} line is an
     * error here.
     */
    static Parsed parse(byte[] b, int off, int end, int depth) {
        if (!Bytes.startsWith(b, off, end, START)) throw new WireException(RejectReason.MALFORMED, "no '>>>' line");
        HbMessage.Builder builder = HbMessage.builder();
        int pos = off + START.length;
        while (true) {
            while (pos < end && b[pos] == '\n') pos++;
            if (pos >= end) throw new WireException(RejectReason.TRUNCATED, "no '<<<' line");
            if (b[pos] == 0) throw new WireException(RejectReason.TRUNCATED, "NUL before the '<<<' line");
            if (Bytes.startsWith(b, pos, end, END)) return new Parsed(builder.build(), pos + END.length);
            int lineEnd = Bytes.indexOf(b, pos, end, '\n');
            if (lineEnd < 0) throw new WireException(RejectReason.TRUNCATED, "last line has no newline");
            if (Bytes.indexOf(b, pos, lineEnd, 0) >= 0) throw new WireException(RejectReason.MALFORMED, "NUL inside a field line");
            int eq = Bytes.indexOf(b, pos, lineEnd, '=');
            if (eq < 0) {
                throw new WireException(RejectReason.MALFORMED, "line without '=': " + Bytes.printable(Bytes.latin1(b, pos, lineEnd - pos), 40));
            }
            addField(builder, b, pos, eq, lineEnd, depth);
            pos = lineEnd + 1;
        }
    }

    private static void addField(HbMessage.Builder builder, byte[] b, int nameStart, int eq, int valueEnd, int depth) {
        String name = Bytes.latin1(b, nameStart, eq - nameStart);
        FieldType type = FieldType.STRING;
        if (name.startsWith("(")) {
            // cl_msg_types.c:add_string_field: exactly one digit; (0) is refused, types without a
            // classic form (5 and up) have no stringtofield function.
            if (name.length() < 3 || name.charAt(2) != ')') throw new WireException(RejectReason.MALFORMED, "bad type prefix on " + Bytes.printable(name, 40));
            type = FieldType.ofCode(name.charAt(1) - '0');
            if (type == null || type == FieldType.STRING) {
                throw new WireException(RejectReason.MALFORMED, "field type " + Bytes.printable(name.substring(0, 3), 8) + " not valid in classic form");
            }
            name = name.substring(3);
        }
        int vs = eq + 1;
        HbValue value;
        try {
            value = switch (type) {
                case STRING -> {
                    char[] chars = new char[valueEnd - vs];
                    for (int i = 0; i < chars.length; i++) {
                        int x = b[vs + i] & 0xFF;
                        chars[i] = x == STRING_NEWLINE ? '\n' : (char) x;
                    }
                    yield new HbValue.Text(new String(chars));
                }
                case BINARY -> new HbValue.Binary(base64(b, vs, valueEnd));
                case COMPRESSED -> new HbValue.Compressed(base64(b, vs, valueEnd));
                case LIST -> new HbValue.StringList(unpackList(b, vs, valueEnd));
                case STRUCT -> new HbValue.Struct(parseStruct(b, vs, valueEnd, depth));
            };
            builder.add(name, value);
        } catch (IllegalArgumentException e) {
            throw new WireException(RejectReason.MALFORMED, e.getMessage());
        }
    }

    private static HbMessage parseStruct(byte[] b, int off, int end, int depth) {
        if (depth >= MAX_NESTING) throw new WireException(RejectReason.MALFORMED, "structs nested deeper than " + MAX_NESTING + " levels");
        byte[] child = new byte[end - off];
        int sym = STRUCT_NEWLINE[depth];
        for (int i = 0; i < child.length; i++) {
            byte x = b[off + i];
            child[i] = x == sym ? (byte) '\n' : x;
        }
        Parsed p;
        try {
            p = parse(child, 0, child.length, depth + 1);
        } catch (WireException ex) {
            // Inside a field the line is complete, so running out of bytes means a bad struct.
            if (ex.reason != RejectReason.TRUNCATED) throw ex;
            throw new WireException(RejectReason.MALFORMED, "nested struct: " + ex.getMessage());
        }
        if (p.end() != child.length) throw new WireException(RejectReason.MALFORMED, "bytes after the end of a nested struct");
        return p.message();
    }

    private static byte[] base64(byte[] b, int off, int end) {
        byte[] text = new byte[end - off];
        System.arraycopy(b, off, text, 0, text.length);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new WireException(RejectReason.MALFORMED, "bad base64 in a binary field");
        }
    }
}
