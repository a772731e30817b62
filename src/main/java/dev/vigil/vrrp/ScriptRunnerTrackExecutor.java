package dev.vigil.vrrp;

import dev.vigil.action.ScriptInvocation;
import dev.vigil.action.ScriptRunner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@code vrrp_script} runner: forks through {@link ScriptRunner} (own session, the
 * whole group killed at the timeout), as the user {@link ScriptSecurity} picks. A script that
 * security refuses never runs and counts as failed, as keepalived disables it.
 */
public final class ScriptRunnerTrackExecutor implements TrackScriptExecutor {

    private static final Logger log = LoggerFactory.getLogger(ScriptRunnerTrackExecutor.class);

    private final ScriptRunner runner;
    private final ScriptSecurity security;
    private final Map<String, ScriptSecurity.Verdict> checked = new ConcurrentHashMap<>();

    public ScriptRunnerTrackExecutor(ScriptRunner runner, ScriptSecurity security) {
        this.runner = runner;
        this.security = security;
    }

    /** Checks every script once up front (blocking: file system and user lookups), logging refusals. */
    public void checkAll(Iterable<VrrpTrackScript> scripts) {
        for (VrrpTrackScript s : scripts) verdict(s);
    }

    private ScriptSecurity.Verdict verdict(VrrpTrackScript s) {
        return checked.computeIfAbsent(s.name(), n -> {
            ScriptSecurity.Verdict v = security.check(s.command(), s.user());
            v.refusal().ifPresent(why -> log.warn("VRRP_Script({}) {}", s.name(), why));
            return v;
        });
    }

    @Override
    public CompletionStage<Boolean> run(VrrpTrackScript script) {
        ScriptSecurity.Verdict v = verdict(script);
        if (v.command().isEmpty()) return CompletableFuture.completedFuture(false);
        ScriptInvocation inv = new ScriptInvocation(v.command().get(), Map.of(), null, script.timeout(),
                Duration.ofMillis(500), 5);
        return runner.run(inv).thenApply(r -> {
            if (r.timedOut()) log.info("VRRP_Script({}) timed out", script.name());
            return r.succeeded();
        });
    }
}
