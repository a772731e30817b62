package dev.vigil.heartbeat.wire;

import java.util.Arrays;
import java.util.List;

/**
 * The value of one {@code ha_msg} field. Each variant holds exactly what heartbeat keeps in memory
 * for that {@link FieldType}; the wire encodings (classic and netstring) are the codec's business.
 */
public sealed interface HbValue
        permits HbValue.Text, HbValue.Binary, HbValue.Struct, HbValue.StringList, HbValue.Compressed {

    FieldType type();

    /** A string value; one char per byte (ISO-8859-1), no NUL (heartbeat keeps C strings). */
    record Text(String value) implements HbValue {
        public Text {
            HbMessage.checkText(value, "string value");
        }

        @Override
        public FieldType type() {
            return FieldType.STRING;
        }

        @Override
        public String toString() {
            return Bytes.printable(value, 200);
        }
    }

    /** Raw bytes (a uuid, typically); defensive copies in and out. */
    record Binary(byte[] bytes) implements HbValue {
        public Binary {
            bytes = Bytes.copy(bytes);
        }

        @Override
        public byte[] bytes() {
            return Bytes.copy(bytes);
        }

        @Override
        public FieldType type() {
            return FieldType.BINARY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return shortHex(bytes);
        }
    }

    /** A nested message. */
    record Struct(HbMessage message) implements HbValue {
        public Struct {
            if (message == null) throw new IllegalArgumentException("struct value is null");
        }

        @Override
        public FieldType type() {
            return FieldType.STRUCT;
        }

        @Override
        public String toString() {
            return message.toString();
        }
    }

    /**
     * A list of strings. Heartbeat's packed form ({@code cl_msg_types.c:string_list_unpack})
     * cannot express an empty list or an empty item, and classic form cannot carry a newline.
     */
    record StringList(List<String> items) implements HbValue {
        public StringList {
            items = List.copyOf(items);
            if (items.isEmpty()) throw new IllegalArgumentException("list value is empty");
            for (String item : items) {
                HbMessage.checkText(item, "list item");
                if (item.isEmpty()) throw new IllegalArgumentException("list item is empty");
                if (item.indexOf('\n') >= 0) throw new IllegalArgumentException("list item contains a newline");
            }
        }

        @Override
        public FieldType type() {
            return FieldType.LIST;
        }

        @Override
        public String toString() {
            return items.toString();
        }
    }

    /** An opaque compressed payload; Vigil carries it without inflating it. */
    record Compressed(byte[] bytes) implements HbValue {
        public Compressed {
            bytes = Bytes.copy(bytes);
        }

        @Override
        public byte[] bytes() {
            return Bytes.copy(bytes);
        }

        @Override
        public FieldType type() {
            return FieldType.COMPRESSED;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Compressed c && Arrays.equals(bytes, c.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "<" + bytes.length + " compressed bytes>";
        }
    }

    private static String shortHex(byte[] b) {
        if (b.length <= 32) return Bytes.hex(b);
        return Bytes.hex(Arrays.copyOf(b, 32)) + "...(" + b.length + " bytes)";
    }
}
