package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;
import dev.vigil.heartbeat.wire.AuthKey;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * authkeys as heartbeat's {@code auth.c:parse_authfile} reads it: the keys by index and the one
 * selected to sign outgoing messages. Keys are {@link dev.vigil.config.Secret}s; nothing here
 * prints them. Built only by {@link AuthkeysParser}; immutable.
 */
public final class Authkeys {

    /** heartbeat's {@code MAXAUTH}: key indexes are 0-15. */
    public static final int MAX_INDEX = 15;

    /** One {@code N method [key]} line. {@code crc} keys are empty. */
    public record Entry(AuthKey key, SourceLocation location) {
        @Override
        public String toString() {
            return key + " at " + location;
        }
    }

    private final Path file;
    private final List<Entry> entries;
    private final Optional<Entry> signing;
    private final Optional<SourceLocation> authLine;

    Authkeys(Path file, List<Entry> entries, Optional<Entry> signing, Optional<SourceLocation> authLine) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.signing = signing;
        this.authLine = authLine;
    }

    public Path file() {
        return file;
    }

    /** The key definitions heartbeat keeps, one per index (a later line for the same index replaces the earlier). */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<AuthKey> key(int index) {
        return entries.stream().map(Entry::key).filter(k -> k.index() == index).findFirst();
    }

    /** The key that signs outgoing messages ({@code config->authmethod}); received messages may use any key. */
    public Optional<AuthKey> signingKey() {
        return signing.map(Entry::key);
    }

    public Optional<Entry> signingEntry() {
        return signing;
    }

    /** Where the {@code auth N} line that selected the signing key is. */
    public Optional<SourceLocation> authLine() {
        return authLine;
    }

    @Override
    public String toString() {
        return "Authkeys[" + file + ": " + entries.size() + " key(s), signing with "
                + signing.map(e -> e.key().toString()).orElse("none") + "]";
    }
}
