package dev.vigil.vrrp.wire;

import java.util.Optional;

/**
 * The VRRPv2 Auth Type byte (RFC 2338 §5.3.6; RFC 3768 §5.3.6 keeps only 0 and marks the
 * others as historic). Names follow keepalived's {@code auth_type PASS|AH}. VRRPv3 has no
 * authentication field; its packets always carry {@link #NONE}.
 */
public enum VrrpAuthType {
    NONE(0),
    /** Simple text password: 8 bytes of Authentication Data, NUL-padded. */
    PASS(1),
    /**
     * IPsec AH (IP protocol 51 around the VRRP packet). Vigil does not implement it: decoding
     * reports it as {@link VrrpRejectReason#AH_AUTHENTICATION_UNSUPPORTED} and no
     * {@link VrrpPacket} can carry it.
     */
    AH(2);

    private final int code;

    VrrpAuthType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<VrrpAuthType> fromCode(int code) {
        for (VrrpAuthType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
