package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per semantic check, each against what keepalived 2.2.7 does with such a file. */
class KeepalivedChecksTest {
    @TempDir
    Path dir;

    private List<Diagnostic> check(String text) {
        var r = Ka.parse(dir, text);
        assertThat(Ka.errors(r)).as("parse errors").isEmpty();
        Diagnostics out = Ka.checks(r.model());
        return out.all();
    }

    private static String inst(String name, String iface, int vrid, String extra) {
        return "vrrp_instance " + name + " {\n  interface " + iface + "\n  virtual_router_id " + vrid + "\n  virtual_ipaddress {\n    10.0.0." + vrid
                + "\n  }\n" + extra + "\n}\n";
    }

    @Test
    void cleanConfigHasNoFindings() {
        assertThat(check("vrrp_script chk { script /bin/true\n weight -20 }\n" + inst("VI_1", "eth0", 51, "  priority 150\n  track_script {\n    chk\n  }"))).isEmpty();
    }

    @Test
    void duplicateVridOnOneInterfaceIsAnError() {
        List<Diagnostic> d = check(inst("VI_1", "eth0", 51, "") + inst("VI_2", "eth0", 51, ""));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.line()).isEqualTo(11);
            assertThat(x.message()).startsWith("VI_2 and VI_1 both use VRID 51 with IPv4 on interface eth0");
        });
    }

    @Test
    void sameVridIsFineOnAnotherInterfaceFamilyOrMulticastGroup() {
        String v6 = inst("VI6", "eth0", 51, "").replace("10.0.0.51", "2001:db8::51");
        String otherGroup = inst("VI_G", "eth0", 51, "  mcast_dst_ip 224.0.0.119");
        assertThat(check(inst("VI_1", "eth0", 51, "") + inst("VI_2", "eth1", 51, "") + v6 + otherGroup)).isEmpty();
    }

    @Test
    void priorityOutsideOneTo255IsAnErrorAndKeepalivedUses100() {
        var r = Ka.parse(dir, inst("VI_1", "eth0", 51, "  priority 256"));
        assertThat(r.model().instances().get(0).priority()).isEqualTo(100);
        assertThat(Ka.checks(r.model()).all()).singleElement().satisfies(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.line()).isEqualTo(7);
            assertThat(x.message()).isEqualTo("priority 256 is outside 1..255: keepalived uses 100 instead");
        });
        assertThat(check(inst("VI_1", "eth0", 51, "  priority 0"))).singleElement().satisfies(x -> assertThat(x.isError()).isTrue());
    }

    @Test
    void twoOwnersOfOneVridInTheFileAreReported() {
        List<Diagnostic> d = check(inst("A", "eth0", 7, "  priority 255") + inst("B", "eth1", 7, "  state MASTER"));
        assertThat(d).filteredOn(x -> x.message().contains("both own VRID 7")).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("implied by state MASTER");
            assertThat(x.line()).isEqualTo(15);
        });
    }

    @Test
    void stateMasterWithoutPriorityWarnsThatItBecomesOwner() {
        assertThat(check(inst("A", "eth0", 7, "  state MASTER"))).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("priority 255 (address owner)"));
    }

    @Test
    void v2AdvertIntThatIsNotAWholeSecondWarnsWithTheRoundedValue() {
        var r = Ka.parse(dir, inst("VI_1", "eth0", 51, "  advert_int 2.6"));
        assertThat(r.model().instances().get(0).advertInterval()).hasSeconds(3);
        assertThat(Ka.checks(r.model()).all()).singleElement().satisfies(x -> {
            assertThat(x.isError()).isFalse();
            assertThat(x.line()).isEqualTo(7);
            assertThat(x.message()).contains("advert_int 2.6 is not a whole second").contains("rounds it to 3 s");
            assertThat(x.hint()).contains("version 3");
        });
    }

    @Test
    void v3AdvertIntOutside10msTo40_95sIsReported() {
        var low = Ka.parse(dir, inst("VI_1", "eth0", 51, "  version 3\n  advert_int 0.005"));
        assertThat(low.model().instances().get(0).advertInterval()).hasSeconds(1);
        assertThat(Ka.checks(low.model()).all()).singleElement().satisfies(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.message()).contains("below VRRPv3's 0.01 s");
        });
        var high = Ka.parse(dir, inst("VI_1", "eth0", 51, "  version 3\n  advert_int 41"));
        assertThat(high.model().instances().get(0).advertInterval().toMillis()).isEqualTo(40950);
        assertThat(Ka.checks(high.model()).all()).singleElement().satisfies(x -> assertThat(x.message()).contains("uses 40.95 s"));
        var odd = Ka.parse(dir, inst("VI_1", "eth0", 51, "  version 3\n  advert_int 0.015"));
        assertThat(Ka.checks(odd.model()).all()).singleElement().satisfies(x -> assertThat(x.message()).contains("multiple of 10 ms"));
        assertThat(check(inst("VI_1", "eth0", 51, "  version 3\n  advert_int 0.01"))).isEmpty();
    }

    @Test
    void authPassOver8CharactersIsTruncatedWarning() {
        List<Diagnostic> d = check(inst("VI_1", "eth0", 51, "  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }"));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.isError()).isFalse();
            assertThat(x.line()).isEqualTo(9);
            assertThat(x.message()).isEqualTo("auth_pass is 9 characters: only the first 8 are sent (keepalived truncates it)");
        });
        assertThat(check(inst("VI_1", "eth0", 51, "  authentication {\n    auth_type PASS\n    auth_pass 12345678\n  }"))).isEmpty();
    }

    @Test
    void nopreemptWithStateMasterIsIgnoredByKeepalived() {
        var r = Ka.parse(dir, inst("VI_1", "eth0", 51, "  state MASTER\n  priority 150\n  nopreempt"));
        assertThat(r.model().instances().get(0).preemptDisabled()).isFalse();
        assertThat(Ka.checks(r.model()).all()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(9);
            assertThat(x.message()).contains("keepalived ignores nopreempt");
        });
    }

    @Test
    void unicastPeerListingTheNodesOwnSourceIp() {
        List<Diagnostic> d = check(inst("VI_1", "eth0", 51, "  unicast_src_ip 10.1.0.1\n  unicast_peer {\n    10.1.0.2\n    10.1.0.1\n  }"));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(10);
            assertThat(x.message()).isEqualTo("unicast_peer 10.1.0.1 is this node's own unicast_src_ip");
        });
    }

    @Test
    void trackScriptNamingAnUndefinedVrrpScript() {
        List<Diagnostic> d = check("vrrp_script chk_nginx { script /bin/true }\n" + inst("VI_1", "eth0", 51, "  track_script {\n    chk_ngnix\n  }"));
        assertThat(d).filteredOn(Diagnostic::isError).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(9);
            assertThat(x.message()).contains("'chk_ngnix' names no vrrp_script");
            assertThat(x.hint()).isEqualTo("did you mean 'chk_nginx'?");
        });
        // and the defined one is then unused, which keepalived also warns about
        assertThat(d).filteredOn(x -> !x.isError()).singleElement().satisfies(x -> assertThat(x.message()).contains("not tracked"));
    }

    @Test
    void syncGroupNamingAnUndefinedInstance() {
        List<Diagnostic> d = check("vrrp_sync_group G {\n  group {\n    VI_1\n    VI_3\n  }\n}\n" + inst("VI_1", "eth0", 51, "") + inst("VI_2", "eth0", 52, ""));
        assertThat(d).filteredOn(Diagnostic::isError).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(4);
            assertThat(x.message()).isEqualTo("sync group G names 'VI_3', which is no vrrp_instance");
            assertThat(x.hint()).isEqualTo("did you mean 'VI_1'?");
        });
    }

    @Test
    void instanceInTwoSyncGroups() {
        List<Diagnostic> d = check("vrrp_sync_group G1 {\n  group {\n    VI_1\n    VI_2\n  }\n}\nvrrp_sync_group G2 {\n  group {\n    VI_2\n    VI_1\n  }\n}\n"
                + inst("VI_1", "eth0", 51, "") + inst("VI_2", "eth0", 52, ""));
        assertThat(d).filteredOn(Diagnostic::isError).extracting(Diagnostic::line).containsExactly(9, 10);
        assertThat(d.get(0).message()).isEqualTo("instance VI_2 is in two sync groups (G1 and G2)");
    }

    @Test
    void authenticationWithVersion3IsAnError() {
        List<Diagnostic> d = check(inst("VI_1", "eth0", 51, "  version 3\n  authentication {\n    auth_type PASS\n    auth_pass secret\n  }"));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.line()).isEqualTo(8);
            assertThat(x.message()).contains("RFC 5798");
        });
    }

    @Test
    void globalVrrpVersion3AlsoForbidsAuthentication() {
        List<Diagnostic> d = check("global_defs {\n  vrrp_version 3\n}\n" + inst("VI_1", "eth0", 51, "  authentication {\n    auth_type AH\n  }"));
        assertThat(d).singleElement().satisfies(x -> assertThat(x.line()).isEqualTo(10));
    }

    @Test
    void weightedTrackScriptInASyncGroupIsIgnoredWithoutTrackingWeight() {
        String text = "vrrp_script chk { script /bin/true\n weight -20 }\nvrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n"
                + inst("VI_1", "eth0", 51, "  track_script {\n    chk\n  }") + inst("VI_2", "eth0", 52, "");
        assertThat(check(text)).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(2);
            assertThat(x.message()).contains("due to SYNC group");
        });
        assertThat(check(text.replace("    VI_2\n  }\n}\n", "    VI_2\n  }\n  sync_group_tracking_weight\n}\n"))).isEmpty();
    }

    @Test
    void strictModeRefusesUnicastAuthenticationAndPreemptDelay() {
        List<Diagnostic> d = check("global_defs {\n  vrrp_strict\n}\n" + inst("VI_1", "eth0", 51,
                "  preempt_delay 10\n  unicast_peer {\n    10.1.0.2\n  }\n  authentication {\n    auth_type PASS\n    auth_pass x\n  }"));
        assertThat(d).filteredOn(Diagnostic::isError).hasSize(3);
    }
}
