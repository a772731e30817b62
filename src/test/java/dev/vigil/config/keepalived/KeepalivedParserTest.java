package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The typed model and keepalived's defaults; parse-time errors. */
class KeepalivedParserTest {
    @TempDir
    Path dir;

    @Test
    void instanceDefaultsAreKeepalivedsOwn() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", ""));
        assertThat(r.diagnostics().all()).isEmpty();
        VrrpInstance i = r.model().instances().get(0);
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(i.priority()).isEqualTo(100);
        assertThat(i.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(i.version()).isEqualTo(2);
        assertThat(i.nopreempt()).isFalse();
        assertThat(i.preemptDelay()).isZero();
        assertThat(i.accept()).isTrue();
        assertThat(i.garp()).isEqualTo(new GarpSettings(Duration.ofSeconds(5), 5, Duration.ZERO, 1, Duration.ofSeconds(5), 5));
        assertThat(i.downTimerAdverts()).isEqualTo(3);
        GlobalDefs g = r.model().globalDefs();
        assertThat(g.vrrpVersion()).isEqualTo(2);
        assertThat(g.mcastGroup4().getHostAddress()).isEqualTo("224.0.0.18");
        assertThat(g.smtpConnectTimeout()).hasSeconds(30);
        assertThat(g.location().line()).isZero();
    }

    @Test
    void stateMasterWithoutPriorityMeansAddressOwner() {
        // keepalived 2.2.7 -d dump: "Wantstate = MASTER ... Priority = 255"
        VrrpInstance i = Ka.model(dir, Ka.instance("VI_1", "  state MASTER")).instances().get(0);
        assertThat(i.priority()).isEqualTo(255);
    }

    @Test
    void globalDefsAreTyped() {
        KeepalivedConfig cfg = Ka.model(dir, """
                global_defs {
                  router_id lb1
                  notification_email {
                    ops@example.com
                    "Admin <admin@example.com>"
                  }
                  notification_email_from ka@example.com
                  smtp_server 192.0.2.25 2525
                  smtp_helo_name lb1.example.com
                  smtp_connect_timeout 10
                  smtp_alert
                  enable_script_security
                  script_user keepalived_script users
                  vrrp_version 3
                  vrrp_garp_master_delay 2
                  vrrp_garp_master_repeat 3
                  vrrp_garp_master_refresh 60
                  vrrp_garp_interval 0.001
                  vrrp_strict
                  vrrp_mcast_group4 224.0.0.19
                  default_interface bond0
                  vrrp_skip_check_adv_addr
                }
                """);
        GlobalDefs g = cfg.globalDefs();
        assertThat(g.routerId()).contains("lb1");
        assertThat(g.notificationEmails()).containsExactly("ops@example.com", "Admin <admin@example.com>");
        assertThat(g.smtpServer()).contains(new SmtpServer("192.0.2.25", 2525));
        assertThat(g.smtpConnectTimeout()).hasSeconds(10);
        assertThat(g.smtpAlert()).contains(true);
        assertThat(g.enableScriptSecurity()).isTrue();
        assertThat(g.scriptUser()).contains(new ScriptUser("keepalived_script", Optional.of("users")));
        assertThat(g.vrrpVersion()).isEqualTo(3);
        assertThat(g.garp().masterDelay()).hasSeconds(2);
        assertThat(g.garp().lowerPriorityDelay()).hasSeconds(2);
        assertThat(g.garp().masterRepeat()).isEqualTo(3);
        assertThat(g.garp().masterRefresh()).hasSeconds(60);
        assertThat(g.garpInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(g.vrrpStrict()).isTrue();
        assertThat(g.mcastGroup4().getHostAddress()).isEqualTo("224.0.0.19");
        assertThat(g.defaultInterface()).isEqualTo("bond0");
        assertThat(g.skipCheckAdvAddr()).isTrue();
        assertThat(g.smtpServer().orElseThrow().port()).isEqualTo(2525);
    }

    @Test
    void smtpServerPortDefaultsTo25() {
        assertThat(Ka.model(dir, "global_defs {\n smtp_server mail.example.com\n}\n").globalDefs().smtpServer())
                .contains(new SmtpServer("mail.example.com", 25));
    }

    @Test
    void vrrpScriptIsTypedWithReverseWeight() {
        KeepalivedConfig cfg = Ka.model(dir, """
                vrrp_script chk_haproxy {
                  script "/usr/bin/killall -0 haproxy"
                  interval 2.5
                  timeout 3
                  weight -20 reverse
                  rise 2
                  fall 3
                  init_fail
                  user nobody nogroup
                }
                """);
        VrrpScript s = cfg.scripts().get(0);
        assertThat(s.command().orElseThrow().argv()).containsExactly("/usr/bin/killall", "-0", "haproxy");
        assertThat(s.interval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.timeout()).contains(Duration.ofSeconds(3));
        assertThat(s.weight()).isEqualTo(-20);
        assertThat(s.weightReverse()).isTrue();
        assertThat(s.rise()).isEqualTo(2);
        assertThat(s.fall()).isEqualTo(3);
        assertThat(s.initFail()).isTrue();
        assertThat(s.user()).contains(new ScriptUser("nobody", Optional.of("nogroup")));
        assertThat(s.weightLocation().orElseThrow().line()).isEqualTo(5);
    }

    @Test
    void scriptDefaultsAreIntervalOneRiseOneFallOneWeightZero() {
        VrrpScript s = Ka.model(dir, "vrrp_script c {\n script /bin/true\n}\n").scripts().get(0);
        assertThat(s.interval()).hasSeconds(1);
        assertThat(s.timeout()).isEmpty();
        assertThat(List.of(s.weight(), s.rise(), s.fall())).containsExactly(0, 1, 1);
    }

    @Test
    void fullInstanceIsTyped() {
        KeepalivedConfig cfg = Ka.model(dir, """
                vrrp_script chk { script /bin/true }
                vrrp_instance VI_1 {
                  state BACKUP
                  interface eth0
                  virtual_router_id 51
                  priority 150
                  advert_int 0.5
                  version 3
                  nopreempt
                  preempt_delay 30
                  virtual_ipaddress {
                    192.0.2.10/24 brd 192.0.2.255 dev eth0 scope global label eth0:vip
                    192.0.2.11 no_track
                  }
                  virtual_ipaddress_excluded {
                    2001:db8::10/64 dev eth1 nodad
                  }
                  virtual_routes {
                    src 192.0.2.10 to 198.51.100.0/24 via 192.0.2.1 dev eth0 table 100 metric 5
                    default via inet6 2001:db8::1 dev eth1
                    blackhole 203.0.113.0/24
                  }
                  virtual_rules {
                    from 192.0.2.10 table 100
                  }
                  unicast_src_ip 192.0.2.2
                  unicast_peer {
                    192.0.2.3 min_ttl 250 max_ttl 255
                    192.0.2.4
                  }
                  mcast_src_ip 192.0.2.2
                  track_interface {
                    eth1 weight -30
                    eth2
                  }
                  track_script {
                    chk weight 15 reverse
                  }
                  notify_master "/etc/keepalived/notify.sh master" root
                  notify_backup /etc/keepalived/backup.sh
                  notify_fault /etc/keepalived/fault.sh
                  notify_stop /etc/keepalived/stop.sh
                  notify /etc/keepalived/any.sh
                  smtp_alert no
                  garp_master_delay 1
                  garp_master_repeat 2
                  garp_master_refresh 30
                  native_ipv6
                  dont_track_primary
                  use_vmac vrrp.51
                  no_accept
                  strict_mode off
                }
                """);
        VrrpInstance i = cfg.instances().get(0);
        assertThat(i.configuredState()).contains(VrrpState.BACKUP);
        assertThat(i.priority()).isEqualTo(150);
        assertThat(i.configuredAdvertInt()).contains(new BigDecimal("0.5"));
        assertThat(i.advertInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(i.version()).isEqualTo(3);
        assertThat(i.nopreempt()).isTrue();
        assertThat(i.preemptDisabled()).isTrue();
        assertThat(i.preemptDelay()).hasSeconds(30);
        VirtualAddress vip = i.virtualAddresses().get(0);
        assertThat(vip.address().getHostAddress()).isEqualTo("192.0.2.10");
        assertThat(vip.prefixLength()).isEqualTo(24);
        assertThat(vip.broadcast()).contains("192.0.2.255");
        assertThat(vip.device()).contains("eth0");
        assertThat(vip.scope()).contains("global");
        assertThat(vip.label()).contains("eth0:vip");
        assertThat(i.virtualAddresses().get(1).prefixLength()).isEqualTo(32);
        assertThat(i.virtualAddresses().get(1).noTrack()).isTrue();
        assertThat(i.excludedAddresses().get(0).isIpv6()).isTrue();
        assertThat(i.excludedAddresses().get(0).flags()).containsExactly("nodad");
        VirtualRoute route = i.virtualRoutes().get(0);
        assertThat(route.destination()).isEqualTo("198.51.100.0/24");
        assertThat(route.via().orElseThrow().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(route.source().orElseThrow().getHostAddress()).isEqualTo("192.0.2.10");
        assertThat(route.table()).contains("100");
        assertThat(route.metric()).contains(5L);
        assertThat(i.virtualRoutes().get(1).destination()).isEqualTo("default");
        assertThat(i.virtualRoutes().get(2).type()).isEqualTo("blackhole");
        assertThat(i.virtualRules().get(0).words()).containsExactly("from", "192.0.2.10", "table", "100");
        assertThat(i.unicastSrcIp().orElseThrow().getHostAddress()).isEqualTo("192.0.2.2");
        assertThat(i.unicastPeers()).hasSize(2);
        assertThat(i.unicastPeers().get(0).minTtl()).hasValue(250);
        assertThat(i.trackInterfaces()).extracting(TrackedInterface::weight).containsExactly(-30, 0);
        TrackedScript ts = i.trackScripts().get(0);
        assertThat(ts.effectiveWeight(cfg.script("chk"))).isEqualTo(15);
        assertThat(ts.effectiveReverse(cfg.script("chk"))).isTrue();
        assertThat(i.notifications().master().orElseThrow().argv()).containsExactly("/etc/keepalived/notify.sh", "master");
        assertThat(i.notifications().master().orElseThrow().runAs()).contains(new ScriptUser("root", Optional.empty()));
        assertThat(i.notifications().any().orElseThrow().program()).isEqualTo("/etc/keepalived/any.sh");
        assertThat(i.smtpAlert()).contains(false);
        assertThat(i.garp().masterDelay()).hasSeconds(1);
        assertThat(i.garp().masterRepeat()).isEqualTo(2);
        assertThat(i.garp().lowerPriorityRepeat()).isEqualTo(2);
        assertThat(i.garp().masterRefresh()).hasSeconds(30);
        assertThat(i.nativeIpv6()).isTrue();
        assertThat(i.dontTrackPrimary()).isTrue();
        assertThat(i.useVmac().orElseThrow().interfaceName()).contains("vrrp.51");
        assertThat(i.accept()).isFalse();
        assertThat(i.strictMode()).isFalse();
    }

    @Test
    void ipv6AddressesForceVrrpVersion3() {
        VrrpInstance i = Ka.model(dir, Ka.instance("VI6", "").replace("10.0.0.100/24", "2001:db8::100/64")).instances().get(0);
        assertThat(i.version()).isEqualTo(3);
        assertThat(i.isIpv6()).isTrue();
    }

    @Test
    void strictModeTurnsAcceptModeOff() {
        KeepalivedConfig cfg = Ka.model(dir, "global_defs {\n vrrp_strict\n}\n" + Ka.instance("VI_1", ""));
        assertThat(cfg.instances().get(0).accept()).isFalse();
        assertThat(cfg.instances().get(0).strictMode()).isTrue();
    }

    @Test
    void syncGroupIsTyped() {
        KeepalivedConfig cfg = Ka.model(dir, """
                vrrp_sync_group VG1 {
                  group {
                    VI_1
                    VI_2
                  }
                  notify_master "/bin/group master"
                  smtp_alert
                  track_script {
                    chk weight -5
                  }
                  sync_group_tracking_weight
                }
                """);
        VrrpSyncGroup g = cfg.syncGroups().get(0);
        assertThat(g.members()).extracting(VrrpSyncGroup.Member::instance).containsExactly("VI_1", "VI_2");
        assertThat(g.members().get(1).location().line()).isEqualTo(4);
        assertThat(g.notifications().master().orElseThrow().argv()).containsExactly("/bin/group", "master");
        assertThat(g.smtpAlert()).contains(true);
        assertThat(g.trackScripts()).singleElement().satisfies(t -> assertThat(t.weightOverride()).hasValue(-5));
        assertThat(g.trackingWeight()).isTrue();
    }

    @Test
    void unknownKeywordIsAnErrorWithDidYouMean() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "vvrp_script chk {\n  script /bin/true\n}\n" + Ka.instance("VI_1", "  priorty 150"));
        assertThat(Ka.errors(r)).extracting(Diagnostic::line).containsExactly(1, 10);
        assertThat(Ka.errors(r).get(0).message()).contains("'vvrp_script'").contains("lines 1-3").contains("skipped");
        assertThat(Ka.errors(r).get(0).hint()).isEqualTo("did you mean 'vrrp_script'?");
        assertThat(Ka.errors(r).get(1).hint()).isEqualTo("did you mean 'priority'?");
        assertThat(r.model().scripts()).isEmpty();
    }

    @Test
    void keywordInTheWrongBlockSaysWhereItBelongs() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "global_defs {\n  garp_master_delay 5\n}\n");
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.hint()).contains("belongs in vrrp_instance").contains("did you mean 'vrrp_garp_master_delay'?");
        });
    }

    @Test
    void valueThatIsOnlyACommentIsAMissingValueAtThatLine() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  unicast_src_ip #ip of master"));
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(7);
            assertThat(d.message()).isEqualTo("'unicast_src_ip' needs a value");
            assertThat(d.hint()).contains("'#ip of master' is a comment");
        });
    }

    @Test
    void lvsAndOtherNonVrrpBlocksAreOneWarningEach() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, """
                virtual_server 192.0.2.1 80 {
                  delay_loop 6
                  real_server 192.0.2.2 80 {
                    TCP_CHECK {
                      connect_timeout 3
                    }
                  }
                }
                virtual_server_group G {
                  192.0.2.1 80
                }
                static_ipaddress {
                  192.0.2.9/24 dev eth0
                }
                static_routes {
                  default via 192.0.2.1
                }
                bfd_instance b {
                  neighbor_ip 192.0.2.3
                }
                linkbeat_interfaces {
                  eth0
                }
                """);
        assertThat(Ka.errors(r)).isEmpty();
        assertThat(Ka.warnings(r)).extracting(Diagnostic::line).containsExactly(1, 9, 12, 15, 18, 21);
        assertThat(Ka.warnings(r).get(0).message()).isEqualTo("'virtual_server' block (lines 1-8): not handled by Vigil; ignored");
    }

    @Test
    void trackingAProcessIsRejectedBecauseIgnoringItWouldChangeFailover() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  track_process {\n    p\n  }"));
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> assertThat(d.message()).contains("'track_process' block").contains("not supported"));
    }

    @Test
    void unclosedBlockIsReportedAtItsOpeningLine() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n");
        assertThat(Ka.errors(r)).anySatisfy(d -> {
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.message()).contains("never closed");
        });
    }

    @Test
    void extraClosingBraceIsReported() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "") + "}\n");
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> assertThat(d.line()).isEqualTo(9));
    }

    @Test
    void extraWordsOnAValueLineAreAWarningBecauseKeepalivedIgnoresThem() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  priority 150 nopreempt"));
        assertThat(Ka.warnings(r)).singleElement().satisfies(d -> assertThat(d.message()).contains("'nopreempt'"));
        assertThat(r.model().instances().get(0).nopreempt()).isFalse();
    }

    @Test
    void duplicateInstanceNameIsAnErrorAndTheSecondIsDropped() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "") + Ka.instance("VI_1", "  priority 90"));
        assertThat(Ka.errors(r)).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(9);
            assertThat(d.message()).contains("defined twice");
        });
        assertThat(r.model().instances()).singleElement().satisfies(i -> assertThat(i.priority()).isEqualTo(100));
    }

    @Test
    void badValuesAreErrorsWithPlaceholderHints() {
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  virtual_router_id 300\n  state master\n  unicast_peer {\n    <peer_ip>\n  }"));
        assertThat(Ka.errors(r)).extracting(Diagnostic::line).containsExactly(7, 8, 10);
        assertThat(Ka.errors(r).get(1).hint()).contains("MASTER");
        assertThat(Ka.errors(r).get(2).hint()).contains("placeholder");
    }

    @Test
    void neverThrowsForMissingFileDirectoryOrBinaryGarbage() throws Exception {
        KeepalivedParser p = new KeepalivedParser();
        Path garbage = dir.resolve("garbage.conf");
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        for (Path file : List.of(dir.resolve("missing.conf"), dir, garbage)) {
            assertThatCode(() -> {
                ParseResult<KeepalivedConfig> r = p.parse(file);
                assertThat(r.ok()).isFalse();
                assertThat(r.model()).isNotNull();
                assertThat(r.model().file()).isEqualTo(file);
            }).doesNotThrowAnyException();
        }
    }

    @Test
    void pathologicalNestingAndLongLinesFinishQuicklyWithDiagnostics() {
        String nested = "vrrp_instance X " + "{".repeat(100_000) + "\n";
        String longLine = "global_defs {\n router_id \"" + "{{${".repeat(300_000) + "\"\n}\n";
        String longWord = "vrrp_instance Y {\n priority " + "<".repeat(1_000_000) + "\n}\n";
        for (String text : List.of(nested, longLine, longWord)) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                ParseResult<KeepalivedConfig> r = Ka.parse(dir, text);
                assertThat(r.diagnostics().all()).noneMatch(d -> d.message().contains("internal error"));
                if (text == nested) assertThat(r.diagnostics().all()).anyMatch(d -> d.message().contains("nested more than 64 deep"));
                if (text == longWord) assertThat(r.ok()).isFalse();
            });
        }
    }

    @Test
    void secretsNeverAppearInModelToStringOrDiagnostics() {
        String secret = "Sup3rSecretPw";
        ParseResult<KeepalivedConfig> r = Ka.parse(dir, Ka.instance("VI_1", "  version 3\n  authentication {\n    auth_type PASS\n    auth_pass "
                + secret + "\n    auth_pass " + secret + "x\n  }"));
        var diags = new dev.vigil.config.Diagnostics();
        diags.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), diags);
        assertThat(diags.all()).isNotEmpty();
        assertThat(diags.all()).allSatisfy(d -> assertThat(d.format()).doesNotContain(secret.substring(0, 8)));
        assertThat(r.model().toString()).doesNotContain(secret.substring(0, 8));
        Authentication auth = r.model().instances().get(0).authentication().orElseThrow();
        assertThat(auth.toString()).doesNotContain(secret.substring(0, 8)).contains(Secret.MASK);
        assertThat(auth.wirePassword().orElseThrow().reveal()).isEqualTo("Sup3rSec");
        assertThat(auth.password().orElseThrow().reveal()).isEqualTo(secret + "x");
    }
}
