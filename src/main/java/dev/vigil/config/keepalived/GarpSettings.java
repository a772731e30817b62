package dev.vigil.config.keepalived;

import java.time.Duration;

/**
 * Gratuitous ARP / unsolicited NA behaviour of one instance, after the global
 * {@code vrrp_garp_*} defaults are applied. keepalived 2.2.7 defaults (seen in its {@code -d} dump
 * and keepalived.conf(5)): delay 5 s, repeat 5, refresh 0 (off), refresh repeat 1; the lower-priority
 * pair defaults to the master pair.
 */
public record GarpSettings(Duration masterDelay, int masterRepeat, Duration masterRefresh, int masterRefreshRepeat,
                           Duration lowerPriorityDelay, int lowerPriorityRepeat) {
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
    public static final int DEFAULT_REPEAT = 5;
    public static final int DEFAULT_REFRESH_REPEAT = 1;
}
