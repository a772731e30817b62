package dev.vigil.vrrp.wire;

import java.util.Optional;

/**
 * Why a received VRRP message or frame was rejected.
 *
 * <p>Where keepalived 2.2.7 counts the same condition, {@link #keepalivedCounter()} gives the
 * name of its per-instance statistics field, so Vigil's counters can carry keepalived's names.
 * keepalived's receive counters are: {@code advert_rcvd}, {@code packet_len_err},
 * {@code ip_ttl_err}, {@code invalid_type_rcvd}, {@code addr_list_err},
 * {@code invalid_authtype}, {@code authtype_mismatch}, {@code auth_failure},
 * {@code advert_interval_err}, {@code pri_zero_rcvd}, and with SNMP RFC support also
 * {@code chk_err}, {@code vers_err}, {@code vrid_err}. (Sent side: {@code advert_sent},
 * {@code pri_zero_sent}; state: {@code become_master}, {@code release_master}.)
 *
 * <p>Not here on purpose: the VRRPv2 advert interval mismatch (keepalived drops the packet
 * without counting it; it needs the instance's own interval, so the state machine decides) and
 * unknown VRIDs (keepalived ignores them silently; the dispatcher decides).
 */
public enum VrrpRejectReason {
    // --- Ethernet and IP envelope (VrrpFrames) ---
    /** Fewer than 14 bytes: no Ethernet header. */
    FRAME_TOO_SHORT(null),
    /** Neither IPv4 (0x0800) nor IPv6 (0x86dd); VLAN tags are not parsed. */
    UNSUPPORTED_ETHERTYPE(null),
    /** The IP header does not fit in the frame. */
    IP_HEADER_TRUNCATED("packet_len_err"),
    /** IP version nibble wrong for the ethertype, or an IPv4 IHL below 5. */
    IP_HEADER_MALFORMED(null),
    /** IPv4 header checksum wrong. The kernel drops these before keepalived sees them. */
    BAD_IP_HEADER_CHECKSUM(null),
    /**
     * IPv4 total length / IPv6 payload length larger than what the frame holds, or smaller than
     * the header. A frame may be longer (Ethernet pads to 60 bytes); that is not an error.
     */
    IP_LENGTH_MISMATCH("packet_len_err"),
    /** An IPv4 fragment. VRRP packets are tiny and never fragmented; reassembly is not done here. */
    IP_FRAGMENT(null),
    /** IP protocol / IPv6 next header is not 112 (IPv6 extension headers are not walked). */
    NOT_VRRP(null),
    /** The IP source is multicast, broadcast or unspecified: no VRRP router can send from it. */
    INVALID_SOURCE_ADDRESS(null),
    /** TTL / hop limit not 255 on a multicast instance (RFC 3768 §7.1, RFC 5798 §7.1). */
    WRONG_TTL("ip_ttl_err"),

    // --- VRRP message (VrrpCodec) ---
    /** Zero bytes. */
    EMPTY("packet_len_err"),
    /** Shorter than the 8-byte fixed header (or, in v2, the 16 bytes with auth data). */
    TOO_SHORT("packet_len_err"),
    /** Version nibble neither 2 nor 3, or VRRPv2 over IPv6. */
    UNSUPPORTED_VERSION("vers_err"),
    /** Not the version the instance runs ("wrong version. Received 3 and expect 2"). */
    VERSION_MISMATCH("vers_err"),
    /** VRID 0: outside 1..255 (RFC 5798 §5.2.3). */
    INVALID_VRID("vrid_err"),
    /**
     * The length is not exactly 8 + count × address size (+ 8 auth bytes in v2): the count byte
     * and the data disagree ("vrrp packet too long/short").
     */
    LENGTH_MISMATCH("packet_len_err"),
    /** VRRPv2 Auth Type other than 0, 1, 2 ("Invalid auth type"). */
    INVALID_AUTH_TYPE("invalid_authtype"),
    /**
     * IPsec AH: IP protocol 51, or Auth Type 2 inside protocol 112. Vigil never configures AH, so
     * keepalived's "AH presence must match auth_type" check always fails here.
     */
    AH_AUTHENTICATION_UNSUPPORTED("authtype_mismatch"),
    /** Auth Type differs from the instance's ("received a 0 auth, expecting 1!"). */
    AUTH_TYPE_MISMATCH("authtype_mismatch"),
    /** PASS with other auth data than the instance's ("received an invalid passwd!"). */
    AUTH_FAILURE("auth_failure"),
    /** Type other than 1 (Advertisement), RFC 5798 §5.2.2. */
    INVALID_TYPE("invalid_type_rcvd"),
    /** Count is 0: an advert lists "one or more" addresses (RFC 5798 §5.2.9), and keepalived requires a VIP. */
    NO_ADDRESSES("addr_list_err"),
    /** Count differs from the instance's number of VIPs ("received an unexpected ip number count"). */
    ADDRESS_COUNT_MISMATCH("addr_list_err"),
    /** A VIP of the instance is missing from the advert ("ip address associated with VRID … not present"). */
    ADDRESS_LIST_MISMATCH("addr_list_err"),
    /** Checksum wrong under every accepted {@link VrrpChecksumVariant} ("Invalid VRRPv2/VRRPv3 checksum"). */
    BAD_CHECKSUM("chk_err"),
    /** Unicast destination on a multicast instance ("Expected multicast packet but received unicast packet"). */
    UNEXPECTED_UNICAST("addr_list_err"),
    /** Multicast destination on a unicast instance. */
    UNEXPECTED_MULTICAST("addr_list_err");

    private final String keepalivedCounter;

    VrrpRejectReason(String keepalivedCounter) {
        this.keepalivedCounter = keepalivedCounter;
    }

    /** The keepalived statistics field that counts this condition, if keepalived counts it. */
    public Optional<String> keepalivedCounter() {
        return Optional.ofNullable(keepalivedCounter);
    }
}
