package dev.vigil.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * What a running mode (heartbeat or VRRP) offers the control endpoint, the {@code vigil status}
 * command and the console. Implementations run on the daemon's event loop.
 */
public interface ControlApi {

    /** The whole live state: mode, nodes, links, groups or instances, counters. Never contains secrets. */
    JsonObject status();

    /**
     * Runs a control command ({@code standby}, {@code takeover}, {@code fault}, ...). The future
     * fails with a message meant for the operator when the command is refused.
     */
    Future<JsonObject> command(String name, JsonObject arguments);

    /** Delivers every event (transitions, deaths, link changes) as it happens; returns an unsubscribe hook. */
    Runnable subscribe(Consumer<JsonObject> listener);
}
