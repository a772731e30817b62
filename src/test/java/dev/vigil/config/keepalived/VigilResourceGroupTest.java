package dev.vigil.config.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.Haresources;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil's resource groups inside keepalived.conf: vigil_resources, vigil_resource_defaults, vigil_resource. */
class VigilResourceGroupTest {
    @TempDir
    Path dir;

    private static final String INSTANCE_WITH_GROUP = Ka.instance("VI_1", """
              vigil_resources Filesystem::/dev/drbd0::/data::ext4 apache2
              vigil_resources mysql
              vigil_resource_defaults stop_timeout=60
              vigil_resource apache2 monitor_interval=10 max_restarts=3 restart_window=300
              nopreempt
            """);

    @Test
    void instanceOwnsAnOrderedGroupWithPolicies() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, INSTANCE_WITH_GROUP);
        assertThat(r.diagnostics().all()).isEmpty();
        VrrpInstance i = r.model().instances().get(0);
        VigilResourceGroup g = i.resourceGroup().orElseThrow();
        assertThat(g.resources()).extracting(Haresources.Resource::text)
                .containsExactly("Filesystem::/dev/drbd0::/data::ext4", "apache2", "mysql");
        assertThat(g.resources().get(0).script()).isEqualTo("Filesystem");
        assertThat(g.resources().get(0).arguments()).containsExactly("/dev/drbd0", "/data", "ext4");
        assertThat(g.location().line()).isEqualTo(7);
        ResourcePolicy apache = g.policyFor("apache2");
        assertThat(apache.monitorInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(apache.maxRestarts()).isEqualTo(3);
        assertThat(apache.restartWindow()).isEqualTo(Duration.ofSeconds(300));
        assertThat(apache.stopTimeout()).as("per-resource policies sit on the defaults").isEqualTo(Duration.ofSeconds(60));
        ResourcePolicy fs = g.policyFor(g.resources().get(0));
        assertThat(fs.monitored()).isFalse();
        assertThat(fs.stopTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(fs.startTimeout()).isEqualTo(ResourcePolicy.DEFAULTS.startTimeout());
        assertThat(g.monitored()).isTrue();
        // the line after the vigil_* lines is still read into the instance
        assertThat(i.nopreempt()).isTrue();
        assertThat(r.model().resourceGroupFor("VI_1")).contains(g);
    }

    @Test
    void policyMatchesTheResourceAsWrittenThenItsScriptName() {
        VigilResourceGroup g = Ka.model(dir, Ka.instance("VI_1", """
                  vigil_resources Filesystem::/dev/sdb1::/srv Filesystem::/dev/sdc1::/var/lib/pg
                  vigil_resource Filesystem start_timeout=30
                  vigil_resource Filesystem::/dev/sdc1::/var/lib/pg start_timeout=300
                """)).instances().get(0).resourceGroup().orElseThrow();
        assertThat(g.policyFor("Filesystem::/dev/sdb1::/srv").startTimeout()).hasSeconds(30);
        assertThat(g.policyFor("Filesystem::/dev/sdc1::/var/lib/pg").startTimeout()).hasSeconds(300);
        assertThat(g.policyFor("other").startTimeout()).isEqualTo(ResourcePolicy.DEFAULTS.startTimeout());
    }

    @Test
    void aBareAddressIsIpaddrAsInHaresources() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources 10.0.0.9/24/eth0 IPsrcaddr::10.0.0.9"));
        Haresources.Resource ip = r.model().instances().get(0).resourceGroup().orElseThrow().resources().get(0);
        assertThat(ip.impliedIpaddr()).isTrue();
        assertThat(ip.script()).isEqualTo("IPaddr");
        assertThat(ip.canonical()).isEqualTo("IPaddr::10.0.0.9/24/eth0");
        assertThat(Ka.warnings(r)).singleElement().satisfies(w -> {
            assertThat(w.message()).contains("VRRP does not advertise it");
            assertThat(w.hint()).contains("virtual_ipaddress");
        });
    }

    @Test
    void syncGroupOwnsTheGroupOfItsMembers() {
        KeepalivedConfig cfg = Ka.model(dir, Ka.instance("VI_1", "") + Ka.instance("VI_2", "").replace("51", "52") + """
                vrrp_sync_group G1 {
                  group {
                    VI_1
                    VI_2
                  }
                  vigil_resources drbddisk::r0 apache2
                  vigil_resource apache2 monitor_interval=5
                }
                """);
        VrrpSyncGroup g = cfg.syncGroups().get(0);
        assertThat(g.members()).hasSize(2);
        assertThat(g.resourceGroup().orElseThrow().resources()).extracting(Haresources.Resource::text).containsExactly("drbddisk::r0", "apache2");
        assertThat(cfg.instances()).allSatisfy(i -> assertThat(i.resourceGroup()).isEmpty());
        assertThat(cfg.resourceGroupFor("VI_2")).isEqualTo(g.resourceGroup());
        assertThat(cfg.resourceGroupFor("VI_2").orElseThrow().policyFor("apache2").monitorInterval()).hasSeconds(5);
    }

    @Test
    void aGroupAndOneOfItsMembersBothOwningResourcesIsAnError() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources apache2") + """
                vrrp_sync_group G1 {
                  group {
                    VI_1
                  }
                  vigil_resources drbddisk::r0
                }
                """);
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.message()).contains("vrrp_instance VI_1 has vigil_resources, and so does its vrrp_sync_group G1 (line 13)");
            assertThat(e.hint()).contains("sync group only");
        });
    }

    @Test
    void blockFormIsRefusedBecauseKeepalivedClosesTheInstanceAtItsBrace() {
        // keepalived 2.2.7 -t: "Unknown keyword 'vigil_resources'", "Unexpected '{' - ignoring", and the
        // block's '}' ends the vrrp_instance, so 'nopreempt' after it is "Unknown keyword" at top level.
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", """
                  vigil_resources {
                    apache2
                  }
                  nopreempt
                """));
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> {
            assertThat(e.format()).contains("keepalived.conf:7:3:").contains("'vigil_resources' is written on one line, not as a block");
            assertThat(e.hint()).contains("does not skip the block").contains("vigil_resources R1 R2");
        });
        assertThat(r.model().instances().get(0).resourceGroup().orElseThrow().resources()).extracting(Haresources.Resource::text)
                .containsExactly("apache2");
        assertThat(r.model().instances().get(0).nopreempt()).isTrue();
    }

    @Test
    void unknownPolicyKeyIsAnErrorWithDidYouMean() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources apache2\n  vigil_resource apache2 monitor_intervall=10"));
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> {
            assertThat(e.format()).contains("keepalived.conf:8:26:").contains("unknown resource key 'monitor_intervall'");
            assertThat(e.hint()).isEqualTo("did you mean 'monitor_interval'?");
        });
    }

    @Test
    void badValuesAreErrorsAsInVigilConf() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1",
                "  vigil_resources apache2\n  vigil_resource_defaults stop_timeout=0 max_restarts=many\n  vigil_resource apache2 10"));
        assertThat(Ka.errors(r)).extracting(Diagnostic::message).containsExactly(
                "stop_timeout must be a positive time, not '0'", "max_restarts must be a number from 0 to 1000, not 'many'",
                "'10' is not KEY=VALUE");
    }

    @Test
    void misspelledKeywordGetsDidYouMean() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resorces apache2"));
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("unknown keyword 'vigil_resorces'");
            assertThat(e.hint()).isEqualTo("did you mean 'vigil_resources'?");
        });
    }

    @Test
    void policyForAResourceTheGroupDoesNotHaveIsAWarning() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources apache2\n  vigil_resource apache monitor_interval=10"));
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(Ka.warnings(r)).singleElement().satisfies(w -> {
            assertThat(w.message()).isEqualTo("vigil_resource 'apache' names no resource of this group");
            assertThat(w.hint()).isEqualTo("did you mean 'apache2'?");
        });
    }

    @Test
    void policiesWithoutResourcesApplyToNothing() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resource_defaults monitor_interval=10"));
        assertThat(r.model().instances().get(0).resourceGroup()).isEmpty();
        assertThat(Ka.warnings(r)).singleElement().satisfies(w -> assertThat(w.message()).contains("without a 'vigil_resources' line"));
    }

    @Test
    void aPolicyKeyAmongTheResourcesIsAnError() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources apache2 monitor_interval=10"));
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("looks like a policy key");
            assertThat(e.hint()).contains("vigil_resource NAME KEY=VALUE");
        });
        assertThat(r.model().instances().get(0).resourceGroup().orElseThrow().resources()).hasSize(1);
    }

    @Test
    void repeatedLinesAppendWithoutTheGivenAgainWarning() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources a\n  vigil_resources b\n  vigil_resources c"));
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().instances().get(0).resourceGroup().orElseThrow().resources()).extracting(Haresources.Resource::text)
                .containsExactly("a", "b", "c");
    }

    @Test
    void duplicatePolicyLineIsAnError() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1",
                "  vigil_resources a\n  vigil_resource a max_restarts=1\n  vigil_resource a max_restarts=2"));
        assertThat(Ka.errors(r)).singleElement().satisfies(e -> assertThat(e.message()).contains("already has a vigil_resource line (line 8)"));
    }

    @Test
    void aResourceOwnedTwiceIsAWarning() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources apache2")
                + Ka.instance("VI_2", "  vigil_resources apache2").replace("51", "52"));
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(Ka.warnings(r)).singleElement().satisfies(w -> assertThat(w.message()).contains("also owned by vrrp_instance VI_1"));
    }

    @Test
    void haresourcesRulesApplyToEachWord() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  vigil_resources IPaddr2 ::x"));
        assertThat(Ka.errors(r)).extracting(Diagnostic::message)
                .containsExactly("IPaddr2 needs an address: IPaddr2::IP[/bits[/interface[/broadcast]]]", "resource '::x' has no script name before '::'");
    }

    @Test
    void checksAcceptAFileWithResourceGroups() {
        KeepalivedConfig cfg = Ka.model(dir, INSTANCE_WITH_GROUP);
        assertThat(Ka.checks(cfg).all()).extracting(Diagnostic::message).isEqualTo(List.of());
    }
}
