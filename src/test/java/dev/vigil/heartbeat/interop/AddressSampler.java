package dev.vigil.heartbeat.interop;

import dev.vigil.testing.Sh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who holds an address, seen from outside: {@code ip -n NS -o -4 addr show dev vg0} for every node,
 * every {@value #STEP_MILLIS} ms, on a thread of its own, into a timeline the scenarios assert on.
 */
public final class AddressSampler implements AutoCloseable {
    public static final long STEP_MILLIS = 50;

    /** One round of samples: the nodes that had the address, and when (System.nanoTime). */
    public record Sample(long nanos, Set<String> holders) {
    }

    private final String address;
    private final Map<String, String> namespaceByNode;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    public AddressSampler(String address, Map<String, String> namespaceByNode) {
        this.address = address;
        this.namespaceByNode = new LinkedHashMap<>(namespaceByNode);
        this.thread = new Thread(this::loop, "sampler-" + address);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!closed) {
            long started = System.nanoTime();
            Set<String> holders = new TreeSet<>();
            for (Map.Entry<String, String> e : namespaceByNode.entrySet()) {
                String out = Sh.run("ip", "-n", e.getValue(), "-o", "-4", "addr", "show", "dev", "vg0").output();
                if (out.contains(" inet " + address + "/")) holders.add(e.getKey());
            }
            synchronized (samples) {
                samples.add(new Sample(started, holders));
            }
            long left = STEP_MILLIS * 1_000_000L - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Waits for a sample taken at or after {@code sinceNanos} that satisfies {@code test}; returns its time. */
    public long await(Predicate<Set<String>> test, long sinceNanos, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<Sample> s = samples();
            for (int i = seen; i < s.size(); i++) {
                if (s.get(i).nanos() >= sinceNanos && test.test(s.get(i).holders())) return s.get(i).nanos();
            }
            seen = s.size();
            Thread.sleep(10);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; timeline: " + describe(sinceNanos));
    }

    /** Waits until exactly {@code holders} hold the address. */
    public long awaitExactly(Set<String> holders, long sinceNanos, Duration timeout) throws InterruptedException {
        return await(h -> h.equals(holders), sinceNanos, timeout, "holders " + holders);
    }

    /** The longest run of consecutive samples since {@code sinceNanos} in which two or more nodes held the address. */
    public int longestDoubleHolding(long sinceNanos) {
        int longest = 0;
        int run = 0;
        for (Sample s : samples()) {
            if (s.nanos() < sinceNanos) continue;
            run = s.holders().size() >= 2 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** The changes since {@code sinceNanos}, for failure messages: "+1234ms [nodea]". */
    public String describe(long sinceNanos) {
        StringBuilder sb = new StringBuilder();
        Set<String> last = null;
        for (Sample s : samples()) {
            if (s.nanos() < sinceNanos) continue;
            if (!s.holders().equals(last)) {
                sb.append(" +").append((s.nanos() - sinceNanos) / 1_000_000).append("ms ").append(s.holders());
                last = s.holders();
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(2000);
    }
}
