package dev.vigil.vrrp.sim;

import dev.vigil.action.AddressActions;
import dev.vigil.action.VirtualAddress;
import dev.vigil.core.Scheduler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who holds each virtual address, over time: the simulation's stand-in for the kernels of every
 * node on a LAN. Each node gets its {@link AddressActions} from {@link #actionsFor}; adds, removes and
 * announcements are recorded with the virtual time, so the lab can draw the timeline and the fault
 * campaign can check "at most one holder" and "someone holds it within the bound".
 *
 * <p>A node killed with -9 keeps its addresses here, as a real kernel keeps them (keepalived.md §2.3).
 */
public final class SimAddressBook {

    /** One change: {@code node} added or removed {@code address} at {@code atNanos}. */
    public record Change(long atNanos, String node, InetAddress address, boolean added) {
    }

    /** One gratuitous ARP / unsolicited NA. */
    public record Announcement(long atNanos, String node, InetAddress address) {
    }

    private final Scheduler scheduler;
    private final long actionDelayNanos;
    private final Map<InetAddress, Set<String>> holders = new HashMap<>();
    private final List<Change> history = new ArrayList<>();
    private final List<Announcement> announcements = new ArrayList<>();

    /** Address actions take effect at once. */
    public SimAddressBook(Scheduler scheduler) {
        this(scheduler, 0);
    }

    /** Address actions take effect {@code actionDelayNanos} after they are asked for (a real {@code ip addr} takes milliseconds). */
    public SimAddressBook(Scheduler scheduler, long actionDelayNanos) {
        this.scheduler = Objects.requireNonNull(scheduler);
        if (actionDelayNanos < 0) throw new IllegalArgumentException("delay must not be negative");
        this.actionDelayNanos = actionDelayNanos;
    }

    /** The address actions of one node. */
    public AddressActions actionsFor(String node) {
        Objects.requireNonNull(node);
        return new AddressActions() {
            @Override
            public CompletableFuture<ActionResult> add(VirtualAddress address) {
                return later(() -> {
                    boolean fresh = holders.computeIfAbsent(address.address(), k -> new LinkedHashSet<>()).add(node);
                    if (fresh) history.add(new Change(scheduler.nanoTime(), node, address.address(), true));
                    announcements.add(new Announcement(scheduler.nanoTime(), node, address.address()));
                    return ActionResult.success("added " + address + (fresh ? "" : " (already so)"));
                });
            }

            @Override
            public CompletableFuture<ActionResult> remove(VirtualAddress address) {
                return later(() -> {
                    Set<String> h = holders.get(address.address());
                    boolean held = h != null && h.remove(node);
                    if (held) history.add(new Change(scheduler.nanoTime(), node, address.address(), false));
                    return ActionResult.success("removed " + address + (held ? "" : " (already so)"));
                });
            }

            @Override
            public CompletableFuture<ActionResult> announce(VirtualAddress address) {
                return later(() -> {
                    announcements.add(new Announcement(scheduler.nanoTime(), node, address.address()));
                    return ActionResult.success("announced " + address);
                });
            }
        };
    }

    private CompletableFuture<AddressActions.ActionResult> later(java.util.function.Supplier<AddressActions.ActionResult> change) {
        if (actionDelayNanos == 0) return CompletableFuture.completedFuture(change.get());
        CompletableFuture<AddressActions.ActionResult> f = new CompletableFuture<>();
        scheduler.schedule(actionDelayNanos, () -> f.complete(change.get()));
        return f;
    }

    /** The nodes holding {@code address} now. */
    public Set<String> holders(InetAddress address) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(holders.getOrDefault(address, Set.of())));
    }

    /** Every add and remove, in order. */
    public List<Change> history() {
        return List.copyOf(history);
    }

    public List<Announcement> announcements() {
        return List.copyOf(announcements);
    }

    /** When {@code node} first added {@code address} at or after {@code afterNanos}. */
    public OptionalLong firstAdded(String node, InetAddress address, long afterNanos) {
        return history.stream()
                .filter(c -> c.added && c.node.equals(node) && c.address.equals(address) && c.atNanos >= afterNanos)
                .mapToLong(Change::atNanos).findFirst();
    }

    /**
     * The intervals {@code [from, to)} during which two or more nodes held {@code address} (a
     * {@code to} of {@link Long#MAX_VALUE} means "still").
     */
    public List<long[]> multipleHolderWindows(InetAddress address) {
        List<long[]> windows = new ArrayList<>();
        Set<String> now = new LinkedHashSet<>();
        long since = -1;
        for (Change c : history) {
            if (!c.address.equals(address)) continue;
            if (c.added) now.add(c.node);
            else now.remove(c.node);
            if (now.size() >= 2 && since < 0) {
                since = c.atNanos;
            } else if (now.size() < 2 && since >= 0) {
                windows.add(new long[] {since, c.atNanos});
                since = -1;
            }
        }
        if (since >= 0) windows.add(new long[] {since, Long.MAX_VALUE});
        return windows;
    }
}
