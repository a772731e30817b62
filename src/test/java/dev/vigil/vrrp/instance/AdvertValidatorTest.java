package dev.vigil.vrrp.instance;

import static dev.vigil.vrrp.instance.Fixtures.LOCAL;
import static dev.vigil.vrrp.instance.Fixtures.MCAST;
import static dev.vigil.vrrp.instance.Fixtures.PEER;
import static dev.vigil.vrrp.instance.Fixtures.VIP;
import static dev.vigil.vrrp.instance.Fixtures.ip;
import static dev.vigil.vrrp.instance.Fixtures.v2;
import static dev.vigil.vrrp.instance.Fixtures.v2Advert;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived.md §1.4: what keepalived 2.2.7 refuses, and under which counter. */
class AdvertValidatorTest {

    private static final InetAddress VIP2 = ip("10.232.0.101");

    private static ReceivedAdvert with(ReceivedAdvert a, int ttl, int version, int type, int count, int interval,
                                       int authType, byte[] auth, List<InetAddress> addrs, InetAddress dst) {
        return new ReceivedAdvert(a.source(), dst, ttl, version, type, a.vrid(), a.priority(), count, interval, authType,
                auth, addrs, true, true);
    }

    private static Optional<RejectReason> check(VrrpInstanceSettings s, ReceivedAdvert a) {
        return AdvertValidator.check(s, a, true).rejection();
    }

    private final VrrpInstanceSettings plain = v2(100).build();
    private final ReceivedAdvert good = v2Advert(PEER, 150);

    @Test
    void wellFormedAdvertIsAcceptedAndCountsAsReceived() {
        AdvertValidator.Verdict v = AdvertValidator.check(plain, good, true);
        assertThat(v.accepted()).isTrue();
        assertThat(v.countsAsReceived()).isTrue();
    }

    @Test
    void ttlOtherThan255IsRefusedOnMulticastAsIpTtlErr() {
        ReceivedAdvert a = with(good, 64, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), MCAST);
        assertThat(check(plain, a)).contains(RejectReason.BAD_TTL);
        assertThat(RejectReason.BAD_TTL.counter().keepalivedName()).isEqualTo("ip_ttl_err");
    }

    @Test
    void unknownTtlIsNotChecked() {
        ReceivedAdvert a = with(good, -1, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), MCAST);
        assertThat(check(plain, a)).isEmpty();
    }

    @Test
    void unicastInstanceAcceptsAnyTtl() {
        VrrpInstanceSettings uni = v2(100).unicastPeer(UnicastPeer.of(PEER)).build();
        ReceivedAdvert a = with(good, 64, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), LOCAL);
        assertThat(check(uni, a)).isEmpty();
    }

    @Test
    void otherVersionIsRefusedNoMixedMode() {
        ReceivedAdvert a = with(good, 255, 3, 1, 1, 100, 0, new byte[0], List.of(VIP), MCAST);
        assertThat(check(plain, a)).contains(RejectReason.WRONG_VERSION);
    }

    @Test
    void v2IntervalMustEqualOursAndIsCountedAsAdvertIntervalErr() {
        // keepalived.md §1.4 check 5: "advertisement interval mismatch mine=1 sec rcv'd=2 sec"
        ReceivedAdvert a = with(good, 255, 2, 1, 1, 2, 0, new byte[8], List.of(VIP), MCAST);
        assertThat(check(plain, a)).contains(RejectReason.ADVERT_INTERVAL_MISMATCH);
        assertThat(RejectReason.ADVERT_INTERVAL_MISMATCH.counter().keepalivedName()).isEqualTo("advert_interval_err");
    }

    @Test
    void v3IntervalMayDifferBecauseBackupsLearnIt() {
        VrrpInstanceSettings v3 = Fixtures.v3(100, 10).build();
        assertThat(check(v3, Fixtures.v3Advert(PEER, 150, 100))).isEmpty();
    }

    @Test
    void authTypeMismatchAndPasswordFailureAreDistinct() {
        VrrpInstanceSettings pass = v2(100).authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpw").build();
        assertThat(check(pass, good)).contains(RejectReason.AUTH_TYPE_MISMATCH);
        byte[] wrong = Arrays.copyOf("s3cr3tpX".getBytes(StandardCharsets.US_ASCII), 8);
        assertThat(check(pass, with(good, 255, 2, 1, 1, 1, 1, wrong, List.of(VIP), MCAST))).contains(RejectReason.AUTH_FAILURE);
        byte[] right = Arrays.copyOf("s3cr3tpw".getBytes(StandardCharsets.US_ASCII), 8);
        assertThat(check(pass, with(good, 255, 2, 1, 1, 1, 1, right, List.of(VIP), MCAST))).isEmpty();
        assertThat(check(pass, with(good, 255, 2, 1, 1, 1, 7, right, List.of(VIP), MCAST))).contains(RejectReason.INVALID_AUTH_TYPE);
    }

    @Test
    void passwordIsTruncatedToEightCharactersLikeKeepalived() {
        // keepalived.md §1.2: "NUL-padded and truncated to 8 chars"
        VrrpInstanceSettings longPass = v2(100).authentication(VrrpInstanceSettings.AuthType.PASS, "s3cr3tpwEXTRA").build();
        byte[] eight = Arrays.copyOf("s3cr3tpw".getBytes(StandardCharsets.US_ASCII), 8);
        assertThat(check(longPass, with(good, 255, 2, 1, 1, 1, 1, eight, List.of(VIP), MCAST))).isEmpty();
        VrrpInstanceSettings shortPass = v2(100).authentication(VrrpInstanceSettings.AuthType.PASS, "abc").build();
        assertThat(shortPass.authData()).containsExactly('a', 'b', 'c', 0, 0, 0, 0, 0);
    }

    @Test
    void typeOtherThanAdvertisementIsRefused() {
        assertThat(check(plain, with(good, 255, 2, 2, 1, 1, 0, new byte[8], List.of(VIP), MCAST))).contains(RejectReason.INVALID_TYPE);
    }

    @Test
    void addressCountMustMatchTheConfiguredVips() {
        // keepalived.md §1.4 check 7: "received an unexpected ip number count 2, expected 1!"
        ReceivedAdvert a = with(good, 255, 2, 1, 2, 1, 0, new byte[8], List.of(VIP, VIP2), MCAST);
        assertThat(check(plain, a)).contains(RejectReason.ADDRESS_COUNT_MISMATCH);
        assertThat(RejectReason.ADDRESS_COUNT_MISMATCH.counter()).isEqualTo(VrrpCounter.ADDR_LIST_ERR);
    }

    @Test
    void everyConfiguredVipMustBePresentInAnyOrder() {
        VrrpInstanceSettings two = v2(100).virtualAddress(VIP2).build();
        assertThat(check(two, with(good, 255, 2, 1, 2, 1, 0, new byte[8], List.of(VIP2, VIP), MCAST))).isEmpty();
        AdvertValidator.Verdict missing = AdvertValidator.check(two,
                with(good, 255, 2, 1, 2, 1, 0, new byte[8], List.of(VIP, ip("10.232.0.99")), MCAST), true);
        assertThat(missing.rejection()).contains(RejectReason.VIRTUAL_ADDRESS_MISSING);
        // keepalived increments advert_rcvd before the address-list check
        assertThat(missing.countsAsReceived()).isTrue();
    }

    @Test
    void skipCheckAdvAddrSkipsCountAndListButNothingElse() {
        ReceivedAdvert wrongList = with(good, 255, 2, 1, 2, 1, 0, new byte[8], List.of(VIP, VIP2), MCAST);
        assertThat(AdvertValidator.check(plain, wrongList, false).accepted()).isTrue();
        ReceivedAdvert wrongTtl = with(good, 64, 2, 1, 2, 1, 0, new byte[8], List.of(VIP, VIP2), MCAST);
        assertThat(AdvertValidator.check(plain, wrongTtl, false).rejection()).contains(RejectReason.BAD_TTL);
    }

    @Test
    void badChecksumAndBadLengthComeFromTheCodec() {
        assertThat(check(plain, Fixtures.badChecksum(good))).contains(RejectReason.BAD_CHECKSUM);
        ReceivedAdvert shortOne = new ReceivedAdvert(PEER, MCAST, 255, 2, 1, 51, 150, 1, 1, 0, new byte[8], List.of(VIP), false, true);
        assertThat(check(plain, shortOne)).contains(RejectReason.BAD_LENGTH);
        assertThat(RejectReason.BAD_LENGTH.counter().keepalivedName()).isEqualTo("packet_len_err");
    }

    @Test
    void multicastAdvertOnUnicastInstanceAndTheReverseAreRefused() {
        // keepalived.md §1.4 check 10: "Expected multicast packet but received unicast packet"
        assertThat(check(plain, with(good, 255, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), LOCAL)))
                .contains(RejectReason.MULTICAST_MODE_MISMATCH);
        VrrpInstanceSettings uni = v2(100).unicastPeer(UnicastPeer.of(PEER)).build();
        assertThat(check(uni, good)).contains(RejectReason.MULTICAST_MODE_MISMATCH);
    }

    @Test
    void checkUnicastSrcRequiresAPeerAndItsTtlRange() {
        VrrpInstanceSettings uni = v2(100).unicastPeer(new UnicastPeer(PEER, 250, 255)).checkUnicastSrc(true).build();
        ReceivedAdvert fromPeer = with(good, 255, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), LOCAL);
        assertThat(check(uni, fromPeer)).isEmpty();
        assertThat(check(uni, fromPeer.withSource(ip("10.232.0.9")))).contains(RejectReason.UNICAST_SOURCE_NOT_PEER);
        assertThat(check(uni, with(good, 64, 2, 1, 1, 1, 0, new byte[8], List.of(VIP), LOCAL)))
                .contains(RejectReason.UNICAST_TTL_OUT_OF_RANGE);
        VrrpInstanceSettings unchecked = v2(100).unicastPeer(UnicastPeer.of(PEER)).build();
        assertThat(check(unchecked, fromPeer.withSource(ip("10.232.0.9")))).isEmpty();
    }

    @Test
    void checksInKeepalivedsOrderSoTheSameCounterMoves() {
        // wrong TTL and wrong version and wrong count: keepalived reports the TTL first
        ReceivedAdvert many = with(good, 1, 3, 9, 5, 9, 0, new byte[8], List.of(VIP), LOCAL);
        assertThat(check(plain, many)).contains(RejectReason.BAD_TTL);
        // right TTL: then the version
        assertThat(check(plain, with(good, 255, 3, 9, 5, 9, 0, new byte[8], List.of(VIP), LOCAL))).contains(RejectReason.WRONG_VERSION);
        // interval before type before count
        assertThat(check(plain, with(good, 255, 2, 9, 5, 9, 0, new byte[8], List.of(VIP), LOCAL))).contains(RejectReason.ADVERT_INTERVAL_MISMATCH);
        assertThat(check(plain, with(good, 255, 2, 9, 5, 1, 0, new byte[8], List.of(VIP), LOCAL))).contains(RejectReason.INVALID_TYPE);
        assertThat(check(plain, with(good, 255, 2, 1, 5, 1, 0, new byte[8], List.of(VIP), LOCAL))).contains(RejectReason.ADDRESS_COUNT_MISMATCH);
    }

    @Test
    void everyReasonMapsToAKeepalivedCounterName() {
        for (RejectReason r : RejectReason.values()) {
            assertThat(r.counter().keepalivedName()).matches("[a-z_]+");
        }
    }
}
