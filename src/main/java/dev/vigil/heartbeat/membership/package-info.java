/**
 * Heartbeat 3.0.6 membership as a pure state machine: {@link dev.vigil.heartbeat.membership.Membership}.
 *
 * <p>It owns our status (init, up, active), keepalives, the liveness of every peer and of every
 * medium towards it (dead after the peer's advertised {@code dt}; initdead before comm-up),
 * generations, sequence numbers, ACKs, retransmission requests and answers from a 500-message
 * history, the {@code reqnodes}/{@code repnodes} join exchange, and the order in which the
 * resource layer sees a peer's messages. It does no I/O and reads no clock: every call takes the
 * monotonic time and returns {@link dev.vigil.heartbeat.membership.MembershipAction}s.
 *
 * <h2>Driving it (the glue)</h2>
 * <ol>
 *   <li>Build {@link dev.vigil.heartbeat.membership.MembershipSettings} from ha.cf. The generation:
 *       read {@code /var/lib/heartbeat/hb_generation}, {@link dev.vigil.heartbeat.membership.HbGeneration#next};
 *       the uuid: the 16 bytes of {@code hb_uuid} (create a random one once). Give it a seeded
 *       {@code RandomGenerator} and a {@link dev.vigil.heartbeat.membership.HostProbe} (wall clock
 *       for {@code ts}, {@code /proc/loadavg} for {@code ld}).</li>
 *   <li>Call {@code start(now)}. Perform the actions in order: {@code PersistGeneration} writes
 *       {@link dev.vigil.heartbeat.membership.HbGeneration#fileContent} durably before anything is
 *       sent; {@code Broadcast} signs and encodes with {@code HbCodec} (netstring on UDP, classic
 *       on serial) and sends once on every medium; {@code Log} goes to the log with heartbeat's
 *       wording; the events ({@code NodeStatusChanged}, {@code LinkStatusChanged}, {@code CommUp},
 *       {@code Deliver}, {@code PeerRestarted}, {@code PeerReturnedAfterPartition}) go to the
 *       resource manager ({@code ResourceManager.onMembership}) in the same order.</li>
 *   <li>For every datagram or serial frame: decode and verify with {@code HbCodec}; if accepted,
 *       call {@code received(message, mediumName, now)} with the name of the medium it came in
 *       on. Our own broadcasts looping back may be passed in; they are ignored.</li>
 *   <li>After every call, (re)arm one timer for {@code nextDeadlineNanos()} (min with the resource
 *       manager's) and call {@code tick(now)} when it fires. Ticking early or twice is harmless.</li>
 *   <li>The resource manager's {@code Broadcast(body)} goes through {@code send(body, now)}, which
 *       adds the standard fields and returns the {@code Broadcast} to perform.</li>
 *   <li>cl_status: {@code localStatus}, {@code nodeStatus}, {@code links}, {@code linkStatus}.</li>
 * </ol>
 *
 * <p>Sources: {@code /work/shared/research/heartbeat.md} §1, §3, §6; heartbeat's
 * {@code heartbeat.c}, {@code hb_rexmit.c}, {@code ha_msg_internal.c}; and the captures in
 * {@code src/test/resources/heartbeat-fixtures}, which the tests replay.
 */
package dev.vigil.heartbeat.membership;
