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
        return dev.vigil.vrrp.VrrpDaemon.load(keepalivedConf);
    }

    static Optional<StatusView> view(String mode) {
        return switch (mode) {
            case "heartbeat" -> Optional.of(new dev.vigil.heartbeat.HeartbeatStatusView());
            case "vrrp" -> Optional.of(new dev.vigil.vrrp.VrrpStatusView());
            default -> Optional.empty();
        };
    }
}
