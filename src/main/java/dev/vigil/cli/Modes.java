package dev.vigil.cli;

import dev.vigil.daemon.ModeDaemon;
import java.nio.file.Path;
import java.util.Optional;

/** The two protocol modes, as the CLI starts and displays them. */
final class Modes {
    private Modes() {
    }

    static ModeDaemon heartbeat(Path haDirectory) {
        return new dev.vigil.heartbeat.HeartbeatDaemon(haDirectory);
    }

    static ModeDaemon vrrp(Path keepalivedConf) {
        throw new UnsupportedOperationException("VRRP mode is not wired yet");
    }

    static Optional<StatusView> view(String mode) {
        switch (mode) {
            case "heartbeat":
                return Optional.of(new dev.vigil.heartbeat.HeartbeatStatusView());
            default:
                return Optional.empty();
        }
    }
}
