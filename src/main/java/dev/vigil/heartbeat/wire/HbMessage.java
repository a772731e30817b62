package dev.vigil.heartbeat.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A heartbeat message ({@code struct ha_msg}): an ordered list of named, typed fields. Names may
 * repeat (glue {@code cl_msg.c:ha_msg_addraw} never checks); lookups by name return the first
 * match, as {@code cl_get_value} does. Immutable; build one with {@link #builder()}.
 *
 * <p>Field names are C strings too: non-empty, without {@code '='}, newline or NUL (the classic
 * parser splits at the first {@code '='}, one field per line). Names may not start with
 * {@code '('} (it would read as a type prefix in classic form, {@code cl_msg_types.c:add_string_field}),
 * {@code ">>>"} (refused by {@code ha_msg_addraw_ll}) or {@code "<<<"} (it would end a serial frame).
 *
 * <p>{@link #toString()} shows every field including the {@code auth} signature (a digest, not a
 * key); a message never holds key material.
 */
public final class HbMessage {
    /** Standard field names ({@code include/ha_msg.h}); research heartbeat.md §1.4. */
    public static final String TYPE = "t";
    public static final String STATUS = "st";
    public static final String SRC = "src";
    public static final String SRC_UUID = "srcuuid";
    public static final String DEST = "dest";
    public static final String DEST_UUID = "destuuid";
    public static final String SEQ = "seq";
    public static final String GENERATION = "hg";
    public static final String TIMESTAMP = "ts";
    public static final String LOAD = "ld";
    public static final String TTL = "ttl";
    public static final String DEADTIME = "dt";
    public static final String PROTOCOL = "protocol";
    public static final String AUTH = "auth";

    private final List<HbField> fields;

    private HbMessage(List<HbField> fields) {
        this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.fields.addAll(fields);
        return b;
    }

    public List<HbField> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public boolean has(String name) {
        return first(name).isPresent();
    }

    /** The first field with this name, whatever its type. */
    public Optional<HbField> first(String name) {
        for (HbField f : fields) {
            if (f.name().equals(name)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** Every field with this name, in order. */
    public List<HbField> all(String name) {
        List<HbField> out = new ArrayList<>();
        for (HbField f : fields) {
            if (f.name().equals(name)) out.add(f);
        }
        return out;
    }

    /** The first field with this name if it is a string ({@code ha_msg_value} semantics). */
    public Optional<String> string(String name) {
        return first(name).filter(f -> f.value() instanceof HbValue.Text).map(f -> ((HbValue.Text) f.value()).value());
    }

    public Optional<byte[]> binary(String name) {
        return first(name).filter(f -> f.value() instanceof HbValue.Binary).map(f -> ((HbValue.Binary) f.value()).bytes());
    }

    public Optional<HbMessage> struct(String name) {
        return first(name).filter(f -> f.value() instanceof HbValue.Struct).map(f -> ((HbValue.Struct) f.value()).message());
    }

    public Optional<List<String>> list(String name) {
        return first(name).filter(f -> f.value() instanceof HbValue.StringList).map(f -> ((HbValue.StringList) f.value()).items());
    }

    /** A string field holding hex digits only (heartbeat writes {@code seq}, {@code hg}, {@code ts}, {@code dt} with {@code %lx}). */
    public OptionalLong hex(String name) {
        return parseUnsigned(string(name), 16);
    }

    /** A string field holding decimal digits only ({@code ttl}, {@code NS_rexmit firstseq}: {@code ha_msg_add_int}). */
    public OptionalLong decimal(String name) {
        return parseUnsigned(string(name), 10);
    }

    /** A 16-byte binary field as a UUID (libuuid byte order, which is the RFC 4122 order). */
    public Optional<UUID> uuid(String name) {
        return binary(name).filter(b -> b.length == 16).map(b -> {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new UUID(bb.getLong(), bb.getLong());
        });
    }

    public Optional<String> type() {
        return string(TYPE);
    }

    public Optional<String> status() {
        return string(STATUS);
    }

    public Optional<String> src() {
        return string(SRC);
    }

    public Optional<UUID> srcUuid() {
        return uuid(SRC_UUID);
    }

    public Optional<String> dest() {
        return string(DEST);
    }

    public Optional<UUID> destUuid() {
        return uuid(DEST_UUID);
    }

    public OptionalLong seq() {
        return hex(SEQ);
    }

    public OptionalLong generation() {
        return hex(GENERATION);
    }

    /** The sender's {@code time(NULL)} in seconds. */
    public OptionalLong timestamp() {
        return hex(TIMESTAMP);
    }

    /** The sender's own deadtime in milliseconds ({@code dt}, hex; heartbeat.md §1.4). */
    public OptionalLong deadtimeMillis() {
        return hex(DEADTIME);
    }

    public OptionalInt ttl() {
        OptionalLong v = decimal(TTL);
        return v.isPresent() && v.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
    }

    public Optional<String> load() {
        return string(LOAD);
    }

    public Optional<String> protocol() {
        return string(PROTOCOL);
    }

    /**
     * The inner signature: the <em>last</em> {@code auth} field, which is the one heartbeat's
     * {@code ha_msg_internal.c:isauthentic} checks, parsed like its {@code sscanf}. Empty when
     * there is none, or it is not a string, or it does not parse.
     */
    public Optional<AuthSignature> auth() {
        List<HbField> auths = all(AUTH);
        if (auths.isEmpty() || !(auths.get(auths.size() - 1).value() instanceof HbValue.Text t)) return Optional.empty();
        return AuthSignature.parse(t.value());
    }

    /** This message without any top-level {@code auth} field. */
    public HbMessage withoutAuth() {
        return toBuilder().remove(AUTH).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HbMessage m && fields.equals(m.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HbMessage{");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(fields.get(i));
        }
        return sb.append('}').toString();
    }

    private static OptionalLong parseUnsigned(Optional<String> s, int radix) {
        if (s.isEmpty()) return OptionalLong.empty();
        String v = s.get();
        if (v.isEmpty() || v.length() > (radix == 16 ? 16 : 19)) return OptionalLong.empty();
        for (int i = 0; i < v.length(); i++) {
            if (Character.digit(v.charAt(i), radix) < 0 || v.charAt(i) > 0x7F) return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(v, radix));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty field name");
        checkText(name, "field name");
        if (name.indexOf('=') >= 0 || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("field name contains '=' or a newline: " + Bytes.printable(name, 40));
        }
        if (name.charAt(0) == '(' || name.startsWith(">>>") || name.startsWith("<<<")) {
            throw new IllegalArgumentException("field name may not start with '(', '>>>' or '<<<': " + Bytes.printable(name, 40));
        }
    }

    static void checkText(String s, String what) {
        if (s == null) throw new IllegalArgumentException(what + " is null");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) throw new IllegalArgumentException(what + " contains NUL");
            if (c > 0xFF) throw new IllegalArgumentException(what + " has a char outside ISO-8859-1 (the wire is one byte per char)");
        }
    }

    /** Builds a message field by field, in wire order. */
    public static final class Builder {
        private final List<HbField> fields = new ArrayList<>();

        private Builder() {}

        public Builder add(String name, HbValue value) {
            return add(new HbField(name, value));
        }

        /**
         * Appends a field. A list joins an earlier list of the same name and a list may not follow
         * another type under the same name: heartbeat's {@code cl_msg_types.c:add_list_field}.
         */
        public Builder add(HbField field) {
            if (field.value() instanceof HbValue.StringList list) {
                for (int i = 0; i < fields.size(); i++) {
                    HbField f = fields.get(i);
                    if (!f.name().equals(field.name())) continue;
                    if (f.value() instanceof HbValue.StringList old) {
                        List<String> merged = new ArrayList<>(old.items());
                        merged.addAll(list.items());
                        fields.set(i, new HbField(f.name(), new HbValue.StringList(merged)));
                        return this;
                    }
                    throw new IllegalArgumentException("list field '" + Bytes.printable(field.name(), 40)
                            + "' follows a " + f.type() + " field of the same name");
                }
            }
            fields.add(field);
            return this;
        }

        public Builder add(String name, String value) {
            return add(name, new HbValue.Text(value));
        }

        /** Adds an unsigned number in lowercase hex, as heartbeat's {@code "%lx"}. */
        public Builder addHex(String name, long value) {
            return add(name, Long.toHexString(value));
        }

        /** Adds a number in decimal, as heartbeat's {@code "%d"}/{@code ha_msg_add_int}. */
        public Builder addDecimal(String name, long value) {
            return add(name, Long.toString(value));
        }

        public Builder addBinary(String name, byte[] value) {
            return add(name, new HbValue.Binary(value));
        }

        public Builder addUuid(String name, UUID uuid) {
            ByteBuffer bb = ByteBuffer.allocate(16);
            bb.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            return addBinary(name, bb.array());
        }

        public Builder addStruct(String name, HbMessage value) {
            return add(name, new HbValue.Struct(value));
        }

        public Builder addList(String name, List<String> items) {
            return add(name, new HbValue.StringList(items));
        }

        public Builder addCompressed(String name, byte[] value) {
            return add(name, new HbValue.Compressed(value));
        }

        /**
         * Replaces the value of the first field with this name, keeping its position, or appends
         * the field when there is none: {@code cl_msg.c:cl_msg_mod}, which also refuses to change
         * a field's type.
         */
        public Builder set(String name, HbValue value) {
            for (int i = 0; i < fields.size(); i++) {
                HbField f = fields.get(i);
                if (f.name().equals(name)) {
                    if (f.type() != value.type()) {
                        throw new IllegalArgumentException("field '" + Bytes.printable(name, 40) + "' is " + f.type() + ", not " + value.type());
                    }
                    fields.set(i, new HbField(name, value));
                    return this;
                }
            }
            return add(name, value);
        }

        public Builder set(String name, String value) {
            return set(name, new HbValue.Text(value));
        }

        /** Removes every field with this name. */
        public Builder remove(String name) {
            fields.removeIf(f -> f.name().equals(name));
            return this;
        }

        public HbMessage build() {
            return new HbMessage(fields);
        }
    }
}
