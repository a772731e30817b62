package dev.vigil.heartbeat;

import dev.vigil.heartbeat.membership.HbGeneration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@code STATE_DIR/hb_generation} and {@code STATE_DIR/hb_uuid} in heartbeat's own formats (a
 * 15-wide decimal and a newline; 16 raw bytes), so a state directory can be carried over from
 * {@code /var/lib/heartbeat} and back. Each file is written to a temporary file in the same
 * directory, forced to disk and renamed over the old one: a crash leaves the old value or the new
 * one, never a torn file that would restart the generation count (and make peers drop our messages
 * as replays).
 */
public final class FileStateStore implements HbStateStore {
    public static final String GENERATION_FILE = "hb_generation";
    public static final String UUID_FILE = "hb_uuid";

    private final Path dir;
    private UUID uuid;

    public FileStateStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public OptionalLong storedGeneration() throws IOException {
        Path f = dir.resolve(GENERATION_FILE);
        try {
            return HbGeneration.parse(Files.readString(f, StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void persistGeneration(long generation) throws IOException {
        writeAtomically(dir.resolve(GENERATION_FILE), HbGeneration.fileContent(generation).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public synchronized UUID uuid() throws IOException {
        if (uuid != null) return uuid;
        Path f = dir.resolve(UUID_FILE);
        if (Files.exists(f)) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
            }
            if (b.length != 16) {
                throw new IOException(f + " holds " + b.length + " bytes, not the 16 of a uuid; move it away to get a new one");
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            uuid = new UUID(bb.getLong(), bb.getLong());
            return uuid;
        }
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        // RFC 4122 version 4, as uuid_generate writes it
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        writeAtomically(f, b);
        ByteBuffer bb = ByteBuffer.wrap(b);
        uuid = new UUID(bb.getLong(), bb.getLong());
        return uuid;
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            forceDirectory();
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    public Path directory() {
        return dir;
    }
}
