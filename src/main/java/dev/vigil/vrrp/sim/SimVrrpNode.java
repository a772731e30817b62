package dev.vigil.vrrp.sim;

import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.transport.FrameLink;
import dev.vigil.vrrp.InterfaceInfo;
import dev.vigil.vrrp.VrrpIo;
import dev.vigil.vrrp.VrrpNodeConfig;
import dev.vigil.vrrp.VrrpRouter;
import dev.vigil.vrrp.wire.ArpFrame;
import dev.vigil.vrrp.wire.ArpFrames;
import dev.vigil.vrrp.wire.MacAddress;
import dev.vigil.vrrp.wire.NeighborFrameDecodeResult;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated VRRP node: the daemon's {@link VrrpRouter}, unchanged, on a {@link SimNetwork}
 * segment. Frames travel as the real bytes the codec produces; addresses go to a shared
 * {@link SimAddressBook}; {@code vrrp_script} results come from {@link #scripts()}. The console's lab
 * and the fault campaign build their worlds from these.
 *
 * <p>Like a kernel, the node answers ARP requests for its own address (so unicast peers learn its
 * MAC address) and never hears its own frames.
 */
public final class SimVrrpNode {

    /** A frame this node put on the wire. */
    public record SentFrame(long atNanos, byte[] frame) {
    }

    private final String name;
    private final String iface;
    private final MacAddress mac;
    private final List<InetAddress> addresses;
    private final SimScheduler scheduler;
    private final SimNetwork.Port port;
    private final SimTrackScripts scripts = new SimTrackScripts();
    private final VrrpRouter router;
    private final List<SentFrame> sent = new ArrayList<>();
    private boolean alive = true;
    private boolean linkUp = true;

    /**
     * @param network    the simulated LAN's network (its scheduler drives the node)
     * @param segment    the segment (broadcast domain) the node's interface is plugged into
     * @param name       the node's name in records
     * @param iface      its interface name, as the instances' {@code interface} says
     * @param mac        its interface MAC address
     * @param addresses  its interface addresses: the IPv4 primary first; an IPv6 link-local for v3/IPv6
     * @param config     the instances it runs; their primary addresses must be among {@code addresses}
     * @param book       the LAN's address book
     */
    public SimVrrpNode(SimNetwork network, String segment, String name, String iface, MacAddress mac,
                       List<InetAddress> addresses, VrrpNodeConfig config, SimAddressBook book) {
        this.name = Objects.requireNonNull(name);
        this.iface = Objects.requireNonNull(iface);
        this.mac = Objects.requireNonNull(mac);
        this.addresses = List.copyOf(addresses);
        this.scheduler = network.scheduler();
        this.port = network.segment(segment).attach(name, this::deliver, addresses.toArray(InetAddress[]::new));
        FrameLink link = new SimFrameLink();
        VrrpIo io = new VrrpIo(dev -> dev.equals(iface) ? link : null, book.actionsFor(name), scripts);
        // a fixed epoch: event times in the records depend only on virtual time
        this.router = new VrrpRouter(config, scheduler, io, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    public String name() {
        return name;
    }

    public VrrpRouter router() {
        return router;
    }

    public SimTrackScripts scripts() {
        return scripts;
    }

    public SimNetwork.Port port() {
        return port;
    }

    public MacAddress mac() {
        return mac;
    }

    public boolean alive() {
        return alive;
    }

    /** Every frame this node sent, in order. */
    public List<SentFrame> sentFrames() {
        return List.copyOf(sent);
    }

    /** What the node's interface looks like, for {@link dev.vigil.vrrp.KeepalivedMapping}. */
    public InterfaceInfo interfaceInfo() {
        return new InterfaceInfo() {
            @Override
            public boolean exists(String dev) {
                return dev.equals(iface);
            }

            @Override
            public Optional<MacAddress> mac(String dev) {
                return dev.equals(iface) ? Optional.of(mac) : Optional.empty();
            }

            @Override
            public List<Inet4Address> ipv4Addresses(String dev) {
                return dev.equals(iface) ? addresses.stream().filter(a -> a instanceof Inet4Address).map(a -> (Inet4Address) a).toList() : List.of();
            }

            @Override
            public List<Inet6Address> ipv6Addresses(String dev) {
                return dev.equals(iface) ? addresses.stream().filter(a -> a instanceof Inet6Address).map(a -> (Inet6Address) a).toList() : List.of();
            }
        };
    }

    /** The daemon starting: stale addresses removed, every instance in BACKUP (or MASTER as owner). */
    public void start() {
        router.onInterfaceState(iface, linkUp);
        router.start();
    }

    /** SIGTERM: priority 0 from masters, addresses removed, then silence. */
    public void stop() {
        router.shutdown();
        alive = false;
    }

    /** {@code kill -9}: silence at once; the addresses stay in the book. */
    public void kill() {
        router.halt();
        alive = false;
    }

    /** The cable: a down link neither sends nor receives, and tracking sees the interface down. */
    public void setLinkUp(boolean up) {
        linkUp = up;
        port.setUp(up);
        if (alive) router.onInterfaceState(iface, up);
    }

    /** Sets what a {@code vrrp_script} returns from its next run on. */
    public void setScriptResult(String script, boolean succeeds) {
        scripts.set(script, succeeds);
    }

    private void deliver(SimNetwork.Delivery d) {
        if (!alive) return;
        byte[] f = d.payload();
        if (answerArp(f)) return;
        router.onFrame(iface, f);
    }

    /** A kernel answers ARP requests for its addresses; the router still sees the request (to learn). */
    private boolean answerArp(byte[] f) {
        if (!(ArpFrames.decode(f) instanceof NeighborFrameDecodeResult.Ok<ArpFrame> ok)) return false;
        ArpFrame req = ok.frame();
        router.onFrame(iface, f);
        if (req.operation() == ArpFrame.OPERATION_REQUEST && !req.isGratuitous()
                && addresses.contains(req.targetProtocolAddress())) {
            Inet4Address self = req.targetProtocolAddress();
            byte[] reply = ArpFrames.encode(new ArpFrame(req.senderHardwareAddress(), mac, ArpFrame.OPERATION_REPLY, mac,
                    self, req.senderHardwareAddress(), req.senderProtocolAddress()));
            transmit(reply);
        }
        return true;
    }

    private boolean transmit(byte[] frame) {
        if (!alive || !linkUp) return false;
        sent.add(new SentFrame(scheduler.nanoTime(), frame.clone()));
        port.send(destinationOf(frame), frame);
        return true;
    }

    /** Group-addressed frames reach every port; unicast ones the port owning the IP destination. */
    private static InetAddress destinationOf(byte[] frame) {
        if ((frame[0] & 0x01) != 0) return null;
        int ethertype = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        try {
            if (ethertype == 0x0800 && frame.length >= 34) return InetAddress.getByAddress(Arrays.copyOfRange(frame, 30, 34));
            if (ethertype == 0x86dd && frame.length >= 54) return InetAddress.getByAddress(Arrays.copyOfRange(frame, 38, 54));
            if (ethertype == 0x0806 && frame.length >= 42) return InetAddress.getByAddress(Arrays.copyOfRange(frame, 38, 42));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private final class SimFrameLink implements FrameLink {
        @Override
        public String device() {
            return iface;
        }

        @Override
        public byte[] hardwareAddress() {
            return mac.bytes();
        }

        @Override
        public boolean send(byte[] frame) {
            return transmit(frame);
        }
    }
}
