package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random text and mutated corpus files fed to all three parsers: no exception may escape, and
 * every diagnostic must point at a line (and column) that exists. The default run makes about
 * 1000 tries in a few seconds; the {@code slow-fuzz} ones make many more.
 */
class HeartbeatFuzzTest {

    static Path work;
    static List<byte[]> corpus;

    @BeforeContainer
    static void setUp() throws IOException {
        work = Files.createTempDirectory("hbfuzz");
        try (Stream<Path> s = Files.list(TestFiles.resource("corpus/heartbeat"))) {
            corpus = s.sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300)
    void randomTextNeverEscapesAndPointsAtRealLines(@ForAll("configText") String text) {
        checkAllParsers(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void mutatedCorpusFilesNeverEscapeAndPointAtRealLines(@ForAll("corpusIndex") int file, @ForAll("mutations") List<Mutation> mutations) {
        checkAllParsers(mutate(corpus.get(file), mutations));
    }

    @Property(tries = 200)
    void authkeysSecretsNeverReachDiagnosticsOrToString(@ForAll("authkeysWithSecret") String text) {
        Path p = write("authkeys", text.getBytes(StandardCharsets.UTF_8));
        ParseResult<Authkeys> r = new AuthkeysParser().withPermissionCheck(false).parse(p);
        assertThat(r.model().toString()).doesNotContain(SECRET);
        assertThat(r.model().entries().toString()).doesNotContain(SECRET);
        for (Diagnostic d : r.diagnostics().all()) {
            assertThat(d.message()).doesNotContain(SECRET);
            assertThat(d.hint() == null ? "" : d.hint()).doesNotContain(SECRET);
        }
    }

    @Tag("slow-fuzz")
    @Property(tries = 20000)
    void randomTextAtLength(@ForAll("configText") String text) {
        checkAllParsers(text.getBytes(StandardCharsets.UTF_8));
    }

    @Tag("slow-fuzz")
    @Property(tries = 30000)
    void mutatedCorpusAtLength(@ForAll("corpusIndex") int file, @ForAll("mutations") List<Mutation> mutations) {
        checkAllParsers(mutate(corpus.get(file), mutations));
    }

    @Tag("slow-fuzz")
    @Property(tries = 10000)
    void authkeysSecretsAtLength(@ForAll("authkeysWithSecret") String text) {
        authkeysSecretsNeverReachDiagnosticsOrToString(text);
    }

    // ------------------------------------------------------------------ checks

    static void checkAllParsers(byte[] bytes) {
        Path haCf = write("ha.cf", bytes);
        Path haresources = write("haresources", bytes);
        Path authkeys = write("authkeys", bytes);
        ParseResult<HaCf> cf = new HaCfParser().parse(haCf);
        ParseResult<Haresources> res = new HaresourcesParser().parse(haresources);
        ParseResult<Authkeys> keys = new AuthkeysParser().withPermissionCheck(false).parse(authkeys);
        ParseResult<VigilConf> vigil = new VigilConfParser().parse(write("vigil.conf", bytes));
        List<String> lines = lines(bytes);
        checkDiagnostics(vigil.diagnostics(), lines);
        Diagnostics policies = new Diagnostics();
        HeartbeatDirectory.resourcePolicies(vigil.model(), res.model(), policies);
        checkDiagnostics(policies, lines);
        checkDiagnostics(cf.diagnostics(), lines);
        checkDiagnostics(res.diagnostics(), lines);
        checkDiagnostics(keys.diagnostics(), lines);
        Diagnostics cross = new Diagnostics();
        HeartbeatDirectory.crossCheck(cf.model(), res.model(), keys.model(), java.util.Optional.of("nodea"), cross);
        for (Diagnostic d : cross.all()) {
            assertThat(d.message()).doesNotContain("internal error");
            assertThat(d.line()).isBetween(0, lines.size());
        }
    }

    static void checkDiagnostics(Diagnostics diagnostics, List<String> lines) {
        for (Diagnostic d : diagnostics.all()) {
            assertThat(d.message()).as(d.format()).doesNotContain("internal error");
            assertThat(d.line()).as(d.format()).isBetween(0, lines.size());
            if (d.line() == 0) {
                assertThat(d.column()).as(d.format()).isZero();
            } else {
                assertThat(d.column()).as(d.format()).isBetween(1, lines.get(d.line() - 1).length() + 1);
            }
        }
    }

    /** The file's lines as a reader sees them: split at LF, no empty line after a final LF. */
    static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    static Path write(String name, byte[] bytes) {
        try {
            return Files.write(work.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ generators

    static final String SECRET = "Zq7Secret-k3y";

    @Provide
    Arbitrary<String> configText() {
        List<String> vocabulary = new ArrayList<>(HaCfDirectives.all().stream().map(d -> d.name()).toList());
        vocabulary.addAll(List.of("auth", "sha1", "md5", "crc", "IPaddr::10.0.0.1/24/eth0", "10.0.0.1", "Filesystem::/dev/sda1::/mnt::ext3",
                "\\", "#", "::", "500ms", "1.5", "10us", "2s", "on", "off", "legacy", "-1", "99999999999", "ff12::1", "239.0.0.1",
                "/dev/ttyS0", "uid=root", "gid=haclient", "*", "${NODE}", "nodea", "NodeB", "eth0", "694", "0", "4", "é", "ネ"));
        Arbitrary<String> word = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(vocabulary)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-5, 100000).map(String::valueOf)));
        Arbitrary<String> separator = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(" ", "\t", ",", "  ")),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("\n", "\r\n", " \\\n", "\\\n", "\n\n")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("\r", "\f", " # ", "\u0000")));
        return Combinators.combine(word, separator).as((w, s) -> w + s).list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Integer> corpusIndex() {
        return Arbitraries.integers().between(0, corpus.size() - 1);
    }

    /** One edit of a file: flip a byte, delete or duplicate a line, truncate, or insert bytes. */
    record Mutation(int kind, int position, int value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 255)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    static byte[] mutate(byte[] original, List<Mutation> mutations) {
        byte[] b = original.clone();
        for (Mutation m : mutations) {
            if (b.length == 0) {
                b = new byte[]{(byte) m.value()};
                continue;
            }
            int at = m.position() % b.length;
            switch (m.kind()) {
                case 0 -> b[at] = (byte) (b[at] ^ (1 << (m.value() % 8)));
                case 1 -> b = deleteLine(b, at);
                case 2 -> b = duplicateLine(b, at);
                case 3 -> b = Arrays.copyOf(b, at);
                default -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) m.value();
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    static int lineStart(byte[] b, int at) {
        int s = at;
        while (s > 0 && b[s - 1] != '\n') s--;
        return s;
    }

    static int lineEnd(byte[] b, int at) {
        int e = at;
        while (e < b.length && b[e] != '\n') e++;
        return Math.min(e + 1, b.length);
    }

    static byte[] deleteLine(byte[] b, int at) {
        int s = lineStart(b, at);
        int e = lineEnd(b, at);
        byte[] c = new byte[b.length - (e - s)];
        System.arraycopy(b, 0, c, 0, s);
        System.arraycopy(b, e, c, s, b.length - e);
        return c;
    }

    static byte[] duplicateLine(byte[] b, int at) {
        int s = lineStart(b, at);
        int e = lineEnd(b, at);
        byte[] c = new byte[b.length + (e - s)];
        System.arraycopy(b, 0, c, 0, e);
        System.arraycopy(b, s, c, e, e - s);
        System.arraycopy(b, e, c, e + (e - s), b.length - e);
        return c;
    }

    @Provide
    Arbitrary<String> authkeysWithSecret() {
        Arbitrary<String> line = Arbitraries.of(
                "auth 1", "auth " + SECRET, "auth 1 " + SECRET, "1 sha1 " + SECRET, "1 SHA1 " + SECRET, "1 " + SECRET,
                "2 crc " + SECRET, "3 md5 " + SECRET + " more words", SECRET, SECRET + " sha1", "1 sha1 #" + SECRET,
                "4 " + SECRET + " " + SECRET, "99 sha1 " + SECRET, "-1 md5 " + SECRET, "# " + SECRET, "a" + SECRET,
                "Auth " + SECRET, "1 sha1", "1 md5", "3 crc", "  ", "1sha1" + SECRET, "16 crc");
        Arbitrary<String> ending = Arbitraries.of("\n", "\r\n", "\t\n", "");
        return Combinators.combine(line, ending).as((l, e) -> l + e).list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
