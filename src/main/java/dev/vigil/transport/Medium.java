package dev.vigil.transport;

/**
 * One heartbeat communication path ("link" in heartbeat's words): a UDP broadcast, unicast or
 * multicast on a device, or a serial line. Membership sends every message on every medium and
 * keeps liveness per medium, so a node is dead only when all its links are silent.
 */
public interface Medium {

    /** The link name as heartbeat reports it ({@code cl_status listhblinks}): the device or tty path. */
    String linkName();

    /** Sends one encoded message. Never blocks and never throws: failures are counted. */
    void send(byte[] message);

    void close();

    /** Receives what arrives on a medium, on the owner's event loop. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param medium the medium it arrived on
         * @param message the raw bytes of one message
         * @param source  where it came from (an IP address, or the tty), for logs and filtering
         */
        void received(Medium medium, byte[] message, String source);
    }
}
