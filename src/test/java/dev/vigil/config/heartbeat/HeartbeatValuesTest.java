package dev.vigil.config.heartbeat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatValuesTest {

    @Test
    void timesFollowClGetMsec() {
        assertThat(HeartbeatValues.parseMillis("1")).isEqualTo(OptionalLong.of(1000));
        assertThat(HeartbeatValues.parseMillis("0.001")).isEqualTo(OptionalLong.of(1));
        assertThat(HeartbeatValues.parseMillis("1000us")).isEqualTo(OptionalLong.of(1));
        assertThat(HeartbeatValues.parseMillis("499us")).isEqualTo(OptionalLong.of(0));
        assertThat(HeartbeatValues.parseMillis("501us")).isEqualTo(OptionalLong.of(1));
        assertThat(HeartbeatValues.parseMillis("100USEC")).isEqualTo(OptionalLong.of(0));
        assertThat(HeartbeatValues.parseMillis("5s")).isEmpty();
        assertThat(HeartbeatValues.parseMillis("ms")).isEmpty();
        assertThat(HeartbeatValues.parseMillis("-1")).isEmpty();
        assertThat(HeartbeatValues.parseMillis("1.2.3")).isEmpty();
        assertThat(HeartbeatValues.parseMillis(".")).isEmpty();
        assertThat(HeartbeatValues.parseMillis("99999999999")).isEmpty();
        assertThat(HeartbeatValues.parseMillis("٣")).isEmpty();
        assertThat(HeartbeatValues.parseDuration("1.5")).contains(Duration.ofMillis(1500));
    }

    @Test
    void durationsAreWrittenBackInHeartbeatsTerms() {
        assertThat(HeartbeatValues.format(Duration.ofSeconds(30))).isEqualTo("30");
        assertThat(HeartbeatValues.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void booleansFollowClStrToBoolean() {
        for (String t : new String[]{"true", "On", "YES", "y", "1"}) assertThat(HeartbeatValues.parseBoolean(t)).contains(true);
        for (String f : new String[]{"false", "OFF", "no", "N", "0"}) assertThat(HeartbeatValues.parseBoolean(f)).contains(false);
        assertThat(HeartbeatValues.parseBoolean("enabled")).isEqualTo(Optional.empty());
    }

    @Test
    void addresses() {
        assertThat(HeartbeatValues.isIpv4("10.231.0.1")).isTrue();
        assertThat(HeartbeatValues.isIpv4("10.231.0")).isFalse();
        assertThat(HeartbeatValues.isIpv4("010.1.1.1")).isFalse();
        assertThat(HeartbeatValues.isIpv4("256.1.1.1")).isFalse();
        assertThat(HeartbeatValues.isIpv4Multicast("239.192.0.42")).isTrue();
        assertThat(HeartbeatValues.isIpv4Multicast("240.0.0.1")).isFalse();
        assertThat(HeartbeatValues.isIpv6("fe80::1%eth0")).isTrue();
        assertThat(HeartbeatValues.isIpv6("2001:db8:0:0:0:0:0:1")).isTrue();
        assertThat(HeartbeatValues.isIpv6("::ffff:10.0.0.1")).isTrue();
        assertThat(HeartbeatValues.isIpv6("1::2::3")).isFalse();
        assertThat(HeartbeatValues.isIpv6("1:2:3:4:5:6:7")).isFalse();
        assertThat(HeartbeatValues.isIpv6("10.0.0.1")).isFalse();
        assertThat(HeartbeatValues.isIpv6Multicast("ff12::1:2:3:4")).isTrue();
    }

    @Test
    void namesAndPlaceholders() {
        assertThat(HeartbeatValues.isHostName("mts-dev-amqp-node-1.intervale.ru")).isTrue();
        assertThat(HeartbeatValues.isHostName("primary_node_hostname")).isTrue();
        assertThat(HeartbeatValues.isHostName("a b")).isFalse();
        assertThat(HeartbeatValues.isInterfaceName("enp0s3:0")).isTrue();
        assertThat(HeartbeatValues.isInterfaceName("sixteen-chars-ab")).isFalse();
        for (String p : new String[]{"${NODE1}", "{{ peer }}", "<node>", "@HOST@", "$PEER"}) {
            assertThat(HeartbeatValues.looksLikePlaceholder(p)).as(p).isTrue();
        }
        assertThat(HeartbeatValues.looksLikePlaceholder("node-1")).isFalse();
    }
}
