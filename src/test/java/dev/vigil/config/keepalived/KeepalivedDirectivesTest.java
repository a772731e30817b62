package dev.vigil.config.keepalived;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.DirectiveDoc;
import dev.vigil.config.DirectiveDoc.Status;
import dev.vigil.config.ParseResult;
import dev.vigil.config.keepalived.KeepalivedDirectives.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry is what the parser reads: every row is reachable and behaves as its status says. */
class KeepalivedDirectivesTest {
    @TempDir
    Path dir;

    private static final Map<String, String> WRAP = Map.of(
            KeepalivedDirectives.GLOBAL, "global_defs {\n%s\n}\n",
            KeepalivedDirectives.SCRIPT, "vrrp_script s {\n script /bin/true\n%s\n}\n",
            KeepalivedDirectives.INSTANCE, "vrrp_instance i {\n interface eth0\n virtual_router_id 1\n%s\n}\n",
            KeepalivedDirectives.AUTH, "vrrp_instance i {\n interface eth0\n virtual_router_id 1\n authentication {\n%s\n }\n}\n",
            KeepalivedDirectives.SYNC_GROUP, "vrrp_sync_group g {\n group {\n  i\n }\n%s\n}\n",
            KeepalivedDirectives.TOP, "%s\n");

    @Test
    void rowsAreKeepalivedRowsWithUniqueNamesPerContextAndANote() {
        List<DirectiveDoc> all = KeepalivedDirectives.all();
        assertThat(all).hasSizeGreaterThan(150);
        Set<String> keys = new HashSet<>();
        for (DirectiveDoc d : all) {
            assertThat(d.format()).isEqualTo(ConfigFormat.KEEPALIVED);
            assertThat(d.note()).isNotBlank().endsWith(".");
            assertThat(keys.add(d.context() + "/" + d.name())).as(d.context() + "/" + d.name()).isTrue();
        }
    }

    @Test
    void everyRowIsHandledAsItsStatusSays() {
        for (DirectiveDoc d : KeepalivedDirectives.all()) {
            String wrap = WRAP.get(d.context());
            if (wrap == null) continue;
            Spec spec = KeepalivedDirectives.find(d.context(), d.name()).orElseThrow();
            String line = switch (spec.shape()) {
                case FLAG -> d.name();
                case VALUE -> d.name() + " 1";
                case BLOCK -> d.name() + " x {\n}";
                case LIST -> d.name() + " {\n  1\n}";
            };
            ParseResult<KeepalivedConfig> r = Ka.parse(dir, String.format(wrap, line));
            List<Diagnostic> about = r.diagnostics().all().stream().filter(x -> x.format().contains("'" + d.name() + "'")).toList();
            assertThat(r.diagnostics().all()).as(d.context() + "/" + d.name())
                    .noneMatch(x -> x.message().contains("unknown keyword '" + d.name() + "'") || x.message().contains("no reader"));
            switch (d.status()) {
                case IGNORED -> assertThat(about).as(d.name()).anyMatch(x -> !x.isError() && x.message().contains("ignored"));
                case REJECTED -> assertThat(about).as(d.name()).anyMatch(x -> x.isError() && x.message().contains("not supported by Vigil"));
                case SUPPORTED -> assertThat(about).as(d.name()).noneMatch(x -> x.message().contains("not supported") || x.message().endsWith("ignored"));
            }
        }
    }

    @Test
    void supportedBlocksOfTheVrrpSideAreAllThere() {
        for (String name : List.of("global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group")) {
            assertThat(KeepalivedDirectives.find(KeepalivedDirectives.TOP, name)).get()
                    .satisfies(s -> assertThat(s.status()).isEqualTo(Status.SUPPORTED));
        }
        assertThat(KeepalivedDirectives.find(KeepalivedDirectives.TOP, "virtual_server")).get()
                .satisfies(s -> assertThat(s.status()).isEqualTo(Status.IGNORED));
    }
}
