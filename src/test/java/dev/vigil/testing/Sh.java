package dev.vigil.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands from tests; output captured, bounded time. */
public final class Sh {
    private Sh() {
    }

    public record Result(int exitCode, String output) {
        public Result orThrow(String what) {
            if (exitCode != 0) throw new IllegalStateException(what + " failed (" + exitCode + "): " + output);
            return this;
        }
    }

    public static Result run(String... argv) {
        return run(List.of(argv));
    }

    public static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout: " + argv);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    public static boolean has(String command) {
        return run("sh", "-c", "command -v " + command).exitCode() == 0;
    }
}
