package dev.vigil.vrrp.wire;

import java.net.Inet4Address;
import java.util.Objects;

/** An Ethernet/IPv4 ARP frame (RFC 826). */
public record ArpFrame(MacAddress destinationMac, MacAddress sourceMac, int operation,
                       MacAddress senderHardwareAddress, Inet4Address senderProtocolAddress,
                       MacAddress targetHardwareAddress, Inet4Address targetProtocolAddress) {
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    public ArpFrame {
        if (operation != OPERATION_REQUEST && operation != OPERATION_REPLY) {
            throw new IllegalArgumentException("ARP operation must be 1 or 2, not " + operation);
        }
        Objects.requireNonNull(destinationMac, "destinationMac");
        Objects.requireNonNull(sourceMac, "sourceMac");
        Objects.requireNonNull(senderHardwareAddress, "senderHardwareAddress");
        Objects.requireNonNull(senderProtocolAddress, "senderProtocolAddress");
        Objects.requireNonNull(targetHardwareAddress, "targetHardwareAddress");
        Objects.requireNonNull(targetProtocolAddress, "targetProtocolAddress");
    }

    /** Gratuitous (RFC 5227 §3 "ARP Announcement"): sender and target protocol address are the same. */
    public boolean isGratuitous() {
        return senderProtocolAddress.equals(targetProtocolAddress);
    }

    @Override
    public String toString() {
        return "ArpFrame[" + sourceMac + " > " + destinationMac + " op=" + operation + " sha=" + senderHardwareAddress
                + " spa=" + senderProtocolAddress.getHostAddress() + " tha=" + targetHardwareAddress + " tpa="
                + targetProtocolAddress.getHostAddress() + "]";
    }
}
