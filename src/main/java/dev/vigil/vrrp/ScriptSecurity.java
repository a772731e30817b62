package dev.vigil.vrrp;

import dev.vigil.config.keepalived.ScriptUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code enable_script_security} and {@code script_user} semantics for notify and track
 * scripts (keepalived.md §2.4, §6.4):
 * <ul>
 *   <li>With {@code enable_script_security}, the script and every directory on its path must be owned
 *       by root (or by the user it runs as) and not writable by group or others; a world-writable
 *       directory is accepted only with the sticky bit (like {@code /tmp}). Otherwise keepalived logs
 *       "Unsafe permissions found for script ... - disabling." and never runs it; so does Vigil.</li>
 *   <li>A missing or non-executable script is disabled ("cannot be accessed").</li>
 *   <li>Scripts run as the script's own {@code USER [GROUP]}, else {@code script_user}, else the
 *       {@code keepalived_script} user if it exists, else root (with keepalived's warning). Switching
 *       user needs root and uses {@code setpriv} with supplementary groups cleared, as keepalived
 *       2.2.7 clears them (keepalived.md §6.4, #2214).</li>
 * </ul>
 * Checks read the file system and the user database: call them off the event loop.
 */
public final class ScriptSecurity {

    private static final Logger log = LoggerFactory.getLogger(ScriptSecurity.class);
    private static final String DEFAULT_SCRIPT_USER = "keepalived_script";
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    /** A script ready to run ({@code command} set) or refused ({@code refusal} set, keepalived's wording). */
    public record Verdict(Optional<List<String>> command, Optional<String> refusal) {
        static Verdict run(List<String> command) {
            return new Verdict(Optional.of(List.copyOf(command)), Optional.empty());
        }

        static Verdict refuse(String why) {
            return new Verdict(Optional.empty(), Optional.of(why));
        }
    }

    private record Ids(long uid, long gid) {
    }

    private final boolean enabled;
    private final Optional<ScriptUser> defaultUser;
    private final long ownUid;
    private final Map<String, Optional<Ids>> users = new HashMap<>();
    private boolean warnedInsecure;

    /**
     * @param enableScriptSecurity {@code enable_script_security}
     * @param scriptUser           {@code script_user USER [GROUP]}
     */
    public ScriptSecurity(boolean enableScriptSecurity, Optional<ScriptUser> scriptUser) {
        this.enabled = enableScriptSecurity;
        this.ownUid = currentUid();
        if (scriptUser.isPresent()) {
            this.defaultUser = scriptUser;
        } else if (lookupUser(DEFAULT_SCRIPT_USER).isPresent()) {
            this.defaultUser = Optional.of(new ScriptUser(DEFAULT_SCRIPT_USER, Optional.empty()));
        } else {
            this.defaultUser = Optional.empty();
        }
    }

    /** Whether there is a default user; keepalived warns when it falls back to root. */
    public Optional<ScriptUser> defaultUser() {
        return defaultUser;
    }

    /** Decides whether {@code argv} may run and builds the command that runs it as the right user. */
    public synchronized Verdict check(List<String> argv, Optional<ScriptUser> user) {
        if (argv.isEmpty() || argv.get(0).isBlank()) return Verdict.refuse("empty script");
        String program = argv.get(0);
        Optional<Path> resolved = resolve(program);
        if (resolved.isEmpty()) {
            return Verdict.refuse("Cannot find script " + program + " in path");
        }
        Path script = resolved.get();
        if (!Files.isExecutable(script)) {
            return Verdict.refuse("script " + script + " cannot be accessed - "
                    + (Files.exists(script) ? "Permission denied" : "No such file or directory"));
        }
        Optional<ScriptUser> runAs = user.or(() -> defaultUser);
        Optional<Ids> ids = Optional.empty();
        if (runAs.isPresent()) {
            ids = lookupUser(runAs.get().user());
            if (ids.isEmpty()) return Verdict.refuse("Unable to set user " + runAs.get().user() + " for script " + program);
            if (runAs.get().group().isPresent()) {
                Optional<Long> gid = lookupGroup(runAs.get().group().get());
                if (gid.isEmpty()) return Verdict.refuse("Unable to set group " + runAs.get().group().get() + " for script " + program);
                ids = Optional.of(new Ids(ids.get().uid(), gid.get()));
            }
        }
        long uid = ids.map(Ids::uid).orElse(ownUid);
        Optional<Path> unsafe = unsafeComponent(script, uid);
        if (unsafe.isPresent()) {
            if (enabled) return Verdict.refuse("Unsafe permissions found for script '" + program + "' - disabling.");
            if (!warnedInsecure) {
                warnedInsecure = true;
                log.warn("SECURITY VIOLATION - scripts are being executed but script_security not enabled ({} is unsafe)",
                        unsafe.get());
            }
        }
        List<String> command = new ArrayList<>();
        if (ids.isPresent()) {
            Ids target = ids.get();
            if (ownUid == 0 && (target.uid() != 0 || target.gid() != 0)) {
                command.addAll(List.of("setpriv", "--reuid=" + target.uid(), "--regid=" + target.gid(), "--clear-groups", "--"));
            } else if (ownUid != 0 && target.uid() != ownUid) {
                log.warn("cannot run {} as {}: Vigil is not root; running it as uid {}", program, runAs.get().user(), ownUid);
            }
        }
        command.add(script.toString());
        command.addAll(argv.subList(1, argv.size()));
        return Verdict.run(command);
    }

    /** The first path component (the script itself first) that fails keepalived's ownership/permission rule. */
    static Optional<Path> unsafeComponent(Path script, long runAsUid) {
        Path real;
        try {
            real = script.toRealPath();
        } catch (IOException e) {
            return Optional.of(script);
        }
        for (Path p = real; p != null; p = p.getParent()) {
            try {
                long owner = ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                boolean sticky = (mode & 01000) != 0;
                if (owner != 0 && owner != runAsUid) return Optional.of(p);
                if ((mode & 0020) != 0 && !(dir && sticky)) return Optional.of(p);
                if ((mode & 0002) != 0 && !(dir && sticky)) return Optional.of(p);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> resolve(String program) {
        if (program.contains("/")) return Optional.of(Path.of(program));
        for (String dir : SEARCH_PATH) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private Optional<Ids> lookupUser(String name) {
        return users.computeIfAbsent(name, n -> {
            Optional<String> line = getent("passwd", n);
            if (line.isEmpty()) return Optional.empty();
            String[] f = line.get().split(":");
            if (f.length < 4) return Optional.empty();
            try {
                return Optional.of(new Ids(Long.parseLong(f[2]), Long.parseLong(f[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<Long> lookupGroup(String name) {
        Optional<String> line = getent("group", name);
        if (line.isEmpty()) return Optional.empty();
        String[] f = line.get().split(":");
        try {
            return f.length >= 3 ? Optional.of(Long.parseLong(f[2])) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** getent honours NSS (LDAP, sssd), which reading /etc/passwd would not. */
    private static Optional<String> getent(String database, String key) {
        try {
            Process p = new ProcessBuilder("getent", database, key).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out.split("\n")[0]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
