package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The Java port of serframes.py gives the research's own figures on the captured real streams. */
class SerFramesTest {
    static final String KEY = "s3cr3t-hb-test-key";

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = SerFramesTest.class.getResourceAsStream("/heartbeat-fixtures/serial/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void realNodeaStreamAllVerifies() throws IOException {
        // python3 serframes.py run2-A2B.raw KEY: "frames verified 876 bad 0 ; bytes 185625 ; ... : 0"
        SerFrames.Report r = SerFrames.check(fixture("run2-A2B.raw"), KEY);
        assertThat(r.verified()).isEqualTo(876);
        assertThat(r.bad()).isZero();
        assertThat(r.bytes()).isEqualTo(185625);
        assertThat(r.nonPrintable()).isZero();
        assertThat(r.junkPieces() + r.partialPieces()).isZero();
    }

    @Test
    void realNodebStreamHasExactlyTheTornFrameBad() throws IOException {
        // python3 serframes.py run2-B2A.raw KEY: "frames verified 957 bad 1", the torn frame at offset 94955, 390 bytes
        SerFrames.Report r = SerFrames.check(fixture("run2-B2A.raw"), KEY);
        assertThat(r.verified()).isEqualTo(957);
        assertThat(r.bad()).isEqualTo(1);
        assertThat(r.badFrames().get(0).offset()).isEqualTo(94955);
        assertThat(r.badFrames().get(0).bytes()).hasSize(390);
    }

    @Test
    void wrongKeyFailsEveryFrame() throws IOException {
        SerFrames.Report r = SerFrames.check(fixture("02-status-up.bin"), "another-key");
        assertThat(r.verified()).isZero();
        assertThat(r.bad()).isEqualTo(1);
        assertThat(SerFrames.check(fixture("02-status-up.bin"), KEY).verified()).isEqualTo(1);
    }
}
