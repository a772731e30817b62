package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hb_generation and hb_uuid in heartbeat's formats, kept across restarts. */
class FileStateStoreTest {

    @Test
    void generationIsStoredInHeartbeatsFormatAndReadBack(@TempDir Path dir) throws IOException {
        FileStateStore store = new FileStateStore(dir);
        assertThat(store.storedGeneration()).isEmpty();
        store.persistGeneration(1795553669L);
        assertThat(Files.readString(dir.resolve("hb_generation"))).isEqualTo("     1795553669\n");
        assertThat(new FileStateStore(dir).storedGeneration()).isEqualTo(OptionalLong.of(1795553669L));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hb_generation");
        }
    }

    @Test
    void aHeartbeatStateDirectoryIsReadAsIs(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hb_generation"), "             17\n");
        byte[] raw = new byte[16];
        for (int i = 0; i < 16; i++) raw[i] = (byte) (0xa0 + i);
        Files.write(dir.resolve("hb_uuid"), raw);
        FileStateStore store = new FileStateStore(dir);
        assertThat(store.storedGeneration()).isEqualTo(OptionalLong.of(17));
        assertThat(store.uuid()).isEqualTo(UUID.fromString("a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf"));
    }

    @Test
    void theUuidIsCreatedOnceAndKept(@TempDir Path dir) throws IOException {
        UUID first = new FileStateStore(dir).uuid();
        assertThat(Files.size(dir.resolve("hb_uuid"))).isEqualTo(16);
        assertThat(new FileStateStore(dir).uuid()).isEqualTo(first);
        assertThat(first.version()).isEqualTo(4);
    }

    @Test
    void aTruncatedUuidFileIsRefusedNotReplaced(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("hb_uuid"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new FileStateStore(dir).uuid()).isInstanceOf(IOException.class).hasMessageContaining("3 bytes");
        assertThat(Files.size(dir.resolve("hb_uuid"))).isEqualTo(3);
    }

    @Test
    void anUnwritableDirectoryIsReportedWithThePath(@TempDir Path dir) throws IOException {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
        // root ignores directory permissions; a path under a regular file fails for everyone
        Path blocked = Files.isWritable(ro) ? Files.createFile(dir.resolve("file")).resolve("state") : ro;
        assertThatThrownBy(() -> new FileStateStore(blocked).persistGeneration(5))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot write " + blocked.resolve("hb_generation"));
    }
}
