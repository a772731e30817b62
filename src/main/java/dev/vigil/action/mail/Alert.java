package dev.vigil.action.mail;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One alert mail. The factories reproduce the subjects and bodies of keepalived 2.2.7
 * ({@code core/smtp.c}, {@code vrrp/vrrp.c:vrrp_smtp_notifier}) and of heartbeat's MailTo resource,
 * so that mail filters written for them keep matching.
 */
public record Alert(String subject, String body, Instant time) {

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
        return mailTo(subject, "Takeover in progress at " + dateLikeShell(time) + " on " + node, time);
    }

    /** heartbeat's MailTo on stop: {@code <subject> Migrating resource away at <date> from <node>}. */
    public static Alert mailToMigrating(String subject, String node, Instant time) {
        return mailTo(subject, "Migrating resource away at " + dateLikeShell(time) + " from " + node, time);
    }

    /** A Vigil event without a legacy format (node or link death, split brain). */
    public static Alert event(String clusterName, String what, String details, Instant time) {
        return new Alert("[" + clusterName + "] " + what, details + "\n\ntime: " + stamp(time) + "\n", time);
    }

    private static Alert mailTo(String subject, String text, Instant time) {
        String line = (subject == null || subject.length() < 2 ? "Resource Group" : subject) + " " + text;
        return new Alert(line, "        " + line + "\n", time);
    }

    private static String prefix(String routerId) {
        return routerId == null || routerId.isEmpty() ? "" : "[" + routerId + "] ";
    }

    private static String stamp(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    /** {@code date}'s default format, e.g. {@code Wed Nov 25 07:52:27 UTC 2026}. */
    private static String dateLikeShell(Instant t) {
        return DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss zzz yyyy", Locale.ROOT).format(t.atZone(ZoneId.systemDefault()));
    }
}
