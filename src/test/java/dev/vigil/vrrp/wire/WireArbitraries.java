package dev.vigil.vrrp.wire;

import dev.vigil.config.Secret;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the property tests and the slow fuzz run. */
final class WireArbitraries {
    enum Kind { V2_NO_AUTH, V2_PASS, V3_IPV4, V3_IPV6 }

    /** A packet together with the IP addresses and checksum rule it is sent with. */
    record Sample(VrrpPacket packet, InetAddress source, InetAddress destination, VrrpChecksumVariant variant) {
    }

    record Mutation(int position, byte value) {
    }

    private WireArbitraries() {
    }

    static Arbitrary<Sample> samples() {
        return Arbitraries.of(Kind.class).flatMap(WireArbitraries::samples);
    }

    private static Arbitrary<Sample> samples(Kind kind) {
        boolean ipv6 = kind == Kind.V3_IPV6;
        boolean v2 = kind == Kind.V2_NO_AUTH || kind == Kind.V2_PASS;
        Arbitrary<Integer> vrid = Arbitraries.integers().between(1, 255);
        Arbitrary<Integer> priority = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> interval = Arbitraries.integers().between(0, v2 ? 255 : VrrpPacket.V3_MAX_ADVERT_INTERVAL);
        Arbitrary<List<InetAddress>> addresses = (ipv6 ? anyIpv6() : anyIpv4()).list().ofMinSize(1).ofMaxSize(24);
        Arbitrary<byte[]> authData = Arbitraries.bytes().array(byte[].class).ofSize(VrrpPacket.AUTH_DATA_LENGTH);
        Arbitrary<InetAddress> source = ipv6 ? linkLocal() : unicastIpv4();
        Arbitrary<InetAddress> destination = Arbitraries.oneOf(
                Arbitraries.just(ipv6 ? VrrpCodec.IPV6_GROUP : VrrpCodec.IPV4_GROUP),
                ipv6 ? linkLocal() : unicastIpv4());
        Arbitrary<Integer> variantPick = Arbitraries.integers().between(0, 2);
        return Combinators.combine(vrid, priority, interval, addresses, authData, source, destination, variantPick)
                .as((id, prio, interval1, addrs, auth, src, dst, pick) -> {
                    VrrpAuthType authType = kind == Kind.V2_PASS ? VrrpAuthType.PASS : VrrpAuthType.NONE;
                    Secret data = v2 ? new Secret(auth) : new Secret(new byte[0]);
                    VrrpPacket p = new VrrpPacket(v2 ? 2 : 3, VrrpPacket.TYPE_ADVERTISEMENT, id, prio, addrs.size(),
                            authType, data, interval1, 0, addrs);
                    return new Sample(p, src, dst, variant(kind, dst, pick));
                });
    }

    /** Every rule a sender might use: keepalived's, Cisco's, and pre-1.3.6 keepalived's (unicast only). */
    private static VrrpChecksumVariant variant(Kind kind, InetAddress destination, int pick) {
        if (kind == Kind.V2_NO_AUTH || kind == Kind.V2_PASS) {
            return VrrpChecksumVariant.MESSAGE_ONLY;
        }
        if (kind == Kind.V3_IPV6 || pick == 0) {
            return VrrpChecksumVariant.PSEUDO_HEADER;
        }
        if (pick == 1) {
            return VrrpChecksumVariant.MESSAGE_ONLY;
        }
        return destination.isMulticastAddress() ? VrrpChecksumVariant.PSEUDO_HEADER
                : VrrpChecksumVariant.PSEUDO_HEADER_LEGACY_UNICAST;
    }

    static Arbitrary<VrrpFrame> frames() {
        Arbitrary<MacAddress> mac = Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(MacAddress::new);
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> word = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> flowLabel = Arbitraries.integers().between(0, 0xfffff);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        return Combinators.combine(samples(), mac, mac, octet, word, flowLabel, flag, octet)
                .as((s, dstMac, srcMac, tos, id, flow, df, ttl) -> {
                    // A multicast advert must carry TTL 255 to be accepted; unicast may carry any.
                    int hops = s.destination().isMulticastAddress() ? VrrpCodec.REQUIRED_TTL : ttl;
                    IpHeader header = s.packet().isIpv6()
                            ? new Ipv6Header(tos, flow, hops, (Inet6Address) s.source(), (Inet6Address) s.destination())
                            : new Ipv4Header(tos, id, df, hops, (java.net.Inet4Address) s.source(),
                                    (java.net.Inet4Address) s.destination());
                    return new VrrpFrame(dstMac, srcMac, header, s.packet());
                });
    }

    /**
     * Every captured frame (adverts, GARP, NA) with a few bytes overwritten, the length sometimes
     * changed, and half the time the IPv4 and VRRP checksums repaired afterwards so that the
     * damage reaches the VRRP checks behind the checksums.
     */
    static Arbitrary<byte[]> mutatedFixtures() {
        Arbitrary<byte[]> base = Arbitraries.of(fixtureFrames());
        Arbitrary<List<Mutation>> mutations = Combinators.combine(Arbitraries.integers().between(0, 95),
                Arbitraries.bytes()).as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Integer> newLength = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(-1)),
                Tuple.of(3, Arbitraries.integers().between(0, 110)));
        Arbitrary<Boolean> repair = Arbitraries.of(true, false);
        return Combinators.combine(base, mutations, newLength, repair).as((frame, ms, len, fix) -> {
            byte[] out = frame.clone();
            for (Mutation m : ms) {
                if (m.position() < out.length) {
                    out[m.position()] = m.value();
                }
            }
            if (len >= 0) {
                int oldLength = out.length;
                out = Arrays.copyOf(out, len);
                Arrays.fill(out, Math.min(oldLength, len), len, (byte) 0xa5);
            }
            return fix ? repairChecksums(out) : out;
        });
    }

    /** Recomputes the IPv4 header and VRRP checksums where the damaged headers still allow it. */
    static byte[] repairChecksums(byte[] frame) {
        if (frame.length < FrameSurgery.ETH + 20) {
            return frame;
        }
        int ethertype = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
        FrameSurgery s = FrameSurgery.of(frame);
        int ipHeader;
        int payload;
        if (ethertype == 0x0800) {
            ipHeader = (frame[FrameSurgery.ETH] & 0x0f) * 4;
            if (ipHeader < 20 || FrameSurgery.ETH + ipHeader > frame.length) {
                return frame;
            }
            s = s.fixIpChecksum();
            payload = ((frame[16] & 0xff) << 8 | (frame[17] & 0xff)) - ipHeader;
        } else if (ethertype == 0x86dd && frame.length >= FrameSurgery.ETH + 40) {
            ipHeader = 40;
            payload = (frame[18] & 0xff) << 8 | (frame[19] & 0xff);
        } else {
            return s.bytes();
        }
        if (payload >= VrrpCodec.HEADER_LENGTH && FrameSurgery.ETH + ipHeader + payload <= frame.length) {
            s = s.fixVrrpChecksum();
        }
        return s.bytes();
    }

    /** Pure noise, and noise behind a real Ethernet/IP prefix so that the deeper layers are reached too. */
    static Arbitrary<byte[]> randomBytes() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(128);
        Arbitrary<byte[]> prefixed = Combinators.combine(Arbitraries.of(fixtureFrames()),
                Arbitraries.integers().between(0, 60), noise).as((frame, cut, tail) ->
                Fixtures.concat(Arrays.copyOf(frame, Math.min(cut, frame.length)), tail));
        return Arbitraries.oneOf(noise, prefixed);
    }

    static List<byte[]> fixtureFrames() {
        List<byte[]> frames = new ArrayList<>();
        for (String name : Fixtures.ADVERTS) {
            frames.add(Fixtures.hex(name));
        }
        frames.add(Fixtures.hex("garp-ipv4-vip"));
        frames.add(Fixtures.hex("unsolicited-na-ipv6-vip"));
        return frames;
    }

    private static Arbitrary<InetAddress> anyIpv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> WireBytes.ipv4(b, 0));
    }

    /** Any 16 bytes, IPv4-mapped ones included: they must stay IPv6 through a round trip. */
    private static Arbitrary<InetAddress> anyIpv6() {
        Arbitrary<byte[]> mapped = Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> {
            byte[] a = new byte[16];
            a[10] = (byte) 0xff;
            a[11] = (byte) 0xff;
            System.arraycopy(b, 0, a, 12, 4);
            return a;
        });
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(16), mapped).map(b -> WireBytes.ipv6(b, 0));
    }

    private static Arbitrary<InetAddress> unicastIpv4() {
        return Combinators.combine(Arbitraries.integers().between(1, 223), Arbitraries.bytes().array(byte[].class).ofSize(3))
                .as((first, rest) -> {
                    byte[] a = {(byte) (int) first, rest[0], rest[1], rest[2]};
                    return WireBytes.ipv4(a, 0);
                });
    }

    private static Arbitrary<InetAddress> linkLocal() {
        return Arbitraries.bytes().array(byte[].class).ofSize(8).map(low -> {
            byte[] a = new byte[16];
            a[0] = (byte) 0xfe;
            a[1] = (byte) 0x80;
            System.arraycopy(low, 0, a, 8, 8);
            try {
                return (InetAddress) Inet6Address.getByAddress(null, a, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
    }
}
