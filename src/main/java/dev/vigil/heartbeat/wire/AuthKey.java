package dev.vigil.heartbeat.wire;

import dev.vigil.config.Secret;

/**
 * One line {@code N method [key]} of authkeys. {@code crc} takes no key; heartbeat then signs
 * with an empty one, which is why crc only detects corruption and authenticates nothing.
 */
public record AuthKey(int index, AuthMethod method, Secret key) {
    @Override
    public String toString() {
        return "AuthKey[" + index + " " + method.wireName() + " " + Secret.MASK + "]";
    }
}
