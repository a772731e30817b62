package dev.vigil.heartbeat.rm;

import java.util.Locale;
import java.util.Optional;

/** The argument of {@code hb_standby} and {@code hb_takeover}: {@code all} (the default), {@code local}, {@code foreign}, {@code failback}. */
public enum AdminRequest {
    ALL("all"),
    LOCAL("local"),
    FOREIGN("foreign"),
    /** "Give up what is not mine": {@code hb_standby} turns it into {@code foreign}. */
    FAILBACK("failback");

    private final String wireName;

    AdminRequest(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The set {@code hb_standby} asks to give up ({@code failback} means {@code foreign}). */
    public ResourceSet standbySet() {
        switch (this) {
            case LOCAL:
                return ResourceSet.LOCAL;
            case FOREIGN:
            case FAILBACK:
                return ResourceSet.FOREIGN;
            default:
                return ResourceSet.ALL;
        }
    }

    public static Optional<AdminRequest> parse(String s) {
        if (s == null || s.isEmpty()) return Optional.of(ALL);
        String v = s.toLowerCase(Locale.ROOT);
        for (AdminRequest r : values()) {
            if (r.wireName.equals(v)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
