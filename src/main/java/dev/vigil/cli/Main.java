package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. Each subcommand is its own class; this one only wires them together
 * and fixes the exit-code contract: 0 success, 1 a real failure (e.g. configuration errors),
 * 2 a usage error (picocli's default for bad arguments).
 */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "High-availability resource manager: Heartbeat 3.0.x (v1) and VRRP (keepalived) compatible.",
        subcommands = {CheckCommand.class, RunCommand.class, StatusCommand.class, AdminCommands.Standby.class,
            AdminCommands.Takeover.class, AdminCommands.Fault.class, AdminCommands.Recover.class, ResourceCommand.class, DemoCommand.class, ConfigReferenceCommand.class, TranslateCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests to run commands in-process. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    @Override
    public void run() {
        // "vigil" alone: show what there is to do rather than failing silently.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
