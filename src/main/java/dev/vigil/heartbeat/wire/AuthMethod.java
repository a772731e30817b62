package dev.vigil.heartbeat.wire;

import java.util.Locale;
import java.util.Optional;

/** The signature methods of heartbeat's authkeys file (heartbeat 3.0.6 {@code lib/plugins/HBauth}). */
public enum AuthMethod {
    CRC, MD5, SHA1;

    /** The name as written in authkeys and in the {@code auth} field of a message. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AuthMethod> fromWireName(String s) {
        for (AuthMethod m : values()) if (m.wireName().equalsIgnoreCase(s)) return Optional.of(m);
        return Optional.empty();
    }
}
