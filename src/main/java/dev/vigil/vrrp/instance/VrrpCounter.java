package dev.vigil.vrrp.instance;

/**
 * Per-instance counters, named after keepalived's {@code vrrp_stats} fields (include/vrrp.h) so the
 * console and any stats dump line up with keepalived's SIGUSR2/JSON output.
 *
 * <p>Where keepalived's counting is accidental, Vigil counts what the name says:
 * <ul>
 *   <li>{@link #ADVERT_INTERVAL_ERR}: keepalived 2.2.7 drops a v2 advert with a different interval but
 *       never increments this counter; Vigil does.</li>
 *   <li>{@link #PRI_ZERO_SENT}: keepalived counts only the priority-0 advert sent by
 *       {@code vrrp_restore_interface}; Vigil counts every priority-0 advert it asks the glue to send.</li>
 *   <li>{@link #CHK_ERR}, {@link #VERS_ERR}, {@link #VRID_ERR} exist in keepalived only in SNMP builds.</li>
 *   <li>{@link #UNICAST_SRC_ERR} is Vigil's own: keepalived rejects an advert from a source that is not a
 *       {@code unicast_peer} without counting it anywhere.</li>
 * </ul>
 */
public enum VrrpCounter {
    ADVERT_RCVD("advert_rcvd"),
    ADVERT_SENT("advert_sent"),
    BECOME_MASTER("become_master"),
    RELEASE_MASTER("release_master"),
    PACKET_LEN_ERR("packet_len_err"),
    ADVERT_INTERVAL_ERR("advert_interval_err"),
    IP_TTL_ERR("ip_ttl_err"),
    INVALID_TYPE_RCVD("invalid_type_rcvd"),
    ADDR_LIST_ERR("addr_list_err"),
    INVALID_AUTHTYPE("invalid_authtype"),
    AUTHTYPE_MISMATCH("authtype_mismatch"),
    AUTH_FAILURE("auth_failure"),
    PRI_ZERO_RCVD("pri_zero_rcvd"),
    PRI_ZERO_SENT("pri_zero_sent"),
    CHK_ERR("chk_err"),
    VERS_ERR("vers_err"),
    VRID_ERR("vrid_err"),
    UNICAST_SRC_ERR("unicast_src_err");

    private final String keepalivedName;

    VrrpCounter(String keepalivedName) {
        this.keepalivedName = keepalivedName;
    }

    /** The field name in keepalived's {@code vrrp_stats} (or Vigil's own, for {@link #UNICAST_SRC_ERR}). */
    public String keepalivedName() {
        return keepalivedName;
    }
}
