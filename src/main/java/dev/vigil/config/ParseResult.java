package dev.vigil.config;

/**
 * What every parser returns: the model it could build (never null; possibly partial when there
 * were errors) and everything it found wrong on the way.
 */
public record ParseResult<T>(T model, Diagnostics diagnostics) {
    public boolean ok() {
        return !diagnostics.hasErrors();
    }
}
