package dev.vigil.heartbeat.membership;

import static dev.vigil.heartbeat.membership.MembershipKit.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.heartbeat.wire.DecodeResult;
import dev.vigil.heartbeat.wire.Decoded;
import dev.vigil.heartbeat.wire.HbCodec;
import dev.vigil.heartbeat.wire.HbMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Messages membership builds have the field names, order and value formats of the captured real
 * ones (research heartbeat.md §1.4), and survive the codec both ways.
 */
class WireFormatGoldenTest {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    /** nodea as in the captures: its uuid and generation, nodeb's uuid known from an earlier packet. */
    private static Membership capturedNodeA() {
        MembershipSettings s = new MembershipSettings(A, List.of(A, B), List.of("hb0"), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(10), 1, 0x6b05f985L,
                HbFixtures.NODEA_UUID, Map.of(B, HbFixtures.NODEB_UUID), java.time.Duration.ofMillis(250));
        return new Membership(s, new java.util.SplittableRandom(1), HostProbe.fixed(0x6b05f984L, "2.32 1.03 0.41 2/101 10717"));
    }

    @Test
    void ourInitStatusIsFixture01ExceptForTheAuth() {
        Membership a = capturedNodeA();
        HbMessage init = broadcasts(a.start(0), "status").get(0);
        // Same node, same generation, same second, same load: the very message heartbeat sent.
        assertThat(init).isEqualTo(HbFixtures.unsigned("01-status-init.bin"));
        assertThat(HbFixtures.codec().encodeNetstring(init)).isEqualTo(HbFixtures.bytes("01-status-init.bin"));
    }

    @Test
    void ourActiveHeartbeatHasTheFieldsOfFixture03() {
        Membership a = capturedNodeA();
        a.start(0);
        HbMessage status = broadcasts(runUntil(a, 6 * SEC), "status").get(5);
        HbMessage fixture = HbFixtures.message("03-status-active-heartbeat.bin");
        assertThat(HbFixtures.fieldNames(status)).isEqualTo(HbFixtures.fieldNames(fixture));
        assertThat(status.string("dt")).contains("1388");
        assertThat(status.string("protocol")).contains("1");
        assertStandardFormats(status);
    }

    @Test
    void ourAckHasTheFieldsOfFixture06AndNoSeqOrLd() {
        Membership a = capturedNodeA();
        a.start(0);
        HbMessage ack = broadcasts(a.send(HbMessage.builder().add("t", "NS_ackmsg").add("dest", B).addHex("ackseq", 1).build(), 0),
                "NS_ackmsg").get(0);
        HbMessage fixture = HbFixtures.message("06-NS_ackmsg.bin");
        assertThat(HbFixtures.fieldNames(ack)).isEqualTo(HbFixtures.fieldNames(fixture)).doesNotContain("seq", "ld");
        assertThat(ack.destUuid()).contains(HbFixtures.NODEB_UUID);
        assertThat(ack.withoutAuth()).isEqualTo(fixture.withoutAuth().toBuilder().set("ts", "6b05f984").build());
    }

    @Test
    void ourRetransmissionRequestHasTheFieldsOfFixture40() {
        Membership a = capturedNodeA();
        a.start(0);
        a.received(statusFromB(7, 1, "active", 5000), "hb0", SEC);
        a.received(statusFromB(7, 3, "active", 5000), "hb0", SEC);
        HbMessage req = broadcasts(runUntil(a, SEC + 300 * MS), "NS_rexmit").get(0);
        HbMessage fixture = HbFixtures.message("40-NS_rexmit.bin");
        assertThat(HbFixtures.fieldNames(req)).isEqualTo(HbFixtures.fieldNames(fixture));
        assertThat(req.decimal("firstseq")).hasValue(2);
    }

    @Test
    void ourReqnodesHasTheFieldsOfFixture04() {
        Membership a = capturedNodeA();
        a.start(0);
        HbMessage req = broadcasts(a.received(statusFromB(7, 1, "active", 5000), "hb0", SEC), "reqnodes").get(0);
        assertThat(HbFixtures.fieldNames(req)).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("04-reqnodes.bin")));
    }

    @Test
    void resourceLayerMessagesGetTheStandardFieldsAppendedInHeartbeatOrder() {
        Membership a = capturedNodeA();
        a.start(0);
        HbMessage body = HbMessage.builder().add("t", "ip-request-resp").add("dest", A).add("ipaddr", "IPaddr2::10.231.0.100/24/hb0")
                .add("weown", "yes").add("ok", "OK").build();
        HbMessage sent = broadcasts(a.send(body, 0), "ip-request-resp").get(0);
        assertThat(HbFixtures.fieldNames(sent)).isEqualTo(HbFixtures.fieldNames(HbFixtures.message("11-ip-request-resp-self.bin")));
        assertStandardFormats(sent);
    }

    @Test
    void everythingWeSendDecodesBackIdentically() {
        Membership a = capturedNodeA();
        HbCodec codec = HbFixtures.codec();
        List<MembershipAction> out = new java.util.ArrayList<>(a.start(0));
        out.addAll(a.received(HbFixtures.message("04-reqnodes.bin"), "hb0", SEC));
        out.addAll(runUntil(a, 12 * SEC));
        assertThat(broadcasts(out)).hasSizeGreaterThan(10).allSatisfy(m -> {
            DecodeResult r = codec.decode(codec.encodeNetstring(m));
            assertThat(r).isInstanceOf(Decoded.class);
            assertThat(((Decoded) r).message().withoutAuth()).isEqualTo(m);
            DecodeResult classic = codec.decode(codec.encodeClassic(m));
            assertThat(((Decoded) classic).message().withoutAuth()).isEqualTo(m);
        });
    }

    private static void assertStandardFormats(HbMessage m) {
        assertThat(m.string("seq").orElseThrow()).matches(HEX);
        assertThat(m.string("hg").orElseThrow()).isEqualTo("6b05f985");
        assertThat(m.string("ts").orElseThrow()).matches(HEX);
        assertThat(m.string("ttl")).contains("3");
        assertThat(m.srcUuid()).contains(HbFixtures.NODEA_UUID);
        assertThat(m.src()).contains(A);
        UUID ignored = m.srcUuid().orElseThrow();
        assertThat(ignored).isNotNull();
    }
}
