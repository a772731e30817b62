package dev.vigil.vrrp.wire;

import dev.vigil.config.Secret;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One VRRP message as it travels in the IP payload, for either version.
 *
 * <p>Field meaning by version:
 * <ul>
 *   <li>{@code advertInterval}: VRRPv2 Adver Int in <b>seconds</b> (one byte, RFC 3768 §5.3.7);
 *       VRRPv3 Max Adver Int in <b>centiseconds</b> (12 bits, RFC 5798 §5.2.7). The 4 reserved
 *       bits in front of it are sent as 0 and ignored on receive (RFC 5798 §5.2.6), so they are
 *       not kept here.</li>
 *   <li>{@code authType}/{@code authData}: VRRPv2 only. The 8 Authentication Data bytes are
 *       always on the wire in v2, zeros for {@link VrrpAuthType#NONE}, the NUL-padded password for
 *       {@link VrrpAuthType#PASS}. They are held as a {@link Secret} so that no {@code toString}
 *       prints them. VRRPv3 packets have {@code NONE} and an empty secret.</li>
 *   <li>{@code checksum}: the value as carried on the wire (what {@link VrrpCodec#decode}
 *       found). The encoder ignores it and always computes the right one.</li>
 *   <li>{@code count} must equal {@code addresses.size()}; it is kept because it is a wire field
 *       and a mismatch on receive is a distinct rejection.</li>
 * </ul>
 */
public record VrrpPacket(int version, int type, int vrid, int priority, int count,
                         VrrpAuthType authType, Secret authData, int advertInterval, int checksum,
                         List<InetAddress> addresses) {
    /** Type 1 is the only type defined by either RFC (RFC 5798 §5.2.2). */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** Priority of the address owner (RFC 5798 §5.2.4). */
    public static final int PRIORITY_OWNER = 255;
    /** Priority 0: the current master is stopping; backups take over after Skew_Time. */
    public static final int PRIORITY_SHUTDOWN = 0;
    public static final int AUTH_DATA_LENGTH = 8;
    public static final int V3_MAX_ADVERT_INTERVAL = 0x0fff;

    private static final Secret NO_AUTH_DATA = new Secret(new byte[0]);
    private static final Secret ZERO_AUTH_DATA = new Secret(new byte[AUTH_DATA_LENGTH]);

    public VrrpPacket {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version must be 2 or 3, not " + version);
        }
        if (type < 0 || type > 15) {
            throw new IllegalArgumentException("type is a 4-bit field, not " + type);
        }
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("VRID must be 1..255, not " + vrid);
        }
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority must be 0..255, not " + priority);
        }
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > 255) {
            throw new IllegalArgumentException("a VRRP packet carries 1..255 addresses, not " + addresses.size());
        }
        if (count != addresses.size()) {
            throw new IllegalArgumentException("count " + count + " but " + addresses.size() + " addresses");
        }
        boolean ipv6 = addresses.get(0) instanceof Inet6Address;
        for (InetAddress a : addresses) {
            if ((a instanceof Inet6Address) != ipv6) {
                throw new IllegalArgumentException("one VRRP packet carries one address family only");
            }
        }
        if (checksum < 0 || checksum > 0xffff) {
            throw new IllegalArgumentException("checksum is 16 bits, not " + checksum);
        }
        if (version == 2) {
            if (ipv6) {
                throw new IllegalArgumentException("VRRPv2 is IPv4 only (RFC 3768)");
            }
            if (authType == VrrpAuthType.AH) {
                throw new IllegalArgumentException("auth_type AH is not supported");
            }
            if (authType == null || authData == null || authData.length() != AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException("VRRPv2 carries an auth type and exactly 8 bytes of auth data");
            }
            if (advertInterval < 0 || advertInterval > 255) {
                throw new IllegalArgumentException("VRRPv2 Adver Int is one byte of seconds, not " + advertInterval);
            }
        } else {
            if (authType != VrrpAuthType.NONE || authData == null || authData.length() != 0) {
                throw new IllegalArgumentException("VRRPv3 has no authentication (RFC 5798 §9)");
            }
            if (advertInterval < 0 || advertInterval > V3_MAX_ADVERT_INTERVAL) {
                throw new IllegalArgumentException("VRRPv3 Max Adver Int is 12 bits of centiseconds, not " + advertInterval);
            }
        }
    }

    /** A VRRPv2 advertisement without authentication (auth data all zeros). */
    public static VrrpPacket v2(int vrid, int priority, int advertIntervalSeconds, List<Inet4Address> addresses) {
        return new VrrpPacket(2, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(), VrrpAuthType.NONE,
                ZERO_AUTH_DATA, advertIntervalSeconds, 0, List.copyOf(addresses));
    }

    /** A VRRPv2 advertisement with {@code auth_type PASS}. */
    public static VrrpPacket v2WithPassword(int vrid, int priority, int advertIntervalSeconds, Secret password,
                                            List<Inet4Address> addresses) {
        return new VrrpPacket(2, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(), VrrpAuthType.PASS,
                authDataForPassword(password), advertIntervalSeconds, 0, List.copyOf(addresses));
    }

    /** A VRRPv3 advertisement; all addresses IPv4 or all IPv6 (the first a link-local, RFC 5798 §5.2.9). */
    public static VrrpPacket v3(int vrid, int priority, int maxAdvertIntervalCentiseconds,
                                List<? extends InetAddress> addresses) {
        return new VrrpPacket(3, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(), VrrpAuthType.NONE,
                NO_AUTH_DATA, maxAdvertIntervalCentiseconds, 0, List.copyOf(addresses));
    }

    /**
     * The 8 Authentication Data bytes for a password as keepalived builds them: the password's
     * bytes truncated to 8 ("Truncating auth_pass to 8 characters") and NUL-padded. keepalived
     * compares all 8 bytes on receive, so this is also the form to compare against.
     */
    public static Secret authDataForPassword(Secret password) {
        byte[] raw = password.bytes();
        byte[] data = Arrays.copyOf(raw, AUTH_DATA_LENGTH);
        Arrays.fill(raw, (byte) 0);
        Secret s = new Secret(data);
        Arrays.fill(data, (byte) 0);
        return s;
    }

    public boolean isIpv6() {
        return addresses.get(0) instanceof Inet6Address;
    }

    /** Priority 0: sent by a master that stops or goes to FAULT. */
    public boolean isShutdown() {
        return priority == PRIORITY_SHUTDOWN;
    }

    /** The advertised interval as a duration (v2 seconds, v3 centiseconds). */
    public Duration advertIntervalDuration() {
        return version == 2 ? Duration.ofSeconds(advertInterval) : Duration.ofMillis(10L * advertInterval);
    }

    /** For {@code PASS}, the password as sent, without its NUL padding. */
    public Optional<Secret> password() {
        if (authType != VrrpAuthType.PASS) {
            return Optional.empty();
        }
        byte[] data = authData.bytes();
        int end = data.length;
        while (end > 0 && data[end - 1] == 0) {
            end--;
        }
        Secret s = new Secret(Arrays.copyOf(data, end));
        Arrays.fill(data, (byte) 0);
        return Optional.of(s);
    }

    /** Length of the VRRP message on the wire: 8 + addresses (+ 8 auth bytes in v2). */
    public int encodedLength() {
        int perAddress = isIpv6() ? 16 : 4;
        return 8 + count * perAddress + (version == 2 ? AUTH_DATA_LENGTH : 0);
    }

    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(version, type, vrid, newPriority, count, authType, authData, advertInterval, checksum,
                addresses);
    }

    public VrrpPacket withChecksum(int newChecksum) {
        return new VrrpPacket(version, type, vrid, priority, count, authType, authData, advertInterval, newChecksum,
                addresses);
    }

    public VrrpPacket withType(int newType) {
        return new VrrpPacket(version, newType, vrid, priority, count, authType, authData, advertInterval, checksum,
                addresses);
    }

    @Override
    public String toString() {
        String interval = version == 2 ? advertInterval + "s" : advertInterval + "cs";
        String auth = version == 2 ? " auth=" + authType + (authType == VrrpAuthType.PASS ? "(" + Secret.MASK + ")" : "") : "";
        return "VrrpPacket[v" + version + " type=" + type + " vrid=" + vrid + " prio=" + priority + " count=" + count
                + auth + " int=" + interval + " csum=" + String.format("0x%04x", checksum) + " addrs="
                + addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(",", "[", "]")) + "]";
    }
}
