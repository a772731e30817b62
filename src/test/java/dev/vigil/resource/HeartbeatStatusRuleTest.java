package dev.vigil.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeartbeatStatusRuleTest {

    @Test
    void debianWrapperRunningOkIsRunning() {
        assertThat(HeartbeatStatusRule.isRunning("INFO: Running OK")).isTrue();
    }

    @Test
    void debianWrapperStoppedIsStopped() {
        assertThat(HeartbeatStatusRule.isRunning("INFO: Resource is stopped")).isFalse();
    }

    @Test
    void notSpaceRunningIsStoppedWhateverComesBetween() {
        assertThat(HeartbeatStatusRule.isRunning("apache is not running")).isFalse();
        assertThat(HeartbeatStatusRule.isRunning("NOT currently Running")).isFalse();
    }

    @Test
    void quirkNotWithoutSpaceBeforeRunningCountsAsRunning() {
        // heartbeat's glob needs a space after "not": "notrunning" falls through to *[Rr]unning*
        assertThat(HeartbeatStatusRule.isRunning("service notrunning")).isTrue();
    }

    @Test
    void quirkLowercaseOkIsNotRecognised() {
        assertThat(HeartbeatStatusRule.isRunning("ok")).isFalse();
        assertThat(HeartbeatStatusRule.isRunning("status: OK")).isTrue();
    }

    @Test
    void quirkExitCodeIgnoredSoSilentSuccessIsStopped() {
        assertThat(HeartbeatStatusRule.isRunning("")).isFalse();
    }

    @Test
    void multiLineOutputIsMatchedAsAWhole() {
        assertThat(HeartbeatStatusRule.isRunning("checking...\nhttpd (pid 42) is running...\n")).isTrue();
    }
}
