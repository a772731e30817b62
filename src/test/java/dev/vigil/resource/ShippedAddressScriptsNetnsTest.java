package dev.vigil.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Netns;
import dev.vigil.testing.Sh;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** resources.d/IPaddr2 and IPaddr against a real kernel, inside a throw-away namespace. */
@Tag("netns")
class ShippedAddressScriptsNetnsTest {
    private static final String SCRIPTS = Path.of("resources.d").toAbsolutePath().toString();

    @Test
    void ipaddr2StartStatusStopWithHeartbeatTextStatus() {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.1.1/24");
            String script = SCRIPTS + "/IPaddr2";
            Sh.Result status = net.execQuiet(a, script, "10.240.1.100/24/vg0", "status");
            assertThat(status.exitCode()).isEqualTo(3);
            assertThat(HeartbeatStatusRule.isRunning(status.output())).isFalse();

            net.exec(a, script, "10.240.1.100/24/vg0", "start");
            assertThat(net.addresses(a, "vg0")).contains("10.240.1.100");
            status = net.execQuiet(a, script, "10.240.1.100/24/vg0", "status");
            assertThat(status.exitCode()).isZero();
            assertThat(HeartbeatStatusRule.isRunning(status.output())).isTrue();

            // starting twice is harmless, stopping twice succeeds (heartbeat reboots on a failed stop)
            net.exec(a, script, "10.240.1.100/24/vg0", "start");
            net.exec(a, script, "10.240.1.100/24/vg0", "stop");
            net.exec(a, script, "10.240.1.100/24/vg0", "stop");
            assertThat(net.addresses(a, "vg0")).doesNotContain("10.240.1.100");
        }
    }

    @Test
    void bareAddressFindsItsInterfaceAndMaskFromTheConnectedRoute() {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.2.1/24");
            net.exec(a, SCRIPTS + "/IPaddr2", "10.240.2.77", "start");
            String shown = net.exec(a, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output();
            assertThat(shown).contains("10.240.2.77/24");
        }
    }

    @Test
    void ipaddrUsesAnAliasLabelLikeHeartbeatsInterfaceAliases() {
        try (Netns net = Netns.create()) {
            String a = net.host("a", "10.240.3.1/24");
            net.exec(a, SCRIPTS + "/IPaddr", "10.240.3.50/24/vg0", "start");
            String shown = net.exec(a, "ip", "-o", "-4", "addr", "show", "dev", "vg0").output();
            assertThat(shown).contains("10.240.3.50/24").contains("vg0:50");
        }
    }
}
