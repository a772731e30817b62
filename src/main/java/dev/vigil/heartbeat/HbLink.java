package dev.vigil.heartbeat;

import dev.vigil.transport.Medium;
import java.util.Objects;

/**
 * One medium of a {@link HeartbeatNode} and how messages are framed on it: UDP media carry signed
 * netstring packets, serial lines the classic {@code >>>}/{@code <<<} text (research heartbeat.md
 * §1.1, §1.2). Several media may share a link name (two {@code ucast} lines on one device): each
 * gets every message, and what arrives on either proves the same link alive.
 */
public record HbLink(Medium medium, Framing framing) {

    public enum Framing {
        /** {@code HbCodec.encodeNetstring}: what heartbeat sends on every UDP medium. */
        NETSTRING,
        /** {@code HbCodec.encodeClassic}, no NUL; received bytes go through {@code SerialFrameSplitter}. */
        CLASSIC
    }

    public HbLink {
        Objects.requireNonNull(medium, "medium");
        Objects.requireNonNull(framing, "framing");
    }

    public static HbLink udp(Medium medium) {
        return new HbLink(medium, Framing.NETSTRING);
    }

    public static HbLink serial(Medium medium) {
        return new HbLink(medium, Framing.CLASSIC);
    }

    public String name() {
        return medium.linkName();
    }
}
