package dev.vigil.config.heartbeat;

/** The three files of an {@code /etc/ha.d} directory, read together by {@link HeartbeatDirectory}. */
public record HeartbeatConfig(HaCf haCf, Haresources haresources, Authkeys authkeys) {
}
