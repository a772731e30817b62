package dev.vigil.action.mail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where alerts go: keepalived's {@code notification_email}, {@code notification_email_from},
 * {@code smtp_server host [port]}, {@code smtp_helo_name}, {@code smtp_connect_timeout}; or the
 * equivalent Vigil settings in heartbeat mode.
 *
 * @param queueCapacity  alerts waiting at most; beyond it the oldest waiting one is dropped (and logged)
 * @param maxAttempts    sending attempts per alert before giving up (logged once)
 * @param initialBackoff wait after the first failure, doubled after each further one
 */
public record MailSettings(List<String> recipients, String from, String smtpHost, int smtpPort, String heloName,
                           Duration connectTimeout, int queueCapacity, int maxAttempts, Duration initialBackoff) {

    public MailSettings {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(smtpHost, "smtpHost");
        if (queueCapacity < 1 || maxAttempts < 1) throw new IllegalArgumentException("queue and attempts must be positive");
    }

    /** keepalived's defaults: port 25, 30 s connect timeout; Vigil's: 3 tries, 100 alerts queued. */
    public static MailSettings of(List<String> recipients, String from, String host, int port) {
        return new MailSettings(recipients, from, host, port, null, Duration.ofSeconds(30), 100, 3, Duration.ofSeconds(5));
    }

    public MailSettings withConnectTimeout(Duration d) {
        return new MailSettings(recipients, from, smtpHost, smtpPort, heloName, d, queueCapacity, maxAttempts, initialBackoff);
    }

    public MailSettings withRetries(int attempts, Duration backoff) {
        return new MailSettings(recipients, from, smtpHost, smtpPort, heloName, connectTimeout, queueCapacity, attempts, backoff);
    }

    public MailSettings withQueueCapacity(int capacity) {
        return new MailSettings(recipients, from, smtpHost, smtpPort, heloName, connectTimeout, capacity, maxAttempts, initialBackoff);
    }
}
