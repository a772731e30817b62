package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * keepalived 2.2.7's per-instance receive checks (vrrp.c {@code vrrp_check_packet}, keepalived.md §1.4),
 * in keepalived's order, so that the first failing check, and so the counter, is the one keepalived
 * would pick. Pure: the caller counts.
 *
 * <p>AH authentication is not supported (keepalived.md §1.1) and IPsec-AH checks are absent.
 */
public final class AdvertValidator {

    private static final int VRRP_TTL = 255;

    private AdvertValidator() {
    }

    /**
     * The outcome of the checks.
     *
     * @param rejection why the advert was refused, or empty when accepted
     * @param countsAsReceived keepalived increments {@code advert_rcvd} once the header-level checks pass
     *     (through the multicast/unicast mode check), before the address-list and unicast-source checks
     */
    public record Verdict(Optional<RejectReason> rejection, boolean countsAsReceived) {
        public boolean accepted() {
            return rejection.isEmpty();
        }

        static Verdict reject(RejectReason reason, boolean counted) {
            return new Verdict(Optional.of(reason), counted);
        }
    }

    private static final Verdict ACCEPTED = new Verdict(Optional.empty(), true);

    /**
     * Applies every check.
     *
     * @param checkAddresses false only in BACKUP with {@code skip_check_adv_addr} when the advert comes
     *     from the master we already know: keepalived then skips the address count, the address list
     *     and the unicast-source checks
     */
    public static Verdict check(VrrpInstanceSettings settings, ReceivedAdvert advert, boolean checkAddresses) {
        if (!advert.lengthValid()) return Verdict.reject(RejectReason.BAD_LENGTH, false);
        // RFC 5798 §5.1.1.3 / §5.1.2.3: TTL/HL must be 255; keepalived skips this for unicast instances
        if (!settings.unicast() && advert.ttl() != -1 && advert.ttl() != VRRP_TTL) {
            return Verdict.reject(RejectReason.BAD_TTL, false);
        }
        if (advert.version() != settings.version()) return Verdict.reject(RejectReason.WRONG_VERSION, false);
        if (advert.vrid() != settings.vrid()) return Verdict.reject(RejectReason.WRONG_VRID, false);
        if (settings.version() == 2) {
            int authType = advert.authType();
            // 2 (AH) is a valid type, merely not ours: it fails the mismatch check below
            if (authType < 0 || authType > 2) return Verdict.reject(RejectReason.INVALID_AUTH_TYPE, false);
            if (authType != settings.authType().code()) return Verdict.reject(RejectReason.AUTH_TYPE_MISMATCH, false);
            if (settings.authType() == VrrpInstanceSettings.AuthType.PASS
                    && !MessageDigest.isEqual(advert.authData(), settings.authData())) {
                return Verdict.reject(RejectReason.AUTH_FAILURE, false);
            }
            // RFC 3768 §7.1: a v2 router MUST discard an advert whose interval differs from its own
            if (advert.advertInterval() * 100 != settings.advertIntervalCentis()) {
                return Verdict.reject(RejectReason.ADVERT_INTERVAL_MISMATCH, false);
            }
        }
        if (advert.type() != ReceivedAdvert.TYPE_ADVERTISEMENT) return Verdict.reject(RejectReason.INVALID_TYPE, false);
        if (checkAddresses && advert.addressCount() != settings.virtualAddresses().size()) {
            return Verdict.reject(RejectReason.ADDRESS_COUNT_MISMATCH, false);
        }
        if (!advert.checksumValid()) return Verdict.reject(RejectReason.BAD_CHECKSUM, false);
        if (advert.destination().isMulticastAddress() == settings.unicast()) {
            return Verdict.reject(RejectReason.MULTICAST_MODE_MISMATCH, false);
        }
        if (checkAddresses) {
            if (advert.addresses().size() != settings.virtualAddresses().size()) {
                return Verdict.reject(RejectReason.ADDRESS_COUNT_MISMATCH, true);
            }
            if (!carriesAll(advert.addresses(), settings.virtualAddresses())) {
                return Verdict.reject(RejectReason.VIRTUAL_ADDRESS_MISSING, true);
            }
            if (settings.unicast() && settings.checkUnicastSrc()) {
                Optional<UnicastPeer> peer = settings.unicastPeers().stream()
                        .filter(p -> p.address().equals(advert.source()))
                        .findFirst();
                if (peer.isEmpty()) return Verdict.reject(RejectReason.UNICAST_SOURCE_NOT_PEER, true);
                int ttl = advert.ttl();
                if (ttl != -1 && (ttl < peer.get().minTtl() || ttl > peer.get().maxTtl())) {
                    return Verdict.reject(RejectReason.UNICAST_TTL_OUT_OF_RANGE, true);
                }
            }
        }
        return ACCEPTED;
    }

    /**
     * Whether every configured address is in the advert. A backup checks this on every advert of every
     * instance; copying the list into a set each time was 3 % of its CPU at 255 instances, and the
     * lists are short (a handful of addresses), where a scan is cheaper anyway.
     */
    static boolean carriesAll(List<InetAddress> carried, List<InetAddress> configured) {
        if (carried.size() > 16) {
            Set<InetAddress> set = new HashSet<>(carried);
            for (InetAddress vip : configured) if (!set.contains(vip)) return false;
            return true;
        }
        for (InetAddress vip : configured) if (!carried.contains(vip)) return false;
        return true;
    }
}
