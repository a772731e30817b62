package dev.vigil.config.heartbeat;

import dev.vigil.config.SourceLocation;

import java.util.Objects;
import java.util.Optional;

/**
 * One scalar ha.cf setting as heartbeat ends up using it: the value and, when the file set it,
 * where. A setting the file left out carries heartbeat's default (or the value heartbeat derives,
 * such as {@code warntime = deadtime/2}) and no location.
 */
public record Setting<T>(T value, Optional<SourceLocation> source) {

    public Setting {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    public static <T> Setting<T> byDefault(T value) {
        return new Setting<>(value, Optional.empty());
    }

    public static <T> Setting<T> at(T value, SourceLocation location) {
        return new Setting<>(value, Optional.of(location));
    }

    public boolean isDefault() {
        return source.isEmpty();
    }
}
