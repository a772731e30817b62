package dev.vigil.config.keepalived;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: write a config into a temp dir, parse it with a fixed host id, pick diagnostics. */
final class Ka {
    static final String HOST = "node1";

    private Ka() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParseResult<KeepalivedConfig> parse(Path dir, String text) {
        return new KeepalivedParser().withHostId(HOST).parse(write(dir, "keepalived.conf", text));
    }

    static KeepalivedConfig model(Path dir, String text) {
        return parse(dir, text).model();
    }

    static List<Diagnostic> errors(ParseResult<?> r) {
        return r.diagnostics().all().stream().filter(Diagnostic::isError).toList();
    }

    static List<Diagnostic> warnings(ParseResult<?> r) {
        return r.diagnostics().all().stream().filter(d -> !d.isError()).toList();
    }

    static Diagnostics checks(KeepalivedConfig cfg) {
        Diagnostics out = new Diagnostics();
        KeepalivedChecks.check(cfg, out);
        return out;
    }

    /** A minimal valid instance body to wrap extra directives in. */
    static String instance(String name, String extra) {
        return "vrrp_instance " + name + " {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    10.0.0.100/24\n  }\n"
                + extra + "\n}\n";
    }
}
