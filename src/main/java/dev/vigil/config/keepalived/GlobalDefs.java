package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code global_defs}, VRRP-relevant part, with keepalived 2.2.7's defaults (its {@code -d} dump
 * and keepalived.conf(5)): vrrp_version 2, multicast groups 224.0.0.18 / ff02::12, GARP 5 x 5 s,
 * GARP/NA interval 0, smtp_connect_timeout 30 s, default_interface eth0, 3 adverts before down.
 * {@code location} is the first {@code global_defs} line, or line 0 when the file has none.
 */
public record GlobalDefs(Optional<String> routerId, List<String> notificationEmails, Optional<String> notificationEmailFrom,
                         Optional<SmtpServer> smtpServer, Optional<String> smtpHeloName, Duration smtpConnectTimeout,
                         Optional<Boolean> smtpAlert, Optional<Boolean> smtpAlertVrrp, boolean noEmailFaults,
                         boolean enableScriptSecurity, Optional<ScriptUser> scriptUser, int vrrpVersion,
                         GarpSettings garp, Duration garpInterval, Duration gnaInterval, boolean minGarp,
                         boolean vrrpStrict, InetAddress mcastGroup4, InetAddress mcastGroup6,
                         boolean skipCheckAdvAddr, boolean checkUnicastSrc, boolean lowerPrioNoAdvert,
                         boolean higherPrioSendAdvert, int downTimerAdverts, Optional<String> notifyFifo,
                         Optional<ScriptCommand> notifyFifoScript, Optional<Duration> startupDelay,
                         String defaultInterface, boolean dynamicInterfaces, Optional<String> firewallChain,
                         SourceLocation location) {
    public static final int DEFAULT_VRRP_VERSION = 2;
    public static final Duration DEFAULT_SMTP_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_DOWN_TIMER_ADVERTS = 3;
    public static final String DEFAULT_INTERFACE = "eth0";

    public GlobalDefs {
        notificationEmails = List.copyOf(notificationEmails);
    }
}
