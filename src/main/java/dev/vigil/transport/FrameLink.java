package dev.vigil.transport;

/** Whole Ethernet frames out of one device (VRRP adverts, gratuitous ARP, neighbour advertisements). */
public interface FrameLink {

    String device();

    /** The device's MAC address, read when the link was opened (in the link's network namespace). */
    byte[] hardwareAddress();

    /** Sends one frame; false when it could not (counted by the link). Never blocks the caller for long. */
    boolean send(byte[] frame);
}
