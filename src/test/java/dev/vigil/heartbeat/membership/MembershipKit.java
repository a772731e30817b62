package dev.vigil.heartbeat.membership;

import dev.vigil.heartbeat.wire.HbMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;

/** Small helpers for driving one {@link Membership} by hand in tests. */
public final class MembershipKit {
    public static final String A = "nodea";
    public static final String B = "nodeb";
    public static final String C = "nodec";
    public static final long SEC = 1_000_000_000L;
    public static final long MS = 1_000_000L;
    /** 2026-11-24 20:54:28 UTC, the first captured ts (0x6b05f984). */
    public static final long EPOCH = 0x6b05f984L;
    public static final HostProbe HOST = HostProbe.fixed(EPOCH, "0.10 0.20 0.30 1/100 1234");

    private MembershipKit() {}

    /** The research testbed's ha.cf: keepalive 1, deadtime 5, warntime 3, initdead 10, bcast hb0. */
    public static MembershipSettings settings(String local, long generation, String... links) {
        List<String> l = links.length == 0 ? List.of("hb0") : List.of(links);
        UUID uuid = local.equals(A) ? HbFixtures.NODEA_UUID : local.equals(B) ? HbFixtures.NODEB_UUID : UUID.nameUUIDFromBytes(local.getBytes());
        return new MembershipSettings(local, List.of(A, B), l, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(10), 1, generation, uuid, Map.of(), Duration.ofMillis(250));
    }

    public static Membership membership(MembershipSettings s, long seed) {
        return new Membership(s, new SplittableRandom(seed), HOST);
    }

    public static List<HbMessage> broadcasts(List<MembershipAction> actions) {
        List<HbMessage> out = new ArrayList<>();
        for (MembershipAction a : actions) {
            if (a instanceof MembershipAction.Broadcast b) out.add(b.message());
        }
        return out;
    }

    public static List<HbMessage> broadcasts(List<MembershipAction> actions, String type) {
        List<HbMessage> out = new ArrayList<>();
        for (HbMessage m : broadcasts(actions)) {
            if (m.type().orElse("").equals(type)) out.add(m);
        }
        return out;
    }

    public static List<String> logs(List<MembershipAction> actions) {
        List<String> out = new ArrayList<>();
        for (MembershipAction a : actions) {
            if (a instanceof MembershipAction.Log l) out.add(l.toString());
        }
        return out;
    }

    public static <T extends MembershipAction> List<T> only(List<MembershipAction> actions, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (MembershipAction a : actions) {
            if (type.isInstance(a)) out.add(type.cast(a));
        }
        return out;
    }

    public static List<HbMessage> delivered(List<MembershipAction> actions) {
        List<HbMessage> out = new ArrayList<>();
        for (MembershipAction.Deliver d : only(actions, MembershipAction.Deliver.class)) out.add(d.message());
        return out;
    }

    /** Runs {@code tick} at every deadline up to and including {@code until}, collecting the actions. */
    public static List<MembershipAction> runUntil(Membership m, long until) {
        List<MembershipAction> all = new ArrayList<>();
        long last = Long.MIN_VALUE;
        while (m.nextDeadlineNanos() <= until) {
            long at = Math.max(last, m.nextDeadlineNanos()); // a deadline already past runs now, not back in time
            all.addAll(m.tick(at));
            last = at;
        }
        return all;
    }

    /**
     * A message from a peer as that peer's membership would have built it: body plus the standard
     * fields, for feeding into the node under test.
     */
    public static HbMessage fromPeer(String peer, UUID peerUuid, long generation, long seq, String type, String... kv) {
        HbMessage.Builder b = HbMessage.builder().add(HbMessage.TYPE, type);
        for (int i = 0; i + 1 < kv.length; i += 2) b.add(kv[i], kv[i + 1]);
        b.add(HbMessage.SRC, peer).addUuid(HbMessage.SRC_UUID, peerUuid);
        if (!type.startsWith("NS_")) b.addHex(HbMessage.SEQ, seq);
        b.addHex(HbMessage.GENERATION, generation).addHex(HbMessage.TIMESTAMP, EPOCH + seq);
        if (!type.startsWith("NS_")) b.add(HbMessage.LOAD, "0.00 0.00 0.00 1/1 1");
        return b.add(HbMessage.TTL, "3").build();
    }

    /** A status heartbeat from nodeb. */
    public static HbMessage statusFromB(long generation, long seq, String st, long dtMillis) {
        return fromPeer(B, HbFixtures.NODEB_UUID, generation, seq, "status", "st", st, "dt", Long.toHexString(dtMillis), "protocol", "1");
    }

    /**
     * Starts {@code a} (nodea) at 0 and joins it with nodeb: nodeb's status (seq 1, st=active, the
     * given dt) and its repnodes (seq 2) at {@code at}. Comm is up afterwards.
     */
    public static Membership joined(long genB, long dtMillis, long at, String... links) {
        Membership a = membership(settings(A, 0x6b05f985L, links), 1);
        a.start(0);
        String link = links.length == 0 ? "hb0" : links[0];
        a.received(statusFromB(genB, 1, "active", dtMillis), link, at);
        a.received(fromPeer(B, HbFixtures.NODEB_UUID, genB, 2, "repnodes", "dest", A, "nodelist", "nodea nodeb ", "delnodelist", " "), link, at);
        if (!a.isCommUp()) throw new AssertionError("not joined");
        return a;
    }

    public static Predicate<String> containing(String s) {
        return x -> x.contains(s);
    }
}
