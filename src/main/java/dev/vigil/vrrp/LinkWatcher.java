package dev.vigil.vrrp;

import dev.vigil.action.NetlinkLinkEvents;
import dev.vigil.core.Scheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Watches the link state of tracked interfaces on a thread of its own and hands every change to the
 * loop. With kernel events ({@link NetlinkLinkEvents}, RTMGRP_LINK) a change arrives as the kernel
 * announces it, as keepalived learns it from netlink; without them (no JNA) sysfs is polled every
 * {@code periodMillis}, which adds up to that much to a FAULT caused by a pulled cable. An overflow
 * of the event socket (states lost) is answered with a full re-read.
 */
public final class LinkWatcher implements AutoCloseable {

    private final List<String> interfaces;
    private final Predicate<String> probe;
    private final Scheduler loop;
    private final BiConsumer<String, Boolean> onChange;
    private final long periodMillis;
    private final Map<String, Boolean> last = new HashMap<>();
    private final Thread thread;
    private final Optional<NetlinkLinkEvents> events;
    private volatile boolean closed;

    /**
     * @param probe     reads one interface's state (daemon: {@link SystemInterfaceInfo#linkUp})
     * @param onChange  runs on {@code loop} with (interface, up)
     */
    public LinkWatcher(List<String> interfaces, Predicate<String> probe, Scheduler loop, BiConsumer<String, Boolean> onChange,
                       long periodMillis) {
        this(interfaces, probe, loop, onChange, periodMillis, Optional.empty());
    }

    /**
     * @param events kernel link events, opened before {@link #readAll} so that nothing between the
     *               read and the first event is lost; closed with the watcher
     */
    public LinkWatcher(List<String> interfaces, Predicate<String> probe, Scheduler loop, BiConsumer<String, Boolean> onChange,
                       long periodMillis, Optional<NetlinkLinkEvents> events) {
        this.events = events;
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
        else events.ifPresent(NetlinkLinkEvents::close);
    }

    /** Whether changes come from kernel events (else from polling sysfs). */
    public boolean eventDriven() {
        return events.isPresent();
    }

    private void poll() {
        if (events.isPresent()) listen(events.get());
        else pollOnly();
    }

    private void listen(NetlinkLinkEvents ev) {
        try {
            while (!closed) {
                NetlinkLinkEvents.Batch b;
                try {
                    b = ev.next();
                } catch (IllegalStateException e) {
                    // the socket failed: carry on by polling, as a daemon without netlink would
                    org.slf4j.LoggerFactory.getLogger(LinkWatcher.class).warn("{}; polling link states every {} ms instead",
                            e.getMessage(), periodMillis);
                    ev.close();
                    pollOnly();
                    return;
                }
                if (closed) return;
                if (b.overflowed()) {
                    for (String i : interfaces) report(i, probe.test(i));
                    continue;
                }
                for (NetlinkLinkEvents.LinkState st : b.states()) {
                    if (interfaces.contains(st.name())) report(st.name(), st.up());
                }
            }
        } finally {
            ev.close();
        }
    }

    private void pollOnly() {
        while (!closed) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            for (String i : interfaces) report(i, probe.test(i));
        }
    }

    private void report(String i, boolean up) {
        Boolean before;
        synchronized (last) {
            before = last.put(i, up);
        }
        if (before == null || before != up) loop.execute(() -> onChange.accept(i, up));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        events.ifPresent(NetlinkLinkEvents::close);
    }
}
