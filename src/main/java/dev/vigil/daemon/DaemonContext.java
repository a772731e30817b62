package dev.vigil.daemon;

import dev.vigil.action.ScriptRunner;
import dev.vigil.core.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * What {@link DaemonRunner} hands a mode: the event loop (as Vert.x context and as the protocol
 * {@link Scheduler}), the private state directory, the script runner, and the options.
 */
public record DaemonContext(Vertx vertx, Context context, Scheduler scheduler, Path stateDir, ScriptRunner scripts,
                            DaemonOptions options) {
}
