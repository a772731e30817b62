package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.heartbeat.wire.AuthMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.vigil.config.heartbeat.TestFiles.errors;
import static dev.vigil.config.heartbeat.TestFiles.warnings;
import static org.assertj.core.api.Assertions.assertThat;

class AuthkeysParserTest {

    @TempDir
    Path dir;

    static final String KEY = "s3cr3t-hb-test-key";

    ParseResult<Authkeys> parse(String content) {
        return new AuthkeysParser().withPermissionCheck(false).parse(TestFiles.write(dir, "authkeys", content));
    }

    ParseResult<Authkeys> parseWithMode(String content, String mode) throws IOException {
        Path p = TestFiles.write(dir, "authkeys", content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo(mode);
        return new AuthkeysParser().parse(p);
    }

    static void assertNoSecretAnywhere(ParseResult<Authkeys> r, String secret) {
        assertThat(r.model().toString()).doesNotContain(secret);
        assertThat(r.model().entries().toString()).doesNotContain(secret);
        for (Diagnostic d : r.diagnostics().all()) {
            assertThat(d.format()).doesNotContain(secret);
        }
    }

    @Test
    void theFixtureSelectsSha1KeyOne() {
        ParseResult<Authkeys> r = new AuthkeysParser().withPermissionCheck(false)
                .parse(TestFiles.resource("heartbeat-config/two-node-bcast/authkeys"));
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().signingKey()).get().satisfies(k -> {
            assertThat(k.index()).isEqualTo(1);
            assertThat(k.method()).isEqualTo(AuthMethod.SHA1);
            assertThat(k.key()).isEqualTo(new Secret(KEY));
        });
        assertThat(r.model().authLine()).get().extracting(l -> l.line()).isEqualTo(1);
    }

    @Test
    void md5AndCrcFixtures() {
        AuthkeysParser p = new AuthkeysParser().withPermissionCheck(false);
        assertThat(p.parse(TestFiles.resource("heartbeat-config/two-node-bcast/authkeys-md5")).model().signingKey())
                .get().extracting(k -> k.method()).isEqualTo(AuthMethod.MD5);
        ParseResult<Authkeys> crc = p.parse(TestFiles.resource("heartbeat-config/two-node-bcast/authkeys-crc"));
        assertThat(crc.model().signingKey()).get().satisfies(k -> {
            assertThat(k.method()).isEqualTo(AuthMethod.CRC);
            assertThat(k.key().length()).isZero();
        });
        assertThat(errors(crc.diagnostics())).isEmpty();
        assertThat(warnings(crc.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("authenticates nothing"));
    }

    @Test
    void severalKeysCommentsAndCrlf() {
        ParseResult<Authkeys> r = parse("#\r\n\t# comment\r\nauth 2 # or 3 md5\r\n1 crc\r\n2 sha1 " + KEY + "\r\n3 md5 other\r\n");
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().entries()).hasSize(3);
        assertThat(r.model().signingKey()).get().extracting(k -> k.index()).isEqualTo(2);
        assertThat(r.model().key(3)).get().extracting(k -> k.key()).isEqualTo(new Secret("other"));
    }

    @Test
    void theSelectedKeyMustExist() {
        ParseResult<Authkeys> r = parse("auth 2\n1 sha1 " + KEY + "\n");
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.message()).contains("Auth Key [2] not found");
        });
        assertThat(r.model().signingKey()).isEmpty();
    }

    @Test
    void aKeyDefinedBeforeTheAuthLineIsNotSelectedAsInAuthC() {
        ParseResult<Authkeys> r = parse("1 sha1 " + KEY + "\nauth 1\n");
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.hint()).isEqualTo("move 'auth 1' to the top of the file");
        });
    }

    @Test
    void aMissingAuthLineIsAnErrorAtLineZero() {
        assertThat(errors(parse("1 sha1 " + KEY + "\n").diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.line()).isZero();
            assertThat(e.message()).contains("Missing auth directive");
        });
    }

    @Test
    void crcWithAKeyAndSha1OrMd5WithoutOneAreErrorsLikeHeartbeat() {
        assertThat(errors(parse("auth 1\n1 crc " + KEY + "\n").diagnostics()))
                .anySatisfy(e -> assertThat(e.message()).contains("doesn't use a key"));
        assertThat(errors(parse("auth 1\n1 crc # no key\n").diagnostics()))
                .anySatisfy(e -> assertThat(e.hint()).contains("does not read '#' after crc as a comment"));
        assertThat(errors(parse("auth 1\n1 sha1\n").diagnostics()))
                .anySatisfy(e -> assertThat(e.message()).contains("requires a key"));
        assertThat(errors(parse("auth 1\n1 md5   \n").diagnostics()))
                .anySatisfy(e -> assertThat(e.message()).contains("requires a key"));
    }

    @Test
    void aDuplicateIndexIsWarnedAndTheLaterDefinitionIsKept() {
        ParseResult<Authkeys> r = parse("auth 1\n1 sha1 first-key\n1 md5 second-key\n");
        assertThat(errors(r.diagnostics())).isEmpty();
        assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(3));
        assertThat(r.model().signingKey()).get().satisfies(k -> {
            assertThat(k.method()).isEqualTo(AuthMethod.MD5);
            assertThat(k.key()).isEqualTo(new Secret("second-key"));
        });
    }

    @Test
    void indexesOutsideZeroToFifteenAreErrors() {
        assertThat(errors(parse("auth 16\n16 sha1 k\n").diagnostics())).hasSizeGreaterThanOrEqualTo(1);
        assertThat(errors(parse("auth 0\n0 sha1 k\n").diagnostics())).isEmpty();
        assertThat(parse("auth 15\n15 sha1 k\n").model().signingKey()).isPresent();
    }

    @Test
    void unknownMethodsAreErrorsThatNeverQuoteTheWord() {
        ParseResult<Authkeys> upper = parse("auth 1\n1 SHA1 " + KEY + "\n");
        assertThat(errors(upper.diagnostics())).anySatisfy(e -> assertThat(e.hint()).contains("did you mean 'sha1'?"));
        // A forgotten method makes the key the second word: it must not be echoed.
        ParseResult<Authkeys> forgotten = parse("auth 1\n1 " + KEY + "\n");
        assertThat(errors(forgotten.diagnostics())).isNotEmpty();
        assertNoSecretAnywhere(forgotten, KEY);
    }

    @Test
    void secretsNeverAppearInToStringOrDiagnostics() {
        ParseResult<Authkeys> r = parse("auth 1\n1 sha1 " + KEY + " trailing words\n1 sha1 " + KEY + "\n2 crc " + KEY + "\n3 md5 #" + KEY + "\nbogus " + KEY + "\n");
        assertThat(r.diagnostics().all()).hasSizeGreaterThanOrEqualTo(5);
        assertNoSecretAnywhere(r, KEY);
        assertThat(r.model().signingKey().orElseThrow().toString()).doesNotContain(KEY).contains(Secret.MASK);
    }

    @Test
    void modeReadableByGroupOrOthersIsAnErrorAtLineZeroWithTheChmodFix() throws IOException {
        for (String mode : new String[]{"rw-r-----", "rw-r--r--", "rw----r--"}) {
            ParseResult<Authkeys> r = parseWithMode("auth 1\n1 sha1 " + KEY + "\n", mode);
            assertThat(errors(r.diagnostics())).as(mode).singleElement().satisfies(e -> {
                assertThat(e.line()).isZero();
                assertThat(e.message()).contains("Bad permissions on keyfile");
                assertThat(e.hint()).isEqualTo("chmod 600 " + dir.resolve("authkeys"));
            });
        }
    }

    @Test
    void mode600And400AreAcceptedAndGroupWriteIsRefused() throws IOException {
        assertThat(errors(parseWithMode("auth 1\n1 sha1 " + KEY + "\n", "rw-------").diagnostics())).isEmpty();
        assertThat(errors(parseWithMode("auth 1\n1 sha1 " + KEY + "\n", "r--------").diagnostics())).isEmpty();
        // heartbeat itself accepts a group-writable key file; Vigil does not (anyone in the group could change the key)
        ParseResult<Authkeys> groupWrite = parseWithMode("auth 1\n1 sha1 " + KEY + "\n", "rw--w----");
        assertThat(errors(groupWrite.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("writable by group or others");
            assertThat(e.hint()).startsWith("chmod 600");
        });
    }

    @Test
    void ownershipByRootIsExpected() throws IOException {
        Path p = TestFiles.write(dir, "authkeys", "auth 1\n1 sha1 " + KEY + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        int uid = (Integer) Files.getAttribute(p, "unix:uid");
        // owned by root, or by the user Vigil runs as (the non-root demo): accepted
        assertThat(errors(new AuthkeysParser().parse(p).diagnostics())).isEmpty();
        if (uid == 0) {
            Files.setAttribute(p, "unix:uid", 65534);
            assertThat(errors(new AuthkeysParser().parse(p).diagnostics())).anySatisfy(e -> {
                assertThat(e.message()).contains("not root");
                assertThat(e.hint()).startsWith("chown root");
            });
        }
    }

    @Test
    void withoutThePermissionCheckTheModeIsNotLookedAt() throws IOException {
        Path p = TestFiles.write(dir, "authkeys", "auth 1\n1 sha1 " + KEY + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new AuthkeysParser().withPermissionCheck(false).parse(p).diagnostics().all()).isEmpty();
    }

    @Test
    void malformedAuthLinesAreErrors() {
        assertThat(errors(parse("auth\n1 sha1 k\n").diagnostics())).anySatisfy(e -> assertThat(e.line()).isEqualTo(1));
        assertThat(errors(parse("Auth 1\n1 sha1 k\n").diagnostics())).anySatisfy(e -> assertThat(e.hint()).contains("lower case"));
    }
}
