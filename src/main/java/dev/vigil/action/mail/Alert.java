package dev.vigil.action.mail;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One alert mail. The factories reproduce the subjects and bodies of keepalived 2.2.7
 * ({@code core/smtp.c}, {@code vrrp/vrrp.c:vrrp_smtp_notifier}) and of heartbeat's MailTo resource,
 * so that mail filters written for them keep matching.
 */
public record Alert(String subject, String body, Instant time, List<String> recipients) {

    /**
     * @param recipients who gets this alert; empty for the notifier's configured recipients (a
     *                   haresources {@code MailTo::a@b,c@d} names its own)
     */
    public Alert {
        recipients = List.copyOf(recipients);
    }

    public Alert(String subject, String body, Instant time) {
        this(subject, body, time, List.of());
    }

    /** The same alert to these recipients instead of the configured ones. */
    public Alert to(List<String> addresses) {
        return new Alert(subject, body, time, addresses);
    }

    /** {@code [router_id] VRRP Instance VI_1 - Entering MASTER state}. */
    public static Alert vrrpInstance(String routerId, String instance, String state, int priority, Instant time) {
        String subjectText;
        String bodyText;
        switch (state) {
            case "MASTER" -> {
                subjectText = "Entering MASTER state";
                bodyText = "=> VRRP Instance is now owning VRRP VIPs <=";
            }
            case "BACKUP" -> {
                subjectText = "Entering BACKUP state";
                bodyText = "=> VRRP Instance is no longer owning VRRP VIPs <=";
            }
            case "FAULT" -> {
                subjectText = "Entering FAULT state";
                bodyText = "=> VRRP Instance is no longer owning VRRP VIPs <=";
            }
            default -> {
                subjectText = "Stopping";
                bodyText = "=> VRRP Instance stopping <=";
            }
        }
        return new Alert(prefix(routerId) + "VRRP Instance " + instance + " - " + subjectText,
                bodyText + "\n\nrouter_id: " + routerId + "\ninstance: " + instance + "\nstate: " + state
                        + "\npriority: " + priority + "\ntime: " + stamp(time) + "\n", time);
    }

    /** {@code [router_id] VRRP Instance VI_1 - Split brain}: two masters for one VRID (a Vigil alert). */
    public static Alert vrrpSplitBrain(String routerId, String instance, String text, Instant time) {
        return new Alert(prefix(routerId) + "VRRP Instance " + instance + " - Split brain",
                "=> Two masters for one VRID: both own the VRRP VIPs <=\n\n" + text + "\n\nrouter_id: " + routerId + "\ninstance: "
                        + instance + "\ntime: " + stamp(time) + "\n", time);
    }

    /** {@code [router_id] VRRP Group G1 - Entering MASTER state}. */
    public static Alert vrrpGroup(String routerId, String group, String state, Instant time) {
        String verb = switch (state) {
            case "MASTER" -> "Entering MASTER state";
            case "BACKUP" -> "Entering BACKUP state";
            case "FAULT" -> "Entering FAULT state";
            default -> "Stopping";
        };
        return new Alert(prefix(routerId) + "VRRP Group " + group + " - " + verb,
                "=> All VRRP group instances are now in " + state + " state <=\n\nrouter_id: " + routerId
                        + "\ngroup: " + group + "\ntime: " + stamp(time) + "\n", time);
    }

    /**
     * heartbeat's MailTo on start: {@code <subject> Takeover in progress at <date> on <node>}; the
     * subject defaults to {@code Resource Group} as in MailTo.
     */
    public static Alert mailToTakeover(String subject, String node, Instant time) {
        return mailTo(subject, "Takeover in progress at " + dateLikeShell(time) + " on " + node, time, "start");
    }

    /** heartbeat's MailTo on stop: {@code <subject> Migrating resource away at <date> from <node>}. */
    public static Alert mailToMigrating(String subject, String node, Instant time) {
        return mailTo(subject, "Migrating resource away at " + dateLikeShell(time) + " from " + node, time, "stop");
    }

    /**
     * A heartbeat-mode event (a Vigil extension, so no legacy format to match): subject
     * {@code [NODE] DETAIL}, e.g. {@code [nodea] node nodeb: is dead}; the body repeats the detail and
     * names the event word ({@code node_dead}), what it is about, the reporting node and the time, one
     * {@code key: value} per line for filters.
     */
    public static Alert heartbeatEvent(String localNode, String eventWord, String about, String detail, Instant time) {
        return new Alert("[" + localNode + "] " + detail, detail + "\n\nevent: " + eventWord + "\nabout: " + about + "\nnode: "
                + localNode + "\ntime: " + stamp(time) + "\n", time);
    }

    /** A Vigil event without a legacy format (node or link death, split brain). */
    public static Alert event(String clusterName, String what, String details, Instant time) {
        return new Alert("[" + clusterName + "] " + what, details + "\n\ntime: " + stamp(time) + "\n", time);
    }

    /**
     * The OCF MailTo agent's mail ({@code resource-agents} 4.12, which heartbeat 3.0.6's
     * {@code resource.d/MailTo} wraps through {@code hto-mapfuncs}): the subject line, then the body
     * of its here-document, whose "command line" is the agent as {@code ra_execocf} runs it. A
     * subject shorter than two characters is replaced by {@code Resource Group} ({@code SubjectLine}).
     */
    private static Alert mailTo(String subject, String text, Instant time, String op) {
        String line = (subject == null || subject.length() < 2 ? "Resource Group" : subject) + " " + text;
        return new Alert(line, "        " + line + "\n \n        Command line was:\n        " + MAILTO_AGENT + " " + op + "\n", time);
    }

    /** {@code $0} of the OCF agent when heartbeat's wrapper runs it ({@code OCF_RA_DIR=/usr/lib/ocf/resource.d/}). */
    static final String MAILTO_AGENT = "/usr/lib/ocf/resource.d//heartbeat/MailTo";

    private static String prefix(String routerId) {
        return routerId == null || routerId.isEmpty() ? "" : "[" + routerId + "] ";
    }

    private static String stamp(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    /**
     * {@code date}'s default format in the C locale, {@code %a %b %e %H:%M:%S %Z %Y}: the day of the
     * month is padded with a space ({@code Wed Nov  5 07:52:27 UTC 2026}).
     */
    static String dateLikeShell(Instant t) {
        return DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss zzz yyyy", Locale.ROOT).format(t.atZone(ZoneId.systemDefault()));
    }
}
