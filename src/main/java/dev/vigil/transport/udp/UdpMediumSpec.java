package dev.vigil.transport.udp;

import java.net.InetAddress;

/**
 * The UDP media of ha.cf ({@code bcast}, {@code ucast}, {@code mcast}), independent of the parser's
 * model so the transport can be used and tested on its own.
 */
public sealed interface UdpMediumSpec {

    /** Device the medium is on, as written in ha.cf. */
    String device();

    /** {@code bcast dev}: to the device's IPv4 broadcast address, on {@code udpport}. */
    record Bcast(String device, int port) implements UdpMediumSpec {
    }

    /** {@code ucast dev peer}: to one peer, on {@code udpport}. */
    record Ucast(String device, InetAddress peer, int port) implements UdpMediumSpec {
    }

    /** {@code mcast dev group port ttl loop}: its own port; {@code udpport} does not apply (heartbeat.md 1.1). */
    record Mcast(String device, InetAddress group, int port, int ttl, boolean loop) implements UdpMediumSpec {
    }
}
