/**
 * Heartbeat mode: one heartbeat 3.0.6 (v1, haresources) node.
 *
 * <ul>
 *   <li>{@link dev.vigil.heartbeat.HeartbeatNode}: the glue that drives the pure state machines of
 *       {@code membership} and {@code rm} from media, a resource executor, a state store and a
 *       {@link dev.vigil.core.Scheduler}; the daemon and the simulation run the same class.</li>
 *   <li>{@link dev.vigil.heartbeat.HeartbeatSettings}: ha.cf and haresources mapped to what a node runs with.</li>
 *   <li>{@link dev.vigil.heartbeat.HeartbeatDaemon}: {@code vigil run --heartbeat DIR}; media, in-process
 *       addresses ({@code resources.HaResourceExecutor}), {@code hb_generation}/{@code hb_uuid}
 *       ({@link dev.vigil.heartbeat.FileStateStore}), the control surface
 *       ({@link dev.vigil.heartbeat.HeartbeatControl}).</li>
 *   <li>{@link dev.vigil.heartbeat.HeartbeatStatusView}: {@code vigil status} with cl_status's output and exit codes.</li>
 *   <li>{@code sim.SimHeartbeatCluster}: N nodes on virtual time with real encoded packets, for the
 *       console's lab and fault campaigns.</li>
 * </ul>
 */
package dev.vigil.heartbeat;
