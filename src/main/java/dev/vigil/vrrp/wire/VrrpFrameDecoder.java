package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.WireBytes.ETHERNET_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV4;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV6;
import static dev.vigil.vrrp.wire.WireBytes.IPV6_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.u16;
import static dev.vigil.vrrp.wire.WireBytes.u8;

/**
 * {@link VrrpFrames#decode(byte[])} for a receive path that sees the same adverts over and over:
 * it remembers the last frame that decoded per VRID and family, and when the next one is the same
 * bytes it returns the same result without decoding again.
 *
 * <p>A master's adverts do not change while nothing happens: keepalived's differ from one to the
 * next only in the IPv4 identification, which it counts up per instance, and so in the IPv4 header
 * checksum (keepalived.md §1.1). Those two fields are left out of the comparison; the header
 * checksum of every frame is still verified, and the identification of the result is the frame's
 * own. Decoding is a pure function of the bytes, so the result is exactly what decoding would
 * return. A backup of 255 keepalived masters at 0.1 s decodes 2 550 frames a second; comparing
 * them costs a fraction of building each one's addresses, lists and records
 * (docs/benchmarks.md, VRRP profiling, session 5).
 *
 * <p>Not thread-safe: one per receive loop.
 */
public final class VrrpFrameDecoder {
    private static final int IPV4_ID = ETHERNET_HEADER_LENGTH + 4;
    private static final int IPV4_HEADER_CHECKSUM = ETHERNET_HEADER_LENGTH + 10;

    /** Slot = VRID, IPv6 at +256. */
    private final byte[][] lastFrame = new byte[512][];
    private final VrrpFrameDecodeResult.Ok[] lastResult = new VrrpFrameDecodeResult.Ok[512];
    private long repeats;

    public VrrpFrameDecodeResult decode(byte[] frame) {
        int slot = slotOf(frame);
        if (slot >= 0) {
            byte[] previous = lastFrame[slot];
            if (previous != null && previous.length == frame.length) {
                VrrpFrameDecodeResult.Ok hit = repeated(previous, frame, lastResult[slot]);
                if (hit != null) {
                    repeats++;
                    return hit;
                }
            }
        }
        VrrpFrameDecodeResult result = VrrpFrames.decode(frame);
        if (slot >= 0 && result instanceof VrrpFrameDecodeResult.Ok ok) {
            lastFrame[slot] = frame.clone(); // the caller may reuse its buffer
            lastResult[slot] = ok;
        }
        return result;
    }

    /** How many frames were recognised as repeats (for tests and profiling). */
    public long repeats() {
        return repeats;
    }

    private static VrrpFrameDecodeResult.Ok repeated(byte[] previous, byte[] frame, VrrpFrameDecodeResult.Ok last) {
        if (!(last.frame().ipHeader() instanceof Ipv4Header h)) {
            return java.util.Arrays.equals(previous, frame) ? last : null;
        }
        int ihl = (u8(frame, ETHERNET_HEADER_LENGTH) & 0x0f) * 4;
        if (!java.util.Arrays.equals(previous, 0, IPV4_ID, frame, 0, IPV4_ID)
                || !java.util.Arrays.equals(previous, IPV4_ID + 2, IPV4_HEADER_CHECKSUM, frame, IPV4_ID + 2, IPV4_HEADER_CHECKSUM)
                || !java.util.Arrays.equals(previous, IPV4_HEADER_CHECKSUM + 2, frame.length, frame, IPV4_HEADER_CHECKSUM + 2, frame.length)
                || InternetChecksum.compute(frame, ETHERNET_HEADER_LENGTH, ihl) != 0) {
            return null; // a changed or damaged frame: decoded in full, and rejected there if bad
        }
        int id = u16(frame, IPV4_ID);
        if (id == h.identification()) return last;
        VrrpFrame f = last.frame();
        Ipv4Header header = new Ipv4Header(h.tos(), id, h.dontFragment(), h.ttl(), h.source(), h.destination());
        return new VrrpFrameDecodeResult.Ok(new VrrpFrame(f.destinationMac(), f.sourceMac(), header, f.packet()),
                last.checksumVariant());
    }

    /** The VRID slot of a frame that looks like VRRP (decoding decides whether it is); -1 otherwise. */
    private static int slotOf(byte[] f) {
        if (f.length < ETHERNET_HEADER_LENGTH + 1) return -1;
        int ethertype = u16(f, 12);
        if (ethertype == ETHERTYPE_IPV4) {
            int at = ETHERNET_HEADER_LENGTH + (u8(f, ETHERNET_HEADER_LENGTH) & 0x0f) * 4 + 1;
            return at < f.length ? u8(f, at) : -1;
        }
        if (ethertype == ETHERTYPE_IPV6) {
            int at = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + 1;
            return at < f.length ? 256 + u8(f, at) : -1;
        }
        return -1;
    }
}
