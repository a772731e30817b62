package dev.vigil.heartbeat.wire;

import dev.vigil.config.Secret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests of heartbeat's HBauth plugins (research heartbeat.md §1.3):
 * {@code sha1} and {@code md5} are RFC 2104 HMACs with the authkeys key (lowercase hex,
 * {@code lib/plugins/HBauth/sha1.c:sha1_auth_calc}, glue {@code md5.c});
 * {@code crc} is an unkeyed CRC-32 printed with {@code %lx}.
 */
final class AuthDigest {
    private static final int[] CRC_TABLE = crcTable();

    private AuthDigest() {}

    static String compute(AuthMethod method, Secret key, byte[] data, int off, int len) {
        return switch (method) {
            case CRC -> Long.toHexString(crc(data, off, len));
            case MD5 -> hmac("HmacMD5", key, data, off, len);
            case SHA1 -> hmac("HmacSHA1", key, data, off, len);
        };
    }

    /** Compares without an early exit, so a forger cannot time how many characters matched. */
    static boolean matches(String expected, String received) {
        return MessageDigest.isEqual(Bytes.latin1(expected), Bytes.latin1(received));
    }

    /**
     * CRC-32 as {@code HBauth/crc.c:crc_auth_calc}: polynomial 0x04C11DB7, MSB first, initial 0,
     * final complement, no length appended. heartbeat prints it with {@code %lx}, so the hex has
     * no leading zeros; callers use {@link Long#toHexString} for that reason.
     */
    static long crc(byte[] data, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
        }
        return ~crc & 0xFFFFFFFFL;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int c = n << 24;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static String hmac(String algorithm, Secret key, byte[] data, int off, int len) {
        byte[] k = key == null ? new byte[0] : key.bytes();
        // SecretKeySpec refuses an empty key; RFC 2104 pads keys with zeros to the block size, so
        // a single zero byte is the same key. AuthKeys never holds an empty sha1/md5 key anyway.
        if (k.length == 0) k = new byte[1];
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(k, algorithm));
            mac.update(data, off, len);
            return Bytes.hex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            // Both algorithms are mandatory in every Java SE implementation.
            throw new IllegalStateException(algorithm + " is not available", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }
}
