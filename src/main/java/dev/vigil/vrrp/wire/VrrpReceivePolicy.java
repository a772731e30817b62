package dev.vigil.vrrp.wire;

import dev.vigil.config.Secret;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the receiving instance expects, for the checks keepalived makes against its own
 * configuration in {@code vrrp_check_packet}. Each expectation is optional: left empty, the
 * decoder checks only what the packet alone can tell.
 *
 * @param version                 the instance's VRRP version ({@code vrrp_version} / {@code version})
 * @param authentication          VRRPv2 only: the instance's auth type and auth data
 * @param addresses               the instance's advertised VIPs ({@code virtual_ipaddress}, not the
 *                                excluded ones); keepalived skips this in BACKUP with
 *                                {@code skip_check_adv_addr} except when the master changes, so
 *                                the caller passes it or not per packet
 * @param transport               multicast or unicast instance; when empty, the destination address
 *                                decides whether the TTL must be 255
 * @param acceptedV3Ipv4Checksums which VRRPv3-over-IPv4 checksum rules to accept; v2 always uses
 *                                {@link VrrpChecksumVariant#MESSAGE_ONLY} and IPv6 always the
 *                                pseudo-header, whatever this says
 */
public record VrrpReceivePolicy(OptionalInt version, Optional<Authentication> authentication,
                                Optional<Set<InetAddress>> addresses, Optional<VrrpTransport> transport,
                                Set<VrrpChecksumVariant> acceptedV3Ipv4Checksums) {

    /**
     * keepalived 2.2.7's acceptance: the real-destination pseudo-header, plus the pre-1.3.6
     * unicast form it auto-detects ({@code old_unicast_checksum} unset).
     */
    public static final Set<VrrpChecksumVariant> KEEPALIVED_2_2_7_V3_CHECKSUMS = Set.copyOf(
            EnumSet.of(VrrpChecksumVariant.PSEUDO_HEADER, VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST));

    /** No instance expectations; keepalived 2.2.7's checksum acceptance. */
    public static final VrrpReceivePolicy DEFAULT = new VrrpReceivePolicy(OptionalInt.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), KEEPALIVED_2_2_7_V3_CHECKSUMS);

    public VrrpReceivePolicy {
        addresses = addresses.map(Set::copyOf);
        acceptedV3Ipv4Checksums = Set.copyOf(acceptedV3Ipv4Checksums);
        if (acceptedV3Ipv4Checksums.isEmpty()) {
            throw new IllegalArgumentException("accepting no VRRPv3 checksum would reject every IPv4 advert");
        }
        if (version.isPresent() && version.getAsInt() != 2 && version.getAsInt() != 3) {
            throw new IllegalArgumentException("VRRP version must be 2 or 3, not " + version.getAsInt());
        }
    }

    /**
     * The instance's VRRPv2 authentication. {@code authData} is the 8 bytes as compared on the
     * wire (see {@link VrrpPacket#authDataForPassword}).
     */
    public record Authentication(VrrpAuthType type, Secret authData) {
        public Authentication {
            if (type == VrrpAuthType.AH) {
                throw new IllegalArgumentException("auth_type AH is not supported");
            }
            if (authData.length() != VrrpPacket.AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException("auth data is 8 bytes");
            }
        }

        public static Authentication none() {
            return new Authentication(VrrpAuthType.NONE, new Secret(new byte[VrrpPacket.AUTH_DATA_LENGTH]));
        }

        /** {@code auth_type PASS} with {@code auth_pass}, truncated and padded as keepalived does. */
        public static Authentication password(Secret password) {
            return new Authentication(VrrpAuthType.PASS, VrrpPacket.authDataForPassword(password));
        }

        @Override
        public String toString() {
            return "Authentication[" + type + (type == VrrpAuthType.PASS ? " " + Secret.MASK : "") + "]";
        }
    }

    public VrrpReceivePolicy expectVersion(int v) {
        return new VrrpReceivePolicy(OptionalInt.of(v), authentication, addresses, transport, acceptedV3Ipv4Checksums);
    }

    public VrrpReceivePolicy expectAuthentication(Authentication a) {
        return new VrrpReceivePolicy(version, Optional.of(a), addresses, transport, acceptedV3Ipv4Checksums);
    }

    public VrrpReceivePolicy expectAddresses(Set<? extends InetAddress> vips) {
        return new VrrpReceivePolicy(version, authentication, Optional.of(Set.copyOf(vips)), transport,
                acceptedV3Ipv4Checksums);
    }

    public VrrpReceivePolicy expectTransport(VrrpTransport t) {
        return new VrrpReceivePolicy(version, authentication, addresses, Optional.of(t), acceptedV3Ipv4Checksums);
    }

    public VrrpReceivePolicy acceptV3Ipv4Checksums(Set<VrrpChecksumVariant> variants) {
        return new VrrpReceivePolicy(version, authentication, addresses, transport, variants);
    }
}
