package dev.vigil.transport.serial;

import com.fazecast.jSerialComm.SerialPort;
import dev.vigil.transport.Medium;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A heartbeat serial link (ha.cf {@code serial /dev/ttyS0}) on jSerialComm.
 *
 * <p>Unlike heartbeat 3.0.6, which logs 11-13 thousand {@code EOF in ttygets} lines a second when
 * the cable is pulled and never reopens the line (research heartbeat.md, "Serial link over a pty"),
 * this link reports one state change, retries opening with back-off (so a replugged cable, or a new
 * pty behind the same path, comes back by itself), and drops outgoing messages that waited longer
 * than {@code staleAfterNanos} instead of replaying minutes-old heartbeats into the peer.
 *
 * <p>Threads: one reader and one writer per link; neither ever runs protocol code. Received bytes
 * go to {@link ChunkListener} (which hands them to the event loop); state changes go to
 * {@link StateListener}.
 */
public final class SerialLink implements Medium {

    /** heartbeat's serial.c writes 512-byte chunks and sleeps for their transmission time. */
    static final int CHUNK = 512;
    /**
     * Reopen attempts back off to once a second: an attempt while the cable is out is a stat() (or a failed
     * open()) and logs nothing, and a replugged cable is then back within a second instead of up to the 5 s
     * the first cap allowed (measured 4.4 s in HeartbeatSerialOutageInteropTest), well under a typical deadtime.
     */
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @FunctionalInterface
    public interface ChunkListener {
        void received(SerialLink link, byte[] bytes);
    }

    @FunctionalInterface
    public interface StateListener {
        /** {@code up} true when the device opened; false with a one-line reason when it failed or vanished. */
        void changed(SerialLink link, boolean up, String reason);
    }

    private record Outgoing(byte[] bytes, long queuedAt) {
    }

    private final String path;
    private final int baud;
    private final long staleAfterNanos;
    private final ChunkListener chunks;
    private final StateListener states;
    private final LongSupplier clock;
    private final BlockingQueue<Outgoing> outgoing = new ArrayBlockingQueue<>(64);
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong droppedStale = new AtomicLong();
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong opens = new AtomicLong();
    private final Object portLock = new Object();
    private volatile SerialPort port;
    private volatile boolean closed;
    private volatile boolean up;
    private Thread reader;
    private Thread writer;

    public SerialLink(String path, int baud, long staleAfterNanos, ChunkListener chunks, StateListener states) {
        this(path, baud, staleAfterNanos, chunks, states, System::nanoTime);
    }

    SerialLink(String path, int baud, long staleAfterNanos, ChunkListener chunks, StateListener states, LongSupplier clock) {
        this.path = path;
        this.baud = baud;
        this.staleAfterNanos = staleAfterNanos;
        this.chunks = chunks;
        this.states = states;
        this.clock = clock;
    }

    public void start() {
        reader = new Thread(this::readLoop, "vigil-serial-rx-" + path);
        writer = new Thread(this::writeLoop, "vigil-serial-tx-" + path);
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    @Override
    public String linkName() {
        return path;
    }

    public boolean isUp() {
        return up;
    }

    /** Queues one message; when the line is down or the queue is full, the oldest is dropped (counted). */
    @Override
    public void send(byte[] message) {
        Outgoing o = new Outgoing(message.clone(), clock.getAsLong());
        while (!outgoing.offer(o)) {
            if (outgoing.poll() != null) droppedFull.incrementAndGet();
        }
    }

    private void readLoop() {
        long backoff = MIN_BACKOFF_NANOS;
        byte[] buf = new byte[1024];
        String lastFailure = null;
        while (!closed) {
            SerialPort p = port;
            if (p == null) {
                String failure = tryOpen();
                if (failure != null) {
                    if (!failure.equals(lastFailure)) {
                        // one line per distinct failure, not one per attempt
                        states.changed(this, false, failure);
                        lastFailure = failure;
                    }
                    sleepNanos(backoff);
                    backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
                    continue;
                }
                backoff = MIN_BACKOFF_NANOS;
                lastFailure = null;
                up = true;
                states.changed(this, true, "opened " + path + " at " + baud + " baud");
                continue;
            }
            int n = p.readBytes(buf, buf.length);
            if (n > 0) {
                bytesIn.addAndGet(n);
                byte[] chunk = new byte[n];
                System.arraycopy(buf, 0, chunk, 0, n);
                chunks.received(this, chunk);
            } else if (n < 0 || !p.isOpen()) {
                // The other end vanished (cable pulled, pty closed): heartbeat spins on EOF here.
                lost("the line went away (cable pulled or device closed); reopening " + path);
                lastFailure = null;
            } else if (p.bytesAvailable() < 0) {
                lost("the line went away (cable pulled or device closed); reopening " + path);
                lastFailure = null;
            }
        }
    }

    private void lost(String reason) {
        synchronized (portLock) {
            SerialPort p = port;
            port = null;
            up = false;
            if (p != null) p.closePort();
        }
        outgoing.clear();
        states.changed(this, false, reason);
        sleepNanos(MIN_BACKOFF_NANOS);
    }

    private String tryOpen() {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
            return path + " does not exist (cable or adapter missing?)";
        }
        SerialPort p;
        try {
            p = SerialPort.getCommPort(path);
        } catch (RuntimeException | LinkageError e) {
            return "cannot use " + path + ": " + e.getMessage();
        }
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        // heartbeat serial.c: CRTSCTS (hardware flow control) on a null-modem cable; on ptys it is a no-op.
        p.setFlowControl(SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 200, 2000);
        if (!p.openPort()) {
            int code = p.getLastErrorCode();
            return code == 13 || code == 1 ? "no permission to open " + path + " (errno " + code + "): run as root or add the user to group dialout"
                    : "cannot open " + path + " (errno " + code + ")";
        }
        opens.incrementAndGet();
        synchronized (portLock) {
            port = p;
        }
        return null;
    }

    private void writeLoop() {
        long nanosPerChunk = baud > 0 ? TimeUnit.SECONDS.toNanos(CHUNK) / Math.max(1, baud / 8) : 0;
        while (!closed) {
            Outgoing o;
            try {
                o = outgoing.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (o == null) continue;
            if (clock.getAsLong() - o.queuedAt() > staleAfterNanos) {
                droppedStale.incrementAndGet();
                continue;
            }
            SerialPort p = port;
            if (p == null) {
                droppedStale.incrementAndGet();
                continue;
            }
            for (int off = 0; off < o.bytes().length && !closed; off += CHUNK) {
                int len = Math.min(CHUNK, o.bytes().length - off);
                int w = p.writeBytes(o.bytes(), len, off);
                if (w < 0) break; // the reader notices the vanished line and reopens
                bytesOut.addAndGet(w);
                // pace like heartbeat so a real UART's buffer is never overrun
                if (len == CHUNK) sleepNanos(nanosPerChunk);
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** Messages not sent because they waited longer than the stale limit or the line was down. */
    public long droppedStale() {
        return droppedStale.get();
    }

    public long droppedQueueFull() {
        return droppedFull.get();
    }

    public long opens() {
        return opens.get();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (portLock) {
            SerialPort p = port;
            port = null;
            if (p != null) p.closePort();
        }
        for (Thread t : new Thread[] {reader, writer}) {
            if (t == null) continue;
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
