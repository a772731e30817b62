package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real-world keepalived.conf of the corpus (test resources, see corpus/SOURCES.md): no
 * exception, every diagnostic on an existing line, and the deliberately broken files rejected at
 * the lines where they break.
 */
class KeepalivedCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/corpus/keepalived");

    /** Files with at least one parse error; all others must parse cleanly (warnings allowed). */
    static final Set<String> REJECTED = Set.of(
            "32fca06c-eltex__etc_keepalived_keepalived.conf",          // <virtual_ip>, <ip_server1> placeholders
            "chris2k20-keepalived-hcloud__keepalived-backup.conf",     // XXX.XXX.XXX.XXX/32
            "gzk2015-config__keepalived_keepalived.conf",              // vvrp_script
            "hanxueluo-gittrace__keepalived_keepalived.conf",          // @TOKEN@ placeholders
            "haq0003-keepalived__etc_keepalived_keepalived.conf",      // XX.XX.XX.n
            "hippoprogrammer-redundant-pihole-servers__keepalived-backup.conf", // [main_ip]
            "kailongli-elb-test__keepalived.conf",                     // local_address_group (Alibaba fork)
            "lorentzca-adachin-git__keepalived_conf.d_vrrp.conf",      // 192.xxx.xxx.xxx/xx
            "mall0c-keydb-multi-master-issues__keepalived.conf",       // vrrp_track_process, __VIRTUAL_IP__
            "proitlab-procluster__keepalived_keepalived.conf",         // sync group without group {}
            "recruitee-failover-watcher__keepalived.conf",             // {{PLACEHOLDER}}
            "relix42-kauji-files__etc_keepalived_keepalived.conf",     // merge conflict markers
            "shidg-note__keepalived_keepalived.conf",                  // unclosed instance + pasted bash
            "swaphb-boilerplates__keepalived_keepalived.conf",         // value-only comments, duplicate instance
            "zillow-linuxgateway__etc_keepalived_keepalived.conf");    // garp_master_delay in global_defs

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.sorted().toList().stream();
        }
    }

    private static ParseResult<KeepalivedConfig> parse(String name) {
        return new KeepalivedParser().withHostId("corpus-host").parse(CORPUS.resolve(name));
    }

    private static Set<Integer> errorLines(ParseResult<KeepalivedConfig> r, boolean withChecks) {
        Diagnostics all = new Diagnostics();
        all.addAll(r.diagnostics());
        if (withChecks) KeepalivedChecks.check(r.model(), all);
        Set<Integer> lines = new TreeSet<>();
        all.all().stream().filter(Diagnostic::isError).forEach(d -> lines.add(d.line()));
        return lines;
    }

    @Test
    void corpusHasTheFortyFilesOfSourcesMd() throws IOException {
        assertThat(corpus().count()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void parsesAndChecksWithoutExceptionAndEveryDiagnosticIsOnARealLine(Path file) throws IOException {
        ParseResult<KeepalivedConfig> r = new KeepalivedParser().withHostId("corpus-host").parse(file);
        Diagnostics all = new Diagnostics();
        all.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), all);
        long lines = Files.readString(file).lines().count();
        for (Diagnostic d : all.all()) {
            assertThat(d.file()).isEqualTo(file);
            assertThat(d.line()).as(d.format()).isBetween(1, (int) lines);
            assertThat(d.message()).doesNotContain("internal error", "has no reader");
        }
        String name = file.getFileName().toString();
        assertThat(r.ok()).as(name + " accepted").isEqualTo(!REJECTED.contains(name));
        if (!r.ok()) assertThat(r.diagnostics().hasErrors()).isTrue();
    }

    @Test
    void relix42MergeConflictMarkersAndTypoAreErrorsAtTheirLines() {
        var r = parse("relix42-kauji-files__etc_keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(14, 23, 29, 38, 54, 60, 69, 85, 91, 100);
        assertThat(r.diagnostics().all()).filteredOn(d -> d.line() == 29).singleElement()
                .satisfies(d -> assertThat(d.hint()).isEqualTo("did you mean 'lvs_sync_daemon_interface'?"));
        assertThat(r.model().instances()).hasSize(3);
    }

    @Test
    void shidgUnclosedInstanceAndPastedBashAreErrors() {
        var r = parse("shidg-note__keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(15, 38, 40, 41, 42, 43, 44, 45, 46, 48);
        assertThat(r.diagnostics().all()).filteredOn(d -> d.line() == 15).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("never closed"));
    }

    @Test
    void gzk2015VvrpScriptTypoIsAnErrorAndTheTrackScriptThenNamesNothing() {
        var r = parse("gzk2015-config__keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(13);
        assertThat(errorLines(r, true)).containsExactly(13, 38);
    }

    @Test
    void proitlabSyncGroupWithoutGroupBlock() {
        var r = parse("proitlab-procluster__keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(1, 2);
        assertThat(r.model().syncGroups().get(0).members()).isEmpty();
    }

    @Test
    void swaphbValueOnlyCommentsAndDuplicateInstanceName() {
        var r = parse("swaphb-boilerplates__keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(8, 15, 26, 32, 39);
        assertThat(r.diagnostics().all()).filteredOn(d -> d.line() == 26 && d.isError()).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("VI_1 is defined twice"));
    }

    @Test
    void hanxueluoAtTokenPlaceholdersAreNotSilentlyDroppedConditionalLines() {
        var r = parse("hanxueluo-gittrace__keepalived_keepalived.conf");
        assertThat(errorLines(r, false)).containsExactly(8, 15, 18, 20, 21, 22, 26);
    }

    @Test
    void upstreamSampleParsesWithOneWarningPerLvsBlock() {
        var r = parse("acassen-keepalived__etc_keepalived_keepalived.conf");
        assertThat(r.diagnostics().all()).filteredOn(d -> d.message().contains("virtual_server")).extracting(Diagnostic::line)
                .containsExactly(39, 65, 114);
        VrrpInstance vi = r.model().instances().get(0);
        assertThat(vi.authentication().orElseThrow().type()).contains(AuthType.AH);
    }

    @Test
    void pecioConditionalLinesPickThePriorityOfThisHost() {
        Path file = CORPUS.resolve("pecio-stretch-nfsv4-keepalived__keepalived.conf");
        assertThat(new KeepalivedParser().withHostId("nfs1").parse(file).model().instances().get(0).priority()).isEqualTo(101);
        assertThat(new KeepalivedParser().withHostId("nfs2").parse(file).model().instances().get(0).priority()).isEqualTo(100);
    }

    @Test
    void checksFindWhatKeepalivedReportsInTheCorpus() {
        // keepalived -t: "number '256' outside range [1, 255]" (1142jb line 36),
        // "VRRP version 3 does not support authentication" (1771.6), "Truncating auth_pass" (n0vabyte line 30)
        assertThat(errorLines(parse("pqarmitage-keepalived-devel-tools__configs_1142jb.conf"), true)).contains(36);
        Diagnostics v3 = new Diagnostics();
        KeepalivedChecks.check(parse("pqarmitage-keepalived-devel-tools__configs_1771.6.conf").model(), v3);
        assertThat(v3.all()).filteredOn(d -> d.message().contains("RFC 5798")).hasSize(2);
        Diagnostics trunc = new Diagnostics();
        KeepalivedChecks.check(parse("n0vabyte-linode-netv4-keepalived__files_keepalived.conf").model(), trunc);
        assertThat(trunc.all()).filteredOn(d -> d.message().startsWith("auth_pass is")).extracting(Diagnostic::line).containsExactly(30);
    }

    @Test
    void corpusFilesAsSeveralNodesRunThroughTheWeightTrapWithoutException() throws IOException {
        List<KeepalivedConfig> nodes = corpus().map(p -> new KeepalivedParser().withHostId("corpus-host").parse(p).model()).toList();
        Diagnostics out = new Diagnostics();
        WeightTrap.analyze(nodes, out);
        assertThat(out.all()).allSatisfy(d -> assertThat(d.line()).isPositive());
    }
}
