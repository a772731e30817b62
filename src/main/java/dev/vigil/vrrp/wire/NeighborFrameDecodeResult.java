package dev.vigil.vrrp.wire;

/** What the ARP and Neighbour Advertisement decoders return instead of throwing. */
public sealed interface NeighborFrameDecodeResult<T> {
    record Ok<T>(T frame) implements NeighborFrameDecodeResult<T> {
    }

    record Invalid<T>(NeighborFrameRejectReason reason, String detail) implements NeighborFrameDecodeResult<T> {
    }

    default boolean isOk() {
        return this instanceof Ok;
    }
}
