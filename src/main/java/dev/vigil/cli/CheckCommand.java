package dev.vigil.cli;

import dev.vigil.config.ConfigFormat;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.Diagnostics;
import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.AuthkeysParser;
import dev.vigil.config.heartbeat.HaCfParser;
import dev.vigil.config.heartbeat.HaresourcesParser;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.keepalived.KeepalivedChecks;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.config.keepalived.WeightTrap;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil check}: validates configuration files the way {@code keepalived -t} and heartbeat's
 * start-up do, and goes further (semantic checks neither makes, and the cross-node weight trap).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Validate configuration files and print diagnostics as FILE:LINE:COL: error|warning: message.",
            "The format is detected from the file name (ha.cf, haresources, authkeys, keepalived.conf,",
            "*.conf under a keepalived directory) or given with --format.",
            "Several keepalived.conf files (one per node) are also checked together: for every tracked",
            "script with a weight, whether its failure can actually move mastership.",
            "Exit status: 0 no errors, 1 errors found, 2 usage error."})
public final class CheckCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Format of every FILE: ha.cf, haresources, authkeys or keepalived.conf.")
    String format;

    @Option(names = "--heartbeat", paramLabel = "DIR",
            description = "Check an /etc/ha.d-style directory (ha.cf, haresources, authkeys) as one unit.")
    List<Path> heartbeatDirs = new ArrayList<>();

    @Option(names = "--config-id", paramLabel = "ID",
            description = "keepalived config-id for @ID conditional lines (default: the host name, as keepalived -i).")
    String configId;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors and the summary.")
    boolean quiet;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Configuration files to check.")
    List<Path> files = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty() && heartbeatDirs.isEmpty()) {
            err.println("vigil check: nothing to check: give FILE arguments or --heartbeat DIR");
            spec.commandLine().usage(err);
            return 2;
        }
        Optional<ConfigFormat> forced = Optional.empty();
        if (format != null) {
            forced = ConfigFormat.fromCliName(format);
            if (forced.isEmpty()) {
                err.println("vigil check: unknown format '" + format + "': use ha.cf, haresources, authkeys, keepalived.conf or vigil.conf");
                return 2;
            }
        }
        Diagnostics all = new Diagnostics();
        List<KeepalivedConfig> keepalivedConfigs = new ArrayList<>();
        for (Path file : files) {
            Optional<ConfigFormat> f = forced.isPresent() ? forced : ConfigFormat.detect(file);
            if (f.isEmpty()) {
                err.println("vigil check: cannot tell the format of " + file
                        + " from its name; give it with --format ha.cf|haresources|authkeys|keepalived.conf|vigil.conf");
                return 2;
            }
            switch (f.get()) {
                case HA_CF -> all.addAll(new HaCfParser().parse(file).diagnostics());
                case HARESOURCES -> all.addAll(new HaresourcesParser().parse(file).diagnostics());
                case AUTHKEYS -> all.addAll(new AuthkeysParser().parse(file).diagnostics());
                case VIGIL_CONF -> {
                    if (!java.nio.file.Files.exists(file)) {
                        all.error(file, 0, 0, "cannot open " + file + ": no such file", null);
                    } else {
                        all.addAll(new dev.vigil.config.heartbeat.VigilConfParser().parse(file).diagnostics());
                    }
                }
                case KEEPALIVED -> {
                    KeepalivedParser parser = new KeepalivedParser();
                    if (configId != null) parser = parser.withHostId(configId);
                    ParseResult<KeepalivedConfig> r = parser.parse(file);
                    all.addAll(r.diagnostics());
                    Diagnostics semantic = new Diagnostics();
                    KeepalivedChecks.check(r.model(), semantic);
                    all.addAll(semantic);
                    keepalivedConfigs.add(r.model());
                }
            }
        }
        if (keepalivedConfigs.size() >= 2) {
            WeightTrap.analyze(keepalivedConfigs, all);
        }
        for (Path dir : heartbeatDirs) {
            all.addAll(HeartbeatDirectory.load(dir).diagnostics());
        }
        for (Diagnostic d : all.sorted()) {
            if (quiet && !d.isError()) continue;
            out.println(d.format());
        }
        int checked = files.size() + heartbeatDirs.size();
        out.printf("%d error(s), %d warning(s) in %d %s%n", all.errorCount(), all.warningCount(), checked,
                checked == 1 ? "input" : "inputs");
        out.flush();
        return all.hasErrors() ? 1 : 0;
    }
}
