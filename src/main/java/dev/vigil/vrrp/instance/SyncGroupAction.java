package dev.vigil.vrrp.instance;

import java.util.Objects;

/** What a {@link VrrpSyncGroup} asks its glue to do, in order. */
public sealed interface SyncGroupAction {

    /** An action of one member instance, exactly as that instance would have returned it alone. */
    record ForInstance(String instance, VrrpAction action) implements SyncGroupAction {
        public ForInstance {
            Objects.requireNonNull(instance);
            Objects.requireNonNull(action);
        }
    }

    /**
     * The group changed state: the glue runs the group's {@code notify_<state>} and the generic
     * {@code notify} with {@code GROUP name STATE 0} (groups always pass priority 0, keepalived.md §2.4).
     */
    record GroupTransition(String group, VrrpState from, VrrpState to) implements SyncGroupAction {
        public GroupTransition {
            Objects.requireNonNull(group);
            Objects.requireNonNull(from);
            Objects.requireNonNull(to);
        }
    }

    /** A group-level log line. */
    record Log(LogLevel level, String message) implements SyncGroupAction {
        public Log {
            Objects.requireNonNull(level);
            Objects.requireNonNull(message);
        }
    }
}
