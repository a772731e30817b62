package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.vigil.config.heartbeat.TestFiles.errors;
import static dev.vigil.config.heartbeat.TestFiles.warnings;
import static org.assertj.core.api.Assertions.assertThat;

class HaresourcesParserTest {

    @TempDir
    Path dir;

    ParseResult<Haresources> parse(String content) {
        return new HaresourcesParser().parse(TestFiles.write(dir, "haresources", content));
    }

    @Test
    void theFixtureLineIsOneGroupWithOneScriptAndItsArgument() {
        ParseResult<Haresources> r = new HaresourcesParser().parse(TestFiles.resource("heartbeat-config/two-node-bcast/haresources"));
        assertThat(r.diagnostics().all()).isEmpty();
        Haresources.Group g = r.model().groups().get(0);
        assertThat(g.node()).isEqualTo("nodea");
        assertThat(g.key()).contains("IPaddr2::10.231.0.100/24/hb0");
        assertThat(g.resources()).singleElement().satisfies(res -> {
            assertThat(res.script()).isEqualTo("IPaddr2");
            assertThat(res.arguments()).containsExactly("10.231.0.100/24/hb0");
            assertThat(res.impliedIpaddr()).isFalse();
            assertThat(res.location().column()).isEqualTo(7);
        });
    }

    @Test
    void severalDoubleColonArgumentsAndPlainScripts() {
        Haresources h = parse("node1 10.0.0.170 Filesystem::/dev/sda1::/data1::ext2 httpd\n").model();
        List<Haresources.Resource> rs = h.groups().get(0).resources();
        assertThat(rs).extracting(Haresources.Resource::script).containsExactly("IPaddr", "Filesystem", "httpd");
        assertThat(rs.get(1).arguments()).containsExactly("/dev/sda1", "/data1", "ext2");
        assertThat(rs.get(2).arguments()).isEmpty();
    }

    @Test
    void aBareIpMeansIpaddrWithTheWholeWordAsArgument() {
        Haresources h = parse("node1 10.0.0.1/24/eth0/10.0.0.255 123.45.67.89\n").model();
        List<Haresources.Resource> rs = h.groups().get(0).resources();
        assertThat(rs).allSatisfy(res -> {
            assertThat(res.impliedIpaddr()).isTrue();
            assertThat(res.script()).isEqualTo("IPaddr");
        });
        assertThat(rs.get(0).arguments()).containsExactly("10.0.0.1/24/eth0/10.0.0.255");
        assertThat(rs.get(0).canonical()).isEqualTo("IPaddr::10.0.0.1/24/eth0/10.0.0.255");
    }

    @Test
    void scriptsAreLookedUpInResourceDThenInitD() {
        Haresources.Resource res = parse("n1 apache2\n").model().groups().get(0).resources().get(0);
        assertThat(res.candidatePaths(Haresources.DEFAULT_RESOURCE_DIR, Haresources.DEFAULT_INIT_DIR))
                .containsExactly(Path.of("/etc/ha.d/resource.d/apache2"), Path.of("/etc/init.d/apache2"));
    }

    @Test
    void backslashContinuesALineAndLocationsStayOnTheirPhysicalLines() {
        ParseResult<Haresources> r = parse("# comment\nserver1 drbddisk::r0 \\\n        Filesystem::/dev/drbd0::/mnt/mysql::ext4\nserver2 10.0.0.9\n");
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().groups()).hasSize(2);
        Haresources.Group g = r.model().groups().get(0);
        assertThat(g.resources()).extracting(Haresources.Resource::script).containsExactly("drbddisk", "Filesystem");
        assertThat(g.resources().get(1).location().line()).isEqualTo(3);
        assertThat(g.resources().get(1).location().column()).isEqualTo(9);
    }

    @Test
    void aBackslashFollowedByBlanksDoesNotContinueAndIsAnError() {
        ParseResult<Haresources> r = parse("server1 drbddisk::r0 \\  \n  Filesystem::/dev/drbd0::/mnt\n");
        assertThat(r.model().groups()).hasSize(2);
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(22);
        });
    }

    @Test
    void commentsMultipleGroupsAndNodeNamesCaseInsensitive() {
        ParseResult<Haresources> r = parse("NodeA 10.0.0.1 httpd # web\n\n#nodeb 10.0.0.2\nnodeb  IPaddr::10.0.0.2/24/eth0:0\tmysql\t\n");
        assertThat(r.diagnostics().all()).isEmpty();
        assertThat(r.model().groups()).extracting(Haresources.Group::canonicalNode).containsExactly("nodea", "nodeb");
        assertThat(r.model().groupsFor("NODEA")).singleElement().extracting(g -> g.resources().size()).isEqualTo(2);
        assertThat(r.model().group("IPaddr::10.0.0.2/24/eth0:0")).isPresent();
    }

    @Test
    void crlfIsWarnedBecauseHeartbeatWouldKeepTheCarriageReturn() {
        ParseResult<Haresources> r = parse("nodea 10.0.0.1 httpd\r\nnodeb 10.0.0.2\r\n");
        assertThat(r.model().groups().get(0).resources().get(1).script()).isEqualTo("httpd");
        assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.message()).contains("CRLF");
        });
    }

    @Test
    void aGroupKeyMustBeUniqueAndAppearOnNoOtherLine() {
        ParseResult<Haresources> r = parse("nodea 10.0.0.1 httpd\nnodeb 10.0.0.1 mysql\nnodeb 10.0.0.2 mysql2\nnodea 10.0.0.3 httpd\n");
        assertThat(errors(r.diagnostics())).extracting(Diagnostic::line).containsExactly(2);
        assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(4));
        ParseResult<Haresources> search = parse("nodea 10.0.0.1 httpd\nnodeb 10.0.0.2 10.0.0.1\n");
        assertThat(errors(search.diagnostics())).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.message()).contains("searching every line");
        });
    }

    @Test
    void ipaddrArgumentsAreChecked() {
        assertThat(errors(parse("n1 IPaddr::virtual_ip/mask/eth0\n").diagnostics())).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("'virtual_ip' is not an IPv4 address"));
        ParseResult<Haresources> shifted = parse("alton IPaddr::10.0.30.15//8/eth0:10\n");
        assertThat(errors(shifted.diagnostics())).isEmpty();
        assertThat(warnings(shifted.diagnostics())).first().satisfies(w -> assertThat(w.hint()).contains("10.0.30.15/8/eth0:10"));
        assertThat(parse("n1 IPaddr::192.168.88.140/255.255.255.0\n").diagnostics().all()).isEmpty();
    }

    @Test
    void emptyArgumentsAndEmptyScriptNames() {
        assertThat(warnings(parse("n1 Filesystem::/dev/sda1::::ext3\n").diagnostics())).hasSize(1);
        assertThat(errors(parse("n1 ::foo\n").diagnostics())).hasSize(1);
    }

    @Test
    void aLineWithANodeButNoResourceIsWarned() {
        assertThat(warnings(parse("nodea\n").diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(1));
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        ParseResult<Haresources> r = new HaresourcesParser().parse(dir.resolve("haresources"));
        assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> assertThat(e.message()).contains("haresources"));
        assertThat(r.model().groups()).isEmpty();
    }
}
