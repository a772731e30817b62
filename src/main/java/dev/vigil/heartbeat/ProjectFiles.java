package dev.vigil.heartbeat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files shipped with Vigil next to its code: the {@code resources.d} scripts (IPaddr, IPaddr2, MailTo). */
public final class ProjectFiles {
    /** Overrides the lookup, e.g. for a packaged install that puts the scripts elsewhere. */
    static final String RESOURCES_PROPERTY = "vigil.resources.d";

    private ProjectFiles() {
    }

    /**
     * The project's {@code resources.d}: the {@value #RESOURCES_PROPERTY} property, else a
     * {@code resources.d} beside the jar or up to two directories above it (so both
     * {@code target/classes} in a checkout and an installed {@code /usr/share/vigil/vigil.jar} find it).
     */
    public static Optional<Path> resourcesDirectory() {
        String prop = System.getProperty(RESOURCES_PROPERTY);
        if (prop != null && !prop.isBlank()) return Optional.of(Path.of(prop));
        try {
            Path code = Path.of(ProjectFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            for (int i = 0; i < 3 && dir != null; i++, dir = dir.getParent()) {
                Path candidate = dir.resolve("resources.d");
                if (Files.isDirectory(candidate)) return Optional.of(candidate);
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source (unusual class loader): fall back to the system directories
        }
        return Optional.empty();
    }
}
