package dev.vigil.config.keepalived;

/** {@code smtp_server HOST [PORT]}; the port defaults to 25 (keepalived.conf(5)). */
public record SmtpServer(String host, int port) {
    public static final int DEFAULT_PORT = 25;
}
