package dev.vigil.heartbeat;

import java.time.Instant;

/**
 * Something that happened on a node, for {@code vigil status}, the console's event list and its
 * live stream: a node or link changing status, a resource group moving, an admin request, a
 * rejected packet, a serious log line.
 *
 * @param kind {@code node}, {@code link}, {@code resource}, {@code admin}, {@code auth}, {@code log} or
 *     {@code split-brain}
 * @param text worded as heartbeat's log words it where heartbeat has a line for it
 */
public record NodeEvent(long nanos, Instant time, String kind, String text) {
}
