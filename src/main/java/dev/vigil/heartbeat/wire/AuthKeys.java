package dev.vigil.heartbeat.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The key set of an authkeys file: up to 16 entries indexed 0..15 ({@code auth.c:parse_authfile},
 * {@code MAXAUTH}) and the active index named by the {@code auth N} line, which signs every
 * outgoing message. {@link #toString()} shows indexes and methods only.
 */
public final class AuthKeys {
    /** heartbeat's {@code MAXAUTH}: authkeys indexes are 0..15. */
    public static final int MAX_INDEX = 15;

    private final AuthKey[] byIndex = new AuthKey[MAX_INDEX + 1];
    private final int activeIndex;

    private AuthKeys(int activeIndex, Collection<AuthKey> keys) {
        for (AuthKey k : keys) {
            if (k == null || k.method() == null) throw new IllegalArgumentException("incomplete authkeys entry");
            if (k.index() < 0 || k.index() > MAX_INDEX) {
                throw new IllegalArgumentException("authkeys index " + k.index() + " is outside 0.." + MAX_INDEX);
            }
            if (byIndex[k.index()] != null) throw new IllegalArgumentException("authkeys index " + k.index() + " is listed twice");
            // auth.c refuses sha1/md5 without a key; crc ignores its key.
            if (k.method() != AuthMethod.CRC && (k.key() == null || k.key().length() == 0)) {
                throw new IllegalArgumentException("authkeys index " + k.index() + " (" + k.method().wireName() + ") has no key");
            }
            byIndex[k.index()] = k;
        }
        if (activeIndex < 0 || activeIndex > MAX_INDEX || byIndex[activeIndex] == null) {
            throw new IllegalArgumentException("active authkeys index " + activeIndex + " has no entry");
        }
        this.activeIndex = activeIndex;
    }

    public static AuthKeys of(int activeIndex, Collection<AuthKey> keys) {
        return new AuthKeys(activeIndex, keys);
    }

    public static AuthKeys of(int activeIndex, AuthKey... keys) {
        return new AuthKeys(activeIndex, List.of(keys));
    }

    /** The single-entry key set used by most clusters. */
    public static AuthKeys single(AuthKey key) {
        return of(key.index(), key);
    }

    public AuthKey active() {
        return byIndex[activeIndex];
    }

    public Optional<AuthKey> byIndex(int index) {
        return index < 0 || index > MAX_INDEX ? Optional.empty() : Optional.ofNullable(byIndex[index]);
    }

    public List<AuthKey> all() {
        List<AuthKey> out = new ArrayList<>();
        for (AuthKey k : byIndex) {
            if (k != null) out.add(k);
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AuthKeys[auth ").append(activeIndex);
        for (AuthKey k : all()) sb.append("; ").append(k);
        return sb.append(']').toString();
    }
}
