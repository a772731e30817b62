package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Preprocessing and lexical quirks of keepalived.conf, each checked against keepalived 2.2.7's behaviour. */
class KeepalivedLexerTest {
    @TempDir
    Path dir;

    @Test
    void includeGlobIsRelativeToTheIncludingFileAndNestedIncludesToTheirOwnDirectory() {
        Ka.write(dir, "conf.d/b.conf", Ka.instance("VI_B", "  priority 90"));
        Ka.write(dir, "conf.d/a.conf", Ka.instance("VI_A", "  virtual_router_id 52").replace("virtual_router_id 51", "virtual_router_id 53")
                + "include sub/*.conf\n");
        Ka.write(dir, "conf.d/sub/c.conf", "vrrp_script chk { script /bin/true }\n");
        Ka.write(dir, "conf.d/.hidden.conf", "garbage garbage\n");
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "include conf.d/*.conf\n");
        assertThat(Ka.errors(r)).isEmpty();
        // glob(3) order: a.conf before b.conf; dot files are not matched by '*'
        assertThat(r.model().instances()).extracting(VrrpInstance::name).containsExactly("VI_A", "VI_B");
        assertThat(r.model().scripts()).extracting(VrrpScript::name).containsExactly("chk");
        assertThat(r.model().files()).hasSize(4);
        assertThat(r.model().instance("VI_B").orElseThrow().location().file()).isEqualTo(dir.resolve("conf.d/b.conf"));
    }

    @Test
    void includeWithAbsolutePathAndBraceAlternatives() {
        Path abs = Ka.write(dir, "elsewhere/x.conf", "vrrp_script x { script /bin/true }\n");
        Ka.write(dir, "elsewhere/y.conf", "vrrp_script y { script /bin/true }\n");
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "include " + abs + "\ninclude " + dir.resolve("elsewhere") + "/{y,z}.conf\n");
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(r.model().scripts()).extracting(VrrpScript::name).containsExactly("x", "y");
    }

    @Test
    void diagnosticsInAnIncludedFilePointAtThatFileAndLine() {
        Ka.write(dir, "inc/bad.conf", "\n\nvrrp_instance V {\n  priorty 100\n}\n");
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "# main\ninclude inc/bad.conf\n");
        Diagnostic d = r.diagnostics().all().stream().filter(x -> x.message().contains("priorty")).findFirst().orElseThrow();
        assertThat(d.file()).isEqualTo(dir.resolve("inc/bad.conf"));
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(3);
        assertThat(d.hint()).contains("did you mean 'priority'?");
    }

    @Test
    void includeCycleIsReportedOnceAtTheIncludeLineInsteadOfRecursingForever() {
        Ka.write(dir, "b.conf", "\ninclude keepalived.conf\n");
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "include b.conf\n" + Ka.instance("VI_1", ""));
        List<Diagnostic> cycles = r.diagnostics().all().stream().filter(d -> d.message().startsWith("include cycle")).toList();
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).file()).isEqualTo(dir.resolve("b.conf"));
        assertThat(cycles.get(0).line()).isEqualTo(2);
        assertThat(cycles.get(0).message()).contains("keepalived.conf -> b.conf -> keepalived.conf");
        assertThat(r.model().instances()).hasSize(1);
    }

    @Test
    void plainIncludeOfNothingIsAWarningButIncludeaIsAnError() {
        ParseResult<KeepalivedConfig> plain = Ka.parse(dir, "include none/*.conf\n");
        assertThat(Ka.errors(plain)).isEmpty();
        assertThat(Ka.warnings(plain)).singleElement().satisfies(d -> assertThat(d.message()).contains("no file matches 'none/*.conf'"));
        ParseResult<KeepalivedConfig> strict = Ka.parse(dir, "includea none/*.conf\n");
        assertThat(Ka.errors(strict)).singleElement().satisfies(d -> assertThat(d.line()).isEqualTo(1));
    }

    @Test
    void atIdLinesAreKeptOnlyOnTheMatchingHostAndAtCaretIdOnTheOthers() {
        String text = Ka.instance("VI_1", "  @node1 priority 150\n  @node2 priority 100\n  unicast_peer {\n    @^node1 10.0.0.1\n    @^node2 10.0.0.2\n  }");
        VrrpInstance on1 = new KeepalivedParser().withHostId("node1").parse(Ka.write(dir, "k.conf", text)).model().instances().get(0);
        VrrpInstance on2 = new KeepalivedParser().withHostId("node2").parse(Ka.write(dir, "k.conf", text)).model().instances().get(0);
        VrrpInstance onOther = new KeepalivedParser().withHostId("node3").parse(Ka.write(dir, "k.conf", text)).model().instances().get(0);
        assertThat(on1.priority()).isEqualTo(150);
        assertThat(on1.unicastPeers()).extracting(p -> p.address().getHostAddress()).containsExactly("10.0.0.2");
        assertThat(on2.priority()).isEqualTo(100);
        assertThat(on2.unicastPeers()).extracting(p -> p.address().getHostAddress()).containsExactly("10.0.0.1");
        assertThat(onOther.configuredPriority()).isEmpty();
        assertThat(onOther.unicastPeers()).hasSize(2);
    }

    @Test
    void defaultHostIdIsTheFirstLabelOfTheHostName() {
        assertThat(new KeepalivedParser().hostId()).isNotBlank().doesNotContain(".");
    }

    @Test
    void parametersAreSubstitutedAsDollarNameAndDollarBraceNameAndUndefinedOnesStay() {
        KeepalivedConfig cfg = Ka.model(dir, "$IF=eth7\n$PRIO=12\n" + Ka.instance("VI_1", "  interface $IF\n  priority ${PRIO}0\n  notify_master \"/bin/echo $UNDEF ${ALSO_UNDEF}\""));
        VrrpInstance i = cfg.instances().get(0);
        assertThat(i.interfaceName()).contains("eth7");
        assertThat(i.priority()).isEqualTo(120);
        assertThat(i.notifications().master().orElseThrow().commandLine()).isEqualTo("/bin/echo $UNDEF ${ALSO_UNDEF}");
    }

    @Test
    void parameterDefinitionContinuesOverBackslashLinesAndEachBecomesALine() {
        String text = "$BODY= \\\n  interface eth0 \\\n  virtual_router_id ${ID} \\\n  @node1 priority 200 \\\n  virtual_ipaddress { 10.0.${ID}.1 }\n"
                + "$ID=5\nvrrp_instance A {\n  $BODY\n}\n$ID=6\nvrrp_instance B {\n  $BODY\n}\n";
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, text);
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(r.model().instances()).extracting(VrrpInstance::virtualRouterId).containsExactly(5, 6);
        assertThat(r.model().instances()).extracting(VrrpInstance::priority).containsExactly(200, 200);
        assertThat(r.model().instance("B").orElseThrow().virtualAddresses().get(0).address().getHostAddress()).isEqualTo("10.0.6.1");
        // words produced by a parameter point at the line that used it
        assertThat(r.model().instance("B").orElseThrow().virtualRouterIdLocation().orElseThrow().line()).isEqualTo(12);
    }

    @Test
    void backslashOutsideAParameterDefinitionDoesNotContinueTheLine() {
        // keepalived 2.2.7 -t: the next line is read as a keyword of its own ("Unknown keyword 'arg2'")
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  notify_master \"/bin/echo x\" \\\n    arg2"));
        assertThat(Ka.errors(r)).anySatisfy(d -> {
            assertThat(d.message()).contains("unknown keyword 'arg2'");
            assertThat(d.line()).isEqualTo(8);
        });
    }

    @Test
    void selfReferencingParameterStopsWithAnError() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "$A=x${A}\n$A\n");
        assertThat(Ka.errors(r)).anySatisfy(d -> assertThat(d.message()).contains("nested more than"));
    }

    @Test
    void bracesAnywhereOpenOnTheNextLineCloseMidLineAndStayOneLine() {
        String text = "vrrp_script chk { script \"/bin/true\"\n interval 2 }\nvrrp_instance VI_1\n{\n  interface eth0\n  virtual_router_id 51\n"
                + "  virtual_ipaddress {10.0.0.1/24}\n  track_script { chk weight 10 } } vrrp_instance VI_2 { interface eth0\n"
                + "  virtual_router_id 52\n  virtual_ipaddress {\n   10.0.0.2\n  }\n}\n";
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, text);
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(r.model().instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
        assertThat(r.model().scripts().get(0).interval()).hasSeconds(2);
        VrrpInstance vi1 = r.model().instances().get(0);
        assertThat(vi1.virtualAddresses()).singleElement().satisfies(a -> assertThat(a.prefixLength()).isEqualTo(24));
        assertThat(vi1.trackScripts()).singleElement().satisfies(t -> assertThat(t.weightOverride()).hasValue(10));
    }

    @Test
    void hashAndBangStartCommentsAnywhereOutsideDoubleQuotes() {
        KeepalivedConfig cfg = Ka.model(dir, "global_defs {\n  router_id ab#cd\n  smtp_helo_name x!y\n}\nvrrp_script c {\n  script \"/usr/bin/check c##check_mk !x\" # trailing\n}\n");
        assertThat(cfg.globalDefs().routerId()).contains("ab");
        assertThat(cfg.globalDefs().smtpHeloName()).contains("x");
        assertThat(cfg.scripts().get(0).command().orElseThrow().argv()).containsExactly("/usr/bin/check", "c##check_mk", "!x");
    }

    @Test
    void doubleQuotesGroupWithEscapesButSingleQuotesOnlyMatterInsideScriptCommands() {
        KeepalivedConfig cfg = Ka.model(dir, "global_defs {\n  smtp_helo_name 'a b'\n  notification_email_from \"Ops Team\"\n}\n"
                + Ka.instance("VI_1", "  notify_master \"/bin/echo \\\"q\\\" x\\x41'a b'\\x41\" user1 grp1"));
        assertThat(cfg.globalDefs().smtpHeloName()).contains("'a");
        assertThat(cfg.globalDefs().notificationEmailFrom()).contains("Ops Team");
        ScriptCommand notify = cfg.instances().get(0).notifications().master().orElseThrow();
        assertThat(notify.argv()).containsExactly("/bin/echo", "q", "xAa bA");
        assertThat(notify.runAs()).contains(new ScriptUser("user1", java.util.Optional.of("grp1")));
    }

    @Test
    void unterminatedQuoteIsAnErrorAtItsLine() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "global_defs {\n  router_id \"abc\n}\n");
        assertThat(Ka.errors(r)).anySatisfy(d -> {
            assertThat(d.message()).contains("unterminated double quote");
            assertThat(d.line()).isEqualTo(2);
        });
    }

    @Test
    void mergeConflictMarkersAreOneErrorPerConflictAndBothSidesAreRead() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "<<<<<<< HEAD\n  priority 50\n=======\n  priority 100\n>>>>>>> abc123"));
        List<Diagnostic> conflicts = r.diagnostics().all().stream().filter(d -> d.message().contains("merge conflict")).toList();
        assertThat(conflicts).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(7);
            assertThat(d.message()).contains("7, 9, 11");
        });
        assertThat(r.model().instances().get(0).priority()).isEqualTo(100);
    }

    @Test
    void templatePlaceholdersAreErrorsNotSilentlyDroppedConditionalLines() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  state {{STATE}}\n  unicast_peer {\n    @PEER1@\n  }"));
        assertThat(Ka.errors(r)).extracting(Diagnostic::line).containsExactly(7, 9);
        assertThat(r.model().instances().get(0).configuredState()).isEmpty();
    }

    @Test
    void sequenceLinesAreReportedAsUnsupported() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "~SEQ(N, 1, 3) vrrp_script s$N { script /bin/true }\n");
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> assertThat(d.message()).contains("not supported"));
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  priority 90").replace("\n", "\r\n"));
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(r.model().instances().get(0).priority()).isEqualTo(90);
    }
}
