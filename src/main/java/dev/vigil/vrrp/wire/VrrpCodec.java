package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.WireBytes.u8;

import dev.vigil.config.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Encodes and decodes the VRRP message (the IP payload), byte-exact with keepalived 2.2.7.
 * Pure: no I/O, no clock, no logging. Decoding never throws on any input bytes; it returns a
 * {@link VrrpDecodeResult}. Encoding throws {@link IllegalArgumentException} only for
 * combinations a caller should never ask for (e.g. an IPv6 pseudo-header for VRRPv2).
 *
 * <p>Wire layout (RFC 3768 §5.1, RFC 5798 §5.1): byte 0 version/type, 1 VRID, 2 priority,
 * 3 count; bytes 4–5 are v2 Auth Type + Adver Int (seconds) or v3 4 reserved bits + 12-bit Max
 * Adver Int (centiseconds); 6–7 checksum; then the addresses; v2 then has 8 bytes of auth data.
 *
 * <p>The checksum needs the IP source and destination because VRRPv3 covers a pseudo-header
 * (see {@link VrrpChecksumVariant}); VRRPv2 ignores them.
 */
public final class VrrpCodec {
    public static final int IP_PROTOCOL_VRRP = 112;
    /** RFC 3768 §5.2.3 / RFC 5798 §5.1.1.3: sent with TTL / hop limit 255, checked on receive. */
    public static final int REQUIRED_TTL = 255;
    /** Pass as the received TTL when the transport cannot see it; keepalived then skips the check too. */
    public static final int TTL_UNKNOWN = -1;
    public static final int HEADER_LENGTH = 8;
    /** 224.0.0.18, the IPv4 VRRP group (RFC 5798 §5.1.1.2); also the legacy unicast pseudo-header address. */
    public static final Inet4Address IPV4_GROUP = WireBytes.ipv4Literal(224, 0, 0, 18);
    /** ff02::12, the IPv6 VRRP group (RFC 5798 §5.1.2.2). */
    public static final Inet6Address IPV6_GROUP = WireBytes.ipv6Literal(0xff02, 0, 0, 0, 0, 0, 0, 0x12);

    private VrrpCodec() {
    }

    /** What keepalived 2.2.7 sends: {@code MESSAGE_ONLY} for v2, {@code PSEUDO_HEADER} for v3. */
    public static VrrpChecksumVariant defaultChecksumVariant(int version) {
        return version == 2 ? VrrpChecksumVariant.MESSAGE_ONLY : VrrpChecksumVariant.PSEUDO_HEADER;
    }

    /** Encodes with keepalived 2.2.7's checksum; {@code packet.checksum()} is ignored. */
    public static byte[] encode(VrrpPacket packet, InetAddress source, InetAddress destination) {
        return encode(packet, source, destination, defaultChecksumVariant(packet.version()));
    }

    public static byte[] encode(VrrpPacket packet, InetAddress source, InetAddress destination,
                                VrrpChecksumVariant variant) {
        byte[] out = new byte[packet.encodedLength()];
        encodeInto(out, 0, packet, source, destination, variant);
        return out;
    }

    /** The checksum the encoder would put in the packet. */
    public static int checksum(VrrpPacket packet, InetAddress source, InetAddress destination,
                               VrrpChecksumVariant variant) {
        byte[] out = encode(packet, source, destination, variant);
        return WireBytes.u16(out, 6);
    }

    static void encodeInto(byte[] out, int off, VrrpPacket p, InetAddress source, InetAddress destination,
                           VrrpChecksumVariant variant) {
        requireAddressing(source, destination);
        boolean ipv6 = p.isIpv6();
        if ((source instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("the packet's addresses and the IP addresses must be one family");
        }
        checkVariantFits(p.version(), ipv6, variant);

        out[off] = (byte) ((p.version() << 4) | p.type());
        out[off + 1] = (byte) p.vrid();
        out[off + 2] = (byte) p.priority();
        out[off + 3] = (byte) p.count();
        if (p.version() == 2) {
            out[off + 4] = (byte) p.authType().code();
            out[off + 5] = (byte) p.advertInterval();
        } else {
            // Top 4 bits are Rsvd and sent as 0 (RFC 5798 §5.2.6).
            WireBytes.put16(out, off + 4, p.advertInterval());
        }
        out[off + 6] = 0;
        out[off + 7] = 0;
        int pos = off + HEADER_LENGTH;
        for (InetAddress a : p.addresses()) {
            WireBytes.putAddress(out, pos, a);
            pos += ipv6 ? 16 : 4;
        }
        if (p.version() == 2) {
            byte[] auth = p.authData().bytes();
            System.arraycopy(auth, 0, out, pos, VrrpPacket.AUTH_DATA_LENGTH);
            Arrays.fill(auth, (byte) 0);
            pos += VrrpPacket.AUTH_DATA_LENGTH;
        }
        int length = pos - off;
        long sum = pseudoHeaderSum(variant, source, destination, length);
        int csum = InternetChecksum.finish(InternetChecksum.add(sum, out, off, length));
        WireBytes.put16(out, off + 6, csum);
    }

    private static void checkVariantFits(int version, boolean ipv6, VrrpChecksumVariant variant) {
        Objects.requireNonNull(variant, "variant");
        if (version == 2 && variant != VrrpChecksumVariant.MESSAGE_ONLY) {
            throw new IllegalArgumentException("VRRPv2 checksums cover the message only (RFC 3768 §5.3.8)");
        }
        if (version == 3 && ipv6 && variant != VrrpChecksumVariant.PSEUDO_HEADER) {
            throw new IllegalArgumentException("VRRPv3 over IPv6 always uses the RFC 2460 pseudo-header");
        }
    }

    /** The ones-complement sum of the pseudo-header a variant puts in front of the message. */
    private static long pseudoHeaderSum(VrrpChecksumVariant variant, InetAddress source, InetAddress destination,
                                        int vrrpLength) {
        if (variant == VrrpChecksumVariant.MESSAGE_ONLY) {
            return 0;
        }
        InetAddress pseudoDestination =
                variant == VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST ? IPV4_GROUP : destination;
        byte[] s = source.getAddress();
        byte[] d = pseudoDestination.getAddress();
        long sum = InternetChecksum.add(0, s, 0, s.length);
        sum = InternetChecksum.add(sum, d, 0, d.length);
        if (source instanceof Inet6Address) {
            // RFC 2460 §8.1: 32-bit upper-layer length, 24 zero bits, next header.
            sum = InternetChecksum.addWord(sum, vrrpLength >>> 16);
            sum = InternetChecksum.addWord(sum, vrrpLength);
        } else {
            sum = InternetChecksum.addWord(sum, vrrpLength);
        }
        return InternetChecksum.addWord(sum, IP_PROTOCOL_VRRP);
    }

    public static VrrpDecodeResult decode(byte[] message, InetAddress source, InetAddress destination) {
        return decode(message, 0, message.length, source, destination, TTL_UNKNOWN, VrrpReceivePolicy.DEFAULT);
    }

    public static VrrpDecodeResult decode(byte[] message, InetAddress source, InetAddress destination,
                                          VrrpReceivePolicy policy) {
        return decode(message, 0, message.length, source, destination, TTL_UNKNOWN, policy);
    }

    /**
     * Decodes {@code length} bytes at {@code offset} that arrived from {@code source} to
     * {@code destination} with TTL / hop limit {@code receivedTtl} ({@link #TTL_UNKNOWN} if the
     * transport cannot tell).
     *
     * <p>Checks run in keepalived 2.2.7's order ({@code vrrp_check_packet}, keepalived.md §1.4),
     * so a packet with several faults is rejected for the same reason keepalived would count:
     * length, TTL, version, v2 auth type / auth data, type, address count, checksum,
     * multicast-vs-unicast, VIP list. Structural checks keepalived leaves to the kernel or its
     * dispatcher (too short, unknown version nibble, VRID 0, count 0) come first.
     */
    public static VrrpDecodeResult decode(byte[] buf, int offset, int length, InetAddress source,
                                          InetAddress destination, int receivedTtl, VrrpReceivePolicy policy) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        requireAddressing(source, destination);
        Objects.requireNonNull(policy, "policy");
        boolean ipv6 = source instanceof Inet6Address;

        if (length == 0) {
            return invalid(VrrpRejectReason.EMPTY, "empty VRRP packet");
        }
        if (length < HEADER_LENGTH) {
            return invalid(VrrpRejectReason.TOO_SHORT,
                    "vrrp packet too short, length " + length + " and the header alone is " + HEADER_LENGTH);
        }
        int version = u8(buf, offset) >>> 4;
        int type = u8(buf, offset) & 0x0f;
        if (version != 2 && version != 3) {
            return invalid(VrrpRejectReason.UNSUPPORTED_VERSION, "unsupported version " + version);
        }
        if (version == 2 && ipv6) {
            return invalid(VrrpRejectReason.UNSUPPORTED_VERSION, "VRRPv2 received over IPv6; VRRPv2 is IPv4 only");
        }
        int vrid = u8(buf, offset + 1);
        if (vrid == 0) {
            return invalid(VrrpRejectReason.INVALID_VRID, "VRID 0 is outside 1..255");
        }
        int count = u8(buf, offset + 3);
        int addressSize = ipv6 ? 16 : 4;
        int expectedLength = HEADER_LENGTH + count * addressSize + (version == 2 ? VrrpPacket.AUTH_DATA_LENGTH : 0);
        if (length != expectedLength) {
            return invalid(VrrpRejectReason.LENGTH_MISMATCH, "vrrp packet too " + (length > expectedLength ? "long" : "short")
                    + ", length " + length + " and expect " + expectedLength + " for " + count + " address(es)");
        }
        boolean multicastInstance = policy.transport()
                .map(t -> t == VrrpTransport.MULTICAST)
                .orElse(destination.isMulticastAddress());
        if (multicastInstance && receivedTtl != TTL_UNKNOWN && receivedTtl != REQUIRED_TTL) {
            return invalid(VrrpRejectReason.WRONG_TTL,
                    "invalid TTL/HL. Received " + receivedTtl + " and expect " + REQUIRED_TTL);
        }
        if (policy.version().isPresent() && policy.version().getAsInt() != version) {
            return invalid(VrrpRejectReason.VERSION_MISMATCH,
                    "wrong version. Received " + version + " and expect " + policy.version().getAsInt());
        }

        VrrpAuthType authType = VrrpAuthType.NONE;
        int authOffset = offset + HEADER_LENGTH + count * addressSize;
        if (version == 2) {
            int authCode = u8(buf, offset + 4);
            Optional<VrrpAuthType> known = VrrpAuthType.fromCode(authCode);
            if (known.isEmpty()) {
                return invalid(VrrpRejectReason.INVALID_AUTH_TYPE, "Invalid auth type: " + authCode);
            }
            authType = known.get();
            if (authType == VrrpAuthType.AH) {
                return invalid(VrrpRejectReason.AH_AUTHENTICATION_UNSUPPORTED,
                        "auth type AH (2) received; IPsec AH is not supported");
            }
            if (policy.authentication().isPresent()) {
                VrrpReceivePolicy.Authentication expected = policy.authentication().get();
                if (expected.type() != authType) {
                    return invalid(VrrpRejectReason.AUTH_TYPE_MISMATCH, "received a " + authType.code()
                            + " auth, expecting " + expected.type().code() + "!");
                }
                if (authType == VrrpAuthType.PASS && !authDataEquals(expected.authData(), buf, authOffset)) {
                    return invalid(VrrpRejectReason.AUTH_FAILURE, "received an invalid passwd!");
                }
            }
        }
        if (type != VrrpPacket.TYPE_ADVERTISEMENT) {
            return invalid(VrrpRejectReason.INVALID_TYPE,
                    "Invalid packet type. " + type + " and expect " + VrrpPacket.TYPE_ADVERTISEMENT);
        }
        if (count == 0) {
            return invalid(VrrpRejectReason.NO_ADDRESSES, "advert carries no addresses; the minimum is 1");
        }
        if (policy.addresses().isPresent() && policy.addresses().get().size() != count) {
            return invalid(VrrpRejectReason.ADDRESS_COUNT_MISMATCH, "received an unexpected ip number count "
                    + count + ", expected " + policy.addresses().get().size() + "!");
        }

        Optional<VrrpChecksumVariant> variant =
                matchingChecksumVariant(buf, offset, length, version, source, destination, policy);
        if (variant.isEmpty()) {
            return invalid(VrrpRejectReason.BAD_CHECKSUM, "Invalid VRRPv" + version + " checksum 0x"
                    + String.format("%04x", WireBytes.u16(buf, offset + 6)));
        }

        if (policy.transport().isPresent()) {
            boolean multicastPacket = destination.isMulticastAddress();
            if (policy.transport().get() == VrrpTransport.MULTICAST && !multicastPacket) {
                return invalid(VrrpRejectReason.UNEXPECTED_UNICAST, "Expected multicast packet but received unicast packet");
            }
            if (policy.transport().get() == VrrpTransport.UNICAST && multicastPacket) {
                return invalid(VrrpRejectReason.UNEXPECTED_MULTICAST, "Expected unicast packet but received multicast packet");
            }
        }

        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = offset + HEADER_LENGTH + i * addressSize;
            addresses.add(ipv6 ? WireBytes.ipv6(buf, at) : WireBytes.ipv4(buf, at));
        }
        if (policy.addresses().isPresent()) {
            for (InetAddress vip : policy.addresses().get()) {
                if (!addresses.contains(vip)) {
                    return invalid(VrrpRejectReason.ADDRESS_LIST_MISMATCH, "ip address associated with VRID " + vrid
                            + " not present in MASTER advert : " + vip.getHostAddress());
                }
            }
        }

        int interval;
        Secret authData;
        if (version == 2) {
            interval = u8(buf, offset + 5);
            authData = new Secret(Arrays.copyOfRange(buf, authOffset, authOffset + VrrpPacket.AUTH_DATA_LENGTH));
        } else {
            // The top 4 bits are reserved and ignored on receive (RFC 5798 §5.2.6).
            interval = WireBytes.u16(buf, offset + 4) & VrrpPacket.V3_MAX_ADVERT_INTERVAL;
            authData = new Secret(new byte[0]);
        }
        VrrpPacket packet = new VrrpPacket(version, type, vrid, u8(buf, offset + 2), count, authType, authData,
                interval, WireBytes.u16(buf, offset + 6), addresses);
        return new VrrpDecodeResult.Ok(packet, variant.get());
    }

    private static Optional<VrrpChecksumVariant> matchingChecksumVariant(byte[] buf, int offset, int length,
            int version, InetAddress source, InetAddress destination, VrrpReceivePolicy policy) {
        if (version == 2) {
            return verifies(buf, offset, length, VrrpChecksumVariant.MESSAGE_ONLY, source, destination);
        }
        if (source instanceof Inet6Address) {
            return verifies(buf, offset, length, VrrpChecksumVariant.PSEUDO_HEADER, source, destination);
        }
        Set<VrrpChecksumVariant> accepted = policy.acceptedV3Ipv4Checksums();
        if (accepted.contains(VrrpChecksumVariant.PSEUDO_HEADER)) {
            Optional<VrrpChecksumVariant> v =
                    verifies(buf, offset, length, VrrpChecksumVariant.PSEUDO_HEADER, source, destination);
            if (v.isPresent()) {
                return v;
            }
        }
        // keepalived tries the 224.0.0.18 form only for unicast; for the group it is the same sum.
        if (accepted.contains(VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST) && !destination.isMulticastAddress()) {
            Optional<VrrpChecksumVariant> v = verifies(buf, offset, length,
                    VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST, source, destination);
            if (v.isPresent()) {
                return v;
            }
        }
        if (accepted.contains(VrrpChecksumVariant.MESSAGE_ONLY)) {
            return verifies(buf, offset, length, VrrpChecksumVariant.MESSAGE_ONLY, source, destination);
        }
        return Optional.empty();
    }

    private static Optional<VrrpChecksumVariant> verifies(byte[] buf, int offset, int length,
            VrrpChecksumVariant variant, InetAddress source, InetAddress destination) {
        long sum = pseudoHeaderSum(variant, source, destination, length);
        boolean ok = InternetChecksum.finish(InternetChecksum.add(sum, buf, offset, length)) == 0;
        return ok ? Optional.of(variant) : Optional.empty();
    }

    private static boolean authDataEquals(Secret expected, byte[] buf, int authOffset) {
        byte[] want = expected.bytes();
        byte[] got = Arrays.copyOfRange(buf, authOffset, authOffset + VrrpPacket.AUTH_DATA_LENGTH);
        // Constant time, as keepalived's memcmp_constant_time: no timing oracle on the password.
        boolean equal = MessageDigest.isEqual(want, got);
        Arrays.fill(want, (byte) 0);
        Arrays.fill(got, (byte) 0);
        return equal;
    }

    private static void requireAddressing(InetAddress source, InetAddress destination) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if ((source instanceof Inet6Address) != (destination instanceof Inet6Address)) {
            throw new IllegalArgumentException("source and destination must be one address family");
        }
    }

    private static VrrpDecodeResult invalid(VrrpRejectReason reason, String detail) {
        return new VrrpDecodeResult.Invalid(reason, detail);
    }
}
