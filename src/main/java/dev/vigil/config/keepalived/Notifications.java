package dev.vigil.config.keepalived;

import java.util.Optional;

/**
 * The {@code notify_*} scripts of an instance or sync group. {@code notify} is the generic one that
 * keepalived calls with 4 extra arguments (INSTANCE|GROUP, name, state, priority; research
 * keepalived.md section 2.4).
 */
public record Notifications(Optional<ScriptCommand> master, Optional<ScriptCommand> backup,
                            Optional<ScriptCommand> fault, Optional<ScriptCommand> stop,
                            Optional<ScriptCommand> any, Optional<ScriptCommand> masterRxLowerPriority) {
    public static final Notifications NONE = new Notifications(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());
}
