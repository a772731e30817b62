package dev.vigil.lab;

import java.util.Optional;

/** The faults the lab plays against both protocols. */
public enum LabScenario {
    MASTER_KILLED("master-killed", "Master machine dies"),
    CLEAN_STOP("clean-stop", "Clean stop of the master"),
    LINK_CUT("link-cut", "Network link cut on the master"),
    CHECK_FAILS("check-fails", "Service check failing on the master"),
    PACKET_LOSS("packet-loss", "Packet loss on the master's link"),
    PARTITION_HEAL("partition-heal", "Partition, then heal"),
    SERIAL_SURVIVES("serial-survives", "Network between the nodes cut, serial cable intact");

    private final String id;
    private final String title;

    LabScenario(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public static Optional<LabScenario> byId(String id) {
        for (LabScenario s : values()) if (s.id.equals(id)) return Optional.of(s);
        return Optional.empty();
    }
}
