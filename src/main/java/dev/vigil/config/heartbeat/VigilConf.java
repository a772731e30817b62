package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vigil.conf}: the Vigil extensions of heartbeat mode, kept in a file of their own beside
 * ha.cf because heartbeat 3.0.6 stops on any directive it does not know ("Illegal directive"), and a
 * cluster being migrated shares one ha.cf between Vigil and real heartbeat nodes. Every setting
 * here is off or empty by default, so a missing file means "behave exactly like heartbeat".
 *
 * @param file          where it was read from (it may not exist)
 * @param mail          where alerts go; empty when neither {@code mail_to} nor {@code smtp_server} is
 *                      given, without recipients when only {@code smtp_server} is (see {@link Mail#alertsEnabled})
 * @param mailOn        which events send a mail
 * @param notifyScript  run on node, link and resource events (see docs/configuration.md)
 * @param notifyTimeout how long a notify script may run before its process group is killed
 * @param scriptUser    user (and group) notify scripts run as; empty: root, as heartbeat runs its scripts
 * @param defaults      resource policy for every resource not named in a {@code resource} line
 * @param resources     per-resource policies, keyed by the resource as written in haresources
 *                      ({@code IPaddr2::10.0.0.1/24} or {@code apache2}) or by its script name
 */
public record VigilConf(Path file, Optional<Mail> mail, Set<Event> mailOn, Optional<Path> notifyScript,
                        Duration notifyTimeout, Optional<String> scriptUser, ResourcePolicy defaults,
                        Map<String, ResourcePolicy> resources) {

    public VigilConf {
        mailOn = mailOn.isEmpty() ? EnumSet.noneOf(Event.class) : EnumSet.copyOf(mailOn);
        resources = Map.copyOf(new LinkedHashMap<>(resources));
    }

    /** No vigil.conf: heartbeat's behaviour exactly. */
    public static VigilConf absent(Path file) {
        return new VigilConf(file, Optional.empty(), DEFAULT_MAIL_ON, Optional.empty(), DEFAULT_NOTIFY_TIMEOUT,
                Optional.empty(), ResourcePolicy.DEFAULTS, Map.of());
    }

    public static final Set<Event> DEFAULT_MAIL_ON = EnumSet.of(Event.NODE_DEAD, Event.LINK_DEAD, Event.SPLIT_BRAIN,
            Event.RESOURCE_FAILED);
    public static final Duration DEFAULT_NOTIFY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The policy for one haresources resource: its own entry (matched on the resource exactly as
     * written, then on its script name), else the defaults.
     */
    public ResourcePolicy policyFor(String resourceAsWritten) {
        ResourcePolicy p = resources.get(resourceAsWritten);
        if (p != null) return p;
        int sep = resourceAsWritten.indexOf("::");
        if (sep > 0) {
            p = resources.get(resourceAsWritten.substring(0, sep));
            if (p != null) return p;
        }
        return defaults;
    }

    /** Events a mail or a notify script can be about; the config word is the lower-case name. */
    public enum Event {
        NODE_DEAD, NODE_UP, LINK_DEAD, LINK_UP, TAKEOVER, RELEASE, SPLIT_BRAIN, RESOURCE_FAILED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * keepalived's global_defs mail settings under heartbeat-mode names: {@code mail_to} (repeatable,
     * comma-separated), {@code mail_from}, {@code smtp_server host [port]}, {@code smtp_helo},
     * {@code smtp_connect_timeout}.
     */
    public record Mail(List<String> recipients, String from, String smtpHost, int smtpPort, Optional<String> helo,
                       Duration connectTimeout, SourceLocation location) {
        public Mail {
            recipients = List.copyOf(recipients);
        }

        /**
         * Whether alert mails ({@code mail_on}) go anywhere: {@code smtp_server} without {@code mail_to}
         * only relays haresources' {@code MailTo} resources, whose recipients come from haresources.
         */
        public boolean alertsEnabled() {
            return !recipients.isEmpty();
        }
    }

    /**
     * How one resource is operated: each operation's timeout, and the monitoring Vigil adds to
     * heartbeat (off while {@code monitorInterval} is zero, which is heartbeat v1's behaviour: a
     * service that dies on a live node goes unnoticed).
     *
     * @param maxRestarts   restarts in place allowed within {@code restartWindow}; one more failure
     *                      gives the group up to the peer
     */
    public record ResourcePolicy(Duration startTimeout, Duration stopTimeout, Duration statusTimeout,
                                 Duration restartTimeout, Duration monitorInterval, Duration monitorTimeout,
                                 int maxRestarts, Duration restartWindow, Optional<SourceLocation> location) {

        /** Start/stop 120 s and status 30 s are what Vigil's heartbeat-mode executor always used. */
        public static final ResourcePolicy DEFAULTS = new ResourcePolicy(Duration.ofSeconds(120), Duration.ofSeconds(120),
                Duration.ofSeconds(30), Duration.ofSeconds(240), Duration.ZERO, Duration.ofSeconds(30), 3,
                Duration.ofMinutes(5), Optional.empty());

        public boolean monitored() {
            return !monitorInterval.isZero();
        }
    }
}
