package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A simulated null-modem cable: a socat pty pair with stable symlink paths. Killing it is pulling
 * the cable; starting another on the same paths is plugging a (new) cable back in.
 */
public final class SocatPair implements AutoCloseable {
    private final Path a;
    private final Path b;
    private Process process;
    private Path aToB;
    private Path bToA;

    public SocatPair(Path a, Path b) {
        this.a = a;
        this.b = b;
    }

    public static void assumeAvailable() {
        boolean ok = Sh.has("socat");
        if (!ok) System.out.println("SKIPPED: socat is not installed (src/tools/test.sh installs it)");
        Assumptions.assumeTrue(ok, "socat missing");
    }

    /**
     * Records every byte that crosses the cable, as the research capture did ({@code socat -r A2B -R B2A}):
     * {@code aToB} gets what the program on end A wrote, {@code bToA} what end B wrote. Call before {@link #start()}.
     */
    public SocatPair record(Path aToB, Path bToA) {
        this.aToB = aToB;
        this.bToA = bToA;
        return this;
    }

    public SocatPair start() throws IOException, InterruptedException {
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("socat"));
        if (aToB != null) cmd.addAll(java.util.List.of("-r", aToB.toString(), "-R", bToA.toString()));
        cmd.add("pty,raw,echo=0,link=" + a);
        cmd.add("pty,raw,echo=0,link=" + b);
        // Started directly (not through a shell) so that the pid is socat's own.
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !process.isAlive()) throw new IOException("socat did not create " + a + " and " + b);
            Thread.sleep(20);
        }
        return this;
    }

    /**
     * Pulls the cable: both ends see the line vanish, and so do the device paths (as an unplugged USB
     * adapter's do). SIGKILL leaves socat's symlinks behind, dangling to freed {@code /dev/pts/N}
     * numbers that another test's socat may be given next: a daemon reopening the path would then talk
     * into a stranger's cable.
     */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            process = null;
            try {
                Files.deleteIfExists(a);
                Files.deleteIfExists(b);
            } catch (IOException e) {
                // the paths are recreated by start(), which deletes them first anyway
            }
        }
    }

    public Path a() {
        return a;
    }

    public Path b() {
        return b;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
