package dev.vigil.transport.udp;

import dev.vigil.transport.Medium;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * heartbeat's UDP media on Vert.x datagram sockets.
 *
 * <p>bcast and ucast media on the same port share one socket bound to the wildcard address (or to
 * {@code bindAddress} when several nodes share one host, as in the demo): heartbeat binds one socket
 * per device with SO_BINDTODEVICE, which Vert.x cannot do, and two wildcard sockets on one port would
 * split unicast traffic between them arbitrarily. An arriving datagram is attributed to the medium
 * whose peer (ucast) or subnet (bcast) its source belongs to, so per-link liveness still works.
 * Each mcast medium has its own socket joined to its group on its device.
 */
public final class UdpMedia {

    private final Vertx vertx;
    private final String bindAddress;
    private final Medium.Listener listener;
    private final List<UdpMedium> media = new ArrayList<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final AtomicLong unattributed = new AtomicLong();
    private DatagramSocket shared;

    /**
     * @param bindAddress local address for the bcast/ucast socket; "0.0.0.0" normally
     */
    public UdpMedia(Vertx vertx, String bindAddress, Medium.Listener listener) {
        this.vertx = Objects.requireNonNull(vertx);
        this.bindAddress = Objects.requireNonNull(bindAddress);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Opens every medium; the future fails with a one-line reason (port in use, no such device). */
    public Future<List<Medium>> open(List<UdpMediumSpec> specs) {
        List<Future<?>> opening = new ArrayList<>();
        Integer sharedPort = null;
        for (UdpMediumSpec s : specs) {
            if (s instanceof UdpMediumSpec.Mcast m) {
                opening.add(openMulticast(m));
            } else {
                int port = s instanceof UdpMediumSpec.Bcast b ? b.port() : ((UdpMediumSpec.Ucast) s).port();
                if (sharedPort != null && sharedPort != port) {
                    return Future.failedFuture("bcast/ucast media must share one udpport (" + sharedPort + " and " + port + ")");
                }
                sharedPort = port;
            }
        }
        if (sharedPort != null) {
            DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                    .setBroadcast(true).setReuseAddress(true).setIpV6(false)
                    .setReceiveBufferSize(1 << 20));
            sockets.add(socket);
            shared = socket;
            socket.handler(this::receivedShared);
            int port = sharedPort;
            opening.add(socket.listen(port, bindAddress)
                    .recover(e -> Future.failedFuture("cannot listen on udp " + bindAddress + ":" + port + ": " + e.getMessage())));
            for (UdpMediumSpec s : specs) {
                if (s instanceof UdpMediumSpec.Mcast) continue;
                try {
                    media.add(UdpMedium.unicastOrBroadcast(s, socket));
                } catch (SocketException | IllegalArgumentException e) {
                    return Future.failedFuture(e.getMessage());
                }
            }
        }
        return Future.all(opening).map(x -> List.copyOf(media));
    }

    private Future<Void> openMulticast(UdpMediumSpec.Mcast m) {
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                .setReuseAddress(true).setIpV6(false)
                .setMulticastNetworkInterface(m.device())
                .setMulticastTimeToLive(m.ttl())
                .setLoopbackModeDisabled(!m.loop()));
        sockets.add(socket);
        UdpMedium medium = UdpMedium.multicast(m, socket);
        media.add(medium);
        socket.handler(p -> deliver(medium, p));
        // Join on the named device: a group without an interface fails on a wildcard socket
        // (research java-stack.md gotcha 2).
        return socket.listen(m.port(), "0.0.0.0")
                .compose(s -> s.listenMulticastGroup(m.group().getHostAddress(), m.device(), null))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture("cannot join " + m.group().getHostAddress() + " on " + m.device()
                        + " port " + m.port() + ": " + e.getMessage()));
    }

    private void receivedShared(DatagramPacket p) {
        InetAddress source;
        try {
            source = InetAddress.getByName(p.sender().host());
        } catch (java.net.UnknownHostException e) {
            unattributed.incrementAndGet();
            return;
        }
        UdpMedium best = null;
        for (UdpMedium m : media) {
            if (m.spec instanceof UdpMediumSpec.Ucast u && u.peer().equals(source)) {
                best = m;
                break;
            }
            if (best == null && m.spec instanceof UdpMediumSpec.Bcast && m.coversSubnet(source)) best = m;
        }
        if (best == null) {
            // A sender we have no medium for (e.g. another cluster on the LAN): heartbeat would
            // still parse it and reject it on authentication; the first shared medium does too.
            unattributed.incrementAndGet();
            best = media.stream().filter(x -> !(x.spec instanceof UdpMediumSpec.Mcast)).findFirst().orElse(null);
            if (best == null) return;
        }
        deliver(best, p);
    }

    private void deliver(UdpMedium medium, DatagramPacket p) {
        medium.received.incrementAndGet();
        listener.received(medium, p.data().getBytes(), p.sender().host());
    }

    /** Datagrams whose source matched no configured peer or subnet. */
    public long unattributed() {
        return unattributed.get();
    }

    public Future<Void> close() {
        List<Future<?>> closing = new ArrayList<>();
        for (DatagramSocket s : sockets) closing.add(s.close());
        return Future.all(closing).mapEmpty();
    }

    /** One configured UDP medium. */
    public static final class UdpMedium implements Medium {
        final UdpMediumSpec spec;
        private final DatagramSocket socket;
        private final String destination;
        private final int port;
        private final InterfaceAddress subnet;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong sendErrors = new AtomicLong();

        private UdpMedium(UdpMediumSpec spec, DatagramSocket socket, String destination, int port, InterfaceAddress subnet) {
            this.spec = spec;
            this.socket = socket;
            this.destination = destination;
            this.port = port;
            this.subnet = subnet;
        }

        static UdpMedium unicastOrBroadcast(UdpMediumSpec s, DatagramSocket socket) throws SocketException {
            InterfaceAddress ia = ipv4Of(s.device());
            if (s instanceof UdpMediumSpec.Bcast b) {
                if (ia == null || ia.getBroadcast() == null) {
                    throw new IllegalArgumentException("bcast " + b.device() + ": the device has no IPv4 broadcast address");
                }
                return new UdpMedium(s, socket, ia.getBroadcast().getHostAddress(), b.port(), ia);
            }
            UdpMediumSpec.Ucast u = (UdpMediumSpec.Ucast) s;
            return new UdpMedium(s, socket, u.peer().getHostAddress(), u.port(), ia);
        }

        static UdpMedium multicast(UdpMediumSpec.Mcast m, DatagramSocket socket) {
            return new UdpMedium(m, socket, m.group().getHostAddress(), m.port(), null);
        }

        private static InterfaceAddress ipv4Of(String device) throws SocketException {
            NetworkInterface nif = NetworkInterface.getByName(device);
            if (nif == null) throw new IllegalArgumentException("device " + device + " does not exist");
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getAddress() instanceof Inet4Address) return a;
            }
            return null;
        }

        boolean coversSubnet(InetAddress source) {
            if (subnet == null || !(source instanceof Inet4Address)) return false;
            int bits = subnet.getNetworkPrefixLength();
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return (toInt(subnet.getAddress()) & mask) == (toInt(source) & mask);
        }

        private static int toInt(InetAddress a) {
            byte[] b = a.getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        @Override
        public String linkName() {
            return spec.device();
        }

        public UdpMediumSpec spec() {
            return spec;
        }

        @Override
        public void send(byte[] message) {
            socket.send(Buffer.buffer(message), port, destination).onComplete(r -> {
                if (r.succeeded()) sent.incrementAndGet();
                else sendErrors.incrementAndGet(); // heartbeat logs and does not retry either
            });
        }

        public long sent() {
            return sent.get();
        }

        public long received() {
            return received.get();
        }

        public long sendErrors() {
            return sendErrors.get();
        }

        @Override
        public void close() {
            // the sockets belong to UdpMedia and are closed there
        }

        @Override
        public String toString() {
            return spec.toString();
        }
    }
}
