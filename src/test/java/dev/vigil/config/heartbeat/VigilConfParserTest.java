package dev.vigil.config.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.VigilConf.Event;
import dev.vigil.config.heartbeat.VigilConf.ResourcePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfParserTest {

    @TempDir
    Path dir;

    private ParseResult<VigilConf> parse(String text) {
        return new VigilConfParser().parse(TestFiles.write(dir, "vigil.conf", text));
    }

    private static List<String> formatted(ParseResult<?> r) {
        return r.diagnostics().all().stream().map(Diagnostic::format).toList();
    }

    @Test
    void noFileMeansHeartbeatsBehaviourExactly() {
        ParseResult<VigilConf> r = new VigilConfParser().parse(dir.resolve("vigil.conf"));
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().mail()).isEmpty();
        assertThat(r.model().notifyScript()).isEmpty();
        assertThat(r.model().policyFor("apache2").monitored()).isFalse();
        assertThat(r.model().policyFor("IPaddr2::10.0.0.1/24")).isEqualTo(ResourcePolicy.DEFAULTS);
    }

    @Test
    void aFullFileIsRead() {
        ParseResult<VigilConf> r = parse("""
                # alerts
                mail_to ops@example.com, dba@example.com
                mail_to oncall@example.com
                mail_from vigil@nodea.example.com
                smtp_server 127.0.0.1 2525
                smtp_helo nodea
                smtp_connect_timeout 5
                mail_on node_dead,split_brain takeover
                notify_script /etc/ha.d/notify.sh
                notify_timeout 500ms
                script_user nobody nogroup
                resource_defaults stop_timeout=60 monitor_timeout=10
                resource apache2 monitor_interval=10 max_restarts=2 restart_window=120
                resource IPaddr2::10.0.0.1/24 start_timeout=5
                """);
        assertThat(formatted(r)).isEmpty();
        VigilConf c = r.model();
        assertThat(c.mail()).hasValueSatisfying(m -> {
            assertThat(m.recipients()).containsExactly("ops@example.com", "dba@example.com", "oncall@example.com");
            assertThat(m.from()).isEqualTo("vigil@nodea.example.com");
            assertThat(m.smtpHost()).isEqualTo("127.0.0.1");
            assertThat(m.smtpPort()).isEqualTo(2525);
            assertThat(m.helo()).contains("nodea");
            assertThat(m.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(c.mailOn()).containsExactlyInAnyOrder(Event.NODE_DEAD, Event.SPLIT_BRAIN, Event.TAKEOVER);
        assertThat(c.notifyScript()).contains(Path.of("/etc/ha.d/notify.sh"));
        assertThat(c.notifyTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.scriptUser()).contains("nobody nogroup");
        ResourcePolicy apache = c.policyFor("apache2");
        assertThat(apache.monitored()).isTrue();
        assertThat(apache.monitorInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(apache.maxRestarts()).isEqualTo(2);
        assertThat(apache.restartWindow()).isEqualTo(Duration.ofSeconds(120));
        // keys not on the resource's own line come from resource_defaults, wherever that line is
        assertThat(apache.stopTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(apache.monitorTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.policyFor("IPaddr2::10.0.0.1/24").startTimeout()).isEqualTo(Duration.ofSeconds(5));
        // a resource line by script name covers every use of the script
        assertThat(c.policyFor("apache2::/etc/apache2/other.conf").monitored()).isTrue();
        assertThat(c.policyFor("mysql").stopTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.policyFor("mysql").monitored()).isFalse();
    }

    @Test
    void mistakesNameTheLineAndTheFix() {
        ParseResult<VigilConf> r = parse("""
                mail_too ops@example.com
                mail_to not-an-address
                mail_on node_ded
                notify_script notify.sh
                resource apache2 monitor_intervall=10 max_restarts=-1 stop_timeout=0
                resource apache2 monitor_interval=5
                smtp_connect_timeout 5s
                """);
        assertThat(formatted(r)).anySatisfy(s -> assertThat(s).contains("vigil.conf:1:1: error: unknown directive 'mail_too'")
                        .contains("did you mean 'mail_to'?"))
                .anySatisfy(s -> assertThat(s).contains(":2:1: error: 'not-an-address' is not a mail address"))
                .anySatisfy(s -> assertThat(s).contains(":3:1: error: unknown event 'node_ded'").contains("node_dead"))
                .anySatisfy(s -> assertThat(s).contains(":4:15: error: notify_script must be an absolute path"))
                .anySatisfy(s -> assertThat(s).contains(":5:18: error: unknown resource key 'monitor_intervall'")
                        .contains("did you mean 'monitor_interval'?"))
                .anySatisfy(s -> assertThat(s).contains(":5:").contains("max_restarts must be a number from 0 to 1000"))
                .anySatisfy(s -> assertThat(s).contains(":5:").contains("stop_timeout must be a positive time, not '0'"))
                .anySatisfy(s -> assertThat(s).contains(":6:1: error: resource 'apache2' already has a line (line 5)"))
                // heartbeat's time notation: "5s" is not a time in ha.cf either
                .anySatisfy(s -> assertThat(s).contains(":7:1: error: '5s' is not a positive time"));
    }

    @Test
    void mailWithoutAServerIsAnErrorAndAServerWithoutRecipientsAWarning() {
        assertThat(formatted(parse("mail_to ops@example.com\n")))
                .singleElement().asString().contains(":1:1: error: mail_to is set but no smtp_server");
        assertThat(formatted(parse("smtp_server localhost\n")))
                .singleElement().asString().contains(":1:1: warning: smtp_server is set but no mail_to");
    }

    @Test
    void aResourceLineNamingNothingInHaresourcesIsFlagged() {
        TestFiles.write(dir, "ha.cf", "keepalive 1\ndeadtime 5\nbcast eth0\nnode nodea\nnode nodeb\n");
        TestFiles.write(dir, "haresources", "nodea IPaddr2::10.0.0.1/24 apache2\n");
        TestFiles.write(dir, "vigil.conf", "resource apache monitor_interval=10\nresource IPaddr2 start_timeout=5\n");
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(dir);
        assertThat(r.diagnostics().all().stream().map(Diagnostic::format).filter(s -> s.contains("vigil.conf")).toList())
                .singleElement().asString().contains("vigil.conf:1:1: warning: resource 'apache' is not in haresources")
                .contains("did you mean 'apache2'?");
        assertThat(r.model().vigilConf().policyFor("apache2").monitored()).isFalse();
        assertThat(r.model().vigilConf().policyFor("IPaddr2::10.0.0.1/24").startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theConfigurationReferenceListsEveryDirectiveAndKey() {
        assertThat(VigilConfParser.directives()).extracting(d -> d.name())
                .contains("mail_to", "smtp_server", "notify_script", "resource", "monitor_interval=", "max_restarts=");
    }
}
