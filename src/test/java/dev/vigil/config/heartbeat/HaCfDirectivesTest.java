package dev.vigil.config.heartbeat;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.DirectiveDoc;
import dev.vigil.config.DirectiveDoc.Status;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HaCfDirectivesTest {

    @TempDir
    Path dir;

    /** A valid line for every directive heartbeat 3.0.6 knows: the registry and the parser must agree on each. */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("node", "node nodec");
        SAMPLES.put("keepalive", "keepalive 2");
        SAMPLES.put("deadtime", "deadtime 30");
        SAMPLES.put("warntime", "warntime 10");
        SAMPLES.put("initdead", "initdead 60");
        SAMPLES.put("deadping", "deadping 30");
        SAMPLES.put("udpport", "udpport 694");
        SAMPLES.put("baud", "baud 19200");
        SAMPLES.put("hopfudge", "hopfudge 1");
        SAMPLES.put("autojoin", "autojoin none");
        SAMPLES.put("uuidfrom", "uuidfrom file");
        SAMPLES.put("hbgenmethod", "hbgenmethod file");
        SAMPLES.put("msgfmt", "msgfmt classic");
        SAMPLES.put("max_rexmit_delay", "max_rexmit_delay 250");
        SAMPLES.put("auto_failback", "auto_failback on");
        SAMPLES.put("nice_failback", "nice_failback on");
        SAMPLES.put("bcast", "bcast eth0");
        SAMPLES.put("udp", "udp eth1");
        SAMPLES.put("ucast", "ucast eth0 10.0.0.2");
        SAMPLES.put("mcast", "mcast eth0 239.0.0.1 694 1 0");
        SAMPLES.put("ucast6", "ucast6 eth0 fe80::2");
        SAMPLES.put("mcast6", "mcast6 eth0 ff12::1 694 1 0");
        SAMPLES.put("serial", "serial /dev/ttyS0");
        SAMPLES.put("ping", "ping 10.0.0.254");
        SAMPLES.put("ping6", "ping6 2001:db8::1");
        SAMPLES.put("ping_group", "ping_group gw 10.0.0.1 10.0.0.2");
        SAMPLES.put("hbaping", "hbaping fc0");
        SAMPLES.put("rds", "rds eth0");
        SAMPLES.put("logfacility", "logfacility daemon");
        SAMPLES.put("logfile", "logfile /var/log/ha-log");
        SAMPLES.put("debugfile", "debugfile /var/log/ha-debug");
        SAMPLES.put("debug", "debug 1");
        SAMPLES.put("log_badpack", "log_badpack true");
        SAMPLES.put("use_logd", "use_logd yes");
        SAMPLES.put("conn_logd_time", "conn_logd_time 60");
        SAMPLES.put("syslogmsgfmt", "syslogmsgfmt true");
        SAMPLES.put("respawn", "respawn hacluster /usr/lib/heartbeat/ipfail");
        SAMPLES.put("failfast", "failfast hacluster /usr/lib/heartbeat/ccm");
        SAMPLES.put("apiauth", "apiauth ipfail uid=hacluster");
        SAMPLES.put("env", "env X=1");
        SAMPLES.put("stonith", "stonith baytech /etc/ha.d/conf/stonith.baytech");
        SAMPLES.put("stonith_host", "stonith_host * baytech 10.0.0.3 admin pw");
        SAMPLES.put("watchdog", "watchdog /dev/watchdog");
        SAMPLES.put("realtime", "realtime on");
        SAMPLES.put("rtprio", "rtprio 5");
        SAMPLES.put("memreserve", "memreserve 6500");
        SAMPLES.put("coredumps", "coredumps true");
        SAMPLES.put("coreroot", "coreroot /var/lib/heartbeat/cores");
        SAMPLES.put("compression", "compression bz2");
        SAMPLES.put("compression_threshold", "compression_threshold 2");
        SAMPLES.put("traditional_compression", "traditional_compression off");
        SAMPLES.put("cluster", "cluster linux-ha");
        SAMPLES.put("quorum_server", "quorum_server q.example.com");
        SAMPLES.put("use_apphbd", "use_apphbd yes");
        SAMPLES.put("crm_daemon_dir", "crm_daemon_dir /usr/lib/pacemaker");
        SAMPLES.put("crmd_spawns_pengine", "crmd_spawns_pengine yes");
        SAMPLES.put("record_config_changes", "record_config_changes on");
        SAMPLES.put("record_pengine_inputs", "record_pengine_inputs on");
        SAMPLES.put("enable_config_writes", "enable_config_writes on");
        SAMPLES.put("crm", "crm on");
        SAMPLES.put("pacemaker", "pacemaker respawn");
    }

    @Test
    void everyHaCfDirectiveHasASampleAndAOneSentenceNote() {
        assertThat(HaCfDirectives.all()).extracting(DirectiveDoc::name).containsExactlyInAnyOrderElementsOf(SAMPLES.keySet());
        assertThat(HaCfDirectives.all()).allSatisfy(doc -> {
            assertThat(doc.format()).isEqualTo(ConfigFormat.HA_CF);
            assertThat(doc.note()).isNotBlank().endsWith(".");
        });
    }

    @Test
    void theParserActsOnEachDirectiveAsTheRegistrySays() {
        for (DirectiveDoc doc : HaCfDirectives.all()) {
            String content = "node nodea nodeb\nauto_failback on\n" + SAMPLES.get(doc.name()) + "\n"
                    + (doc.name().equals("bcast") ? "" : "bcast eth9\n");
            ParseResult<HaCf> r = new HaCfParser().parse(TestFiles.write(dir, "ha.cf", content));
            var onItsLine = r.diagnostics().all().stream().filter(d -> d.line() == 3).toList();
            assertThat(onItsLine).as(doc.name()).noneMatch(d -> d.message().contains("unknown directive") || d.message().contains("internal error"));
            switch (doc.status()) {
                case SUPPORTED -> assertThat(onItsLine).as(doc.name()).noneMatch(Diagnostic::isError);
                case REJECTED -> assertThat(onItsLine).as(doc.name()).anyMatch(Diagnostic::isError);
                case IGNORED -> {
                    assertThat(onItsLine).as(doc.name()).noneMatch(Diagnostic::isError);
                    boolean warns = HaCfDirectives.find(doc.name()).orElseThrow().warnWhenIgnored();
                    assertThat(onItsLine.stream().anyMatch(d -> d.message().contains("no effect in Vigil"))).as(doc.name()).isEqualTo(warns);
                }
            }
        }
    }

    @Test
    void crmAndPacemakerAreRejectedWithTheirOffValueNamedInTheNote() {
        assertThat(HaCfDirectives.all()).filteredOn(d -> d.status() == Status.REJECTED)
                .extracting(DirectiveDoc::name).containsExactlyInAnyOrder("crm", "pacemaker", "hbaping", "rds");
        assertThat(HaCfDirectives.find("crm").orElseThrow().doc().note()).contains("crm off");
    }

    @Test
    void haresourcesAndAuthkeysDescribeTheirSyntaxElements() {
        assertThat(HaCfDirectives.haresources()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.format()).isEqualTo(ConfigFormat.HARESOURCES));
        assertThat(HaCfDirectives.authkeys()).extracting(DirectiveDoc::name).contains("auth", "N sha1 KEY", "N md5 KEY", "N crc");
        assertThat(HaCfDirectives.authkeys()).allSatisfy(d -> assertThat(d.format()).isEqualTo(ConfigFormat.AUTHKEYS));
    }
}
