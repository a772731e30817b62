package dev.vigil.config.translate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The corpus grouping of {@link TranslateCorpusTest}, for the interop test in another package. */
public final class TranslateCorpusTestAccess {
    private TranslateCorpusTestAccess() {
    }

    public static Map<String, Map<String, Path>> projects() throws IOException {
        return TranslateCorpusTest.projects();
    }
}
