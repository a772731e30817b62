package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;

/**
 * One heartbeat communication medium from ha.cf. Every message goes out once on every medium
 * ({@code heartbeat.c:send_to_all_media}); receivers drop duplicates by sequence number.
 * {@code bcast}/{@code serial} lines with several devices give one medium per device, as
 * heartbeat creates one plugin object per value.
 */
public sealed interface Medium {

    /** The ha.cf directive that declares this kind of medium. */
    String directive();

    /** The interface or tty: heartbeat's medium name, shown by {@code cl_status listhblinks}. */
    String device();

    SourceLocation location();

    /**
     * UDP broadcast on {@code device} to {@code port}. The port is the {@code udpport} in force
     * when heartbeat parsed the first bcast line ({@code bcast.c:bcast_init} reads it once).
     */
    record Bcast(String device, int port, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "bcast";
        }
    }

    /** UDP unicast to {@code peer} (an IPv4 address or host name); port as for {@link Bcast}, latched per plugin. */
    record Ucast(String device, String peer, int port, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "ucast";
        }
    }

    /** UDP multicast; its own port ({@code udpport} does not apply), ttl 0-4, loop on/off ({@code mcast.c:mcast_parse}). */
    record Mcast(String device, String group, int port, int ttl, boolean loop, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "mcast";
        }
    }

    /** IPv6 unicast ({@code ucast6.c}); port from {@code udpport}, latched at the first ucast6 line. */
    record Ucast6(String device, String peer, int port, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "ucast6";
        }
    }

    /** IPv6 multicast ({@code mcast6.c}): group, port, hop limit 0-4, loop. */
    record Mcast6(String device, String group, int port, int hops, boolean loop, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "mcast6";
        }
    }

    /**
     * A serial line. {@code baud} is the speed in force when heartbeat parsed the first serial
     * line: {@code serial.c:serial_init} reads {@code baud} once, when the plugin loads.
     */
    record Serial(String device, int baud, SourceLocation location) implements Medium {
        @Override
        public String directive() {
            return "serial";
        }
    }
}
