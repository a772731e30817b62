package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ParseResult;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealKeepalived;
import dev.vigil.testing.RealKeepalivedCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One keepalived.conf for a mixed cluster: real keepalived 2.2.7 must read Vigil's resource-group
 * keywords as harmless unknown keywords and keep the rest of the instance, and must not when they are
 * written as a block (which is why Vigil refuses the block form).
 */
@Tag("netns")
@Tag("interop")
class VigilResourcesKeepalivedCompatTest {

    private static final String ONE_LINE = """
            vrrp_instance VI_1 {
                state BACKUP
                interface vg0
                virtual_router_id 51
                virtual_ipaddress {
                    10.240.9.100/24
                }
                vigil_resources Filesystem::/dev/drbd0::/data::ext4 apache2
                vigil_resources mysql
                vigil_resource_defaults stop_timeout=60
                vigil_resource apache2 monitor_interval=10 max_restarts=3 restart_window=300
                priority 77
                nopreempt
            }
            vrrp_instance VI_2 {
                interface vg0
                virtual_router_id 52
                virtual_ipaddress {
                    10.240.9.101/24
                }
            }
            vrrp_sync_group G1 {
                group {
                    VI_2
                }
                vigil_resources drbddisk::r1
                vigil_resource drbddisk monitor_interval=10
            }
            """;

    @Test
    void keepalivedWarnsAboutTheOneLineKeywordsAndKeepsTheRestOfTheInstance(@TempDir Path dir) throws Exception {
        RealKeepalived.assumeAvailable();
        Path file = Files.writeString(dir.resolve("keepalived.conf"), ONE_LINE);
        ParseResult<KeepalivedConfig> vigil = new KeepalivedParser().withHostId("k").parse(file);
        assertThat(vigil.diagnostics().hasErrors()).as(vigil.diagnostics().all().toString()).isFalse();
        try (Netns net = Netns.create()) {
            String ns = net.host("k", "10.240.9.1/24");
            RealKeepalivedCheck.Result t = RealKeepalivedCheck.configTest(net, ns, file);
            // rc 5 is keepalived -t's answer to any message, "Unknown keyword" included
            assertThat(t.exitCode()).as(t.lines().toString()).isEqualTo(5);
            assertThat(t.lines()).filteredOn(l -> l.contains("Unknown keyword")).hasSize(6)
                    .allMatch(l -> l.contains("Unknown keyword 'vigil_"));
            assertThat(t.unexpected("Unknown keyword 'vigil_", "Sync group G1 has only 1 virtual router")).isEmpty();
            String log = RealKeepalivedCheck.dump(net, ns, file, dir, 3);
            String vi1 = log.substring(log.indexOf("VRRP Instance = VI_1"), log.indexOf("VRRP Instance = VI_2"));
            assertThat(vi1).as(log).contains("Preempt = disabled").containsPattern("Priority = 77\\b");
            assertThat(log).contains("VRRP Sync Group = G1");
        }
    }

    @Test
    void keepalivedClosesTheInstanceAtTheBraceOfAnUnknownBlock(@TempDir Path dir) throws Exception {
        RealKeepalived.assumeAvailable();
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface vg0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.240.9.100/24
                    }
                    vigil_resources {
                        apache2
                    }
                    nopreempt
                }
                """);
        try (Netns net = Netns.create()) {
            String ns = net.host("k", "10.240.9.1/24");
            RealKeepalivedCheck.Result t = RealKeepalivedCheck.configTest(net, ns, file);
            assertThat(t.lines()).anyMatch(l -> l.contains("Line 7) Unexpected '{' - ignoring"))
                    .anyMatch(l -> l.contains("Line 8) Unknown keyword 'apache2'"))
                    // the block's '}' ended vrrp_instance VI_1: nopreempt is now a top-level unknown keyword
                    .anyMatch(l -> l.contains("Line 10) Unknown keyword 'nopreempt'"));
        }
        ParseResult<KeepalivedConfig> vigil = new KeepalivedParser().withHostId("k").parse(file);
        assertThat(vigil.diagnostics().all()).anyMatch(d -> d.isError() && d.message().contains("not as a block"));
    }
}
