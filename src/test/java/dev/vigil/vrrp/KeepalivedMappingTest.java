package dev.vigil.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.VirtualAddress;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.vrrp.instance.TrackedInterface;
import dev.vigil.vrrp.instance.TrackedScript;
import dev.vigil.vrrp.instance.UnicastPeer;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.wire.MacAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepalivedMappingTest {

    @TempDir
    Path dir;

    /** eth0 with a primary address, a stale VIP left by a kill -9, and a link-local address. */
    static final InterfaceInfo HOST = new InterfaceInfo() {
        @Override
        public boolean exists(String iface) {
            return iface.equals("eth0") || iface.equals("eth1");
        }

        @Override
        public Optional<MacAddress> mac(String iface) {
            return Optional.of(MacAddress.parse("02:00:00:00:00:01"));
        }

        @Override
        public List<Inet4Address> ipv4Addresses(String iface) {
            return iface.equals("eth0") ? List.of((Inet4Address) ip("10.0.0.100"), (Inet4Address) ip("10.0.0.1")) : List.of();
        }

        @Override
        public List<Inet6Address> ipv6Addresses(String iface) {
            return List.of((Inet6Address) ip("fd00::1"), (Inet6Address) ip("fe80::1"));
        }
    };

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    ParseResult<KeepalivedConfig> parse(String text) throws IOException {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, text);
        return new KeepalivedParser().withHostId("node1").parse(f);
    }

    VrrpNodeConfig map(String text, Diagnostics out) throws IOException {
        ParseResult<KeepalivedConfig> r = parse(text);
        assertThat(r.diagnostics().all()).filteredOn(Diagnostic::isError).isEmpty();
        return KeepalivedMapping.map(r.model(), HOST, out);
    }

    VrrpInstanceSpec only(VrrpNodeConfig c, String name) {
        return c.instances().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anInstanceMapsWithEveryValueResolved() throws IOException {
        Diagnostics out = new Diagnostics();
        VrrpNodeConfig c = map("""
                global_defs {
                    vrrp_garp_master_delay 2
                    vrrp_garp_master_repeat 3
                }
                vrrp_script chk {
                    script "/usr/bin/test -f /run/ok"
                    interval 2
                    weight -20
                    rise 3
                    fall 2
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 1
                    nopreempt
                    preempt_delay 5
                    authentication {
                        auth_type PASS
                        auth_pass longpassword
                    }
                    virtual_ipaddress {
                        10.0.0.100/24 dev eth0 label eth0:vip brd 10.0.0.255 scope global
                    }
                    virtual_ipaddress_excluded {
                        192.168.9.9/32 dev eth1
                    }
                    track_script {
                        chk weight -60
                    }
                    track_interface {
                        eth1 weight -10
                    }
                    garp_master_repeat 1
                }
                """, out);
        assertThat(out.all()).filteredOn(Diagnostic::isError).isEmpty();
        VrrpInstanceSpec spec = only(c, "VI_1");
        VrrpInstanceSettings s = spec.settings();
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.priority()).isEqualTo(150);
        assertThat(s.advertIntervalCentis()).isEqualTo(100);
        // the stale VIP is skipped: the primary address is the interface's own
        assertThat(s.primaryAddress()).isEqualTo(ip("10.0.0.1"));
        assertThat(s.initialState()).isEqualTo(VrrpInstanceSettings.ConfiguredState.MASTER);
        assertThat(s.nopreempt()).isTrue();
        assertThat(s.preemptDelayNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(s.authType()).isEqualTo(VrrpInstanceSettings.AuthType.PASS);
        assertThat(s.authPassword()).isEqualTo("longpass");
        // excluded addresses are added but not advertised
        assertThat(s.virtualAddresses()).containsExactly(ip("10.0.0.100"));
        assertThat(spec.addresses()).containsExactly(
                new VirtualAddress(ip("10.0.0.100"), 24, "eth0", ip("10.0.0.255"), "global", "eth0:vip"),
                new VirtualAddress(ip("192.168.9.9"), 32, "eth1", null, null, null));
        assertThat(s.trackedScripts()).containsExactly(new TrackedScript("chk", -60, false));
        assertThat(s.trackedInterfaces()).containsExactly(new TrackedInterface("eth1", -10, false),
                new TrackedInterface("eth0", 0, false));
        assertThat(s.garp().masterRepeat()).isEqualTo(1);
        assertThat(s.garp().masterDelayNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(spec.multicastGroup()).isEqualTo(ip("224.0.0.18"));
        assertThat(c.scripts()).containsExactly(new VrrpTrackScript("chk", List.of("/usr/bin/test", "-f", "/run/ok"),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 3, 2, false, Optional.empty()));
    }

    @Test
    void unicastV3AndIpv6AndSyncGroupsMap() throws IOException {
        Diagnostics out = new Diagnostics();
        VrrpNodeConfig c = map("""
                vrrp_script up {
                    script "/bin/true"
                    weight 10
                }
                vrrp_sync_group G {
                    group {
                        VU
                        V6
                    }
                    track_script {
                        up
                    }
                    sync_group_tracking_weight
                }
                vrrp_instance VU {
                    interface eth0
                    virtual_router_id 53
                    version 3
                    advert_int 0.01
                    unicast_src_ip 10.0.0.1
                    unicast_peer {
                        10.0.0.2 min_ttl 250
                    }
                    virtual_ipaddress {
                        10.0.0.110
                    }
                    dont_track_primary
                }
                vrrp_instance V6 {
                    interface eth0
                    virtual_router_id 62
                    virtual_ipaddress {
                        fd00::62/64
                    }
                }
                """, out);
        assertThat(out.all()).filteredOn(Diagnostic::isError).isEmpty();
        VrrpInstanceSettings vu = only(c, "VU").settings();
        assertThat(vu.version()).isEqualTo(3);
        assertThat(vu.advertIntervalCentis()).isEqualTo(1);
        assertThat(vu.unicastPeers()).containsExactly(new UnicastPeer(ip("10.0.0.2"), 250, 255));
        assertThat(vu.trackedInterfaces()).isEmpty();
        assertThat(vu.trackedScripts()).containsExactly(new TrackedScript("up", 10, false));
        VrrpInstanceSpec v6 = only(c, "V6");
        assertThat(v6.settings().version()).isEqualTo(3);
        assertThat(v6.settings().primaryAddress()).isEqualTo(ip("fe80::1"));
        assertThat(v6.multicastGroup()).isEqualTo(ip("ff02::12"));
        assertThat(c.syncGroups()).containsExactly(new VrrpSyncGroupSpec("G", List.of("VU", "V6"), true));
    }

    @Test
    void whatCannotRunIsAnErrorAtItsLine() throws IOException {
        Diagnostics out = new Diagnostics();
        VrrpNodeConfig c = map("""
                vrrp_instance NOIF {
                    interface eth9
                    virtual_router_id 1
                    virtual_ipaddress {
                        10.0.0.50
                    }
                }
                vrrp_instance NOADDR {
                    interface eth1
                    virtual_router_id 2
                    virtual_ipaddress {
                        10.0.0.51
                    }
                }
                vrrp_instance FINE {
                    interface eth0
                    virtual_router_id 3
                    virtual_ipaddress {
                        10.0.0.52
                    }
                }
                """, out);
        assertThat(c.instances()).extracting(VrrpInstanceSpec::name).containsExactly("FINE");
        assertThat(out.all()).filteredOn(Diagnostic::isError).extracting(Diagnostic::format)
                .anySatisfy(l -> assertThat(l).matches("(?s).*keepalived.conf:1:1: error: \\(NOIF\\) interface eth9 does not exist.*"))
                .anySatisfy(l -> assertThat(l).matches("(?s).*keepalived.conf:8:1: error: \\(NOADDR\\) interface eth1 has no IPv4 address.*"));
        assertThat(out.all()).hasSizeGreaterThanOrEqualTo(2);
    }

    /** keepalived.conf(5) virtual_routes: every parsed field reaches `ip route`; no_track is keepalived's own word. */
    @Test
    void virtualRoutesMapToIpRouteArgumentsAndOnlyRulesAreStillWarnedAbout() throws IOException {
        Diagnostics out = new Diagnostics();
        VrrpNodeConfig c = map("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100/24
                    }
                    virtual_routes {
                        src 10.0.0.100 to 192.168.50.0/24 via 10.0.0.254 dev eth0 scope global table 100 metric 20
                        default gw 10.0.0.254 no_track
                        blackhole 198.51.100.0/24
                        unreachable 203.0.113.0/24 table 7
                    }
                    virtual_rules {
                        from 10.0.0.100 table 100
                    }
                }
                """, out);
        List<String> routes = only(c, "VI_1").routes().stream().map(dev.vigil.action.VirtualRoute::toString).toList();
        assertThat(routes).containsExactly(
                "192.168.50.0/24 via 10.0.0.254 src 10.0.0.100 dev eth0 scope global table 100 metric 20",
                "default via 10.0.0.254",
                "blackhole 198.51.100.0/24",
                "unreachable 203.0.113.0/24 table 7");
        assertThat(out.all()).extracting(Diagnostic::message).anyMatch(m -> m.contains("virtual_rules are not applied"))
                .noneMatch(m -> m.contains("virtual_routes"));
    }
}
