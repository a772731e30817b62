package dev.vigil.heartbeat.wire;

/**
 * Netstring form ({@code cl_netstring.c:msg2netstring_buf}, {@code netstring2msg_rec},
 * {@code cl_msg_types.c:fields2netstring}): {@code "###\n"}, then per field
 * {@code LEN:(T)name=value,} where LEN counts the bytes of {@code (T)name=value}, then
 * {@code "%%%\n"}. Values are raw bytes; a struct is a nested netstring message without a
 * trailer; a list is packed as in classic form. The signature trailer is the codec's business.
 */
final class NetstringForm {
    static final byte[] START = {'#', '#', '#', '\n'};
    static final byte[] END = {'%', '%', '%', '\n'};

    private NetstringForm() {}

    record Parsed(HbMessage message, int end) {}

    /** One {@code LEN:payload,} element. */
    record Element(int start, int length, int next) {}

    static byte[] write(HbMessage m) {
        ByteSink out = new ByteSink(512);
        write(m, out, 0);
        return out.toByteArray();
    }

    private static void write(HbMessage m, ByteSink out, int depth) {
        out.write(START);
        for (HbField f : m.fields()) {
            byte[] header = Bytes.latin1("(" + f.type().code() + ")" + f.name() + "=");
            byte[] payload = payload(f.value(), depth);
            out.writeAscii((header.length + payload.length) + ":");
            out.write(header);
            out.write(payload);
            out.write(',');
        }
        out.write(END);
    }

    private static byte[] payload(HbValue v, int depth) {
        if (v instanceof HbValue.Text t) return Bytes.latin1(t.value());
        if (v instanceof HbValue.Binary b) return b.bytes();
        if (v instanceof HbValue.Compressed c) return c.bytes();
        if (v instanceof HbValue.StringList l) return ClassicForm.packList(l.items());
        HbValue.Struct s = (HbValue.Struct) v;
        if (depth >= ClassicForm.MAX_NESTING) {
            throw new IllegalArgumentException("structs nested deeper than " + ClassicForm.MAX_NESTING + " levels");
        }
        ByteSink child = new ByteSink(256);
        write(s.message(), child, depth + 1);
        return child.toByteArray();
    }

    /**
     * Peels {@code LEN:payload,} at {@code pos} ({@code cl_netstring.c:peel_netstring}), stricter
     * than heartbeat in one point: the colon must follow the digits directly.
     */
    static Element element(byte[] b, int pos, int end) {
        int i = pos;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - pos < 10) i++;
        if (i == pos) {
            throw pos >= end ? new WireException(RejectReason.TRUNCATED, "packet ends where a length was expected")
                    : new WireException(RejectReason.MALFORMED, "expected a netstring length");
        }
        if (i - pos > 9) throw new WireException(RejectReason.MALFORMED, "netstring length has too many digits");
        if (i >= end) throw new WireException(RejectReason.TRUNCATED, "packet ends inside a netstring length");
        if (b[i] != ':') throw new WireException(RejectReason.MALFORMED, "netstring length not followed by ':'");
        int len = Integer.parseInt(Bytes.latin1(b, pos, i - pos));
        int start = i + 1;
        if ((long) start + len >= end) throw new WireException(RejectReason.TRUNCATED, "packet ends inside a " + len + "-byte netstring");
        if (b[start + len] != ',') throw new WireException(RejectReason.MALFORMED, "netstring not closed by ','");
        return new Element(start, len, start + len + 1);
    }

    /** Parses {@code "###\n" ... "%%%\n"} at {@code off}; {@link Parsed#end()} is just after {@code "%%%\n"}. */
    static Parsed parse(byte[] b, int off, int end, int depth) {
        if (!Bytes.startsWith(b, off, end, START)) throw new WireException(RejectReason.MALFORMED, "no '###' start");
        HbMessage.Builder builder = HbMessage.builder();
        int pos = off + START.length;
        while (true) {
            if (Bytes.startsWith(b, pos, end, END)) return new Parsed(builder.build(), pos + END.length);
            if (pos >= end || Bytes.isCutMarker(b, pos, end, END)) {
                throw new WireException(RejectReason.TRUNCATED, "no '%%%' end");
            }
            Element e = element(b, pos, end);
            addField(builder, b, e.start(), e.start() + e.length(), depth);
            pos = e.next();
        }
    }

    private static void addField(HbMessage.Builder builder, byte[] b, int s, int e, int depth) {
        // process_netstring_nvpair asserts "(digit)"; a C assert is not a protocol check, so it is one here.
        if (e - s < 4 || b[s] != '(' || b[s + 2] != ')' || b[s + 1] < '0' || b[s + 1] > '9') {
            throw new WireException(RejectReason.MALFORMED, "field does not start with '(type)'");
        }
        FieldType type = FieldType.ofCode(b[s + 1] - '0');
        if (type == null) throw new WireException(RejectReason.MALFORMED, "unsupported field type " + (b[s + 1] - '0'));
        int eq = Bytes.indexOf(b, s + 3, e, '=');
        if (eq < 0) throw new WireException(RejectReason.MALFORMED, "field without '='");
        String name = Bytes.latin1(b, s + 3, eq - (s + 3));
        int vs = eq + 1;
        try {
            HbValue value = switch (type) {
                case STRING -> new HbValue.Text(Bytes.latin1(b, vs, e - vs));
                case BINARY -> new HbValue.Binary(slice(b, vs, e));
                case COMPRESSED -> new HbValue.Compressed(slice(b, vs, e));
                case LIST -> new HbValue.StringList(ClassicForm.unpackList(b, vs, e));
                case STRUCT -> {
                    if (depth >= ClassicForm.MAX_NESTING) {
                        throw new WireException(RejectReason.MALFORMED, "structs nested deeper than " + ClassicForm.MAX_NESTING + " levels");
                    }
                    Parsed child = parseNested(b, vs, e, depth + 1);
                    if (child.end() != e) throw new WireException(RejectReason.MALFORMED, "bytes after the end of a nested struct");
                    yield new HbValue.Struct(child.message());
                }
            };
            builder.add(name, value);
        } catch (IllegalArgumentException ex) {
            throw new WireException(RejectReason.MALFORMED, ex.getMessage());
        }
    }

    /** Inside a field the packet is complete, so running out of bytes means a bad struct, not a cut packet. */
    private static Parsed parseNested(byte[] b, int s, int e, int depth) {
        try {
            return parse(b, s, e, depth);
        } catch (WireException ex) {
            if (ex.reason != RejectReason.TRUNCATED) throw ex;
            throw new WireException(RejectReason.MALFORMED, "nested struct: " + ex.getMessage());
        }
    }

    private static byte[] slice(byte[] b, int s, int e) {
        byte[] out = new byte[e - s];
        System.arraycopy(b, s, out, 0, out.length);
        return out;
    }
}
