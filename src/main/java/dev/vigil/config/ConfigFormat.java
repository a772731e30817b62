package dev.vigil.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The four configuration formats Vigil reads, and how a file's format is recognised by its name. */
public enum ConfigFormat {
    HA_CF("ha.cf"),
    HARESOURCES("haresources"),
    AUTHKEYS("authkeys"),
    KEEPALIVED("keepalived.conf"),
    /** Vigil's own heartbeat-mode extensions, beside ha.cf (heartbeat refuses unknown ha.cf directives). */
    VIGIL_CONF("vigil.conf");

    private final String cliName;

    ConfigFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<ConfigFormat> fromCliName(String name) {
        for (ConfigFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name) || f.name().equalsIgnoreCase(name)) return Optional.of(f);
        }
        if (name.equalsIgnoreCase("keepalived")) return Optional.of(KEEPALIVED);
        return Optional.empty();
    }

    /**
     * Detects the format from the file name: the heartbeat files by their fixed names (also with a
     * prefix or suffix, as people keep {@code nodea.ha.cf} or {@code haresources.orig}), keepalived
     * by {@code keepalived} in the name or a {@code *.conf} under a directory named
     * {@code keepalived} (the usual {@code /etc/keepalived/conf.d/*.conf} include tree).
     */
    public static Optional<ConfigFormat> detect(Path file) {
        Path fn = file.getFileName();
        if (fn == null) return Optional.empty();
        String name = fn.toString().toLowerCase(Locale.ROOT);
        if (name.contains("haresources")) return Optional.of(HARESOURCES);
        if (name.contains("authkeys")) return Optional.of(AUTHKEYS);
        if (name.equals("vigil.conf") || name.endsWith(".vigil.conf")) return Optional.of(VIGIL_CONF);
        if (name.equals("ha.cf") || name.endsWith("ha.cf") || name.startsWith("ha.cf")) return Optional.of(HA_CF);
        if (name.contains("keepalived")) return Optional.of(KEEPALIVED);
        if (name.endsWith(".conf")) {
            for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                Path pn = p.getFileName();
                if (pn != null && pn.toString().toLowerCase(Locale.ROOT).contains("keepalived")) return Optional.of(KEEPALIVED);
            }
        }
        return Optional.empty();
    }
}
