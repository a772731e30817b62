package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> HA_CF_WORDS = List.of("udpport", "bcast", "mcast", "ucast", "keepalive", "deadtime");

    @Test
    void undportSuggestsUdpport() {
        assertThat(Suggestions.closest("undport", HA_CF_WORDS)).contains("udpport");
    }

    @Test
    void transpositionCountsAsOneEdit() {
        assertThat(Suggestions.closest("deadtiem", HA_CF_WORDS)).contains("deadtime");
    }

    @Test
    void unrelatedWordHasNoSuggestion() {
        assertThat(Suggestions.closest("tim2", HA_CF_WORDS)).isEmpty();
    }

    @Test
    void diagnosticFormatIsGnuStyleWithHint() {
        Diagnostic d = new Diagnostic(java.nio.file.Path.of("ha.cf"), 3, 1, Severity.ERROR,
                "unknown directive 'undport'", "did you mean 'udpport'?");
        assertThat(d.format()).isEqualTo("ha.cf:3:1: error: unknown directive 'undport'\n    hint: did you mean 'udpport'?");
    }

    @Test
    void secretNeverPrintsItsValue() {
        Secret s = new Secret("hunter2");
        assertThat(s.toString()).isEqualTo("********").doesNotContain("hunter2");
        assertThat(String.valueOf(List.of(s))).doesNotContain("hunter2");
    }
}
