package dev.vigil.heartbeat;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What a node keeps across restarts: heartbeat's {@code hb_generation} and {@code hb_uuid}
 * ({@code /var/lib/heartbeat}; research heartbeat.md §1.4). Peers drop messages of a generation
 * lower than one they have seen, so the new generation must be stored before the first message.
 */
public interface HbStateStore {

    /** The generation of the previous run; empty on the first start (or when the file is unreadable as a number). */
    OptionalLong storedGeneration() throws IOException;

    /** Stores this run's generation durably (written whole or not at all). */
    void persistGeneration(long generation) throws IOException;

    /** This node's uuid, created on first use and the same on every later start. */
    UUID uuid() throws IOException;
}
