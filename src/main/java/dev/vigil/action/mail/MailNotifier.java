package dev.vigil.action.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sends alert mails on a thread of its own, so that a mail server that is down, slow, or accepts
 * the connection and never answers can never delay a takeover: {@link #submit} only puts the alert
 * in a bounded queue and returns.
 *
 * <p>Every SMTP step has the configured timeout (connect, read and write), failures are retried
 * with doubling back-off, and each alert that is finally given up is logged once. When the queue is
 * full the oldest waiting alert is dropped (and logged): the newest state is the one worth knowing.
 */
public final class MailNotifier implements AutoCloseable {

    private final MailSettings settings;
    private final Consumer<String> log;
    private final BlockingQueue<Alert> queue;
    private final Thread worker;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Session session;
    private volatile boolean closed;
    /** Alerts queued or being delivered: submitted and not yet sent, given up or dropped. */
    private final java.util.concurrent.atomic.AtomicInteger delivering = new java.util.concurrent.atomic.AtomicInteger();

    /** @param log receives one line per give-up or drop (never the mail body) */
    public MailNotifier(MailSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        Properties p = new Properties();
        String timeout = Long.toString(Math.max(1, settings.connectTimeout().toMillis()));
        p.put("mail.smtp.host", settings.smtpHost());
        p.put("mail.smtp.port", Integer.toString(settings.smtpPort()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        if (settings.heloName() != null) p.put("mail.smtp.localhost", settings.heloName());
        p.put("mail.mime.charset", "UTF-8");
        this.session = Session.getInstance(p);
        this.worker = new Thread(this::run, "vigil-mail");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues an alert; never blocks. */
    public void submit(Alert alert) {
        if (closed) return;
        delivering.incrementAndGet();
        while (!queue.offer(alert)) {
            Alert old = queue.poll();
            if (old != null) {
                delivering.decrementAndGet();
                dropped.incrementAndGet();
                log.accept("mail queue full (" + settings.queueCapacity() + "): dropped alert '" + old.subject() + "'");
            }
        }
    }

    private void run() {
        while (!closed) {
            Alert a;
            try {
                a = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                deliver(a);
            } finally {
                delivering.decrementAndGet();
            }
        }
    }

    private void deliver(Alert a) {
        long backoff = settings.initialBackoff().toMillis();
        String lastError = null;
        for (int attempt = 1; attempt <= settings.maxAttempts() && !closed; attempt++) {
            try {
                Transport.send(build(a));
                sent.incrementAndGet();
                return;
            } catch (MessagingException | RuntimeException e) {
                lastError = rootMessage(e);
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff *= 2;
            }
        }
        // logged before counted: whoever sees the count sees the line
        log.accept("gave up mailing '" + a.subject() + "' to " + settings.smtpHost() + ":" + settings.smtpPort()
                + " after " + settings.maxAttempts() + " attempt(s): " + lastError);
        gaveUp.incrementAndGet();
    }

    private MimeMessage build(Alert a) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(settings.from()));
        List<InternetAddress> to = new ArrayList<>();
        for (String r : a.recipients().isEmpty() ? settings.recipients() : a.recipients()) {
            try {
                to.add(new InternetAddress(r, true));
            } catch (AddressException e) {
                throw new MessagingException("bad recipient address '" + r + "'", e);
            }
        }
        if (to.isEmpty()) throw new MessagingException("no recipients");
        m.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
        // RFC 2047 encoding when needed: node and instance names may be non-ASCII.
        m.setSubject(a.subject(), "UTF-8");
        m.setText(a.body(), "UTF-8");
        m.setSentDate(Date.from(a.time()));
        m.setHeader("X-Mailer", "Vigil");
        return m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    public long sent() {
        return sent.get();
    }

    public long gaveUp() {
        return gaveUp.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int queued() {
        return queue.size();
    }

    /**
     * Waits (blocking: never on the event loop) until every queued alert is sent or given up, at most
     * {@code max}; for a clean stop, whose release mails ("Migrating resource away") should still go out.
     *
     * @return whether the queue drained in time
     */
    public boolean drain(java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (delivering.get() == 0) return true;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
