package dev.vigil.vrrp;

import dev.vigil.core.Scheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Polls the link state of tracked interfaces on a thread of its own (sysfs reads must not run on the
 * event loop) and hands every change to the loop. keepalived learns link changes from netlink at
 * once; a 500 ms poll adds at most that much to a FAULT caused by a pulled cable, far less than a
 * VRRPv2 Master_Down_Interval.
 */
public final class LinkWatcher implements AutoCloseable {

    private final List<String> interfaces;
    private final Predicate<String> probe;
    private final Scheduler loop;
    private final BiConsumer<String, Boolean> onChange;
    private final long periodMillis;
    private final Map<String, Boolean> last = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param probe     reads one interface's state (daemon: {@link SystemInterfaceInfo#linkUp})
     * @param onChange  runs on {@code loop} with (interface, up)
     */
    public LinkWatcher(List<String> interfaces, Predicate<String> probe, Scheduler loop, BiConsumer<String, Boolean> onChange,
                       long periodMillis) {
        this.interfaces = List.copyOf(interfaces);
        this.probe = probe;
        this.loop = loop;
        this.onChange = onChange;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::poll, "vigil-link-watch");
        this.thread.setDaemon(true);
    }

    /** The current state of every interface, read on the caller's thread (for the initial report). */
    public Map<String, Boolean> readAll() {
        Map<String, Boolean> m = new HashMap<>();
        for (String i : interfaces) m.put(i, probe.test(i));
        synchronized (last) {
            last.putAll(m);
        }
        return m;
    }

    public void start() {
        if (!interfaces.isEmpty()) thread.start();
    }

    private void poll() {
        while (!closed) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            for (String i : interfaces) {
                boolean up = probe.test(i);
                Boolean before;
                synchronized (last) {
                    before = last.put(i, up);
                }
                if (before == null || before != up) loop.execute(() -> onChange.accept(i, up));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
