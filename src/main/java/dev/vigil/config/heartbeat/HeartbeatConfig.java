package dev.vigil.config.heartbeat;

/**
 * The files of an {@code /etc/ha.d} directory, read together by {@link HeartbeatDirectory}: heartbeat's
 * three, and Vigil's optional {@code vigil.conf} ({@link VigilConf#absent} when there is none).
 */
public record HeartbeatConfig(HaCf haCf, Haresources haresources, Authkeys authkeys, VigilConf vigilConf) {

    /** Heartbeat's three files only: no Vigil extensions. */
    public HeartbeatConfig(HaCf haCf, Haresources haresources, Authkeys authkeys) {
        this(haCf, haresources, authkeys, VigilConf.absent(haCf.file().resolveSibling(VigilConfParser.FILE_NAME)));
    }
}
