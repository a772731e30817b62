package dev.vigil.heartbeat;

import dev.vigil.action.NotifyQueue;
import dev.vigil.action.ScriptRunner;
import dev.vigil.action.mail.Alert;
import dev.vigil.action.mail.MailNotifier;
import dev.vigil.action.mail.MailSettings;
import dev.vigil.config.heartbeat.VigilConf;
import dev.vigil.config.keepalived.ScriptUser;
import dev.vigil.vrrp.ScriptSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Heartbeat mode's alerts (a Vigil extension configured in {@code vigil.conf}, docs/alerts.md): each
 * {@link ClusterAlert} of a {@link HeartbeatNode} becomes a mail when {@code mail_on} selects its
 * event, and a run of {@code notify_script EVENT SUBJECT DETAIL}. Neither ever waits: mails go into
 * {@link MailNotifier}'s bounded queue, scripts into a {@link NotifyQueue} (parallel, capped, each
 * killed after {@code notify_timeout}), so a dead mail server or a hung script cannot slow a takeover.
 *
 * <p>The notify script must pass the rule VRRP mode applies with {@code enable_script_security}
 * ({@link ScriptSecurity}): it and every directory above it owned by root (or the script user) and
 * not writable by group or others. A script that fails it is refused at start-up, logged, and never run.
 */
public final class HeartbeatAlerts implements Consumer<ClusterAlert>, AutoCloseable {

    private final String localNode;
    private final Optional<MailNotifier> mail;
    private final boolean mailAlerts;
    private final Set<VigilConf.Event> mailOn;
    private final Optional<NotifyQueue> notify;
    private final Optional<String> refusal;

    HeartbeatAlerts(String localNode, Optional<MailNotifier> mail, boolean mailAlerts, Set<VigilConf.Event> mailOn,
                    Optional<NotifyQueue> notify, Optional<String> refusal) {
        this.localNode = localNode;
        this.mail = mail;
        this.mailAlerts = mailAlerts;
        this.mailOn = mailOn.isEmpty() ? EnumSet.noneOf(VigilConf.Event.class) : EnumSet.copyOf(mailOn);
        this.notify = notify;
        this.refusal = refusal;
    }

    /**
     * The alerts {@code vigil.conf} asks for. Checks the notify script (file system, user database):
     * call off the event loop.
     *
     * @param log receives one line per mail given up or dropped, per script killed, failed or refused
     */
    public static HeartbeatAlerts from(VigilConf conf, String localNode, ScriptRunner runner, Consumer<String> log) {
        return from(conf, localNode, runner, log, java.util.function.UnaryOperator.identity());
    }

    /** @param tune adjusts the mail settings (tests shorten the retry back-off) */
    static HeartbeatAlerts from(VigilConf conf, String localNode, ScriptRunner runner, Consumer<String> log,
                                java.util.function.UnaryOperator<MailSettings> tune) {
        Optional<MailNotifier> mail = conf.mail().map(m -> new MailNotifier(tune.apply(settings(m, localNode)),
                line -> log.accept("mail: " + line)));
        Optional<NotifyQueue> notify = Optional.empty();
        Optional<String> refusal = Optional.empty();
        if (conf.notifyScript().isPresent()) {
            Path script = conf.notifyScript().get();
            Optional<ScriptUser> user = conf.scriptUser().map(HeartbeatAlerts::scriptUser);
            if (user.isEmpty() && isRoot()) user = Optional.of(new ScriptUser("root", Optional.empty())); // heartbeat runs scripts as root
            ScriptSecurity.Verdict v = new ScriptSecurity(true, user).check(List.of(script.toString()), Optional.empty());
            if (v.refusal().isPresent()) {
                refusal = Optional.of("notify_script " + script + ": " + v.refusal().get());
                log.accept(refusal.get());
            } else {
                notify = Optional.of(new NotifyQueue(runner, v.command().orElseThrow(), conf.notifyTimeout(),
                        NotifyQueue.DEFAULT_MAX_RUNNING, NotifyQueue.DEFAULT_QUEUE_CAPACITY, log));
            }
        }
        return new HeartbeatAlerts(localNode, mail, conf.mail().map(VigilConf.Mail::alertsEnabled).orElse(false), conf.mailOn(),
                notify, refusal);
    }

    /** vigil.conf's mail settings; sender and HELO name default to this node's name. */
    static MailSettings settings(VigilConf.Mail m, String localNode) {
        return new MailSettings(m.recipients(), m.from().isEmpty() ? "vigil@" + localNode : m.from(), m.smtpHost(), m.smtpPort(),
                m.helo().orElse(localNode), m.connectTimeout(), 100, 3, Duration.ofSeconds(5));
    }

    private static ScriptUser scriptUser(String written) {
        String[] w = written.trim().split("\\s+");
        return new ScriptUser(w[0], w.length > 1 ? Optional.of(w[1]) : Optional.empty());
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void accept(ClusterAlert a) {
        if (mailAlerts && mailOn.contains(a.event())) {
            mail.get().submit(Alert.heartbeatEvent(localNode, a.event().word(), a.subject(), a.detail(), a.time()));
        }
        notify.ifPresent(q -> q.submit(List.of(a.event().word(), a.subject(), a.detail()),
                Map.of("VIGIL_NODE", localNode, "VIGIL_EVENT_TIME", DateTimeFormatter.ISO_INSTANT.format(a.time()))));
    }

    /** The mail queue, for haresources' {@code MailTo} too; empty without {@code smtp_server}. */
    public Optional<MailNotifier> mail() {
        return mail;
    }

    public Optional<NotifyQueue> notifyQueue() {
        return notify;
    }

    /** Why the notify script was refused, for the status warnings. */
    public Optional<String> refusal() {
        return refusal;
    }

    /** Lets running scripts finish (at most {@code max}, blocking: off the loop), then stops both queues. */
    public void close(Duration max) {
        notify.ifPresent(q -> q.awaitRunning(max));
        close();
    }

    @Override
    public void close() {
        notify.ifPresent(NotifyQueue::close);
        mail.ifPresent(MailNotifier::close);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (mailAlerts) parts.add("mail on " + mailOn);
        notify.ifPresent(q -> parts.add("notify script"));
        return "HeartbeatAlerts" + parts;
    }
}
