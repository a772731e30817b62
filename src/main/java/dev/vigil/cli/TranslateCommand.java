package dev.vigil.cli;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Suggestions;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.keepalived.KeepalivedChecks;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.config.translate.HaToKeepalived;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil translate}: heartbeat's {@code /etc/ha.d} to one keepalived.conf per node
 * ({@link HaToKeepalived}), each checked with Vigil's keepalived parser before it is written, and
 * a report of what has no VRRP equivalent.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = {
            "Translate a heartbeat directory (ha.cf, haresources, authkeys, vigil.conf) into keepalived.conf files for Vigil's VRRP mode.",
            "One vrrp_instance per haresources line; its IPaddr/IPaddr2 addresses become virtual_ipaddress, the other resources",
            "vigil_resources. The report (stderr, or --report) lists every mapping and everything without an equivalent.",
            "Exit status: 0 translated, 1 errors (in the heartbeat files or untranslatable parts), 2 usage error."})
public final class TranslateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The heartbeat directory, e.g. /etc/ha.d.")
    Path dir;

    @Option(names = "--out", paramLabel = "DIR", description = "Write OUT/NODE/keepalived.conf for every node of ha.cf.")
    Path out;

    @Option(names = "--node", paramLabel = "NAME", description = "Print the keepalived.conf of this node to standard output.")
    String node;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report to FILE instead of standard error.")
    Path report;

    @Option(names = "--interface", paramLabel = "IF", description = "The interface every instance advertises on (default: "
            + "the interface of the group's first address, else the first heartbeat medium).")
    String iface;

    @Option(names = "--vrrp-version", paramLabel = "2|3", description = "VRRP version (default 2, or 3 when keepalive is under 1 s).")
    Integer version;

    @Option(names = "--vrid-offset", paramLabel = "N", description = "Added to every derived virtual_router_id (mod 255).")
    int vridOffset;

    @Option(names = "--address", paramLabel = "NODE=IP", description = "A node's own address on the heartbeat LAN (repeat per node); "
            + "with ucast media it gives unicast_src_ip and unicast_peer.")
    Map<String, String> addresses = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if ((out == null) == (node == null)) {
            err.println("give exactly one of --out DIR (every node) or --node NAME (one node, to standard output)");
            err.flush();
            return 2;
        }
        if (version != null && version != 2 && version != 3) {
            err.println("--vrrp-version must be 2 or 3");
            err.flush();
            return 2;
        }
        ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(dir);
        List<Diagnostic> blocking = HaToKeepalived.blockingErrors(loaded.diagnostics());
        for (Diagnostic d : loaded.diagnostics().sorted()) {
            if (!d.isError()) continue;
            err.println(d.format() + (blocking.contains(d) ? "" : "\n    (authkeys is not needed for the translation; carrying on)"));
        }
        if (!blocking.isEmpty()) {
            err.println("the heartbeat files have errors; fix them first (vigil check --heartbeat " + dir + ")");
            err.flush();
            return 1;
        }
        HaToKeepalived.Options options = new HaToKeepalived.Options(Optional.ofNullable(iface),
                version == null ? OptionalInt.empty() : OptionalInt.of(version), vridOffset, addresses);
        HaToKeepalived.Result result = HaToKeepalived.translate(loaded.model(), options);
        Map<String, String> selected = new LinkedHashMap<>();
        if (node != null) {
            Optional<String> match = result.configs().keySet().stream().filter(n -> n.equalsIgnoreCase(node)).findFirst();
            if (match.isEmpty()) {
                err.println("node '" + node + "' is not declared in " + loaded.model().haCf().file()
                        + Suggestions.closest(node, result.configs().keySet()).map(c -> "; did you mean '" + c + "'?")
                        .orElse("; nodes: " + String.join(", ", result.configs().keySet())));
                err.flush();
                return 2;
            }
            selected.put(match.get(), result.configs().get(match.get()));
        } else {
            selected.putAll(result.configs());
        }
        boolean selfCheckFailed = false;
        Path tmp = Files.createTempDirectory("vigil-translate");
        try {
            for (Map.Entry<String, String> e : selected.entrySet()) {
                Diagnostics d = check(tmp, e.getKey(), e.getValue());
                if (d.hasErrors()) {
                    selfCheckFailed = true;
                    for (Diagnostic x : d.sorted()) if (x.isError()) err.println("translated " + e.getKey() + ": " + x.format());
                }
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (node != null) {
            stdout.print(selected.values().iterator().next());
            stdout.flush();
        } else {
            for (Map.Entry<String, String> e : selected.entrySet()) {
                Path file = out.resolve(e.getKey()).resolve("keepalived.conf");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                err.println("wrote " + file);
            }
        }
        String text = result.report();
        if (report != null) {
            Files.writeString(report, text, StandardCharsets.UTF_8);
        } else {
            err.print(text);
        }
        err.flush();
        return result.hasErrors() || selfCheckFailed ? 1 : 0;
    }

    /** The translated file as {@code vigil check} would see it on that node. */
    static Diagnostics check(Path tmp, String nodeName, String text) throws IOException {
        Path f = tmp.resolve(nodeName.replaceAll("[^A-Za-z0-9_.-]", "_")).resolve("keepalived.conf");
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        ParseResult<KeepalivedConfig> r = new KeepalivedParser().withHostId(nodeName).parse(f);
        Diagnostics d = new Diagnostics();
        d.addAll(r.diagnostics());
        KeepalivedChecks.check(r.model(), d);
        return d;
    }
}
