package dev.vigil.transport.pcap;

/**
 * Raw frames cannot be sent or received. The message is the one line an operator needs: which
 * capability or package is missing and how to get it, never a stack trace.
 */
public final class PcapUnavailableException extends RuntimeException {

    private PcapUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    static PcapUnavailableException noDirectBinding(String ifName, Throwable cause) {
        return new PcapUnavailableException("cannot read " + ifName + " without a receive thread: " + cause, cause);
    }

    static PcapUnavailableException libraryMissing(Throwable cause) {
        return new PcapUnavailableException(
                "libpcap not found: install it with 'apt-get install libpcap0.8'", cause);
    }

    static PcapUnavailableException explain(String ifName, Exception e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Operation not permitted") || m.contains("permission")) {
            return new PcapUnavailableException("cannot open " + ifName + " for raw frames: CAP_NET_RAW is missing;"
                    + " run as root or grant it (systemd: AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN)", e);
        }
        if (m.contains("No such device") || m.contains("doesn't exist") || m.contains("no such device")) {
            return new PcapUnavailableException("interface " + ifName + " does not exist in this network namespace", e);
        }
        return new PcapUnavailableException("cannot open " + ifName + " for raw frames: " + m, e);
    }
}
