package dev.vigil.heartbeat;

import dev.vigil.config.heartbeat.VigilConf;
import java.time.Instant;
import java.util.Objects;

/**
 * An event worth telling an operator about, as {@link HeartbeatNode} sees it: what {@code vigil.conf}'s
 * {@code mail_on} selects and what its {@code notify_script} is run for (docs/alerts.md). A Vigil
 * extension: heartbeat 3.0.6 has no alerts beyond its log and the {@code MailTo} resource.
 *
 * @param event   which kind of event
 * @param subject what it is about, one word a script can match: a node name ({@code node_dead},
 *                {@code node_up}, {@code split_brain}), {@code node:link} ({@code link_dead},
 *                {@code link_up}), a group key ({@code takeover}, {@code release}) or a resource as
 *                haresources writes it ({@code resource_failed})
 * @param detail  one line for a human, in heartbeat's log wording where heartbeat has a line for it
 * @param nanos   the scheduler's time of the event
 * @param time    the wall-clock time of the event
 */
public record ClusterAlert(VigilConf.Event event, String subject, String detail, long nanos, Instant time) {
    public ClusterAlert {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(time, "time");
    }
}
