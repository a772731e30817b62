package dev.vigil.heartbeat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vigil.config.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String digest(AuthMethod m, String key, String data) {
        byte[] d = ascii(data);
        return AuthDigest.compute(m, key == null ? null : new Secret(key), d, 0, d.length);
    }

    @Test
    void sha1IsHmacSha1PerRfc2202() {
        assertThat(digest(AuthMethod.SHA1, "Jefe", "what do ya want for nothing?")).isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    @Test
    void md5IsHmacMd5PerRfc2202() {
        assertThat(digest(AuthMethod.MD5, "Jefe", "what do ya want for nothing?")).isEqualTo("750c783e6ab0b503eaa86e310a5db738");
    }

    @Test
    void longKeysAreHashedFirstAsSha1AuthCalcDoes() {
        // RFC 2202 test case 6: an 80-byte key of 0xaa
        byte[] key = new byte[80];
        java.util.Arrays.fill(key, (byte) 0xaa);
        byte[] data = ascii("Test Using Larger Than Block-Size Key - Hash Key First");

        assertThat(AuthDigest.compute(AuthMethod.SHA1, new Secret(key), data, 0, data.length)).isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
    }

    @Test
    void crcIsCrc32PosixWithoutLengthOrPadding() {
        // CRC-32/POSIX (poly 04C11DB7, init 0, no reflection, xorout FFFFFFFF) check value
        assertThat(digest(AuthMethod.CRC, null, "123456789")).isEqualTo("765e7680");
    }

    @Test
    void crcDigestHasNoLeadingZerosAsPercentLxPrintsIt() {
        for (int i = 0; ; i++) {
            String data = "msg" + i;
            long reference = bitwiseCrc(ascii(data));
            if (reference >= 0x10000000L) continue;
            String d = digest(AuthMethod.CRC, null, data);
            assertThat(d).hasSizeLessThan(8).isEqualTo(Long.toHexString(reference));
            return;
        }
    }

    @Test
    void crcIgnoresTheKey() {
        assertThat(digest(AuthMethod.CRC, "anything", "abc")).isEqualTo(digest(AuthMethod.CRC, null, "abc"));
    }

    /** A bit-at-a-time CRC, independent of the table-driven one under test. */
    private static long bitwiseCrc(byte[] data) {
        long crc = 0;
        for (byte b : data) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean top = ((crc >>> 31) & 1) != (((b >> bit) & 1));
                crc = (crc << 1) & 0xFFFFFFFFL;
                if (top) crc ^= 0x04C11DB7L;
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }

    @Test
    void keySetRefusesWhatAuthkeysRefuses() {
        AuthKey one = new AuthKey(1, AuthMethod.SHA1, new Secret("k"));
        assertThatIllegalArgumentException().isThrownBy(() -> AuthKeys.of(2, one)).withMessageContaining("active");
        assertThatIllegalArgumentException().isThrownBy(() -> AuthKeys.of(1, one, new AuthKey(1, AuthMethod.MD5, new Secret("x"))));
        assertThatIllegalArgumentException().isThrownBy(() -> AuthKeys.single(new AuthKey(16, AuthMethod.CRC, null)));
        assertThatIllegalArgumentException().isThrownBy(() -> AuthKeys.single(new AuthKey(1, AuthMethod.SHA1, null)));
        assertThatIllegalArgumentException().isThrownBy(() -> AuthKeys.single(new AuthKey(1, AuthMethod.MD5, new Secret(""))));
        assertThat(AuthKeys.single(new AuthKey(3, AuthMethod.CRC, null)).active().index()).isEqualTo(3);
    }

    @Test
    void keySetShowsIndexesAndMethodsButNoKey() {
        AuthKeys keys = AuthKeys.of(1, new AuthKey(1, AuthMethod.SHA1, new Secret("hunter2")), new AuthKey(3, AuthMethod.CRC, null));

        assertThat(keys.toString()).contains("auth 1").contains("sha1").contains("crc").doesNotContain("hunter2");
        assertThat(keys.byIndex(3)).isPresent();
        assertThat(keys.byIndex(2)).isEmpty();
        assertThat(keys.byIndex(99)).isEmpty();
    }

    @Test
    void rejectionCountersHaveStableNames() {
        assertThat(RejectReason.BAD_SIGNATURE.counterName()).isEqualTo("bad_signature");
        assertThat(RejectReason.UNKNOWN_KEY_INDEX.counterName()).isEqualTo("unknown_key_index");
    }
}
