package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceStoreTest {

    @Test
    void noFileMeansNothingInMaintenance(@TempDir Path dir) throws Exception {
        assertThat(new MaintenanceStore(dir).read()).isEmpty();
    }

    @Test
    void whatIsWrittenIsReadBackByTheNextStart(@TempDir Path dir) throws Exception {
        new MaintenanceStore(dir).write(Set.of("VI_2", "VI_1"));
        assertThat(new MaintenanceStore(dir).read()).containsExactly("VI_1", "VI_2");
        assertThat(Files.readAllLines(dir.resolve(MaintenanceStore.FILE))).first().asString().startsWith("#");
        assertThat(dir.resolve(MaintenanceStore.FILE + ".tmp")).doesNotExist();
    }

    @Test
    void anEmptyListRemovesTheFile(@TempDir Path dir) throws Exception {
        MaintenanceStore store = new MaintenanceStore(dir);
        store.write(Set.of("VI_1"));
        store.write(Set.of());
        assertThat(dir.resolve(MaintenanceStore.FILE)).doesNotExist();
        assertThat(store.read()).isEmpty();
    }

    @Test
    void anOperatorsHandEditIsRead(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(MaintenanceStore.FILE), List.of("# taken out for the disk swap", "", "  VI_7  "));
        assertThat(new MaintenanceStore(dir).read()).containsExactly("VI_7");
    }
}
