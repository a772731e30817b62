package dev.vigil.vrrp;

import dev.vigil.action.ScriptInvocation;
import dev.vigil.action.ScriptResult;
import dev.vigil.action.ScriptRunner;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.Notifications;
import dev.vigil.config.keepalived.ScriptCommand;
import dev.vigil.vrrp.instance.VrrpState;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's notify scripts, driven by the router's transition events (keepalived.md §2.4):
 * <ul>
 *   <li>{@code notify_master|backup|fault|stop}: with only the arguments written in the config;</li>
 *   <li>{@code notify}: those plus four, {@code INSTANCE|GROUP name STATE priority}, where an
 *       instance passes its effective priority and a group always 0;</li>
 *   <li>{@code notify_master_rx_lower_pri} when a master hears a lower priority.</li>
 * </ul>
 * Scripts run off the event loop through {@link ScriptRunner}, each in its own session, and are
 * started in the order keepalived forks them (state script, then {@code notify}); like keepalived's,
 * they run concurrently, so their completion order is not guaranteed. Scripts refused by
 * {@link ScriptSecurity} are disabled at start-up with keepalived's message.
 *
 * <p>This is one {@link VrrpRouter.Listener} among others: e-mail alerts listen to the same events.
 */
public final class VrrpNotifier implements VrrpRouter.Listener {

    private static final Logger log = LoggerFactory.getLogger(VrrpNotifier.class);
    /** keepalived never kills a notify script; this only stops a hung one from piling up forever. */
    private static final Duration NOTIFY_TIMEOUT = Duration.ofMinutes(10);

    /** The checked scripts of one instance or group: state name (or "notify", "rx_lower") to command. */
    private record Scripts(Map<String, List<String>> commands) {
    }

    private final ScriptRunner runner;
    private final Map<String, Scripts> instances = new LinkedHashMap<>();
    private final Map<String, Scripts> groups = new LinkedHashMap<>();
    private final Set<CompletableFuture<ScriptResult>> pending = ConcurrentHashMap.newKeySet();
    private final List<String> disabled = new ArrayList<>();

    /**
     * Checks every notify script of the config now (file system and user lookups: call off the
     * event loop). Refused scripts are logged and never run.
     */
    public VrrpNotifier(KeepalivedConfig cfg, ScriptSecurity security, ScriptRunner runner) {
        this.runner = runner;
        for (var i : cfg.instances()) instances.put(i.name(), check(i.name(), i.notifications(), security));
        for (var g : cfg.syncGroups()) groups.put(g.name(), check(g.name(), g.notifications(), security));
    }

    /** Scripts disabled at start-up, as "NAME: why", for the status display. */
    public List<String> disabledScripts() {
        return List.copyOf(disabled);
    }

    private Scripts check(String owner, Notifications n, ScriptSecurity security) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        add(owner, "MASTER", n.master(), security, m);
        add(owner, "BACKUP", n.backup(), security, m);
        add(owner, "FAULT", n.fault(), security, m);
        add(owner, "STOP", n.stop(), security, m);
        add(owner, "notify", n.any(), security, m);
        add(owner, "rx_lower", n.masterRxLowerPriority(), security, m);
        return new Scripts(m);
    }

    private void add(String owner, String key, Optional<ScriptCommand> cmd, ScriptSecurity security, Map<String, List<String>> into) {
        if (cmd.isEmpty()) return;
        ScriptSecurity.Verdict v = security.check(cmd.get().argv(), cmd.get().runAs());
        if (v.refusal().isPresent()) {
            log.warn("({}) {}", owner, v.refusal().get());
            disabled.add(owner + ": " + v.refusal().get());
            return;
        }
        into.put(key, v.command().orElseThrow());
    }

    @Override
    public void instanceTransition(VrrpRouter.InstanceTransition t) {
        if (t.to() == VrrpState.INIT) return;
        Scripts s = instances.get(t.instance());
        if (s == null) return;
        fire(s, t.to(), "INSTANCE", t.instance(), t.priority());
    }

    @Override
    public void groupTransition(VrrpRouter.GroupTransition t) {
        if (t.to() == VrrpState.INIT) return;
        Scripts s = groups.get(t.group());
        if (s == null) return;
        // keepalived.md §2.4: groups always pass priority 0
        fire(s, t.to(), "GROUP", t.group(), 0);
    }

    @Override
    public void masterReceivedLowerPriority(String instance, InetAddress source, int priority, long atNanos) {
        Scripts s = instances.get(instance);
        if (s != null && s.commands().containsKey("rx_lower")) start(s.commands().get("rx_lower"));
    }

    private void fire(Scripts s, VrrpState state, String kind, String name, int priority) {
        List<String> own = s.commands().get(state.name());
        if (own != null) start(own);
        List<String> generic = s.commands().get("notify");
        if (generic != null) {
            List<String> argv = new ArrayList<>(generic);
            argv.addAll(List.of(kind, name, state.name(), Integer.toString(priority)));
            start(argv);
        }
    }

    private void start(List<String> argv) {
        CompletableFuture<ScriptResult> f = runner.run(new ScriptInvocation(argv, Map.of(), null, NOTIFY_TIMEOUT,
                Duration.ofSeconds(2), 20));
        pending.add(f);
        f.whenComplete((r, e) -> {
            pending.remove(f);
            if (r != null && !r.succeeded()) {
                String program = argv.get(0).equals("setpriv") ? argv.get(argv.indexOf("--") + 1) : argv.get(0);
                log.warn("notify script {} {}", program,
                        r.startError() != null ? "could not start: " + r.startError() : "exited " + r.exitCode());
            }
        });
    }

    /** Waits (blocking, off the event loop) until the scripts started so far have ended, at most {@code max}. */
    public void awaitPending(Duration max) {
        CompletableFuture<?>[] now = pending.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(now).get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("{} notify script(s) still running at exit", pending.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
