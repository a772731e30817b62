package dev.vigil.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: a two-node heartbeat-mode cluster on this machine (loopback UDP, one
 * loopback address per node, harmless demo services) with the console, and no root needed. Each
 * node is a real {@code vigil run} process, so killing one ({@code kill -9 PID}) is a real failure.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a local two-node demo cluster (heartbeat mode over loopback UDP) and its web console.",
            "Needs no root. Stop it with Ctrl-C. Kill a node's process to watch the others take over."})
public final class DemoCommand implements Callable<Integer> {

    private static final String[] NODES = {"nodea", "nodeb"};

    @Option(names = "--dir", paramLabel = "DIR", description = "Working directory for the demo (default: .vigil-demo).")
    Path dir = Path.of(".vigil-demo");

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8694",
            description = "Console port of the first node; the others use the next ports (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "conf/demo",
            description = "The demo cluster's ha.cf, haresources, authkeys and resource.d (default ${DEFAULT-VALUE}).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(config.resolve("ha.cf"))) {
            err.println("vigil demo: " + config.resolve("ha.cf") + " not found; run from the Vigil checkout or give --config DIR");
            return 1;
        }
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc);
        for (String f : new String[] {"ha.cf", "haresources", "authkeys"}) {
            Files.copy(config.resolve(f), etc.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        // heartbeat refuses an authkeys file others can read; git does not keep file modes
        Files.setPosixFilePermissions(etc.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        // the demo services keep their pid files here (resource scripts get heartbeat's minimal environment)
        Path services = Path.of("/tmp/vigil-demo");

        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        Path web = Path.of("web");
        List<Process> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(nodes), "vigil-demo-stop"));
        for (int i = 0; i < NODES.length; i++) {
            Path state = dir.resolve("state-" + NODES[i]);
            Files.deleteIfExists(state.resolve("control.json"));
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", classpath, Main.class.getName(), "run",
                    "--heartbeat", etc.toString(), "--node", NODES[i], "--bind", "127.0.0." + (i + 1),
                    "--state-dir", state.toString(), "--console", "127.0.0.1:" + (port + i),
                    "--resource-dir", config.resolve("resource.d").toString()));
            if (Files.isDirectory(web)) cmd.addAll(List.of("--web", web.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(NODES[i] + ".log").toFile());
            nodes.add(pb.start());
        }
        for (int i = 0; i < NODES.length; i++) {
            Path endpoint = dir.resolve("state-" + NODES[i]).resolve("control.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(endpoint) && nodes.get(i).isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            if (!Files.exists(endpoint)) {
                err.println("vigil demo: " + NODES[i] + " did not start; see " + dir.resolve(NODES[i] + ".log"));
                stopAll(nodes);
                return 1;
            }
        }
        out.println("Vigil demo: two heartbeat-mode nodes on loopback UDP (port 16940), demo services in " + services);
        for (int i = 0; i < NODES.length; i++) {
            JsonObject ep = new JsonObject(Files.readString(dir.resolve("state-" + NODES[i]).resolve("control.json")));
            out.printf("  %s  pid %-7d console http://127.0.0.1:%d/   token %s%n", NODES[i], nodes.get(i).pid(), ep.getInteger("port"),
                    dir.resolve("state-" + NODES[i]).resolve("control.token"));
        }
        out.println("Resources start after initdead and heartbeat's 10 s request delay (about 15 s).");
        out.println("Try: kill -9 <pid of nodea>, then watch nodeb take over in the console. Ctrl-C stops the demo.");
        out.flush();
        try {
            for (Process p : nodes) p.waitFor();
        } finally {
            stopAll(nodes); // also when the demo is interrupted (tests run it on a thread)
        }
        return 0;
    }

    private static void stopAll(List<Process> nodes) {
        for (Process p : nodes) if (p.isAlive()) p.destroy(); // SIGTERM: each node leaves cleanly
        for (Process p : nodes) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
