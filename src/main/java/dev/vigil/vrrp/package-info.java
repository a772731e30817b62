/**
 * VRRP mode: the keepalived.conf VRRP side run on the wire next to keepalived 2.2.7.
 *
 * <ul>
 *   <li>{@link dev.vigil.vrrp.VrrpRouter}: the glue of one node. It drives the pure state machines of
 *       {@code dev.vigil.vrrp.instance} on a {@link dev.vigil.core.Scheduler}: frames in (decoded with
 *       {@code dev.vigil.vrrp.wire}, dispatched by interface, VRID and family) and out (whole Ethernet
 *       frames, multicast or per unicast peer), timers, ordered address changes and gratuitous ARPs,
 *       {@code vrrp_script} runs, link states, maintenance. All I/O goes through
 *       {@link dev.vigil.vrrp.VrrpIo}, so the same code runs in the daemon and the simulation.</li>
 *   <li>{@link dev.vigil.vrrp.KeepalivedMapping}: {@code KeepalivedConfig} to
 *       {@link dev.vigil.vrrp.VrrpNodeConfig}, resolving what needs the host (primary and link-local
 *       addresses) and keepalived's glue rules; errors at {@code file:line:col}.</li>
 *   <li>{@link dev.vigil.vrrp.VrrpNotifier} and {@link dev.vigil.vrrp.ScriptSecurity}: notify scripts
 *       with keepalived's arguments and its {@code enable_script_security}/{@code script_user} rules;
 *       a {@link dev.vigil.vrrp.VrrpRouter.Listener} like any other (e-mail alerts can listen too).</li>
 *   <li>{@link dev.vigil.vrrp.VrrpDaemon}: the mode inside {@link dev.vigil.daemon.DaemonRunner}:
 *       pcap links, {@code ip addr}, forked scripts, sysfs link polling;
 *       {@link dev.vigil.vrrp.VrrpControl} (status JSON, events, {@code fault}/{@code recover}) and
 *       {@link dev.vigil.vrrp.VrrpStatusView} ({@code vigil status}).</li>
 *   <li>{@code dev.vigil.vrrp.sim}: {@link dev.vigil.vrrp.sim.SimVrrpNode}, the same router on
 *       {@link dev.vigil.sim.SimNetwork} with real frame bytes, and
 *       {@link dev.vigil.vrrp.sim.SimAddressBook}, who held which address when.</li>
 * </ul>
 *
 * <p>Threads: everything above runs on the scheduler's thread (the daemon's single event loop);
 * pcap receive threads, the link watcher and the script runner hand their results over with
 * {@link dev.vigil.core.Scheduler#execute}. Start-up work that would stall the loop (class loading of
 * the codec, the state machines and the control endpoint) is done beforehand on a worker
 * ({@code WarmUp}), because at {@code advert_int 0.01} a 36 ms stall is a spurious takeover.
 */
package dev.vigil.vrrp;
