package dev.vigil.vrrp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which VRRP instances the operator put into maintenance ({@code vigil fault}), kept in the state
 * directory so that a restart or a reboot does not quietly bring a node back into the election.
 *
 * <p>Why it persists: keepalived has no maintenance command; its operators take a node out with a
 * {@code track_file} (or a {@code vrrp_script} reading a file), and a file outlives a restart. Vigil's
 * command has to keep that property: a node taken out for work on it stays out, through any number of
 * restarts, until {@code vigil recover}. One instance name per line; written whole and renamed into
 * place, so a crash leaves the old list or the new one.
 */
public final class MaintenanceStore {
    public static final String FILE = "vrrp-maintenance";

    private final Path file;

    public MaintenanceStore(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The instances in maintenance; empty when the file does not exist. Blank lines and {@code #} comments are skipped. */
    public Set<String> read() throws IOException {
        if (!Files.exists(file)) return Set.of();
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) names.add(t);
        }
        return names;
    }

    /** Replaces the list (sorted); no file when it is empty. */
    public void write(Collection<String> instances) throws IOException {
        if (instances.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("# VRRP instances in maintenance (vigil fault); vigil recover NAME takes one out. Written by Vigil.");
        lines.addAll(new TreeSet<>(instances));
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
