package dev.vigil.heartbeat.wire;

import java.util.Optional;

/**
 * Bytes to messages and back, byte-exact with heartbeat 3.0.6, with heartbeat's two signatures
 * (research heartbeat.md §1.2, §1.3). Pure: no I/O, no clock, no logging; immutable and
 * thread-safe.
 *
 * <h2>Signing</h2>
 * {@link #encodeNetstring} does what {@code heartbeat.c:process_outbound_packet} does: it sets the
 * inner {@code auth} field (digest of the classic field text without {@code auth},
 * {@code ha_msg_internal.c:add_msg_auth}), writes the netstring body, and appends the trailer
 * (digest of every byte from {@code "###\n"} through {@code "%%%\n"}). Both use the active key.
 * {@link #encodeClassic} writes the serial-link frame: inner {@code auth} only, no NUL
 * ({@code serial.c:serial_write}).
 *
 * <h2>Verifying</h2>
 * {@link #decode} dispatches on the first four bytes like {@code cl_msg.c:wirefmt2msg_ll}. A
 * netstring packet is accepted on its trailer alone ({@code cl_netstring.c:netstring2msg}); the
 * inner field is reported in {@link Decoded#innerAuth()}. A classic packet is accepted on its
 * inner field ({@code ha_msg_internal.c:isauthentic}: the last {@code auth} field, checked with
 * the method and key of the index it names).
 *
 * <p>For the trailer heartbeat takes the method from the index the packet names but the key of
 * the <em>active</em> entry ({@code heartbeat.c:hb_compute_authentication} passes
 * {@code config->authmethod}); {@link TrailerKeyRule} selects whether to copy that quirk.
 */
public final class HbCodec {
    /** glue {@code clplumbing/ipc.h MAXMSG}: heartbeat reads at most {@code MAXMSG - 1} bytes of a datagram. */
    public static final int MAXMSG = 256 * 1024;

    /** Which key checks the netstring trailer. */
    public enum TrailerKeyRule {
        /** As heartbeat: the method of the named index with the active entry's key. The default. */
        ACTIVE_KEY_AS_HEARTBEAT,
        /** The method and key of the named index. Accepts a peer that signs with another configured entry. */
        KEY_OF_NAMED_INDEX
    }

    private final AuthKeys keys;
    private final TrailerKeyRule trailerKeyRule;

    public HbCodec(AuthKeys keys) {
        this(keys, TrailerKeyRule.ACTIVE_KEY_AS_HEARTBEAT);
    }

    public HbCodec(AuthKeys keys, TrailerKeyRule trailerKeyRule) {
        if (keys == null || trailerKeyRule == null) throw new IllegalArgumentException("keys and trailer rule are required");
        this.keys = keys;
        this.trailerKeyRule = trailerKeyRule;
    }

    public AuthKeys keys() {
        return keys;
    }

    // ---------------------------------------------------------------- encoding

    /**
     * The message with its inner {@code auth} field set by the active key: the first
     * {@code auth} field keeps its position, or one is appended ({@code ha_msg_mod}).
     *
     * @throws IllegalArgumentException if the message has no classic form (see {@link #classicText}),
     *     or its first {@code auth} field is not a string
     */
    public HbMessage sign(HbMessage message) {
        byte[] text = ClassicForm.signedText(message);
        AuthKey k = keys.active();
        String digest = AuthDigest.compute(k.method(), k.key(), text, 0, text.length);
        return message.toBuilder().set(HbMessage.AUTH, new AuthSignature(k.index(), digest).wireText()).build();
    }

    /**
     * A UDP packet as heartbeat sends it: inner {@code auth} set, netstring body, trailer.
     *
     * @throws IllegalArgumentException if the packet would reach {@link #MAXMSG} bytes, or the
     *     message has no classic form to sign
     */
    public byte[] encodeNetstring(HbMessage message) {
        byte[] body = NetstringForm.write(sign(message));
        AuthKey k = keys.active();
        String trailer = new AuthSignature(k.index(), AuthDigest.compute(k.method(), k.key(), body, 0, body.length)).wireText();
        ByteSink out = new ByteSink(body.length + trailer.length() + 8);
        out.write(body);
        out.writeAscii(trailer.length() + ":" + trailer + ",");
        return checkSize(out.toByteArray());
    }

    /**
     * A serial-link frame: {@code ">>>\n"}, the fields with the inner {@code auth} set,
     * {@code "<<<\n"}, and no NUL (a NUL would make heartbeat's serial reader lose the next frame).
     */
    public byte[] encodeClassic(HbMessage message) {
        return checkSize(ClassicForm.write(sign(message)));
    }

    /** A classic UDP datagram: {@link #encodeClassic} plus the trailing NUL classic senders append ({@code msg2wirefmt}). */
    public byte[] encodeClassicDatagram(HbMessage message) {
        byte[] frame = ClassicForm.write(sign(message));
        byte[] out = new byte[frame.length + 1];
        System.arraycopy(frame, 0, out, 0, frame.length);
        return checkSize(out);
    }

    /** The netstring body {@code "###\n" ... "%%%\n"} of the message as it is: no signing, no trailer. */
    public static byte[] netstringBody(HbMessage message) {
        return NetstringForm.write(message);
    }

    /**
     * The classic text {@code ">>>\n" ... "<<<\n"} of the message as it is, no signing.
     *
     * @throws IllegalArgumentException if a nested struct is deeper than 16 levels or contains the
     *     control byte heartbeat uses for its newlines
     */
    public static byte[] classicText(HbMessage message) {
        return ClassicForm.write(message);
    }

    private static byte[] checkSize(byte[] packet) {
        if (packet.length >= MAXMSG) {
            throw new IllegalArgumentException("encoded message is " + packet.length + " bytes; heartbeat accepts fewer than " + MAXMSG);
        }
        return packet;
    }

    // ---------------------------------------------------------------- decoding

    public DecodeResult decode(byte[] packet) {
        return decode(packet, 0, packet.length);
    }

    /** Decodes and verifies one UDP payload or serial frame. Never throws for any input bytes. */
    public DecodeResult decode(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return new Rejected(RejectReason.INTERNAL_ERROR, "invalid buffer bounds");
        }
        try {
            if (len == 0) return new Rejected(RejectReason.EMPTY, "empty packet");
            if (len >= MAXMSG) return new Rejected(RejectReason.OVERSIZED, len + " bytes; the limit is " + (MAXMSG - 1));
            int end = off + len;
            if (Bytes.startsWith(buf, off, end, NetstringForm.START)) return decodeNetstring(buf, off, end);
            if (Bytes.startsWith(buf, off, end, ClassicForm.START)) return decodeClassic(buf, off, end);
            if (Bytes.isCutMarker(buf, off, end, NetstringForm.START) || Bytes.isCutMarker(buf, off, end, ClassicForm.START)) {
                return new Rejected(RejectReason.TRUNCATED, "packet ends inside its start marker");
            }
            return new Rejected(RejectReason.UNKNOWN_FORMAT, "starts with neither '###' nor '>>>'");
        } catch (WireException e) {
            return e.toRejected();
        } catch (RuntimeException e) {
            return new Rejected(RejectReason.INTERNAL_ERROR, e.getClass().getSimpleName());
        }
    }

    private DecodeResult decodeNetstring(byte[] b, int off, int end) {
        NetstringForm.Parsed parsed = NetstringForm.parse(b, off, end, 0);
        HbMessage msg = parsed.message();
        if (parsed.end() == end) return new Rejected(RejectReason.NO_AUTH, "no trailer signature" + from(msg));
        NetstringForm.Element trailer = NetstringForm.element(b, parsed.end(), end);
        Optional<AuthSignature> sig = AuthSignature.parse(Bytes.latin1(b, trailer.start(), trailer.length()));
        if (sig.isEmpty()) return new Rejected(RejectReason.BAD_AUTH_FORMAT, "trailer is not '<index> <digest>'" + from(msg));
        Optional<AuthKey> named = keys.byIndex(sig.get().index());
        if (named.isEmpty()) return unknownIndex("trailer", sig.get(), msg);
        AuthKey signer = trailerKeyRule == TrailerKeyRule.ACTIVE_KEY_AS_HEARTBEAT ? keys.active() : named.get();
        String expected = AuthDigest.compute(named.get().method(), signer.key(), b, off, parsed.end() - off);
        if (!AuthDigest.matches(expected, sig.get().digest())) return badSignature("trailer", named.get(), msg);
        return new Decoded(msg, WireFormat.NETSTRING, sig.get(), innerAuth(msg), end - trailer.next());
    }

    private DecodeResult decodeClassic(byte[] b, int off, int end) {
        ClassicForm.Parsed parsed = ClassicForm.parse(b, off, end, 0);
        HbMessage msg = parsed.message();
        if (!msg.has(HbMessage.AUTH)) return new Rejected(RejectReason.NO_AUTH, "no auth field" + from(msg));
        Optional<AuthSignature> sig = msg.auth();
        if (sig.isEmpty()) return new Rejected(RejectReason.BAD_AUTH_FORMAT, "auth field is not '<index> <digest>'" + from(msg));
        Optional<AuthKey> key = keys.byIndex(sig.get().index());
        if (key.isEmpty()) return unknownIndex("auth field", sig.get(), msg);
        if (!innerDigestMatches(msg, key.get(), sig.get())) return badSignature("auth field", key.get(), msg);
        return new Decoded(msg, WireFormat.CLASSIC, sig.get(), InnerAuthStatus.VALID, end - parsed.end());
    }

    private InnerAuthStatus innerAuth(HbMessage msg) {
        if (!msg.has(HbMessage.AUTH)) return InnerAuthStatus.ABSENT;
        Optional<AuthSignature> sig = msg.auth();
        if (sig.isEmpty()) return InnerAuthStatus.INVALID;
        Optional<AuthKey> key = keys.byIndex(sig.get().index());
        return key.isPresent() && innerDigestMatches(msg, key.get(), sig.get()) ? InnerAuthStatus.VALID : InnerAuthStatus.INVALID;
    }

    private static boolean innerDigestMatches(HbMessage msg, AuthKey key, AuthSignature sig) {
        byte[] text;
        try {
            text = ClassicForm.signedText(msg);
        } catch (IllegalArgumentException e) {
            return false; // heartbeat cannot compute it either (msg2string_buf fails)
        }
        return AuthDigest.matches(AuthDigest.compute(key.method(), key.key(), text, 0, text.length), sig.digest());
    }

    private static Rejected unknownIndex(String where, AuthSignature sig, HbMessage msg) {
        String index = sig.index() == Integer.MIN_VALUE ? "out of range" : Integer.toString(sig.index());
        return new Rejected(RejectReason.UNKNOWN_KEY_INDEX, where + " names authkeys index " + index + ", which is not configured" + from(msg));
    }

    private static Rejected badSignature(String where, AuthKey key, HbMessage msg) {
        return new Rejected(RejectReason.BAD_SIGNATURE, where + " does not match (index " + key.index() + ", " + key.method().wireName() + ")" + from(msg));
    }

    /** heartbeat names the claimed sender when authentication fails ({@code string2msg_ll}). */
    private static String from(HbMessage msg) {
        return msg.src().map(s -> " from node [" + Bytes.printable(s, 40) + "]").orElse("");
    }

    @Override
    public String toString() {
        return "HbCodec[" + keys + ", " + trailerKeyRule + "]";
    }
}
