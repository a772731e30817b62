package dev.vigil.config.keepalived;

/** {@code auth_type}: simple password (RFC 2338 type 1) or IPsec AH (type 2, IP protocol 51). */
public enum AuthType {
    PASS, AH
}
