package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.Severity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Small helpers shared by the heartbeat configuration tests. */
final class TestFiles {
    private TestFiles() {
    }

    static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String path) {
        try {
            return Path.of(Objects.requireNonNull(TestFiles.class.getClassLoader().getResource(path), path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Diagnostic> errors(Diagnostics d) {
        return d.all().stream().filter(x -> x.severity() == Severity.ERROR).toList();
    }

    static List<Diagnostic> warnings(Diagnostics d) {
        return d.all().stream().filter(x -> x.severity() == Severity.WARNING).toList();
    }
}
