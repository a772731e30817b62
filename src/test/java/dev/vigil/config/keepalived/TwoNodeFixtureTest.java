package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end on the two-node fixture: each file is clean alone, together they show the weight trap. */
class TwoNodeFixtureTest {
    static final Path DIR = Path.of("src/test/resources/keepalived/two-nodes");

    @Test
    void eachNodeIsCleanAloneButTogetherTheWeightCannotMoveTheVip() {
        List<KeepalivedConfig> nodes = List.of(parseClean("db1.conf"), parseClean("db2.conf"));
        Diagnostics out = new Diagnostics();
        WeightTrap.analyze(nodes, out);
        assertThat(out.all()).singleElement().satisfies((Diagnostic d) -> {
            // the weight lives in the shared included file, so that is where the fix goes
            assertThat(d.file()).isEqualTo(DIR.resolve("conf.d/scripts.conf"));
            assertThat(d.line()).isEqualTo(7);
            assertThat(d.message()).isEqualTo("if chk_mysql fails on db1 (db1.conf), db1 (db1.conf) keeps 100 and db2 (db2.conf) reaches 90: "
                    + "no failover; use |weight| > 20");
        });
    }

    private static KeepalivedConfig parseClean(String name) {
        ParseResult<KeepalivedConfig> r = new KeepalivedParser().withHostId("db").parse(DIR.resolve(name));
        Diagnostics all = new Diagnostics();
        all.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), all);
        assertThat(all.all()).as(name).isEmpty();
        assertThat(r.model().files()).containsExactly(DIR.resolve(name), DIR.resolve("conf.d/scripts.conf"));
        return r.model();
    }
}
