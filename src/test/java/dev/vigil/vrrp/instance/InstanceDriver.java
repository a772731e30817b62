package dev.vigil.vrrp.instance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Drives one standalone instance on virtual time the way a glue would: it books SetTimer/CancelTimer
 * from the action stream (not from the instance's own view) and fires due timers in order.
 */
final class InstanceDriver {

    final VrrpInstance vrrp;
    long now;
    /** Timers as the action stream armed them. */
    final Map<TimerKind, Long> timers = new EnumMap<>(TimerKind.class);
    /** Every action so far, each stamped with its time. */
    final List<Stamped> log = new ArrayList<>();
    boolean vipsUp;

    record Stamped(long at, VrrpAction action) {
    }

    InstanceDriver(VrrpInstanceSettings settings) {
        this.vrrp = new VrrpInstance(settings);
    }

    List<VrrpAction> start() {
        return apply(vrrp.start(now));
    }

    List<VrrpAction> advert(ReceivedAdvert a) {
        return apply(vrrp.onAdvert(a, now));
    }

    List<VrrpAction> script(String name, ScriptStatus status) {
        return apply(vrrp.onScriptStatus(name, status, now));
    }

    List<VrrpAction> link(String iface, boolean up) {
        return apply(vrrp.onInterfaceState(iface, up, now));
    }

    List<VrrpAction> shutdown() {
        return apply(vrrp.shutdown(now));
    }

    /** Fires a timer now, whatever its deadline (to test stale and early firings). */
    List<VrrpAction> fireNow(TimerKind kind) {
        return apply(vrrp.onTimer(kind, now));
    }

    /** Moves time to {@code t}, firing every booked timer due on the way, in deadline order. */
    List<VrrpAction> advanceTo(long t) {
        List<VrrpAction> all = new ArrayList<>();
        while (true) {
            TimerKind next = null;
            long at = Long.MAX_VALUE;
            for (Map.Entry<TimerKind, Long> e : timers.entrySet()) {
                if (e.getValue() <= t && e.getValue() < at) {
                    next = e.getKey();
                    at = e.getValue();
                }
            }
            if (next == null) break;
            now = Math.max(now, at);
            timers.remove(next);
            all.addAll(apply(vrrp.onTimer(next, now)));
        }
        now = Math.max(now, t);
        return all;
    }

    List<VrrpAction> advanceBy(long nanos) {
        return advanceTo(now + nanos);
    }

    /** Advances until the instance is in {@code state}, or fails after {@code limit}. */
    long advanceUntil(VrrpState state, long limit) {
        while (vrrp.state() != state) {
            long next = timers.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
            if (next > limit) throw new AssertionError("still " + vrrp.state() + " at limit; timers " + timers);
            advanceTo(next);
        }
        return now;
    }

    List<VrrpAction> apply(List<VrrpAction> actions) {
        for (VrrpAction a : actions) {
            log.add(new Stamped(now, a));
            if (a instanceof VrrpAction.SetTimer s) timers.put(s.kind(), s.atNanos());
            else if (a instanceof VrrpAction.CancelTimer c) timers.remove(c.kind());
            else if (a instanceof VrrpAction.AddVirtualAddresses) vipsUp = true;
            else if (a instanceof VrrpAction.RemoveVirtualAddresses) vipsUp = false;
        }
        return actions;
    }

    long count(Predicate<VrrpAction> p) {
        return log.stream().map(Stamped::action).filter(p).count();
    }

    List<Long> timesOf(Predicate<VrrpAction> p) {
        return log.stream().filter(s -> p.test(s.action())).map(Stamped::at).toList();
    }

    static Predicate<VrrpAction> advertWith(int priority) {
        return a -> a instanceof VrrpAction.SendAdvert s && s.priority() == priority;
    }

    static boolean isAdvert(VrrpAction a) {
        return a instanceof VrrpAction.SendAdvert;
    }

    static boolean touchesTimer(VrrpAction a) {
        return a instanceof VrrpAction.SetTimer || a instanceof VrrpAction.CancelTimer;
    }

    static <T extends VrrpAction> List<T> only(List<VrrpAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
