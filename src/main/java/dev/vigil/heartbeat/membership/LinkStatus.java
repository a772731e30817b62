package dev.vigil.heartbeat.membership;

/** The status of one medium towards one node, as {@code cl_status hblinkstatus} prints it. */
public enum LinkStatus {
    UP("up"),
    DEAD("dead");

    private final String wireName;

    LinkStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
