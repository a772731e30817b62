package dev.vigil.config.keepalived;

import java.util.Optional;

/** {@code USER [GROUP]} a script runs as ({@code script_user}, vrrp_script {@code user}, notify scripts). */
public record ScriptUser(String user, Optional<String> group) {
}
