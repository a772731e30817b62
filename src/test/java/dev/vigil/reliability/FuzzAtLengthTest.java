package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.config.heartbeat.AuthkeysParser;
import dev.vigil.config.heartbeat.HaCfParser;
import dev.vigil.config.heartbeat.HaresourcesParser;
import dev.vigil.config.keepalived.KeepalivedChecks;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.heartbeat.wire.AuthKey;
import dev.vigil.heartbeat.wire.AuthKeys;
import dev.vigil.heartbeat.wire.AuthMethod;
import dev.vigil.heartbeat.wire.DecodeResult;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.RejectReason;
import dev.vigil.heartbeat.wire.Rejected;
import dev.vigil.vrrp.wire.VrrpChecksumVariant;
import dev.vigil.vrrp.wire.VrrpCodec;
import dev.vigil.vrrp.wire.VrrpFrames;
import dev.vigil.vrrp.wire.VrrpReceivePolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz run at length: both codecs and all four parsers, each fed {@code -Dvigil.fuzz.cases}
 * inputs (10 000 by default; {@code -Dvigil.fuzz.cases.TARGET=N} for one target, e.g. {@code
 * vigil.fuzz.cases.keepalived.conf}) that are mutated real inputs (the VRRP and heartbeat captures, the
 * configuration corpus) or random bytes. No input may throw, none may reach the heartbeat codec's
 * internal-error net, every diagnostic must point at a line that exists. Seeded: a failure prints
 * the target, seed and case, and the input in base64, and {@code -Dvigil.fuzz.seed=N} replays the run.
 *
 * <pre>
 * mvn -o test -Dtest=FuzzAtLengthTest -Dvigil.excludedGroups= -Dvigil.fuzz.cases=1000000
 * </pre>
 *
 * The jqwik properties next to each codec and parser (about 1000 tries each by default, more under
 * the same {@code slow-fuzz} tag) shrink a failure to a minimal input; this run trades that for volume.
 */
@Tag("slow-fuzz")
class FuzzAtLengthTest {

    static final long CASES = Long.getLong("vigil.fuzz.cases", 10_000);
    static final long SEED = Long.getLong("vigil.fuzz.seed", 20261125);
    static final Path RES = Path.of("src/test/resources");

    @TempDir
    static Path work;

    @Test
    void vrrpFrames() throws IOException {
        List<byte[]> corpus = vrrpFixtures();
        VrrpReceivePolicy lenient = VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(Set.of(VrrpChecksumVariant.values()));
        run("vrrp-frames", corpus, 1500, bytes -> {
            VrrpFrames.decode(bytes);
            VrrpFrames.decode(bytes, lenient);
        });
    }

    @Test
    void vrrpPackets() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        for (byte[] f : vrrpFixtures()) if (f.length > 34 && f[12] == 0x08 && f[13] == 0x00) corpus.add(java.util.Arrays.copyOfRange(f, 34, f.length));
        InetAddress src = InetAddress.getByName("10.0.0.1");
        run("vrrp-packets", corpus, 300, bytes -> {
            VrrpCodec.decode(bytes, src, VrrpCodec.IPV4_GROUP);
            VrrpCodec.decode(bytes, src, InetAddress.getLoopbackAddress());
        });
    }

    @Test
    void heartbeatPackets() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        try (Stream<Path> s = Files.list(RES.resolve("heartbeat-fixtures"))) {
            for (Path p : s.sorted().toList()) if (p.toString().endsWith(".bin")) corpus.add(Files.readAllBytes(p));
        }
        HbCodec codec = new HbCodec(AuthKeys.of(1, new AuthKey(1, AuthMethod.SHA1, new Secret("s3cr3t-hb-test-key")),
                new AuthKey(2, AuthMethod.MD5, new Secret("anotherKey123")), new AuthKey(3, AuthMethod.CRC, new Secret(""))));
        run("heartbeat-packets", corpus, 3000, bytes -> {
            DecodeResult r = codec.decode(bytes);
            if (r instanceof Rejected rej) {
                assertThat(rej.reason()).as(rej.detail()).isNotEqualTo(RejectReason.INTERNAL_ERROR);
                assertThat(rej.detail()).doesNotContain("s3cr3t-hb-test-key").doesNotContain("anotherKey123");
            }
        });
    }

    @Test
    void haCf() throws IOException {
        List<byte[]> corpus = heartbeatCorpus("ha.cf");
        Path f = work.resolve("ha.cf");
        run("ha.cf", corpus, 2000, bytes -> check(bytes, new HaCfParser().parse(write(f, bytes)).diagnostics()));
    }

    @Test
    void haresources() throws IOException {
        List<byte[]> corpus = heartbeatCorpus("haresources");
        Path f = work.resolve("haresources");
        run("haresources", corpus, 2000, bytes -> check(bytes, new HaresourcesParser().parse(write(f, bytes)).diagnostics()));
    }

    @Test
    void authkeys() throws IOException {
        List<byte[]> corpus = heartbeatCorpus("authkeys");
        Path f = work.resolve("authkeys");
        run("authkeys", corpus, 500, bytes -> check(bytes, new AuthkeysParser().withPermissionCheck(false).parse(write(f, bytes)).diagnostics()));
    }

    @Test
    void keepalivedConf() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        try (Stream<Path> s = Files.list(RES.resolve("corpus/keepalived"))) {
            for (Path p : s.sorted().toList()) if (Files.isRegularFile(p)) corpus.add(Files.readAllBytes(p));
        }
        Path f = work.resolve("keepalived.conf");
        run("keepalived.conf", corpus, 4000, bytes -> {
            ParseResult<KeepalivedConfig> r = new KeepalivedParser().withHostId("node1").parse(write(f, bytes));
            assertThat(r.model()).isNotNull();
            Diagnostics all = new Diagnostics();
            all.addAll(r.diagnostics());
            KeepalivedChecks.check(r.model(), all);
            // include may pull other files in: only diagnostics of this file are held to its line count
            Diagnostics own = new Diagnostics();
            for (Diagnostic d : all.all()) if (f.equals(d.file())) own.add(d);
            check(bytes, own);
        });
    }

    // ------------------------------------------------------------------ the engine

    /** Runs {@link #CASES} inputs: three in four a mutated corpus entry, the rest random bytes up to {@code maxRandom}. */
    static void run(String target, List<byte[]> corpus, int maxRandom, Consumer<byte[]> check) {
        assertThat(corpus).as(target + " corpus").isNotEmpty();
        Random r = new Random(SEED ^ target.hashCode());
        long cases = Long.getLong("vigil.fuzz.cases." + target, CASES);
        long t0 = System.nanoTime();
        for (long i = 0; i < cases; i++) {
            byte[] input = r.nextInt(4) == 0 ? random(r, maxRandom) : mutate(r, corpus);
            try {
                check.accept(input);
            } catch (Throwable e) {
                throw new AssertionError(String.format(Locale.ROOT, "%s: case %d of seed %d (-Dvigil.fuzz.seed=%d) failed on base64 %s",
                        target, i, SEED, SEED, Base64.getEncoder().encodeToString(input)), e);
            }
        }
        System.out.printf(Locale.ROOT, "FUZZ %s: %d cases, 0 failures, %.1f s (seed %d)%n", target, cases, (System.nanoTime() - t0) / 1e9, SEED);
    }

    static final byte[][] TOKENS = {"\n".getBytes(), "{".getBytes(), "}".getBytes(), "\"".getBytes(), "#".getBytes(),
            " ".getBytes(), "\t".getBytes(), "\r\n".getBytes(), "0".getBytes(), "-1".getBytes(), "4294967296".getBytes(),
            "255".getBytes(), "::".getBytes(), "/".getBytes(), "=".getBytes(), ",".getBytes(), ":".getBytes(),
            "###\n".getBytes(), "%%%\n".getBytes(), ">>>\n".getBytes(), "<<<\n".getBytes(), "\0".getBytes(), "\u00ff".getBytes(StandardCharsets.ISO_8859_1),
            "include ".getBytes(), "vrrp_instance ".getBytes(), "auth ".getBytes(), "node ".getBytes(), "IPaddr2::".getBytes()};

    static byte[] random(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /** One to eight edits of a corpus entry: flips, random and token insertions, deletions, duplications, splices. */
    static byte[] mutate(Random r, List<byte[]> corpus) {
        byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits; e++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            switch (r.nextInt(7)) {
                case 0 -> {
                    if (b.length > 0) b[Math.min(at, b.length - 1)] ^= (byte) (1 << r.nextInt(8));
                }
                case 1 -> {
                    if (b.length > 0) b[Math.min(at, b.length - 1)] = (byte) r.nextInt(256);
                }
                case 2 -> b = splice(b, at, 0, TOKENS[r.nextInt(TOKENS.length)]);
                case 3 -> b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(16)), new byte[0]);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    b = splice(b, at, 0, java.util.Arrays.copyOfRange(b, at, at + len));
                }
                case 5 -> {
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int from = other.length == 0 ? 0 : r.nextInt(other.length);
                    b = splice(b, at, 0, java.util.Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + r.nextInt(64))));
                }
                default -> b = java.util.Arrays.copyOf(b, at); // truncation
            }
        }
        return b;
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    static void check(byte[] bytes, Diagnostics diagnostics) {
        int lines = 1;
        for (byte x : bytes) if (x == '\n') lines++;
        for (Diagnostic d : diagnostics.all()) {
            assertThat(d.message()).as(d.format()).doesNotContain("internal error");
            assertThat(d.line()).as(d.format()).isBetween(0, lines);
        }
    }

    static Path write(Path f, byte[] bytes) {
        try {
            return Files.write(f, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<byte[]> heartbeatCorpus(String suffix) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(RES.resolve("corpus/heartbeat"))) {
            for (Path p : s.sorted().toList()) if (p.getFileName().toString().endsWith(suffix)) out.add(Files.readAllBytes(p));
        }
        try (Stream<Path> s = Files.walk(RES.resolve("heartbeat-config"))) {
            for (Path p : s.sorted().toList()) if (Files.isRegularFile(p) && p.getFileName().toString().startsWith(suffix)) out.add(Files.readAllBytes(p));
        }
        return out;
    }

    static List<byte[]> vrrpFixtures() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(RES.resolve("vrrp-fixtures"))) {
            for (Path p : s.sorted().toList()) {
                if (!p.toString().endsWith(".hex")) continue;
                StringBuilder hex = new StringBuilder();
                for (String line : Files.readAllLines(p)) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i < f.length; i++) hex.append(f[i]);
                }
                out.add(HexFormat.of().parseHex(hex.toString()));
            }
        }
        return out;
    }
}
