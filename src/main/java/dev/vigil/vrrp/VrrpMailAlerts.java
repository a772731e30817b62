package dev.vigil.vrrp;

import dev.vigil.action.mail.Alert;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.action.mail.MailSettings;
import dev.vigil.config.keepalived.GlobalDefs;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.VrrpInstance;
import dev.vigil.config.keepalived.VrrpSyncGroup;
import dev.vigil.vrrp.instance.VrrpState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * keepalived's SMTP alerts ({@code smtp_alert}): one mail per instance or sync-group transition to
 * MASTER, BACKUP, FAULT or STOP, with keepalived's subject and body so existing mail filters match
 * ({@code vrrp/vrrp.c:vrrp_smtp_notifier}). Mails go through {@link MailNotifier}'s queue: a slow or
 * dead mail server never delays the transition that triggered the mail.
 */
public final class VrrpMailAlerts implements VrrpRouter.Listener, AutoCloseable {

    private final MailNotifier mail;
    private final String routerId;
    private final boolean noEmailFaults;
    private final Set<String> instances = new HashSet<>();
    private final Set<String> groups = new HashSet<>();
    private final Map<String, VrrpState> lastMailed = new HashMap<>();

    VrrpMailAlerts(MailNotifier mail, String routerId, boolean noEmailFaults, Set<String> instances, Set<String> groups) {
        this.mail = mail;
        this.routerId = routerId;
        this.noEmailFaults = noEmailFaults;
        this.instances.addAll(instances);
        this.groups.addAll(groups);
    }

    /**
     * The alerts a configuration asks for, or null when it asks for none (no recipients, no
     * {@code smtp_server}, or no instance or group with {@code smtp_alert}).
     *
     * @param log where give-ups and drops are reported (one line each)
     */
    public static VrrpMailAlerts from(KeepalivedConfig cfg, String hostName, Consumer<String> log) {
        GlobalDefs g = cfg.globalDefs();
        if (g.notificationEmails().isEmpty() || g.smtpServer().isEmpty()) return null;
        // global smtp_alert / smtp_alert_vrrp give the default; an instance's or group's own setting wins
        boolean byDefault = g.smtpAlertVrrp().or(g::smtpAlert).orElse(false);
        Set<String> inst = new HashSet<>();
        for (VrrpInstance i : cfg.instances()) if (i.smtpAlert().orElse(byDefault)) inst.add(i.name());
        Set<String> grp = new HashSet<>();
        for (VrrpSyncGroup s : cfg.syncGroups()) if (s.smtpAlert().orElse(byDefault)) grp.add(s.name());
        if (inst.isEmpty() && grp.isEmpty()) return null;
        MailSettings settings = new MailSettings(g.notificationEmails(), g.notificationEmailFrom().orElse("keepalived@" + hostName),
                g.smtpServer().get().host(), g.smtpServer().get().port(), g.smtpHeloName().orElse(hostName),
                g.smtpConnectTimeout(), 100, 3, java.time.Duration.ofSeconds(5));
        return new VrrpMailAlerts(new MailNotifier(settings, log), g.routerId().orElse(hostName), g.noEmailFaults(), inst, grp);
    }

    @Override
    public void instanceTransition(VrrpRouter.InstanceTransition t) {
        if (!instances.contains(t.instance()) || !worthMailing("instance " + t.instance(), t.to())) return;
        mail.submit(Alert.vrrpInstance(routerId, t.instance(), t.to().name(), t.priority(), t.at()));
    }

    @Override
    public void groupTransition(VrrpRouter.GroupTransition t) {
        if (!groups.contains(t.group()) || !worthMailing("group " + t.group(), t.to())) return;
        mail.submit(Alert.vrrpGroup(routerId, t.group(), t.to().name(), t.at()));
    }

    /**
     * A split brain ({@link SplitBrainWatch}) for an instance with {@code smtp_alert}: keepalived has
     * no such mail, so the subject follows its instance mails' shape with the alert in place of the state.
     */
    public void splitBrain(SplitBrainWatch.SplitBrain sb) {
        if (!instances.contains(sb.instance())) return;
        mail.submit(Alert.vrrpSplitBrain(routerId, sb.instance(), sb.text(), sb.at()));
    }

    /** keepalived mails MASTER, BACKUP, FAULT (unless no_email_faults) and STOP, once per state reached. */
    private boolean worthMailing(String key, VrrpState to) {
        boolean mailed = switch (to) {
            case MASTER, BACKUP, STOP -> true;
            case FAULT -> !noEmailFaults;
            default -> false;
        };
        if (!mailed || lastMailed.get(key) == to) return false;
        lastMailed.put(key, to);
        return true;
    }

    public MailNotifier notifier() {
        return mail;
    }

    @Override
    public void close() {
        mail.close();
    }
}
