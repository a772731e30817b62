package dev.vigil.transport.bpf;

/** eBPF cannot be used here (no privilege, an old kernel, a refusal by the verifier): one line saying which. */
public final class BpfUnavailableException extends RuntimeException {
    public BpfUnavailableException(String message) {
        super(message, null, false, false);
    }
}
