package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceDocTest {

    @Test
    void committedConfigurationReferenceMatchesTheParsersTables() throws Exception {
        Path doc = Path.of("docs/configuration.md");
        String generated = ConfigReference.markdown();
        assertThat(Files.exists(doc)).as("docs/configuration.md exists; regenerate with: java -jar target/vigil.jar config-reference > docs/configuration.md").isTrue();
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is stale; regenerate with: java -jar target/vigil.jar config-reference > docs/configuration.md")
                .isEqualTo(generated);
    }

    @Test
    void everyFormatHasRowsOfEveryKindWhereTheyExist() {
        String md = ConfigReference.markdown();
        assertThat(md).contains("| `udpport` | supported").contains("| `vrrp_instance` |").contains("rejected");
    }
}
