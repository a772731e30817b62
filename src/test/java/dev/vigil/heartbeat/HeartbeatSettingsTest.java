package dev.vigil.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.heartbeat.rm.AutoFailback;
import dev.vigil.heartbeat.rm.ResourceGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From an /etc/ha.d directory to what a node runs with. */
class HeartbeatSettingsTest {

    static HeartbeatConfig load(Path dir, String haCf, String haresources) throws IOException {
        Files.writeString(dir.resolve("ha.cf"), haCf);
        Files.writeString(dir.resolve("haresources"), haresources);
        Path keys = dir.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha1 k\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        ParseResult<HeartbeatConfig> r = HeartbeatDirectory.load(dir, Optional.of("NodeB"));
        assertThat(r.ok()).as(r.diagnostics().all().toString()).isTrue();
        return r.model();
    }

    @Test
    void timingsNodesAndGroupsComeFromTheFiles(@TempDir Path dir) throws IOException {
        HeartbeatConfig c = load(dir, "keepalive 200ms\ndeadtime 1\ninitdead 2\nbcast eth0\nauto_failback off\nnode NodeA\nnode NodeB\n",
                "NodeA 10.0.0.5 apache\nnodeb IPaddr2::10.0.0.6/24/eth0\n");
        HeartbeatSettings s = HeartbeatSettings.fromConfig(c, "NodeB");
        assertThat(s.localNode()).isEqualTo("nodeb");
        assertThat(s.nodes()).containsExactly("nodea", "nodeb");
        assertThat(s.keepalive()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.deadtime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.warntime()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.initdead()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.autoFailback()).isEqualTo(AutoFailback.OFF);
        // a bare address is IPaddr, as ResourceManager lists it
        assertThat(s.groups()).containsExactly(ResourceGroup.of("nodea", "IPaddr::10.0.0.5", "apache"),
                ResourceGroup.of("nodeb", "IPaddr2::10.0.0.6/24/eth0"));
        assertThat(s.resourceSettings().orElseThrow().peerNode()).isEqualTo("nodea");
        assertThat(s.resourceSettings().orElseThrow().requestDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.membershipSettings(java.util.List.of("eth0"), 5, java.util.UUID.randomUUID()).hopfudge()).isEqualTo(1);
    }

    @Test
    void haresourcesNeedsExactlyTwoNodes(@TempDir Path dir) throws IOException {
        HeartbeatConfig c = load(dir, "bcast eth0\nnode nodea\nnode nodeb\nnode nodec\n", "nodea 10.0.0.5\n");
        assertThatThrownBy(() -> HeartbeatSettings.fromConfig(c, "nodeb")).hasMessageContaining("exactly two nodes");
        HeartbeatConfig noGroups = load(dir, "bcast eth0\nnode nodea\nnode nodeb\nnode nodec\n", "");
        assertThat(HeartbeatSettings.fromConfig(noGroups, "nodeb").resourceSettings()).isEmpty();
    }

    @Test
    void aNodeNotInHaCfIsRefusedLikeHeartbeat() {
        assertThatThrownBy(() -> new HeartbeatSettings("nodex", java.util.List.of("nodea", "nodeb"), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), 1, Duration.ofMillis(250), java.util.List.of(),
                AutoFailback.ON, HeartbeatSettings.ResourceTimings.HEARTBEAT)).hasMessageContaining("Current node [nodex] not in configuration!");
    }
}
