package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static dev.vigil.config.heartbeat.TestFiles.errors;
import static dev.vigil.config.heartbeat.TestFiles.warnings;
import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatDirectoryTest {

    @TempDir
    Path dir;

    /** Copies a test directory and gives authkeys mode 0600, as an installed /etc/ha.d has it. */
    Path install(String resourceDir) throws IOException {
        Path source = TestFiles.resource("heartbeat-config/" + resourceDir);
        for (String name : new String[]{"ha.cf", "haresources", "authkeys"}) {
            Files.copy(source.resolve(name), dir.resolve(name));
        }
        Files.setPosixFilePermissions(dir.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        return dir;
    }

    @Test
    void theRealTwoNodeSetupLoadsWithoutAnyDiagnostic() throws IOException {
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(install("two-node-bcast"));
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().haCf().nodes()).hasSize(2);
        assertThat(r.model().haresources().groups()).singleElement().extracting(Haresources.Group::node).isEqualTo("nodea");
        assertThat(r.model().authkeys().signingKey()).isPresent();
    }

    @Test
    void theSerialAndUcastSetupsLoadWithoutErrors() throws IOException {
        assertThat(errors(HeartbeatDirectory.load(install("serial")).diagnostics())).isEmpty();
        Path other = Files.createDirectory(dir.resolve("u"));
        Path source = TestFiles.resource("heartbeat-config/ucast-mcast");
        for (String name : new String[]{"ha.cf", "haresources", "authkeys"}) Files.copy(source.resolve(name), other.resolve(name));
        Files.setPosixFilePermissions(other.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        assertThat(HeartbeatDirectory.load(other).diagnostics().all()).isEmpty();
    }

    @Test
    void aHaresourcesNodeThatHaCfDoesNotDeclareIsAnErrorWithASuggestion() throws IOException {
        install("two-node-bcast");
        TestFiles.write(dir, "haresources", "nodea 10.0.0.1\nnode-b 10.0.0.2\n");
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(dir);
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(dir.resolve("haresources"));
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.message()).contains("Bad nodename in haresources [node-b]");
            assertThat(e.hint()).isEqualTo("did you mean 'nodeb'?");
        });
    }

    @Test
    void haresourcesNodeNamesMatchHaCfCaseInsensitively() throws IOException {
        install("two-node-bcast");
        TestFiles.write(dir, "haresources", "NodeA 10.0.0.1\nNODEB 10.0.0.2\n");
        assertThat(HeartbeatDirectory.load(dir).diagnostics().all()).isEmpty();
    }

    @Test
    void aPingNodeCannotHoldResources() throws IOException {
        install("two-node-bcast");
        TestFiles.write(dir, "ha.cf", Files.readString(dir.resolve("ha.cf")) + "ping 10.231.0.254\n");
        TestFiles.write(dir, "haresources", "10.231.0.254 10.0.0.1\n");
        assertThat(errors(HeartbeatDirectory.load(dir).diagnostics())).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("is a ping node"));
    }

    @Test
    void aMissingFileIsAnErrorNamingThatFile() throws IOException {
        install("two-node-bcast");
        Files.delete(dir.resolve("haresources"));
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(dir);
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(dir.resolve("haresources"));
            assertThat(e.line()).isZero();
            assertThat(e.message()).contains("haresources").contains("no such file");
        });
    }

    @Test
    void aPathThatIsNotADirectoryIsOneError() {
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(dir.resolve("missing"));
        assertThat(r.diagnostics().all()).singleElement().satisfies(e -> assertThat(e.message()).contains("no such directory"));
        assertThat(HeartbeatDirectory.load(TestFiles.write(dir, "file", "x")).diagnostics().all()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("not a directory"));
    }

    @Test
    void authkeysReadableByOthersStopsTheDirectoryFromLoadingCleanly() throws IOException {
        install("two-node-bcast");
        Files.setPosixFilePermissions(dir.resolve("authkeys"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(errors(HeartbeatDirectory.load(dir).diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(dir.resolve("authkeys"));
            assertThat(e.hint()).isEqualTo("chmod 600 " + dir.resolve("authkeys"));
        });
    }

    @Test
    void theFilesOwnProblemsAreReportedToo() throws IOException {
        install("two-node-bcast");
        TestFiles.write(dir, "ha.cf", Files.readString(dir.resolve("ha.cf")).replace("udpport 694", "undport 694"));
        assertThat(HeartbeatDirectory.load(dir).diagnostics().all()).extracting(Diagnostic::message)
                .containsExactly("unknown directive 'undport'");
    }

    @Test
    void ucastOnlyClustersNeedAPeerLineForEveryOtherNode() throws IOException {
        install("two-node-bcast");
        TestFiles.write(dir, "ha.cf", "ucast hb0 10.231.0.2\nnode nodea nodeb nodec\nauto_failback on\n");
        assertThat(warnings(HeartbeatDirectory.load(dir).diagnostics())).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.message()).contains("ucast only").contains("3 nodes");
        });
        TestFiles.write(dir, "ha.cf", "ucast hb0 10.231.0.2\nucast hb0 10.231.0.3\nnode nodea nodeb nodec\nauto_failback on\n");
        assertThat(HeartbeatDirectory.load(dir).diagnostics().all()).isEmpty();
    }

    @Test
    void theLocalNodeMustBeDeclaredWhenItIsKnown() throws IOException {
        install("two-node-bcast");
        assertThat(HeartbeatDirectory.load(dir, Optional.of("NodeB")).diagnostics().all()).isEmpty();
        assertThat(errors(HeartbeatDirectory.load(dir, Optional.of("nodec")).diagnostics())).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("Current node [nodec] not in configuration!"));
    }

    @Test
    void crossCheckWorksOnFilesGivenSeparately() throws IOException {
        Path cf = TestFiles.write(dir, "my-ha.cf", "bcast eth0\nnode alpha beta\nauto_failback off\n");
        Path res = TestFiles.write(dir, "my-haresources", "gamma 10.0.0.1\n");
        Path keys = TestFiles.write(dir, "my-authkeys", "auth 1\n1 sha1 k\n");
        Diagnostics d = new Diagnostics();
        HeartbeatDirectory.crossCheck(new HaCfParser().parse(cf).model(), new HaresourcesParser().parse(res).model(),
                new AuthkeysParser().withPermissionCheck(false).parse(keys).model(), d);
        assertThat(errors(d)).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(res);
            assertThat(e.message()).contains("'gamma' is not declared in " + cf);
        });
    }
}
