package dev.vigil.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key or password from a configuration file (authkeys keys, {@code auth_pass}). Its
 * {@code toString()} is always {@code ********} so that no log line, diagnostic, JSON response or
 * exception message can carry the value by accident; code that needs the bytes asks for them.
 */
public final class Secret {
    public static final String MASK = "********";
    private final byte[] value;

    public Secret(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    public Secret(byte[] value) {
        this.value = value.clone();
    }

    public byte[] bytes() {
        return value.clone();
    }

    /** The value as text: only for the wire codecs and for writing configuration files. */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
