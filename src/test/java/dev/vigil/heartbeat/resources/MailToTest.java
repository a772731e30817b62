package dev.vigil.heartbeat.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vigil.action.ScriptInvocation;
import dev.vigil.action.ScriptResult;
import dev.vigil.action.ScriptRunner;
import dev.vigil.action.mail.Alert;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.action.mail.MailSettings;
import dev.vigil.heartbeat.rm.OperationResult;
import dev.vigil.heartbeat.rm.ResourceOp;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * haresources' {@code MailTo::a@b,c@d::Subject}: through Vigil's mail queue when vigil.conf names an
 * smtp_server, with the subject and body heartbeat 3.0.6's MailTo produces (checked against the real
 * agent installed by Debian's heartbeat package, its {@code mail} command replaced by a recorder);
 * else the script, as heartbeat runs it.
 */
class MailToTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    static final Path HEARTBEAT_MAILTO = Path.of("/etc/ha.d/resource.d/MailTo");

    @TempDir
    Path dir;

    private final ScriptRunner runner = new ScriptRunner();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        runner.close();
    }

    /** Dates differ between two runs a second apart; everything else must not. */
    private static String undated(String s) {
        return s.replaceAll("[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\d{4}", "DATE");
    }

    private record Recorded(List<String> args, String stdin) {
    }

    /** Runs heartbeat's MailTo with {@code MAILCMD} pointing at a recorder; returns what "mail" got. */
    private Recorded realMailTo(String... args) throws Exception {
        Path rec = dir.resolve("fakemail");
        Files.writeString(rec, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + dir.resolve("args") + "\ncat > "
                + dir.resolve("stdin") + "\n");
        rec.toFile().setExecutable(true);
        List<String> argv = new java.util.ArrayList<>(List.of(HEARTBEAT_MAILTO.toString()));
        argv.addAll(List.of(args));
        ScriptResult r = runner.run(new ScriptInvocation(argv, Map.of("MAILCMD", rec.toString(), "HA_RSCTMP", dir.toString(),
                "OCF_ROOT", "/usr/lib/ocf"), null, Duration.ofSeconds(20), Duration.ofSeconds(1), 50)).get(30, TimeUnit.SECONDS);
        assertThat(r.succeeded()).as("%s", r).isTrue();
        return new Recorded(Files.readAllLines(dir.resolve("args")), Files.readString(dir.resolve("stdin")));
    }

    private static String unameN() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }

    @Test
    void subjectAndBodyAreThoseOfHeartbeatsMailTo() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HEARTBEAT_MAILTO), "heartbeat's MailTo is not installed");
        String node = unameN();
        Recorded start = realMailTo("ops@example.com,dba@example.com", "WebCluster", "start");
        assertThat(start.args()).hasSize(3);
        assertThat(start.args().get(0)).isEqualTo("-s");
        assertThat(start.args().get(2)).isEqualTo("ops@example.com,dba@example.com");
        Alert ours = Alert.mailToTakeover("WebCluster", node, Instant.now());
        assertThat(undated(ours.subject())).isEqualTo(undated(start.args().get(1)));
        assertThat(undated(ours.body())).isEqualTo(undated(start.stdin()));

        Recorded stop = realMailTo("ops@example.com", "WebCluster", "stop");
        Alert ours2 = Alert.mailToMigrating("WebCluster", node, Instant.now());
        assertThat(undated(ours2.subject())).isEqualTo(undated(stop.args().get(1)));
        assertThat(undated(ours2.body())).isEqualTo(undated(stop.stdin()));

        // no subject, or one of a single character: "Resource Group" (SubjectLine's ??* pattern)
        Recorded bare = realMailTo("ops@example.com", "start");
        assertThat(undated(Alert.mailToTakeover("", node, Instant.now()).subject())).isEqualTo(undated(bare.args().get(1)));
        Recorded one = realMailTo("ops@example.com", "X", "start");
        assertThat(undated(Alert.mailToTakeover("X", node, Instant.now()).subject())).isEqualTo(undated(one.args().get(1)));
    }

    @Test
    void dateIsFormattedAsTheCLocalesDateCommand() {
        // %e pads the day with a space
        assertThat(Alert.mailToTakeover("S", "n", Instant.parse("2026-11-05T07:08:09Z")).subject())
                .matches("Resource Group Takeover in progress at Thu Nov  5 \\d\\d:08:09 \\S+ 2026 on n");
    }

    private static OperationResult run(HaResourceExecutor e, String resource, ResourceOp op) throws Exception {
        return e.run("grp", resource, op).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static MimeMessage[] received() throws Exception {
        Map<String, MimeMessage> byId = new LinkedHashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) byId.putIfAbsent(m.getMessageID(), m);
        return byId.values().toArray(MimeMessage[]::new);
    }

    @Test
    void withAMailQueueMailToMailsItsOwnRecipientsOnStartAndStop() throws Exception {
        MailSettings s = MailSettings.of(List.of("alerts-only@example.com"), "vigil@nodea", "127.0.0.1", smtp.getSmtp().getPort())
                .withConnectTimeout(Duration.ofSeconds(5));
        String resource = "MailTo::ops@example.com,dba@example.com::WebCluster";
        try (MailNotifier mail = new MailNotifier(s, log::add)) {
            HaResourceExecutor e = new HaResourceExecutor(runner, HaResourceExecutorTest.NO_ADDRESSES, List.of(dir),
                    Map.of(), Optional.of(mail), "nodea");
            assertThat(run(e, resource, ResourceOp.STATUS).running()).isFalse();
            assertThat(run(e, resource, ResourceOp.START).success()).isTrue();
            assertThat(run(e, resource, ResourceOp.STATUS).running()).isTrue();
            assertThat(mail.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(run(e, resource, ResourceOp.STOP).success()).isTrue();
            assertThat(run(e, resource, ResourceOp.STATUS).running()).isFalse();
            assertThat(mail.drain(Duration.ofSeconds(10))).isTrue();
        }
        MimeMessage[] got = received();
        assertThat(got).as("log %s", log).hasSize(2);
        assertThat(got[0].getSubject()).matches("WebCluster Takeover in progress at .* on nodea");
        assertThat(got[1].getSubject()).matches("WebCluster Migrating resource away at .* from nodea");
        for (MimeMessage m : got) {
            assertThat(Arrays.stream(m.getAllRecipients()).map(Object::toString)).containsExactlyInAnyOrder("ops@example.com",
                    "dba@example.com");
        }
        assertThat(((String) got[1].getContent()).replace("\r\n", "\n"))
                .endsWith(" \n        Command line was:\n        /usr/lib/ocf/resource.d//heartbeat/MailTo stop");
    }

    @Test
    void withoutAMailQueueTheMailToScriptRunsAsHeartbeatRunsIt() throws Exception {
        Path scripts = dir.resolve("resource.d");
        HaResourceExecutorTest.script(scripts, "MailTo", "echo \"$@\" >> " + dir.resolve("calls"));
        HaResourceExecutor e = new HaResourceExecutor(runner, HaResourceExecutorTest.NO_ADDRESSES, List.of(scripts), Map.of(),
                Optional.empty(), "nodea");
        assertThat(run(e, "MailTo::ops@example.com,dba@example.com::WebCluster", ResourceOp.START).success()).isTrue();
        assertThat(run(e, "MailTo::ops@example.com::WebCluster", ResourceOp.STOP).success()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly("ops@example.com,dba@example.com WebCluster start",
                "ops@example.com WebCluster stop");
    }

    @Test
    void theShippedScriptWritesHeartbeatsBody() throws Exception {
        Path shipped = Path.of("resources.d/MailTo").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(shipped));
        // the shipped script uses "mail" (or sendmail) from PATH; put a recorder first in a copy's PATH
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path rec = bin.resolve("mail");
        Files.writeString(rec, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + dir.resolve("args") + "\ncat > "
                + dir.resolve("stdin") + "\n");
        rec.toFile().setExecutable(true);
        Path copy = dir.resolve("MailTo");
        Files.writeString(copy, Files.readString(shipped).replace("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "PATH=" + bin + ":/usr/bin:/bin"));
        copy.toFile().setExecutable(true);
        ScriptResult r = runner.run(new ScriptInvocation(List.of(copy.toString(), "ops@example.com", "WebCluster", "start"),
                Map.of("HA_RSCTMP", dir.toString()), null, Duration.ofSeconds(20), Duration.ofSeconds(1), 50)).get(30, TimeUnit.SECONDS);
        assertThat(r.succeeded()).as("%s", r).isTrue();
        Alert ours = Alert.mailToTakeover("WebCluster", unameN(), Instant.now());
        List<String> args = Files.readAllLines(dir.resolve("args"));
        assertThat(args).hasSize(3);
        assertThat(undated(args.get(1))).isEqualTo(undated(ours.subject()));
        assertThat(undated(Files.readString(dir.resolve("stdin")))).isEqualTo(undated(ours.body()));
    }
}
