package dev.vigil.interop;

/** keepalived.conf text for the interop tests; Vigil reads the very same file format. */
final class Conf {
    private Conf() {
    }

    /** global_defs with quiet GARP settings (one per VIP, one more after 1 s), plus {@code extra} lines. */
    static String globals(String routerId, String extra) {
        return """
                global_defs {
                    router_id %s
                    vrrp_garp_master_delay 1
                    vrrp_garp_master_repeat 1
                %s
                }
                """.formatted(routerId, extra);
    }

    /**
     * One instance on {@code vg0} with one VIP (a /24 in the hosts' subnet).
     *
     * @param advertInt as keepalived.conf writes it: "1", "0.1", "0.01"
     * @param extra     more lines inside the block
     */
    static String instance(String name, int vrid, int priority, int version, String advertInt, String vip, String extra) {
        return """
                vrrp_instance %s {
                    state BACKUP
                    interface vg0
                    virtual_router_id %d
                    priority %d
                    advert_int %s
                    version %d
                    virtual_ipaddress {
                        %s/24 dev vg0
                    }
                %s
                }
                """.formatted(name, vrid, priority, advertInt, version, vip, extra);
    }

    static String node(String routerId, String... instances) {
        return globals(routerId, "") + String.join("", instances);
    }
}
