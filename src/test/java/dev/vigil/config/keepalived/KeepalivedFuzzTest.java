package dev.vigil.config.keepalived;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Robustness: random text, keyword soup and mutated corpus files (byte flips, deleted, duplicated
 * and truncated lines) never make the parser, the checks or the weight trap throw, and every
 * diagnostic points at a line that exists. The default run is about 1000 tries in all; the
 * {@code slow-fuzz} ones are for a long run ({@code -Dvigil.excludedGroups=}).
 */
class KeepalivedFuzzTest {
    private static final Path DIR = tempDir();
    private static final List<byte[]> CORPUS = corpus();
    private static final List<String> WORDS = List.of("global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group", "group",
            "virtual_ipaddress", "virtual_routes", "unicast_peer", "track_script", "track_interface", "authentication", "auth_type", "PASS",
            "auth_pass", "state", "MASTER", "BACKUP", "interface", "eth0", "virtual_router_id", "51", "256", "priority", "100", "255",
            "advert_int", "0.5", "version", "3", "nopreempt", "weight", "-20", "reverse", "script", "\"/bin/true a\"", "include",
            "*.conf", "@node1", "@^node1", "$X=1", "$X", "${X}", "10.0.0.1/24", "2001:db8::1/64", "brd", "dev", "label", "scope",
            "via", "default", "{", "}", "{", "}", "#", "!", "\\", "\"", "virtual_server", "real_server", "TCP_CHECK", "VI_1", "chk",
            "<<<<<<<", "=======", "{{X}}", "@T@", "~SEQ(N,1,3)", "notify_master", "smtp_server", "vrrp_version", "sync_group_tracking_weight");

    @Property(tries = 300)
    void randomTextNeverThrows(@ForAll("text") String text) {
        assertRobust(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void keywordSoupNeverThrows(@ForAll("soup") String text) {
        assertRobust(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 400)
    void mutatedCorpusFilesNeverThrow(@ForAll("mutated") byte[] bytes) {
        assertRobust(bytes);
    }

    @Property(tries = 20_000)
    @Tag("slow-fuzz")
    void mutatedCorpusFilesNeverThrowLongRun(@ForAll("mutated") byte[] bytes) {
        assertRobust(bytes);
    }

    @Property(tries = 20_000)
    @Tag("slow-fuzz")
    void keywordSoupNeverThrowsLongRun(@ForAll("soup") String text) {
        assertRobust(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRobust(byte[] bytes) {
        Path file = DIR.resolve("fuzz.conf");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseResult<KeepalivedConfig> r = new KeepalivedParser().withHostId("node1").parse(file);
        assertThat(r.model()).isNotNull();
        Diagnostics all = new Diagnostics();
        all.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), all);
        WeightTrap.analyze(List.of(r.model(), r.model()), all);
        Map<Path, Integer> lineCounts = new HashMap<>();
        for (Diagnostic d : all.all()) {
            int lines = lineCounts.computeIfAbsent(d.file(), KeepalivedFuzzTest::lineCount);
            assertThat(d.line()).as(d.format()).isBetween(0, lines);
            assertThat(d.message()).as(d.format()).doesNotContain("internal error", "has no reader");
        }
    }

    private static int lineCount(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            int n = 1;
            for (byte x : b) if (x == '\n') n++;
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("abcdefgiklmnoprstuvwxyz_0123456789 \t\n\r{}\"'#!@^$=\\/.:-*?[]~%,<>|")
                .withCharRange('\u0080', '\u00ff').ofMaxLength(2000);
    }

    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> word = Arbitraries.of(WORDS);
        Arbitrary<String> sep = Arbitraries.of(" ", " ", " ", "\n", "\n  ", "\t", "");
        return Combinators.combine(word, sep).as((w, s) -> w + s).list().ofMaxSize(300).map(l -> String.join("", l));
    }

    private record Mutation(int kind, int at, int length, byte value) {
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(1, 40), Arbitraries.bytes()).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, CORPUS.size() - 1), mutation.list().ofMinSize(1).ofMaxSize(6))
                .as((index, mutations) -> {
                    byte[] b = CORPUS.get(index).clone();
                    for (Mutation m : mutations) b = apply(b, m);
                    return b;
                });
    }

    private static byte[] apply(byte[] b, Mutation m) {
        if (b.length == 0) return b;
        int pos = m.at() % b.length;
        switch (m.kind()) {
            case 0 -> {
                byte[] c = b.clone();
                c[pos] = m.value();
                return c;
            }
            case 1 -> {
                return Arrays.copyOf(b, pos);
            }
            default -> {
                List<String> lines = new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
                int line = m.at() % lines.size();
                int n = Math.min(m.length() % 4 + 1, lines.size() - line);
                if (m.kind() == 2) {
                    for (int i = 0; i < n; i++) lines.remove(line);
                } else if (m.kind() == 3) {
                    lines.addAll(line, new ArrayList<>(lines.subList(line, line + n)));
                } else {
                    lines.add(m.at() % (lines.size() + 1), lines.get(line));
                }
                return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("vigil-kaconf-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> corpus() {
        try (Stream<Path> s = Files.list(KeepalivedCorpusTest.CORPUS)) {
            List<byte[]> all = new ArrayList<>();
            for (Path p : s.sorted().toList()) all.add(Files.readAllBytes(p));
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
