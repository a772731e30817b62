package dev.vigil.vrrp.wire;

/**
 * The RFC 1071 Internet checksum: the ones-complement of the ones-complement sum of 16-bit
 * big-endian words. VRRP (both versions), the IPv4 header and ICMPv6 all use it; they differ only
 * in which bytes (and which pseudo-header) go into the sum.
 *
 * <p>Sums can be built in parts ({@link #add}) so that a pseudo-header and the message need not
 * be copied into one buffer. Every part except the last must have an even length: RFC 1071 pads
 * only the very end of the data with a zero byte.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds {@code length} bytes to a running sum (start with 0). */
    public static long add(long sum, byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Adds one 16-bit word, e.g. a pseudo-header length or protocol field. */
    public static long addWord(long sum, int word) {
        return sum + (word & 0xffff);
    }

    /** Folds the carries back in and complements: the value to put in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of one contiguous range. Over data that already holds its checksum, 0 means valid. */
    public static int compute(byte[] data, int offset, int length) {
        return finish(add(0, data, offset, length));
    }
}
