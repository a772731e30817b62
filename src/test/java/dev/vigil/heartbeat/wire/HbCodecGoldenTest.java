package dev.vigil.heartbeat.wire;

import static dev.vigil.heartbeat.wire.Fixtures.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.Secret;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden tests against UDP payloads captured from two real heartbeat 3.0.6 nodes. */
class HbCodecGoldenTest {
    private static final byte[] NODEA_UUID = HexFormat.of().parseHex("c79c62d2d6e24b0785b9b3a4f4446a66");

    static Stream<String> udpFixtures() {
        return Fixtures.UDP.stream();
    }

    static Stream<String> netstringFixtures() {
        return Fixtures.UDP.stream().filter(n -> !n.startsWith("90-"));
    }

    @ParameterizedTest
    @MethodSource("udpFixtures")
    void everyCapturedPacketDecodesAndItsSignaturesVerify(String fixture) {
        byte[] packet = Fixtures.udp(fixture);
        DecodeResult r = Fixtures.codecFor(fixture).decode(packet);

        assertThat(r).isInstanceOf(Decoded.class);
        Decoded d = (Decoded) r;
        assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
        assertThat(d.message().auth()).isPresent();
        assertThat(d.message().type()).isPresent();
        assertThat(d.message().src()).isPresent();
        String text = latin1(packet);
        if (fixture.startsWith("90-")) {
            assertThat(d.format()).isEqualTo(WireFormat.CLASSIC);
            assertThat(d.ignoredTrailingBytes()).as("the NUL a UDP classic sender appends").isEqualTo(1);
            assertThat(d.signature()).isEqualTo(d.message().auth().orElseThrow());
        } else {
            assertThat(d.format()).isEqualTo(WireFormat.NETSTRING);
            assertThat(d.ignoredTrailingBytes()).isZero();
            assertThat(text).endsWith(d.signature().wireText() + ",");
        }
    }

    @ParameterizedTest
    @MethodSource("netstringFixtures")
    void reEncodingADecodedPacketGivesTheSameBytes(String fixture) {
        byte[] packet = Fixtures.udp(fixture);
        HbCodec codec = Fixtures.codecFor(fixture);
        Decoded d = (Decoded) codec.decode(packet);

        assertThat(codec.encodeNetstring(d.message())).isEqualTo(packet);
        byte[] body = HbCodec.netstringBody(d.message());
        assertThat(latin1(packet)).startsWith(latin1(body));
    }

    @Test
    void reEncodingTheClassicUdpPacketGivesTheSameBytes() {
        byte[] packet = Fixtures.udp("90-synthetic-classic-status-ACCEPTED.bin");
        HbCodec codec = Fixtures.sha1Codec();
        Decoded d = (Decoded) codec.decode(packet);

        assertThat(codec.encodeClassicDatagram(d.message())).isEqualTo(packet);
        assertThat(codec.encodeClassic(d.message())).isEqualTo(java.util.Arrays.copyOf(packet, packet.length - 1));
    }

    @Test
    void statusHeartbeatFieldsReadAsHeartbeatMeansThem() {
        HbMessage m = ((Decoded) Fixtures.sha1Codec().decode(Fixtures.udp("03-status-active-heartbeat.bin"))).message();

        assertThat(m.type()).contains("status");
        assertThat(m.status()).contains("active");
        assertThat(m.deadtimeMillis()).hasValue(5000);
        assertThat(m.protocol()).contains("1");
        assertThat(m.src()).contains("nodea");
        assertThat(m.binary(HbMessage.SRC_UUID)).hasValueSatisfying(b -> assertThat(b).isEqualTo(NODEA_UUID));
        assertThat(m.srcUuid()).contains(UUID.fromString("c79c62d2-d6e2-4b07-85b9-b3a4f4446a66"));
        assertThat(m.seq()).hasValue(0x13);
        assertThat(m.generation()).hasValue(0x6b05f985L);
        assertThat(m.timestamp()).hasValue(0x6b05f98eL);
        assertThat(m.load()).contains("2.34 1.08 0.44 2/103 11488");
        assertThat(m.ttl()).hasValue(3);
        assertThat(m.auth()).contains(new AuthSignature(1, "8db3662bb9b977f9be0c26f1037e13c26187d9f7"));
        assertThat(m.fields()).extracting(HbField::name)
                .containsExactly("t", "st", "dt", "protocol", "src", "srcuuid", "seq", "hg", "ts", "ld", "ttl", "auth");
    }

    @Test
    void controlMessagesKeepTheirOddFields() {
        HbCodec codec = Fixtures.sha1Codec();
        HbMessage rexmit = ((Decoded) codec.decode(Fixtures.udp("40-NS_rexmit.bin"))).message();
        assertThat(rexmit.decimal("firstseq")).as("NS_rexmit numbers are decimal").hasValue(105);
        assertThat(rexmit.seq()).as("NS_ types carry no seq").isEmpty();
        assertThat(rexmit.dest()).contains("nodea");

        HbMessage repnodes = ((Decoded) codec.decode(Fixtures.udp("05-repnodes.bin"))).message();
        assertThat(repnodes.fields().get(0).name()).as("dest comes before t here").isEqualTo("dest");
        assertThat(repnodes.string("nodelist")).contains("nodea nodeb ");
        assertThat(repnodes.string("delnodelist")).contains(" ");
        assertThat(repnodes.destUuid()).isPresent();
    }

    /** The interop proof: a message built in Java, signed by Vigil, is the packet heartbeat sent. */
    @Test
    void freshStatusMessageSignsToTheCapturedSha1Packet() {
        HbMessage status = HbMessage.builder()
                .add("t", "status").add("st", "active").addHex("dt", 5000).add("protocol", "1")
                .add("src", "nodea").addBinary("srcuuid", NODEA_UUID).addHex("seq", 0x13)
                .addHex("hg", 0x6b05f985L).addHex("ts", 0x6b05f98eL).add("ld", "2.34 1.08 0.44 2/103 11488")
                .addDecimal("ttl", 3)
                .build();

        byte[] packet = Fixtures.sha1Codec().encodeNetstring(status);

        assertThat(latin1(packet)).isEqualTo(latin1(Fixtures.udp("03-status-active-heartbeat.bin")));
    }

    @Test
    void freshStatusMessageSignsToTheCapturedMd5Packet() {
        byte[] packet = new HbCodec(Fixtures.authkeys("authkeys-md5")).encodeNetstring(initStatus(0x6b05f992L, 0x6b05fd8bL, "2.12 1.58 1.09 1/137 9401"));

        assertThat(latin1(packet)).isEqualTo(latin1(Fixtures.udp("50-status-init-md5-key-anotherKey123.bin")));
    }

    @Test
    void freshStatusMessageSignsToTheCapturedCrcPacket() {
        byte[] packet = new HbCodec(Fixtures.authkeys("authkeys-crc")).encodeNetstring(initStatus(0x6b05f993L, 0x6b05fdb0L, "2.25 1.68 1.15 3/159 12219"));

        assertThat(latin1(packet)).isEqualTo(latin1(Fixtures.udp("51-status-init-crc.bin")));
    }

    private static HbMessage initStatus(long hg, long ts, String ld) {
        return HbMessage.builder()
                .add("t", "status").add("st", "init").addHex("dt", 7000).add("protocol", "1")
                .add("src", "nodea").addBinary("srcuuid", NODEA_UUID).addHex("seq", 1)
                .addHex("hg", hg).addHex("ts", ts).add("ld", ld).addDecimal("ttl", 3)
                .build();
    }

    @Test
    void wrongKeyIsABadSignature() {
        HbCodec wrong = new HbCodec(Fixtures.sha1(1, "not-the-key"));

        Rejected r = (Rejected) wrong.decode(Fixtures.udp("03-status-active-heartbeat.bin"));

        assertThat(r.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
        assertThat(r.detail()).contains("nodea").doesNotContain("not-the-key").doesNotContain(Fixtures.SHA1_KEY);
    }

    @Test
    void wrongKeyOnAClassicPacketIsABadSignature() {
        Rejected r = (Rejected) new HbCodec(Fixtures.sha1(1, "not-the-key")).decode(Fixtures.udp("90-synthetic-classic-status-ACCEPTED.bin"));

        assertThat(r.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
        assertThat(r.detail()).contains("nodeb").doesNotContain("not-the-key");
    }

    @Test
    void md5PacketUnderASha1OnlyKeySetIsAnUnknownKeyIndex() {
        Rejected r = (Rejected) Fixtures.sha1Codec().decode(Fixtures.udp("50-status-init-md5-key-anotherKey123.bin"));

        assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_KEY_INDEX);
        assertThat(r.detail()).contains("index 2");
    }

    @Test
    void flippedByteInAValueIsABadSignature() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");
        int at = latin1(packet).indexOf("st=active") + "st=activ".length();
        packet[at] = 'f';

        assertThat(((Rejected) Fixtures.sha1Codec().decode(packet)).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    @Test
    void flippedByteInTheInnerAuthOfANetstringPacketIsABadTrailerSignature() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");
        int at = latin1(packet).indexOf("auth=1 ") + "auth=1 ".length();
        packet[at] ^= 0x01;

        assertThat(((Rejected) Fixtures.sha1Codec().decode(packet)).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
    }

    /**
     * Every single-bit flip anywhere in every fixture is refused, except in the bytes after the
     * message that heartbeat ignores too (the NUL of a classic datagram).
     */
    @ParameterizedTest
    @MethodSource("udpFixtures")
    void everySingleBitFlipInsideTheMessageIsRefused(String fixture) {
        byte[] original = Fixtures.udp(fixture);
        HbCodec codec = Fixtures.codecFor(fixture);
        Decoded good = (Decoded) codec.decode(original);
        int messageEnd = original.length - good.ignoredTrailingBytes();
        for (int i = 0; i < original.length; i++) {
            for (int bit : new int[] {0x01, 0x20, 0x80}) {
                byte[] p = original.clone();
                p[i] ^= (byte) bit;
                DecodeResult r = codec.decode(p);
                if (r instanceof Decoded d) {
                    assertThat(i).as("accepted flip 0x%x at %d", bit, i).isGreaterThanOrEqualTo(messageEnd);
                    assertThat(d.message()).isEqualTo(good.message());
                } else {
                    assertThat(((Rejected) r).reason()).isNotEqualTo(RejectReason.INTERNAL_ERROR);
                }
            }
        }
    }

    @Test
    void truncatedPacketIsTruncated() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");

        Rejected r = (Rejected) Fixtures.sha1Codec().decode(packet, 0, 150);

        assertThat(r.reason()).isEqualTo(RejectReason.TRUNCATED);
    }

    @Test
    void everyProperPrefixOfANetstringPacketIsTruncatedOrUnsigned() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");
        int bodyEnd = latin1(packet).indexOf("%%%\n") + 4;
        HbCodec codec = Fixtures.sha1Codec();
        for (int len = 1; len < packet.length; len++) {
            RejectReason expected = len == bodyEnd ? RejectReason.NO_AUTH : RejectReason.TRUNCATED;
            assertThat(((Rejected) codec.decode(packet, 0, len)).reason()).as("prefix of %d bytes", len).isEqualTo(expected);
        }
    }

    @Test
    void everyPrefixOfAClassicPacketBeforeItsEndLineIsTruncated() {
        byte[] packet = Fixtures.udp("90-synthetic-classic-status-ACCEPTED.bin");
        HbCodec codec = Fixtures.sha1Codec();
        for (int len = 1; len < packet.length - 1; len++) {
            assertThat(((Rejected) codec.decode(packet, 0, len)).reason()).as("prefix of %d bytes", len).isEqualTo(RejectReason.TRUNCATED);
        }
        assertThat(codec.decode(packet, 0, packet.length - 1).accepted()).as("without the NUL it is the serial form").isTrue();
    }

    @Test
    void packetOfMaxmsgBytesIsOversized() {
        byte[] packet = new byte[HbCodec.MAXMSG];
        System.arraycopy(latin1("###\n"), 0, packet, 0, 4);

        Rejected r = (Rejected) Fixtures.sha1Codec().decode(packet);

        assertThat(r.reason()).isEqualTo(RejectReason.OVERSIZED);
    }

    @Test
    void largestPacketHeartbeatCanReceiveStillDecodes() {
        HbCodec codec = Fixtures.sha1Codec();
        HbMessage small = HbMessage.builder().add("t", "big").add("src", "nodea").add("data", "").build();
        int overhead = codec.encodeNetstring(small).length;
        // the length prefix of the data field grows by five digits; after that each byte adds one
        int fill = HbCodec.MAXMSG - 1 - overhead - 10;
        byte[] packet;
        do {
            packet = codec.encodeNetstring(small.toBuilder().set("data", "x".repeat(fill++)).build());
        } while (packet.length < HbCodec.MAXMSG - 1);

        assertThat(packet).hasSize(HbCodec.MAXMSG - 1);
        assertThat(codec.decode(packet).accepted()).isTrue();
        HbMessage tooBig = small.toBuilder().set("data", "x".repeat(fill)).build();
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> codec.encodeNetstring(tooBig));
    }

    @Test
    void bytesAfterTheTrailerAreIgnoredAsHeartbeatDoes() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");
        byte[] withNul = java.util.Arrays.copyOf(packet, packet.length + 1);

        Decoded d = (Decoded) Fixtures.sha1Codec().decode(withNul);

        assertThat(d.ignoredTrailingBytes()).isEqualTo(1);
    }

    @Test
    void garbageIsAnUnknownFormat() {
        Rejected r = (Rejected) Fixtures.sha1Codec().decode(latin1("GET / HTTP/1.0\r\n\r\n"));

        assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_FORMAT);
    }

    @Test
    void emptyInputIsEmpty() {
        assertThat(((Rejected) Fixtures.sha1Codec().decode(new byte[0])).reason()).isEqualTo(RejectReason.EMPTY);
    }

    @Test
    void partOfAStartMarkerIsTruncated() {
        assertThat(((Rejected) Fixtures.sha1Codec().decode(latin1("##"))).reason()).isEqualTo(RejectReason.TRUNCATED);
        assertThat(((Rejected) Fixtures.sha1Codec().decode(latin1(">>>"))).reason()).isEqualTo(RejectReason.TRUNCATED);
    }

    @Test
    void netstringWithoutTrailerHasNoAuth() {
        byte[] packet = Fixtures.udp("03-status-active-heartbeat.bin");
        int bodyEnd = latin1(packet).indexOf("%%%\n") + 4;

        Rejected r = (Rejected) Fixtures.sha1Codec().decode(packet, 0, bodyEnd);

        assertThat(r.reason()).isEqualTo(RejectReason.NO_AUTH);
        assertThat(r.reason().counterName()).isEqualTo("no_auth");
    }

    @Test
    void classicWithoutAuthFieldHasNoAuth() {
        byte[] frame = latin1(">>>\nt=status\nsrc=nodeb\n<<<\n");

        assertThat(((Rejected) Fixtures.sha1Codec().decode(frame)).reason()).isEqualTo(RejectReason.NO_AUTH);
    }

    @Test
    void trailerThatIsNotIndexAndDigestIsABadAuthFormat() {
        String body = latin1(HbCodec.netstringBody(HbMessage.builder().add("t", "status").build()));

        Rejected r = (Rejected) Fixtures.sha1Codec().decode(latin1(body + "3:abc,"));

        assertThat(r.reason()).isEqualTo(RejectReason.BAD_AUTH_FORMAT);
    }

    @Test
    void malformedFieldIsMalformed() {
        byte[] packet = latin1("###\n11:(7)t=status,%%%\n3:1 x,");

        assertThat(((Rejected) Fixtures.sha1Codec().decode(packet)).reason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void trailerIsCheckedWithTheActiveKeyAsHeartbeatDoes() {
        AuthKey one = new AuthKey(1, AuthMethod.SHA1, new Secret("key-one"));
        AuthKey two = new AuthKey(2, AuthMethod.SHA1, new Secret("key-two"));
        HbMessage msg = HbMessage.builder().add("t", "status").add("src", "nodeb").add("ts", "6b05f98e").build();
        byte[] signedWithTwo = new HbCodec(AuthKeys.of(2, one, two)).encodeNetstring(msg);

        HbCodec heartbeatLike = new HbCodec(AuthKeys.of(1, one, two));
        HbCodec perIndex = new HbCodec(AuthKeys.of(1, one, two), HbCodec.TrailerKeyRule.KEY_OF_NAMED_INDEX);

        assertThat(((Rejected) heartbeatLike.decode(signedWithTwo)).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
        Decoded d = (Decoded) perIndex.decode(signedWithTwo);
        assertThat(d.signature().index()).isEqualTo(2);
        assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.VALID);
    }

    @Test
    void classicAuthIsCheckedWithTheKeyOfItsIndexAsIsauthenticDoes() {
        AuthKey one = new AuthKey(1, AuthMethod.SHA1, new Secret("key-one"));
        AuthKey two = new AuthKey(2, AuthMethod.MD5, new Secret("key-two"));
        HbMessage msg = HbMessage.builder().add("t", "status").add("src", "nodeb").build();
        byte[] frame = new HbCodec(AuthKeys.of(2, one, two)).encodeClassic(msg);

        Decoded d = (Decoded) new HbCodec(AuthKeys.of(1, one, two)).decode(frame);

        assertThat(d.signature().index()).isEqualTo(2);
        assertThat(d.signature().digest()).hasSize(32);
    }

    @Test
    void netstringPacketWithoutInnerAuthIsAcceptedOnItsTrailerAsHeartbeatDoes() {
        HbCodec codec = Fixtures.sha1Codec();
        byte[] body = HbCodec.netstringBody(HbMessage.builder().add("t", "status").add("src", "nodeb").build());
        String trailer = "1 " + AuthDigest.compute(AuthMethod.SHA1, new Secret(Fixtures.SHA1_KEY), body, 0, body.length);

        Decoded d = (Decoded) codec.decode(latin1(latin1(body) + trailer.length() + ":" + trailer + ","));

        assertThat(d.innerAuth()).isEqualTo(InnerAuthStatus.ABSENT);
    }

    @Test
    void keysNeverAppearInToStrings() {
        HbCodec codec = new HbCodec(Fixtures.authkeys("authkeys"));
        Decoded d = (Decoded) codec.decode(Fixtures.udp("03-status-active-heartbeat.bin"));

        for (String s : List.of(codec.toString(), codec.keys().toString(), d.toString(), d.message().toString())) {
            assertThat(s).doesNotContain(Fixtures.SHA1_KEY);
        }
        assertThat(d.message().toString()).contains("auth=1 8db3662bb9b977f9be0c26f1037e13c26187d9f7").contains("t=status");
        assertThat(codec.keys().toString()).contains("sha1").contains(Secret.MASK);
    }
}
