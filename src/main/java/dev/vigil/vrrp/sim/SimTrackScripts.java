package dev.vigil.vrrp.sim;

import dev.vigil.vrrp.TrackScriptExecutor;
import dev.vigil.vrrp.VrrpTrackScript;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code vrrp_script} results for the simulation: each script succeeds until told otherwise with
 * {@link #set}. Results come back at once, so a check's effect lands at its scheduled run.
 */
public final class SimTrackScripts implements TrackScriptExecutor {

    private final Map<String, Boolean> results = new HashMap<>();
    private final Map<String, Integer> runs = new HashMap<>();

    public void set(String script, boolean succeeds) {
        results.put(script, succeeds);
    }

    /** How often a script has run. */
    public int runs(String script) {
        return runs.getOrDefault(script, 0);
    }

    @Override
    public CompletionStage<Boolean> run(VrrpTrackScript script) {
        runs.merge(script.name(), 1, Integer::sum);
        return CompletableFuture.completedFuture(results.getOrDefault(script.name(), true));
    }
}
