package dev.vigil.transport.bpf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A BPF Type Format blob ({@code Documentation/bpf/btf.rst}): a header, then type records, then
 * their names. The kernel needs one for two things here: a map value holding a {@code struct
 * bpf_timer} (the verifier finds the timer by that struct's name and size) and the function records
 * of a program with a timer callback ("missing btf func_info" otherwise).
 */
public final class Btf {
    static final int MAGIC = 0xeB9F;
    static final int KIND_INT = 1, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_FUNC = 12, KIND_FUNC_PROTO = 13;
    static final int INT_SIGNED = 1;

    private final ByteArrayOutputStream names = new ByteArrayOutputStream();
    private final List<int[]> types = new ArrayList<>(); // each record as its 32-bit words
    private final List<String> nameIndex = new ArrayList<>();

    public Btf() {
        names.write(0); // offset 0 is the empty name
    }

    private int name(String s) {
        if (s == null || s.isEmpty()) return 0;
        int at = names.size();
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        names.write(b, 0, b.length);
        names.write(0);
        return at;
    }

    private int add(int... words) {
        types.add(words);
        return types.size(); // type ids start at 1; 0 is void
    }

    private static int info(int kind, int vlen) {
        return (kind << 24) | (vlen & 0xffff);
    }

    /** An integer type of {@code bytes} bytes. */
    public int integer(String name, int bytes, boolean signed) {
        return add(name(name), info(KIND_INT, 0), bytes, ((signed ? INT_SIGNED : 0) << 24) | (bytes * 8));
    }

    public int array(int elementType, int indexType, int elements) {
        return add(0, info(KIND_ARRAY, 0), 0, elementType, indexType, elements);
    }

    /** A struct of {@code bytes} bytes; members are {name, type id, bit offset} triples. */
    public int struct(String name, int bytes, Object... members) {
        int n = members.length / 3;
        int[] w = new int[3 + 3 * n];
        w[0] = name(name);
        w[1] = info(KIND_STRUCT, n);
        w[2] = bytes;
        for (int i = 0; i < n; i++) {
            w[3 + 3 * i] = name((String) members[3 * i]);
            w[4 + 3 * i] = (Integer) members[3 * i + 1];
            w[5 + 3 * i] = (Integer) members[3 * i + 2];
        }
        return add(w);
    }

    /** A function prototype returning {@code returnType}, with unnamed parameters of the given types. */
    public int functionProto(int returnType, int... parameterTypes) {
        int[] w = new int[3 + 2 * parameterTypes.length];
        w[1] = info(KIND_FUNC_PROTO, parameterTypes.length);
        w[2] = returnType;
        for (int i = 0; i < parameterTypes.length; i++) w[4 + 2 * i] = parameterTypes[i];
        return add(w);
    }

    /** A static function (linkage 0: the verifier checks its body, not its prototype). */
    public int function(String name, int protoType) {
        return add(name(name), info(KIND_FUNC, 0), protoType);
    }

    public byte[] encode() {
        int typeBytes = 0;
        for (int[] t : types) typeBytes += 4 * t.length;
        byte[] s = names.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + typeBytes + s.length).order(ByteOrder.nativeOrder());
        b.putShort((short) MAGIC).put((byte) 1).put((byte) 0);
        b.putInt(24).putInt(0).putInt(typeBytes).putInt(typeBytes).putInt(s.length);
        for (int[] t : types) for (int w : t) b.putInt(w);
        b.put(s);
        return b.array();
    }
}
