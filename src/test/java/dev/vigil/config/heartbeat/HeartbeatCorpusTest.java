package dev.vigil.config.heartbeat;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vigil.config.heartbeat.TestFiles.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every heartbeat file of the real-world corpus (shared/corpus/SOURCES.md), parsed by the parser
 * its name selects. The copies' file modes are whatever git gives, so authkeys are read without
 * the mode check.
 */
class HeartbeatCorpusTest {

    static final Path CORPUS = TestFiles.resource("corpus/heartbeat");

    /**
     * The corpus files Vigil must reject, with the exact line:column of each error (0:0 = the
     * whole file). Every other corpus file must parse without error.
     */
    static final Map<String, List<String>> REJECTED = Map.ofEntries(
            // Deliberately broken (SOURCES.md): node lines written as "tim2 tim2", so no node is declared at all.
            Map.entry("gitim95-ansible__Heartbeat_ha.cf", List.of("0:0", "8:1", "9:1")),
            // Deliberately broken: misspelled "undport"; also "logfacility local10", which heartbeat refuses.
            Map.entry("maxencecolmant-asterrisk-project__ha.cf", List.of("4:17", "9:1")),
            // Pacemaker clusters ("crm yes|respawn", "pacemaker on"), some with "autojoin any".
            Map.entry("7layer-org-7layer-org__ha.d_ha.cf", List.of("14:12", "21:5")),
            Map.entry("auditt7708-pacemaker-resource__conf_ha.cf", List.of("21:10", "23:5")),
            Map.entry("pulecp-vagrant-pacemaker__ha.cf", List.of("1:11")),
            Map.entry("raspberry1123-ha-setting__etc_ha.d_ha.cf", List.of("1:11")),
            Map.entry("seanhead-puppet-pacemaker__files_etc_ha.d_ha.cf", List.of("0:0", "19:5", "23:14")),
            // Unexpanded ${...} template placeholders in ucast and node values.
            Map.entry("dglib-haproxy-ha__heartbeat_ha.d_ha.cf", List.of("10:12", "20:9", "21:9")),
            // Placeholder words where IPaddr needs an address.
            Map.entry("kingkami-virtu-linux__heartbeat_haresources", List.of("2:23")),
            Map.entry("nmg1986-heartbeat-install__etc_haresources", List.of("1:9")));

    static Stream<Path> corpusFiles() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.sorted().toList().stream();
        }
    }

    static ParseResult<?> parse(Path file) {
        ConfigFormat format = ConfigFormat.detect(file).orElseThrow(() -> new AssertionError("no format for " + file));
        return switch (format) {
            case HA_CF -> new HaCfParser().parse(file);
            case HARESOURCES -> new HaresourcesParser().parse(file);
            case AUTHKEYS -> new AuthkeysParser().withPermissionCheck(false).parse(file);
            case KEEPALIVED, VIGIL_CONF -> throw new AssertionError("not a heartbeat file: " + file);
        };
    }

    @Test
    void theCorpusHasTheFiftyFiveHeartbeatFilesOfSourcesMd() throws IOException {
        List<ConfigFormat> formats = corpusFiles().map(p -> ConfigFormat.detect(p).orElseThrow()).toList();
        assertThat(formats).hasSize(55);
        assertThat(formats.stream().filter(f -> f == ConfigFormat.HA_CF)).hasSize(25);
        assertThat(formats.stream().filter(f -> f == ConfigFormat.HARESOURCES)).hasSize(20);
        assertThat(formats.stream().filter(f -> f == ConfigFormat.AUTHKEYS)).hasSize(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void eachFileIsAcceptedOrRejectedAtTheExpectedPlaces(Path file) throws IOException {
        ParseResult<?> r = parse(file);
        String name = file.getFileName().toString();
        List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (Diagnostic d : r.diagnostics().all()) {
            assertThat(d.file()).isEqualTo(file);
            assertThat(d.line()).as(d.format()).isBetween(0, lines.size());
            assertThat(d.message()).doesNotContain("internal error");
        }
        List<String> errorPlaces = errors(r.diagnostics()).stream().map(e -> e.line() + ":" + e.column()).sorted().toList();
        assertThat(errorPlaces).as(r.diagnostics().sorted().toString()).isEqualTo(REJECTED.getOrDefault(name, List.of()));
        assertThat(r.ok()).isEqualTo(!REJECTED.containsKey(name));
    }

    @Test
    void brokenNodeLinesInGitim95AreUnknownDirectivesWithANodeHint() {
        ParseResult<?> r = parse(CORPUS.resolve("gitim95-ansible__Heartbeat_ha.cf"));
        List<Diagnostic> onLines = errors(r.diagnostics()).stream().filter(e -> e.line() > 0).toList();
        assertThat(onLines).extracting(Diagnostic::message)
                .containsExactly("unknown directive 'tim2'", "unknown directive 'tim1'");
        assertThat(onLines).extracting(Diagnostic::hint)
                .containsExactly("if 'tim2' is a cluster node, declare it as 'node tim2'", "if 'tim1' is a cluster node, declare it as 'node tim1'");
    }

    @Test
    void undportInMaxencecolmantSuggestsUdpport() {
        ParseResult<?> r = parse(CORPUS.resolve("maxencecolmant-asterrisk-project__ha.cf"));
        assertThat(errors(r.diagnostics())).filteredOn(e -> e.line() == 9).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("unknown directive 'undport'");
            assertThat(e.hint()).isEqualTo("did you mean 'udpport'?");
        });
    }

    @Test
    void crlfFilesOfGitim95ReadTheirValues() {
        @SuppressWarnings("unchecked")
        ParseResult<HaCf> cf = (ParseResult<HaCf>) parse(CORPUS.resolve("gitim95-ansible__Heartbeat_ha.cf"));
        assertThat(cf.model().keepalive().value().toMillis()).isEqualTo(1000);
        assertThat(cf.model().deadtime().value().toMillis()).isEqualTo(10000);
        assertThat(cf.model().autoFailback().value()).isEqualTo(HaCf.AutoFailback.ON);
        @SuppressWarnings("unchecked")
        ParseResult<Authkeys> keys = (ParseResult<Authkeys>) parse(CORPUS.resolve("gitim95-ansible__Heartbeat_authkeys"));
        assertThat(keys.diagnostics().all()).isEmpty();
        assertThat(keys.model().signingKey().orElseThrow().key().reveal()).isEqualTo("MaClefSecrete");
    }

    @Test
    void theStockSampleHaCfIsVersionOneModeAndAccepted() {
        @SuppressWarnings("unchecked")
        ParseResult<HaCf> r = (ParseResult<HaCf>) parse(CORPUS.resolve("slpcat-freebsd-config__ha.d_ha.cf"));
        assertThat(r.ok()).isTrue();
        assertThat(r.model().media()).singleElement().isInstanceOf(Medium.Ucast.class);
    }

    @Test
    void continuationLinesInTheCorpusJoin() {
        @SuppressWarnings("unchecked")
        ParseResult<Haresources> r = (ParseResult<Haresources>) parse(CORPUS.resolve("witaloandrade-linux-sysadmin-estudos__HeartBeat_haresources"));
        assertThat(r.model().groups()).hasSize(2);
        assertThat(r.model().groups().get(1).resources()).extracting(Haresources.Resource::script).containsExactly("drbddisk", "Filesystem");
    }
}
