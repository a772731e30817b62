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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trip on real-world heartbeat directories: the corpus (single files named
 * {@code owner-project__path_ha.cf}, grouped per project) and {@code conf/heartbeat}. Every
 * directory heartbeat would accept translates into keepalived.conf files that Vigil's parser and
 * checks accept without an error.
 */
class TranslateCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/corpus/heartbeat");
    static final List<String> KINDS = List.of("ha.cf", "haresources", "authkeys");

    @TempDir
    Path dir;

    /** project -> (ha.cf|haresources|authkeys -> corpus file), for projects with both ha.cf and haresources. */
    static Map<String, Map<String, Path>> projects() throws IOException {
        Map<String, Map<String, Path>> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                int sep = name.indexOf("__");
                if (sep < 0) continue;
                for (String kind : KINDS) {
                    if (name.endsWith(kind)) all.computeIfAbsent(name.substring(0, sep), k -> new TreeMap<>()).putIfAbsent(kind, f);
                }
            }
        }
        all.values().removeIf(m -> !m.containsKey("ha.cf") || !m.containsKey("haresources"));
        return all;
    }

    /** Copies a project's files into an /etc/ha.d-like directory. */
    static Path install(Path target, Map<String, Path> files) throws IOException {
        Files.createDirectories(target);
        for (Map.Entry<String, Path> e : files.entrySet()) Files.copy(e.getValue(), target.resolve(e.getKey()));
        return target;
    }

    static Diagnostics check(Path file, String node) {
        ParseResult<KeepalivedConfig> p = new KeepalivedParser().withHostId(node).parse(file);
        Diagnostics d = new Diagnostics();
        d.addAll(p.diagnostics());
        KeepalivedChecks.check(p.model(), d);
        return d;
    }

    /** Translates one directory and checks every node's file; returns the files written, or none when heartbeat would refuse it. */
    static List<Path> roundTrip(Path haD, Path out, List<String> failures) throws IOException {
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(haD);
        if (!HaToKeepalived.blockingErrors(loaded.diagnostics()).isEmpty()) return List.of();
        HaToKeepalived.Result r = HaToKeepalived.translate(loaded.model(), HaToKeepalived.Options.defaults());
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> e : r.configs().entrySet()) {
            Path f = out.resolve(e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_")).resolve("keepalived.conf");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            written.add(f);
            for (Diagnostic d : check(f, e.getKey()).all()) {
                if (d.isError()) failures.add(haD + " -> " + d.format() + "\n" + e.getValue());
            }
        }
        return written;
    }

    @Test
    void everyCorpusDirectoryHeartbeatAcceptsTranslatesWithoutErrors() throws IOException {
        Map<String, Map<String, Path>> projects = projects();
        assertThat(projects).as("corpus projects with ha.cf and haresources").hasSizeGreaterThanOrEqualTo(15);
        List<String> failures = new ArrayList<>();
        List<String> translated = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, Map<String, Path>> p : projects.entrySet()) {
            Path haD = install(dir.resolve("in").resolve(p.getKey()), p.getValue());
            List<Path> written = roundTrip(haD, dir.resolve("out").resolve(p.getKey()), failures);
            (written.isEmpty() ? refused : translated).add(p.getKey());
            files += written.size();
        }
        System.out.println("translate corpus: " + translated.size() + " of " + projects.size() + " directories translated into " + files
                + " keepalived.conf files; heartbeat itself would refuse " + refused);
        assertThat(failures).isEmpty();
        // most corpus directories are valid heartbeat setups; a parser change that refuses them all must not pass silently
        assertThat(translated.size()).isGreaterThanOrEqualTo(projects.size() / 2);
        assertThat(files).isGreaterThanOrEqualTo(2 * translated.size());
    }

    @Test
    void theShippedSampleTranslatesWithoutErrors() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Path> written = roundTrip(Path.of("conf/heartbeat"), dir, failures);
        assertThat(failures).isEmpty();
        assertThat(written).hasSize(2);
        String alpha = Files.readString(written.get(0));
        assertThat(alpha).contains("virtual_ipaddress {\n        192.0.2.50/24 dev eth1\n    }")
                .contains("vigil_resources apache MailTo::ops@example.com::web-cluster").contains("priority 150");
        assertThat(Files.readString(written.get(1))).contains("priority 100");
    }
}
