package dev.vigil.config.keepalived;

import dev.vigil.config.Secret;
import dev.vigil.config.SourceLocation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An instance's {@code authentication} block. The password as written is kept (a {@link Secret},
 * so it never prints); {@link #wirePassword()} is what keepalived actually sends: the first 8
 * bytes, because the VRRPv2 auth field is 8 bytes (keepalived logs "Truncating auth_pass to 8
 * characters"; research keepalived.md section 1.2).
 */
public record Authentication(Optional<AuthType> type, Optional<Secret> password, SourceLocation location,
                             Optional<SourceLocation> passwordLocation) {
    public static final int MAX_PASSWORD_BYTES = 8;

    public Optional<Secret> wirePassword() {
        return password.map(p -> p.length() <= MAX_PASSWORD_BYTES ? p
                : new Secret(Arrays.copyOf(p.bytes(), MAX_PASSWORD_BYTES)));
    }

    static Secret secretOf(String text) {
        return new Secret(text.getBytes(StandardCharsets.UTF_8));
    }
}
