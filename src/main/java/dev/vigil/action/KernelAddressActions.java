package dev.vigil.action;

import dev.vigil.vrrp.wire.ArpFrames;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.NeighborAdvertFrames;
import dev.vigil.transport.FrameLink;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Addresses on the real kernel: {@code ip addr add|del} (a few milliseconds, run by the
 * {@link ScriptRunner} off the event loop) followed by a gratuitous ARP or unsolicited neighbour
 * advertisement sent in-process through a raw frame link. heartbeat's IPaddr2 script takes about two
 * seconds for the same job (research heartbeat.md section 3), most of the takeover time.
 */
public final class KernelAddressActions implements AddressActions {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(5);

    private final ScriptRunner runner;
    private final Function<String, FrameLink> frameLinks;
    private final List<String> commandPrefix;
    private final Optional<Netlink> netlink;

    /**
     * @param frameLinks    gives the frame link of a device (null: announcements are skipped for that
     *                      device and the result says so)
     * @param commandPrefix put before every {@code ip} command: empty normally; {@code ip netns exec NS}
     *                      to act inside a network namespace (keepalived's {@code net_namespace})
     */
    public KernelAddressActions(ScriptRunner runner, Function<String, FrameLink> frameLinks, List<String> commandPrefix) {
        this(runner, frameLinks, commandPrefix, Optional.empty());
    }

    /**
     * @param netlink when present (and {@code commandPrefix} is empty), addresses are added and
     *                removed with rtnetlink in-process instead of by starting {@code ip}: no process
     *                to wait for on the takeover path (see {@link Netlink})
     */
    public KernelAddressActions(ScriptRunner runner, Function<String, FrameLink> frameLinks, List<String> commandPrefix,
                                Optional<Netlink> netlink) {
        this.runner = runner;
        this.frameLinks = frameLinks;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.netlink = commandPrefix.isEmpty() ? netlink : Optional.empty();
    }

    /** The netlink used instead of {@code ip}, if any: also what a resource's status query should use. */
    public Optional<Netlink> netlink() {
        return netlink;
    }

    @Override
    public CompletableFuture<ActionResult> add(VirtualAddress a) {
        if (netlink.isPresent()) {
            String what = "ip addr add " + a.cidr() + " dev " + a.device() + " (netlink)";
            return netlink.get().add(a).handle((errno, e) -> e != null ? ActionResult.failure(what + ": " + e)
                            : errno == 0 ? ActionResult.success(what)
                            : errno == Netlink.EEXIST ? ActionResult.success(what + " (already so)")
                            : ActionResult.failure(what + ": errno " + errno))
                    .thenCompose(r -> r.ok() ? announce(a).thenApply(g -> g.ok() ? r : ActionResult.success(r.detail() + "; " + g.detail()))
                            : CompletableFuture.completedFuture(r));
        }
        List<String> cmd = new ArrayList<>(List.of("ip", a.isIpv4() ? "-4" : "-6", "addr", "add", a.cidr(), "dev", a.device()));
        if (a.isIpv4()) {
            cmd.add("brd");
            cmd.add(a.broadcast() == null ? "+" : a.broadcast().getHostAddress());
        }
        if (a.scope() != null) {
            cmd.add("scope");
            cmd.add(a.scope());
        }
        if (a.label() != null && a.isIpv4()) {
            cmd.add("label");
            cmd.add(a.label());
        }
        if (!a.isIpv4()) cmd.add("nodad"); // a moved VIP must answer at once, not after DAD
        return ip(cmd, "already assigned", "File exists").thenCompose(r -> r.ok() ? announce(a).thenApply(g -> g.ok() ? r
                : ActionResult.success(r.detail() + "; " + g.detail())) : CompletableFuture.completedFuture(r));
    }

    @Override
    public CompletableFuture<ActionResult> remove(VirtualAddress a) {
        if (netlink.isPresent()) {
            String what = "ip addr del " + a.cidr() + " dev " + a.device() + " (netlink)";
            return netlink.get().remove(a).handle((errno, e) -> e != null ? ActionResult.failure(what + ": " + e)
                    : errno == 0 ? ActionResult.success(what)
                    : errno == Netlink.EADDRNOTAVAIL ? ActionResult.success(what + " (already so)")
                    : ActionResult.failure(what + ": errno " + errno));
        }
        return ip(List.of("ip", a.isIpv4() ? "-4" : "-6", "addr", "del", a.cidr(), "dev", a.device()),
                "not found", "Cannot assign requested address");
    }

    /** @param harmless error texts meaning "already so" (iproute2 6.x wording first, older kernels' second) */
    private CompletableFuture<ActionResult> ip(List<String> cmd, String... harmless) {
        List<String> argv = new ArrayList<>(commandPrefix);
        argv.addAll(cmd);
        ScriptInvocation inv = new ScriptInvocation(argv, java.util.Map.of(), null, IP_TIMEOUT, Duration.ofSeconds(1), 5);
        return runner.run(inv).thenApply(r -> {
            String what = String.join(" ", cmd);
            if (r.succeeded()) return ActionResult.success(what);
            for (String h : harmless) {
                if (r.outputText().contains(h)) return ActionResult.success(what + " (already so)");
            }
            String why = r.startError() != null ? r.startError() : r.timedOut() ? "timed out" : r.outputText();
            return ActionResult.failure(what + ": " + why);
        });
    }

    @Override
    public CompletableFuture<ActionResult> announce(VirtualAddress a) {
        FrameLink link = frameLinks.apply(a.device());
        if (link == null) return CompletableFuture.completedFuture(ActionResult.failure("no frame link on " + a.device() + ": not announced"));
        byte[] hw = link.hardwareAddress();
        if (hw.length != 6) {
            return CompletableFuture.completedFuture(ActionResult.failure(a.device() + " has no Ethernet address: not announced"));
        }
        MacAddress mac = MacAddress.of(hw);
        byte[] frame = a.address() instanceof Inet4Address v4
                ? ArpFrames.encode(ArpFrames.gratuitous(mac, v4))
                : NeighborAdvertFrames.encode(NeighborAdvertFrames.unsolicited(mac, (Inet6Address) a.address()));
        boolean sent = link.send(frame);
        return CompletableFuture.completedFuture(sent ? ActionResult.success("announced " + a.address().getHostAddress() + " on " + a.device())
                : ActionResult.failure("announcement of " + a.address().getHostAddress() + " on " + a.device() + " failed"));
    }
}
