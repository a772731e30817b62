package dev.vigil.heartbeat.wire;

/** The two encodings heartbeat accepts; it tells them apart by the first four bytes ({@code cl_msg.c:wirefmt2msg_ll}). */
public enum WireFormat {
    /** {@code "###\n"} length-prefixed fields, {@code "%%%\n"}, then the trailer signature: every UDP packet of heartbeat 3.0.6. */
    NETSTRING,
    /** {@code ">>>\n"}, one {@code name=value} line per field, {@code "<<<\n"}: the serial link, the FIFO, and accepted on UDP. */
    CLASSIC
}
