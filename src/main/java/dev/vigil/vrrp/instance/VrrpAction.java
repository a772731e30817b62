package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a {@link VrrpInstance} asks its glue to do. Every entry point returns these in the order the
 * glue must carry them out: keepalived's order on becoming master is advert, then VIPs, then
 * gratuitous ARPs (keepalived.md §1.5), and notify scripts run after the addresses changed.
 */
public sealed interface VrrpAction {

    /**
     * Send one advertisement with this priority. The glue encodes it with the instance's VRID, version,
     * configured interval, advertised virtual addresses and authentication, to the multicast group or
     * to each {@code unicast_peer}. Priority 0 is "master is stopping" (RFC 5798 §5.2.4).
     */
    record SendAdvert(int priority) implements VrrpAction {
        public SendAdvert {
            if (priority < 0 || priority > 255) throw new IllegalArgumentException("priority must be within 0..255");
        }
    }

    /** Arm (or re-arm: replace any pending timer of the same kind) a one-shot timer at an absolute time. */
    record SetTimer(TimerKind kind, long atNanos) implements VrrpAction {
        public SetTimer {
            Objects.requireNonNull(kind);
        }
    }

    /** Disarm a timer; its late firing, if any, is ignored by the instance anyway. */
    record CancelTimer(TimerKind kind) implements VrrpAction {
        public CancelTimer {
            Objects.requireNonNull(kind);
        }
    }

    /** Add every configured virtual address (advertised and excluded), routes and rules. */
    record AddVirtualAddresses() implements VrrpAction {
    }

    /** Remove them again. */
    record RemoveVirtualAddresses() implements VrrpAction {
    }

    /**
     * Send {@code repeatPerAddress} gratuitous ARPs (IPv4: ARP request, sender = target = VIP) or
     * unsolicited NAs (IPv6) for each virtual address, spaced by {@code vrrp_garp_interval} /
     * {@code vrrp_gna_interval} as the glue's interface throttling decides (keepalived.md §1.5).
     */
    record SendGratuitous(int repeatPerAddress, GarpReason reason) implements VrrpAction {
        public SendGratuitous {
            if (repeatPerAddress < 1) throw new IllegalArgumentException("repeatPerAddress must be positive");
            Objects.requireNonNull(reason);
        }
    }

    /**
     * A state change. The glue runs {@code notify_<state>} and the generic {@code notify} with
     * {@code INSTANCE name STATE priority} (keepalived.md §2.4: the effective priority), sends SMTP
     * alerts and logs "(name) Entering STATE STATE".
     */
    record Transition(VrrpState from, VrrpState to, TransitionReason reason, int priority) implements VrrpAction {
        public Transition {
            Objects.requireNonNull(from);
            Objects.requireNonNull(to);
            Objects.requireNonNull(reason);
        }
    }

    /** The effective priority changed (keepalived "Changing effective priority from X to Y"). */
    record PriorityChanged(int from, int to) implements VrrpAction {
    }

    /** An advert was refused; counted already. Nothing else happened: no timer was touched. */
    record AdvertRejected(RejectReason reason, InetAddress source) implements VrrpAction {
        public AdvertRejected {
            Objects.requireNonNull(reason);
        }
    }

    /**
     * The master heard a lower priority advert (a backup that lost the master for a while): the glue
     * runs {@code notify_master_rx_lower_pri} if configured.
     */
    record MasterReceivedLowerPriority(InetAddress source, int priority) implements VrrpAction {
    }

    /** A line for the log, phrased like keepalived's where one exists. */
    record Log(LogLevel level, String message) implements VrrpAction {
        public Log {
            Objects.requireNonNull(level);
            Objects.requireNonNull(message);
        }
    }
}
