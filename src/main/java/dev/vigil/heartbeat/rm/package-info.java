/**
 * Heartbeat 3.0.6's v1 ("haresources") resource manager for two nodes, as a pure state machine:
 * {@link dev.vigil.heartbeat.rm.ResourceManager}.
 *
 * <p>It speaks heartbeat's resource protocol ({@code starting}, {@code resource},
 * {@code ask_resources}, {@code hb_takeover}, {@code ip-request(-resp)}, {@code stonith},
 * {@code shutdone}) with a real heartbeat peer or another Vigil node, decides which groups this node
 * runs ({@code auto_failback on|off|legacy}, standby, takeover, peer death, shutdown) and sequences
 * each group's resource scripts the way {@code ResourceManager} does: status before start, start
 * left to right, stop right to left, stop retried 10 times a second apart.
 *
 * <h2>Driving it (the glue)</h2>
 * <ul>
 *   <li>Feed every membership action with {@code onMembership(action, now)} (it picks the
 *       node-status changes of the peer, comm-up, delivered messages, restarts and partition returns).</li>
 *   <li>Perform {@link dev.vigil.heartbeat.rm.RmAction}s in order: {@code Broadcast(body)} through
 *       {@code Membership.send}; {@code RunResource(group, resource, op)} by running
 *       {@code <script> <args> <op>} off the event loop (resource.d, then init.d), then report with
 *       {@code operationFinished}: exit code 0 for start/stop, {@code HeartbeatStatusRule.isRunning(stdout)}
 *       for status; {@code RscStatusChanged} feeds {@code cl_status rscstatus};
 *       {@code ShutdownComplete} lets the glue stop membership a second or two later.</li>
 *   <li>Admin commands: {@code requestStandby} ({@code hb_standby}), {@code requestTakeover}
 *       ({@code hb_takeover}), {@code shutdown}, {@code resolveFailedGroup}.</li>
 *   <li>Timers: as membership, one deadline ({@code nextDeadlineNanos}) and {@code tick(now)}.</li>
 * </ul>
 *
 * <p>Sources: {@code /work/shared/research/heartbeat.md} §1.6, §4.3, §5, §6; heartbeat's
 * {@code hb_resource.c}, {@code ResourceManager}, {@code mach_down}, {@code req_resource},
 * {@code hb_standby}, {@code rc.d/*}; the captures cap1, cap2, cap3, cap5, cap6 and the ha-logs.
 */
package dev.vigil.heartbeat.rm;
