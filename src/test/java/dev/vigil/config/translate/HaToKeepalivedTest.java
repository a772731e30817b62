package dev.vigil.config.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.keepalived.KeepalivedChecks;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.config.keepalived.VrrpInstance;
import dev.vigil.config.translate.HaToKeepalived.Kind;
import dev.vigil.config.translate.HaToKeepalived.Note;
import dev.vigil.config.translate.HaToKeepalived.Options;
import dev.vigil.config.translate.HaToKeepalived.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per mapping decision of {@link HaToKeepalived}. */
class HaToKeepalivedTest {
    @TempDir
    Path dir;

    static final String HA_CF = """
            keepalive 1
            deadtime 5
            initdead 10
            bcast eth0
            auto_failback on
            node nodea
            node nodeb
            """;

    Path write(String haCf, String haresources, String authkeys, String vigilConf) throws IOException {
        Path d = Files.createTempDirectory(dir, "ha.d");
        Files.writeString(d.resolve("ha.cf"), haCf);
        Files.writeString(d.resolve("haresources"), haresources);
        Files.writeString(d.resolve("authkeys"), authkeys != null ? authkeys : "auth 1\n1 crc\n");
        Files.setPosixFilePermissions(d.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        if (vigilConf != null) Files.writeString(d.resolve("vigil.conf"), vigilConf);
        return d;
    }

    Result translate(String haCf, String haresources) throws IOException {
        return translate(haCf, haresources, null, null, Options.defaults());
    }

    Result translate(String haCf, String haresources, String authkeys, String vigilConf, Options o) throws IOException {
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(write(haCf, haresources, authkeys, vigilConf));
        assertThat(loaded.diagnostics().all().stream().filter(Diagnostic::isError)).as("heartbeat input").isEmpty();
        return HaToKeepalived.translate(loaded.model(), o);
    }

    /** The translated file read back by Vigil's parser and checks: no errors, ever. */
    KeepalivedConfig parse(Result r, String node) throws IOException {
        Path f = Files.createTempDirectory(dir, "out").resolve("keepalived.conf");
        Files.writeString(f, r.configs().get(node), StandardCharsets.UTF_8);
        ParseResult<KeepalivedConfig> p = new KeepalivedParser().withHostId(node).parse(f);
        Diagnostics d = new Diagnostics();
        d.addAll(p.diagnostics());
        KeepalivedChecks.check(p.model(), d);
        assertThat(d.all().stream().filter(Diagnostic::isError)).as(r.configs().get(node)).isEmpty();
        return p.model();
    }

    static List<Note> notes(Result r, Kind kind) {
        return r.notes().stream().filter(n -> n.kind() == kind).toList();
    }

    @Test
    void oneInstancePerGroupWithTheGroupsAddressesAndResources() throws IOException {
        Result r = translate(HA_CF, """
                nodea IPaddr2::10.0.0.10/24/eth0 Filesystem::/dev/drbd0::/data::ext4 apache2
                nodeb 10.0.0.11/24/eth0 mysql
                """);
        assertThat(r.configs()).containsOnlyKeys("nodea", "nodeb");
        KeepalivedConfig a = parse(r, "nodea");
        KeepalivedConfig b = parse(r, "nodeb");
        assertThat(a.instances()).hasSize(2);
        VrrpInstance web = a.instances().get(0);
        assertThat(web.name()).isEqualTo("HB_IPaddr2_10.0.0.10_24_eth0");
        assertThat(web.interfaceName()).contains("eth0");
        assertThat(web.virtualAddresses()).singleElement().satisfies(v -> {
            assertThat(v.address().getHostAddress()).isEqualTo("10.0.0.10");
            assertThat(v.prefixLength()).isEqualTo(24);
            assertThat(v.device()).contains("eth0");
        });
        assertThat(web.resourceGroup().orElseThrow().resources()).extracting(x -> x.text())
                .containsExactly("Filesystem::/dev/drbd0::/data::ext4", "apache2");
        VrrpInstance db = a.instances().get(1);
        assertThat(db.name()).isEqualTo("HB_IPaddr_10.0.0.11_24_eth0");
        assertThat(db.resourceGroup().orElseThrow().resources()).extracting(x -> x.text()).containsExactly("mysql");
        // ownership: the preferred node of each line has the higher priority
        assertThat(web.priority()).isEqualTo(150);
        assertThat(db.priority()).isEqualTo(100);
        assertThat(b.instances().get(0).priority()).isEqualTo(100);
        assertThat(b.instances().get(1).priority()).isEqualTo(150);
        // the same instance has the same VRID and interface on every node
        for (int i = 0; i < 2; i++) {
            assertThat(b.instances().get(i).virtualRouterId()).isEqualTo(a.instances().get(i).virtualRouterId());
            assertThat(b.instances().get(i).state()).isEqualTo(a.instances().get(i).state());
        }
        assertThat(r.hasErrors()).isFalse();
    }

    @Test
    void vridIsTheCrc32OfTheGroupKeyAndStableWhenOtherGroupsChange() throws IOException {
        CRC32 crc = new CRC32();
        crc.update("IPaddr::10.0.0.11".getBytes(StandardCharsets.UTF_8));
        int expected = (int) (crc.getValue() % 255) + 1;
        Result one = translate(HA_CF, "nodeb 10.0.0.11 mysql\n");
        Result two = translate(HA_CF, "nodea IPaddr2::10.0.0.10/24/eth0 apache2\nnodeb 10.0.0.11 mysql\n");
        assertThat(one.instances().get(0).vrid()).isEqualTo(expected);
        assertThat(two.instances().get(1).vrid()).isEqualTo(expected);
        Result shifted = translate(HA_CF, "nodeb 10.0.0.11 mysql\n", null, null,
                new Options(Optional.empty(), OptionalInt.empty(), 7, Map.of()));
        assertThat(shifted.instances().get(0).vrid()).isEqualTo((expected - 1 + 7) % 255 + 1);
    }

    @Test
    void autoFailbackOffIsNopreemptWithStateBackupEverywhere() throws IOException {
        Result r = translate(HA_CF.replace("auto_failback on", "auto_failback off"), "nodea 10.0.0.10/24/eth0\n");
        for (String node : List.of("nodea", "nodeb")) {
            VrrpInstance i = parse(r, node).instances().get(0);
            assertThat(i.nopreempt()).isTrue();
            assertThat(i.configuredState()).contains(dev.vigil.config.keepalived.VrrpState.BACKUP);
            assertThat(i.preemptDisabled()).as("keepalived honours it").isTrue();
        }
        assertThat(notes(r, Kind.MAPPED)).anyMatch(n -> n.text().startsWith("auto_failback off -> nopreempt"));
        assertThat(notes(r, Kind.NO_EQUIVALENT)).anyMatch(n -> n.text().contains("leave every group on the first one"));
    }

    @Test
    void autoFailbackOnAndLegacyPreempt() throws IOException {
        VrrpInstance on = parse(translate(HA_CF, "nodea 10.0.0.10/24/eth0\n"), "nodeb").instances().get(0);
        assertThat(on.nopreempt()).isFalse();
        Result legacy = translate(HA_CF.replace("auto_failback on\n", ""), "nodea 10.0.0.10/24/eth0\n");
        assertThat(parse(legacy, "nodea").instances().get(0).nopreempt()).isFalse();
        assertThat(notes(legacy, Kind.CHANGED)).anyMatch(n -> n.text().startsWith("auto_failback legacy"));
    }

    @Test
    void keepaliveIsTheAdvertIntervalAndDeadtimeTheDownTimer() throws IOException {
        Result r = translate(HA_CF, "nodea 10.0.0.10/24/eth0\n");
        VrrpInstance i = parse(r, "nodea").instances().get(0);
        assertThat(i.version()).isEqualTo(2);
        assertThat(i.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(i.downTimerAdverts()).isEqualTo(5);
        assertThat(r.configs().get("nodea")).contains("down_timer_adverts 5");
        Result three = translate(HA_CF.replace("deadtime 5", "deadtime 3"), "nodea 10.0.0.10/24/eth0\n");
        assertThat(three.configs().get("nodea")).doesNotContain("down_timer_adverts");
    }

    @Test
    void subSecondKeepaliveSelectsVrrpV3() throws IOException {
        Result r = translate(HA_CF.replace("keepalive 1", "keepalive 200ms").replace("deadtime 5", "deadtime 1"), "nodea 10.0.0.10/24/eth0\n");
        VrrpInstance i = parse(r, "nodea").instances().get(0);
        assertThat(i.version()).isEqualTo(3);
        assertThat(i.advertInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(i.downTimerAdverts()).isEqualTo(5);
        Result v2 = translate(HA_CF.replace("keepalive 1", "keepalive 200ms").replace("deadtime 5", "deadtime 1"),
                "nodea 10.0.0.10/24/eth0\n", null, null, new Options(Optional.empty(), OptionalInt.of(2), 0, Map.of()));
        assertThat(parse(v2, "nodea").instances().get(0).advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(notes(v2, Kind.CHANGED)).anyMatch(n -> n.text().startsWith("keepalive 200 ms -> advert_int 1: VRRPv2"));
    }

    @Test
    void fractionalKeepaliveIsRoundedForVrrpV2WithANote() throws IOException {
        Result r = translate(HA_CF.replace("keepalive 1", "keepalive 1.5").replace("deadtime 5", "deadtime 6"), "nodea 10.0.0.10/24/eth0\n");
        assertThat(parse(r, "nodea").instances().get(0).advertInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().startsWith("keepalive 1500 ms -> advert_int 2"));
    }

    @Test
    void ipaddrArgumentsMapToPrefixBroadcastDeviceAndLabel() throws IOException {
        Result r = translate(HA_CF, "nodea IPaddr::10.0.0.5/255.255.255.0/eth0:1/10.0.0.255 10.0.0.6\n");
        assertThat(r.configs().get("nodea")).contains("10.0.0.5/24 brd 10.0.0.255 dev eth0 label eth0:1\n").contains("        10.0.0.6\n");
        VrrpInstance i = parse(r, "nodea").instances().get(0);
        assertThat(i.virtualAddresses()).hasSize(2);
        assertThat(i.virtualAddresses().get(0).label()).contains("eth0:1");
        assertThat(i.virtualAddresses().get(1).prefixLength()).isEqualTo(32);
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().contains("'10.0.0.6' has no netmask"));
        assertThat(i.resourceGroup()).isEmpty();
    }

    @Test
    void anEmptyNetmaskFieldShiftsTheOthersAndIsNotWrittenAsADevice() throws IOException {
        // corpus ljproyectoasir-lb04: IPaddr::10.0.30.15//8/eth0:10 (IPaddr reads ip/bits/interface/broadcast)
        Result r = translate(HA_CF, "nodea IPaddr::10.0.30.15//8/eth0:10 haproxy\n");
        assertThat(r.instances().get(0).addresses()).containsExactly("10.0.30.15");
        assertThat(r.instances().get(0).interfaceName()).isEqualTo("eth0");
        assertThat(notes(r, Kind.WARNING)).anyMatch(n -> n.text().contains("'8' is not an interface name"))
                .anyMatch(n -> n.text().contains("broadcast 'eth0:10' is not an address"));
        parse(r, "nodea");
    }

    @Test
    void addressesAfterOtherResourcesAreReportedAsReordered() throws IOException {
        Result r = translate(HA_CF, "nodea drbddisk::r0 Filesystem::/dev/drbd0::/data 10.0.0.5/24/eth0 apache2\n");
        assertThat(r.instances().get(0).resources()).extracting(x -> x.text()).containsExactly("drbddisk::r0", "Filesystem::/dev/drbd0::/data", "apache2");
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().contains("heartbeat started its addresses in line order"));
        parse(r, "nodea");
    }

    @Test
    void interfaceComesFromTheOverrideThenTheAddressThenTheMedia() throws IOException {
        assertThat(translate(HA_CF.replace("bcast eth0", "bcast eth1"), "nodea 10.0.0.5/24/eth0\n").instances().get(0).interfaceName()).isEqualTo("eth0");
        Result media = translate(HA_CF.replace("bcast eth0", "bcast eth1"), "nodea 10.0.0.5/24\n");
        assertThat(media.instances().get(0).interfaceName()).isEqualTo("eth1");
        assertThat(notes(media, Kind.WARNING)).anyMatch(n -> n.text().contains("VRRP adverts go on eth1, the first heartbeat medium"));
        Result forced = translate(HA_CF, "nodea 10.0.0.5/24/eth0\n", null, null, new Options(Optional.of("bond0"), OptionalInt.empty(), 0, Map.of()));
        assertThat(parse(forced, "nodea").instances().get(0).interfaceName()).contains("bond0");
        assertThat(forced.configs().get("nodea")).contains("10.0.0.5/24 dev eth0");
    }

    @Test
    void sha1KeysAreNotMappedAndTheReportWarns() throws IOException {
        Result r = translate(HA_CF, "nodea 10.0.0.5/24/eth0\n", "auth 1\n1 sha1 s3cr3t-hb-key\n", null, Options.defaults());
        assertThat(parse(r, "nodea").instances().get(0).authentication()).isEmpty();
        assertThat(r.configs().get("nodea")).doesNotContain("s3cr3t").doesNotContain("auth_pass");
        assertThat(notes(r, Kind.WARNING)).anyMatch(n -> n.text().startsWith("auth sha1 has no VRRP equivalent") && n.source().orElseThrow().line() == 2);
        assertThat(r.report()).doesNotContain("s3cr3t");
        Result crc = translate(HA_CF, "nodea 10.0.0.5/24/eth0\n", "auth 3\n3 crc\n", null, Options.defaults());
        assertThat(notes(crc, Kind.MAPPED)).anyMatch(n -> n.text().startsWith("auth crc -> no VRRP authentication"));
    }

    @Test
    void ucastBecomesUnicastPeersWhenEachNodesAddressIsKnown() throws IOException {
        String ucast = HA_CF.replace("bcast eth0", "ucast eth0 10.0.0.1\nucast eth0 10.0.0.2");
        Result r = translate(ucast, "nodea 10.0.0.5/24/eth0\n", null, null,
                new Options(Optional.empty(), OptionalInt.empty(), 0, Map.of("NodeA", "10.0.0.1", "nodeb", "10.0.0.2")));
        VrrpInstance a = parse(r, "nodea").instances().get(0);
        assertThat(a.unicastSrcIp().orElseThrow().getHostAddress()).isEqualTo("10.0.0.1");
        assertThat(a.unicastPeers()).extracting(p -> p.address().getHostAddress()).containsExactly("10.0.0.2");
        VrrpInstance b = parse(r, "nodeb").instances().get(0);
        assertThat(b.unicastPeers()).extracting(p -> p.address().getHostAddress()).containsExactly("10.0.0.1");
        Result unknown = translate(ucast, "nodea 10.0.0.5/24/eth0\n");
        assertThat(parse(unknown, "nodea").instances().get(0).isUnicast()).isFalse();
        assertThat(notes(unknown, Kind.WARNING)).anyMatch(n -> n.text().contains("no --address for nodea, nodeb"));
    }

    @Test
    void serialPingIpfailAndStonithHaveNoEquivalent() throws IOException {
        Result r = translate(HA_CF + """
                serial /dev/ttyS0
                ping 10.0.0.254
                respawn hacluster /usr/lib/heartbeat/ipfail
                stonith_host * baytech 10.0.0.3 mylogin mysecretpassword
                """, "nodea 10.0.0.5/24/eth0\n");
        assertThat(notes(r, Kind.NO_EQUIVALENT)).anyMatch(n -> n.text().startsWith("serial /dev/ttyS0"))
                .anyMatch(n -> n.text().startsWith("ping node 10.0.0.254") && n.text().contains("vrrp_script"))
                .anyMatch(n -> n.text().contains("ipfail gives the resources"));
        assertThat(notes(r, Kind.WARNING)).anyMatch(n -> n.text().startsWith("stonith_host * baytech: VRRP has no fencing"));
        assertThat(r.report()).doesNotContain("mysecretpassword");
        parse(r, "nodea");
    }

    @Test
    void multicastTtlAndRedundantMediaAreReported() throws IOException {
        Result r = translate(HA_CF.replace("bcast eth0", "bcast eth0\nmcast eth1 225.0.0.1 694 3 0"), "nodea 10.0.0.5/24/eth0\n");
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().contains("heartbeat's ttl 3 could cross routers"))
                .anyMatch(n -> n.text().startsWith("2 network interfaces in the media"))
                .anyMatch(n -> n.text().startsWith("bcast eth0 -> VRRP multicast 224.0.0.18"));
    }

    @Test
    void vigilConfPoliciesBecomeVigilResourceLines() throws IOException {
        Result r = translate(HA_CF, "nodea 10.0.0.5/24/eth0 apache2 MailTo::ops@example.com\n", null, """
                resource_defaults stop_timeout=60
                resource apache2 monitor_interval=10 max_restarts=2
                resource IPaddr 500ms
                """.replace("resource IPaddr 500ms\n", "resource 10.0.0.5/24/eth0 monitor_interval=5\n"), Options.defaults());
        KeepalivedConfig k = parse(r, "nodea");
        var g = k.instances().get(0).resourceGroup().orElseThrow();
        assertThat(g.policyFor("apache2").monitorInterval()).hasSeconds(10);
        assertThat(g.policyFor("apache2").maxRestarts()).isEqualTo(2);
        assertThat(g.policyFor("apache2").stopTimeout()).hasSeconds(60);
        assertThat(g.policyFor("MailTo::ops@example.com").stopTimeout()).hasSeconds(60);
        assertThat(r.configs().get("nodea")).contains("    vigil_resource_defaults stop_timeout=60\n")
                .contains("    vigil_resource apache2 monitor_interval=10 max_restarts=2\n");
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().startsWith("vigil.conf resource 10.0.0.5/24/eth0: the address is now a virtual_ipaddress"));
    }

    @Test
    void vigilConfMailGoesToGlobalDefsWithSmtpAlert() throws IOException {
        Result r = translate(HA_CF, "nodea 10.0.0.5/24/eth0\n", null, "mail_to ops@example.com\nsmtp_server mail.example.com 2525\n",
                Options.defaults());
        KeepalivedConfig k = parse(r, "nodea");
        assertThat(k.globalDefs().notificationEmails()).containsExactly("ops@example.com");
        assertThat(k.instances().get(0).smtpAlert()).contains(true);
    }

    @Test
    void moreThanTwoNodesGetDescendingPriorities() throws IOException {
        Result r = translate(HA_CF + "node nodec\n", "nodeb 10.0.0.5/24/eth0\n");
        assertThat(parse(r, "nodea").instances().get(0).priority()).isEqualTo(100);
        assertThat(parse(r, "nodeb").instances().get(0).priority()).isEqualTo(150);
        assertThat(parse(r, "nodec").instances().get(0).priority()).isEqualTo(99);
        assertThat(notes(r, Kind.CHANGED)).anyMatch(n -> n.text().startsWith("3 nodes: heartbeat v1's resource manager"));
    }

    @Test
    void aResourceKeepalivedCannotReadIsAnError() throws IOException {
        Result r = translate(HA_CF, "nodea 10.0.0.5/24/eth0 weird!script apache2\n");
        assertThat(r.hasErrors()).isTrue();
        assertThat(notes(r, Kind.ERROR)).singleElement().satisfies(n -> assertThat(n.text()).contains("'weird!script'"));
        assertThat(r.instances().get(0).resources()).extracting(x -> x.text()).containsExactly("apache2");
        parse(r, "nodea");
    }

    @Test
    void aGroupWithoutAddressesStillElects() throws IOException {
        Result r = translate(HA_CF, "nodea drbddisk::r0 apache2\n");
        VrrpInstance i = parse(r, "nodea").instances().get(0);
        assertThat(i.virtualAddresses()).isEmpty();
        assertThat(i.interfaceName()).contains("eth0");
        assertThat(notes(r, Kind.WARNING)).anyMatch(n -> n.text().contains("has no IPaddr/IPaddr2 address"));
    }

    @Test
    void reportListsInstancesThenNotesBySeverity() throws IOException {
        String report = translate(HA_CF + "serial /dev/ttyS0\n", "nodea 10.0.0.5/24/eth0\n").report();
        assertThat(report).startsWith("# vigil translate: 2 node(s), 1 vrrp_instance(s)\n#   HB_IPaddr_10.0.0.5_24_eth0: VRID ");
        assertThat(report.indexOf("\nwarning")).isLessThan(report.indexOf("\nchanged"));
        assertThat(report.indexOf("\nchanged")).isLessThan(report.indexOf("\nno equivalent"));
        assertThat(report.indexOf("\nno equivalent")).isLessThan(report.indexOf("\nmapped"));
        assertThat(report).contains("ha.cf:8 ");
    }
}
