package dev.vigil.cli;

import dev.vigil.config.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil config-reference}: prints the configuration reference (docs/configuration.md). */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (every directive of ha.cf, haresources, authkeys and keepalived.conf with its status) as Markdown.")
public final class ConfigReferenceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigReference.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
