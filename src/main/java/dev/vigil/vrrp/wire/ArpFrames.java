package dev.vigil.vrrp.wire;

import static dev.vigil.vrrp.wire.WireBytes.ETHERNET_HEADER_LENGTH;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_ARP;
import static dev.vigil.vrrp.wire.WireBytes.ETHERTYPE_IPV4;
import static dev.vigil.vrrp.wire.WireBytes.u16;
import static dev.vigil.vrrp.wire.WireBytes.u8;

import java.net.Inet4Address;
import java.util.Objects;

/** Builds and parses the gratuitous ARPs a new master sends for its IPv4 VIPs. */
public final class ArpFrames {
    static final int ARP_LENGTH = 28;
    private static final int HARDWARE_ETHERNET = 1;

    private ArpFrames() {
    }

    /**
     * A gratuitous ARP as keepalived 2.2.7 sends it (fixture {@code garp-ipv4-vip},
     * keepalived.md §1.5): an ARP <i>request</i> (not a reply) broadcast to ff:ff:ff:ff:ff:ff,
     * sender = target IP = the VIP, target MAC ff:ff:ff:ff:ff:ff, sender MAC = the interface MAC
     * (or the VMAC with {@code use_vmac}, not observed here). keepalived sends 5 per VIP after
     * becoming master and 5 more after {@code garp_master_delay} (5 s).
     */
    public static ArpFrame gratuitous(MacAddress senderMac, Inet4Address vip) {
        return new ArpFrame(MacAddress.BROADCAST, senderMac, ArpFrame.OPERATION_REQUEST, senderMac, vip,
                MacAddress.BROADCAST, vip);
    }

    /** 42 bytes; a NIC pads it to 60 on the wire. */
    public static byte[] encode(ArpFrame arp) {
        byte[] out = new byte[ETHERNET_HEADER_LENGTH + ARP_LENGTH];
        arp.destinationMac().writeTo(out, 0);
        arp.sourceMac().writeTo(out, 6);
        WireBytes.put16(out, 12, ETHERTYPE_ARP);
        int a = ETHERNET_HEADER_LENGTH;
        WireBytes.put16(out, a, HARDWARE_ETHERNET);
        WireBytes.put16(out, a + 2, ETHERTYPE_IPV4);
        out[a + 4] = 6;
        out[a + 5] = 4;
        WireBytes.put16(out, a + 6, arp.operation());
        arp.senderHardwareAddress().writeTo(out, a + 8);
        WireBytes.putAddress(out, a + 14, arp.senderProtocolAddress());
        arp.targetHardwareAddress().writeTo(out, a + 18);
        WireBytes.putAddress(out, a + 24, arp.targetProtocolAddress());
        return out;
    }

    /** Parses an ARP frame; bytes after the 28-byte ARP packet (Ethernet padding) are ignored. */
    public static NeighborFrameDecodeResult<ArpFrame> decode(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length < ETHERNET_HEADER_LENGTH) {
            return invalid(NeighborFrameRejectReason.FRAME_TOO_SHORT, frame.length + " bytes");
        }
        int ethertype = u16(frame, 12);
        if (ethertype != ETHERTYPE_ARP) {
            return invalid(NeighborFrameRejectReason.UNSUPPORTED_ETHERTYPE, String.format("ethertype 0x%04x", ethertype));
        }
        int a = ETHERNET_HEADER_LENGTH;
        if (frame.length - a < ARP_LENGTH) {
            return invalid(NeighborFrameRejectReason.ARP_TRUNCATED, (frame.length - a) + " bytes of ARP");
        }
        if (u16(frame, a) != HARDWARE_ETHERNET || u16(frame, a + 2) != ETHERTYPE_IPV4 || u8(frame, a + 4) != 6
                || u8(frame, a + 5) != 4) {
            return invalid(NeighborFrameRejectReason.ARP_NOT_ETHERNET_IPV4, String.format(
                    "htype %d ptype 0x%04x hlen %d plen %d", u16(frame, a), u16(frame, a + 2), u8(frame, a + 4),
                    u8(frame, a + 5)));
        }
        int operation = u16(frame, a + 6);
        if (operation != ArpFrame.OPERATION_REQUEST && operation != ArpFrame.OPERATION_REPLY) {
            return invalid(NeighborFrameRejectReason.UNSUPPORTED_ARP_OPERATION, "operation " + operation);
        }
        return new NeighborFrameDecodeResult.Ok<>(new ArpFrame(MacAddress.read(frame, 0), MacAddress.read(frame, 6),
                operation, MacAddress.read(frame, a + 8), WireBytes.ipv4(frame, a + 14), MacAddress.read(frame, a + 18),
                WireBytes.ipv4(frame, a + 24)));
    }

    private static NeighborFrameDecodeResult<ArpFrame> invalid(NeighborFrameRejectReason reason, String detail) {
        return new NeighborFrameDecodeResult.Invalid<>(reason, detail);
    }
}
