/**
 * The pure VRRP state machines: one {@link dev.vigil.vrrp.instance.VrrpInstance} per
 * {@code vrrp_instance}, {@link dev.vigil.vrrp.instance.VrrpSyncGroup} per {@code vrrp_sync_group},
 * behaving on the wire and in time like keepalived 2.2.7 (RFC 3768 / RFC 5798 §6 plus keepalived's
 * deviations; see {@code /work/shared/research/keepalived.md}).
 *
 * <h2>How a glue drives it</h2>
 * <ol>
 *   <li>Build {@link dev.vigil.vrrp.instance.VrrpInstanceSettings} from the parsed config (the instance's
 *       primary address, advertised VIPs, tracked scripts and interfaces, including the own interface with
 *       weight 0 unless {@code dont_track_primary}). Group instances with {@code VrrpSyncGroup} before
 *       starting them; from then on every event for a member goes through its group.</li>
 *   <li>Report the initial state of each tracked interface ({@code onInterfaceState}) and each tracked
 *       script ({@code onScriptStatus} with {@link dev.vigil.vrrp.instance.VrrpScriptState#status()}), then
 *       call {@code start(now)}.</li>
 *   <li>Carry out the returned actions in order. {@code SetTimer(kind, at)} replaces any pending timer of
 *       that kind for that instance; when it fires, call {@code onTimer(kind, now)}. Late, cancelled or early
 *       firings are harmless (an early one returns a new {@code SetTimer}).</li>
 *   <li>Decode each received VRRP packet with the codec, look the instance up by VRID (unknown VRIDs are
 *       ignored), and pass a {@link dev.vigil.vrrp.instance.ReceivedAdvert} with the IP source, destination,
 *       TTL and the codec's length/checksum verdict to {@code onAdvert}. The instance runs
 *       {@link dev.vigil.vrrp.instance.AdvertValidator} itself and counts refusals.</li>
 *   <li>Keep one {@link dev.vigil.vrrp.instance.VrrpScriptState} per {@code vrrp_script}; feed it each run's
 *       outcome and, when it reports a new status, call {@code onScriptStatus} on every instance tracking
 *       the script. Link changes go to {@code onInterfaceState}.</li>
 *   <li>On SIGTERM call {@code shutdown(now)} and send what it returns before exiting.</li>
 * </ol>
 * Actions carry no addresses: {@code SendAdvert(priority)} is encoded with the instance's VRID, version,
 * configured interval, advertised VIPs and authentication; {@code Transition} drives notify scripts
 * ({@code INSTANCE name STATE priority}) and {@code SyncGroupAction.GroupTransition} the group's
 * ({@code GROUP name STATE 0}).
 */
package dev.vigil.vrrp.instance;
