package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a heartbeat configuration file into lines without ever throwing: every I/O problem
 * becomes a diagnostic at line 0, because {@code vigil check} must report, not crash.
 */
final class ConfigText {

    /** One physical line, 1-based, without its {@code \n} (a trailing {@code \r} is kept). */
    record Line(int number, String text) {
    }

    /** Far above any real heartbeat file (the stock ha.cf is 11 KB); guards against reading a disk image by mistake. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    /** After this many errors in one file the parser stops: the rest would be noise. */
    static final int MAX_ERRORS = 100;

    private ConfigText() {
    }

    static Optional<List<Line>> read(Path file, Diagnostics diagnostics) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                diagnostics.error(file, 0, 0, "cannot read " + file + ": it is a directory",
                        "give the path of the file itself");
                return Optional.empty();
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A FIFO would block and /dev/zero never ends: only plain files are configuration.
                diagnostics.error(file, 0, 0, "cannot read " + file + ": not a regular file", null);
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                diagnostics.error(file, 0, 0, "cannot read " + file + ": more than " + MAX_BYTES
                        + " bytes is far too large for a heartbeat configuration file", null);
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            diagnostics.error(file, 0, 0, "cannot open " + file + ": no such file",
                    "heartbeat needs ha.cf, haresources and authkeys in /etc/ha.d; copy the samples and edit them");
            return Optional.empty();
        } catch (AccessDeniedException e) {
            diagnostics.error(file, 0, 0, "cannot open " + file + ": permission denied", null);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            diagnostics.error(file, 0, 0, "cannot read " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
            return Optional.empty();
        }
        String text = decode(bytes);
        List<Line> lines = split(text);
        for (Line line : lines) {
            int nul = line.text().indexOf('\0');
            if (nul >= 0) {
                // heartbeat reads lines with fgets and C strings, so a NUL silently cuts a line short;
                // a file with NULs in it is not a configuration file someone edited.
                diagnostics.error(file, line.number(), nul + 1,
                        "binary data (a NUL byte): this is not a text configuration file", null);
                return Optional.empty();
            }
        }
        return Optional.of(lines);
    }

    /** UTF-8, with undecodable bytes replaced: heartbeat is byte-oriented and real files have Latin-1 comments. */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    static List<Line> split(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 1;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(number, text.substring(start)));
                break;
            }
            lines.add(new Line(number++, text.substring(start, nl)));
            start = nl + 1;
        }
        return lines;
    }
}
