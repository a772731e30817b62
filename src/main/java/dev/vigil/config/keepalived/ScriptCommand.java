package dev.vigil.config.keepalived;

import dev.vigil.config.SourceLocation;

import java.util.List;
import java.util.Optional;

/**
 * A script keepalived runs ({@code script}, {@code notify_*}). {@code commandLine} is the command as
 * written (quotes removed); {@code argv} splits it the way keepalived 2.2.7 does: unquoted spaces
 * separate arguments and single quotes keep spaces inside one (keepalived.conf(5), "Quoted strings").
 */
public record ScriptCommand(String commandLine, List<String> argv, Optional<ScriptUser> runAs, SourceLocation location) {
    public ScriptCommand {
        argv = List.copyOf(argv);
    }

    /** The program, i.e. {@code argv[0]}; empty when the command was empty. */
    public String program() {
        return argv.isEmpty() ? "" : argv.get(0);
    }
}
