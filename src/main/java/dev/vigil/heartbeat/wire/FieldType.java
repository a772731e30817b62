package dev.vigil.heartbeat.wire;

/**
 * The type of an {@code ha_msg} field, with the digit heartbeat writes as {@code (N)} on the wire
 * (glue {@code ha_msg.h} {@code FT_*}, table {@code cl_msg_types.c:fieldtypefuncs}).
 *
 * <p>Type 5 ({@code FT_UNCOMPRESS}) is heartbeat's in-memory form of a decompressed struct; it is
 * converted back to type 4 before a message leaves the process, so it is not modelled here and a
 * packet carrying it is rejected as malformed.
 */
public enum FieldType {
    /** Printable text; written without a {@code (0)} prefix in classic form. */
    STRING(0),
    /** Raw bytes; base64 in classic form, raw in netstring form. */
    BINARY(1),
    /** A nested message. */
    STRUCT(2),
    /** A non-empty list of non-empty strings, packed as {@code len:item,len:item,}. */
    LIST(3),
    /** An opaque compressed payload ({@code cl_compress.c}); carried like binary. */
    COMPRESSED(4);

    private final int code;

    FieldType(int code) {
        this.code = code;
    }

    /** The digit inside {@code (N)}. */
    public int code() {
        return code;
    }

    /** The type for a wire digit, or {@code null} when the digit is not one heartbeat sends. */
    static FieldType ofCode(int code) {
        for (FieldType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }
}
