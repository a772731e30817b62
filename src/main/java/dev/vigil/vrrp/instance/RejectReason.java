package dev.vigil.vrrp.instance;

/**
 * Why {@link AdvertValidator} refused an advert, in keepalived's check order (vrrp.c
 * {@code vrrp_check_packet}, keepalived.md §1.4). Several reasons share one keepalived counter; the
 * reason keeps them apart in logs.
 */
public enum RejectReason {
    /** The codec found the length implied by the count, the IP total length and the received length disagreeing. */
    BAD_LENGTH(VrrpCounter.PACKET_LEN_ERR),
    /** TTL / hop limit not 255 on a multicast instance (RFC 5798 §5.1.1.3, §5.1.2.3). */
    BAD_TTL(VrrpCounter.IP_TTL_ERR),
    /** Version differs from the configured one; keepalived has no mixed v2/v3 mode (RFC 5798 §8.4 optional). */
    WRONG_VERSION(VrrpCounter.VERS_ERR),
    /** Dispatched to the wrong instance. */
    WRONG_VRID(VrrpCounter.VRID_ERR),
    /** v2 auth type other than 0, 1, 2. */
    INVALID_AUTH_TYPE(VrrpCounter.INVALID_AUTHTYPE),
    /** v2 auth type differs from ours. */
    AUTH_TYPE_MISMATCH(VrrpCounter.AUTHTYPE_MISMATCH),
    /** v2 simple password: the 8 bytes differ. */
    AUTH_FAILURE(VrrpCounter.AUTH_FAILURE),
    /** v2 Adver Int differs from ours (RFC 3768 §7.1: MUST verify, else discard). */
    ADVERT_INTERVAL_MISMATCH(VrrpCounter.ADVERT_INTERVAL_ERR),
    /** VRRP type other than 1 (ADVERTISEMENT). */
    INVALID_TYPE(VrrpCounter.INVALID_TYPE_RCVD),
    /** Count IP Addrs differs from the number of configured (non-excluded) virtual addresses. */
    ADDRESS_COUNT_MISMATCH(VrrpCounter.ADDR_LIST_ERR),
    /** Checksum wrong (as the codec computed it: v2 without, v3 with the pseudo-header, keepalived.md §1.3). */
    BAD_CHECKSUM(VrrpCounter.CHK_ERR),
    /** Multicast advert on a unicast instance or the reverse; keepalived counts this as addr_list_err. */
    MULTICAST_MODE_MISMATCH(VrrpCounter.ADDR_LIST_ERR),
    /** A configured virtual address is missing from the advert. */
    VIRTUAL_ADDRESS_MISSING(VrrpCounter.ADDR_LIST_ERR),
    /** {@code check_unicast_src}: the source is not one of the {@code unicast_peer}s. */
    UNICAST_SOURCE_NOT_PEER(VrrpCounter.UNICAST_SRC_ERR),
    /** {@code unicast_peer ... min_ttl/max_ttl}: the TTL is outside the peer's range. */
    UNICAST_TTL_OUT_OF_RANGE(VrrpCounter.IP_TTL_ERR);

    private final VrrpCounter counter;

    RejectReason(VrrpCounter counter) {
        this.counter = counter;
    }

    /** The counter incremented when an advert is refused for this reason. */
    public VrrpCounter counter() {
        return counter;
    }
}
