package dev.vigil.vrrp;

import java.util.concurrent.CompletionStage;

/**
 * Runs one check of a {@code vrrp_script}. The daemon forks the script through
 * {@link dev.vigil.action.ScriptRunner} with its timeout; the simulation answers from a scripted
 * table. The stage completes (on any thread) with true for exit status 0 and false for anything
 * else, a timeout included; it must never complete exceptionally for an ordinary script failure.
 */
@FunctionalInterface
public interface TrackScriptExecutor {

    CompletionStage<Boolean> run(VrrpTrackScript script);
}
