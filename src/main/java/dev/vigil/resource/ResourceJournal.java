package dev.vigil.resource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last operation of each resource, whoever ran it (heartbeat's resource manager, the monitor,
 * the operator), with the last lines of its output: what {@code vigil resource status} and the
 * console show. Written from script-completion threads, read from the event loop: thread-safe.
 */
public final class ResourceJournal {
    /** How many output lines are kept per resource. */
    public static final int KEPT_LINES = 20;

    /**
     * @param ok      start/stop/restart succeeded; for status: the resource runs
     * @param summary one line: "exit 0 in 35 ms", "timed out after 2000 ms (process group killed)", ...
     */
    public record Entry(String resource, ResourceOperation op, Instant at, boolean ok, String summary, List<String> output) {
        public Entry {
            output = output.size() > KEPT_LINES ? List.copyOf(output.subList(output.size() - KEPT_LINES, output.size())) : List.copyOf(output);
        }
    }

    private final Map<String, Entry> last = new ConcurrentHashMap<>();

    public void record(Entry e) {
        last.put(e.resource(), e);
    }

    public Optional<Entry> last(String resource) {
        return Optional.ofNullable(last.get(resource));
    }

    /** Every resource's last operation, by name. */
    public Map<String, Entry> all() {
        return new TreeMap<>(last);
    }
}
