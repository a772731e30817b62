package dev.vigil.transport.serial;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Where jSerialComm's native library comes from. Left alone, jSerialComm unpacks it into
 * {@code ${java.io.tmpdir}/jSerialComm/<version>/} with mode 0777 directories (research
 * java-stack.md section 3): in a daemon running as root, any local user could replace the library
 * before it is loaded. Vigil unpacks it itself into a directory only its owner can write, and points
 * jSerialComm there.
 */
public final class SerialNative {
    private static volatile boolean prepared;

    private SerialNative() {
    }

    /** Must run before the first use of jSerialComm in this JVM; later calls do nothing. */
    public static synchronized void prepare(Path privateDir) throws IOException {
        if (prepared) return;
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "armv8_64";
            case "x86", "i386", "i686" -> "x86";
            case "ppc64le" -> "ppc64le";
            default -> null;
        };
        if (arch == null) {
            prepared = true; // let jSerialComm try its own way on an unusual platform
            return;
        }
        Files.createDirectories(privateDir);
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        Path lib = privateDir.resolve("libjSerialComm.so");
        try (InputStream in = com.fazecast.jSerialComm.SerialPort.class.getResourceAsStream("/Linux/" + arch + "/libjSerialComm.so")) {
            if (in == null) throw new IOException("jSerialComm has no native library for Linux/" + arch);
            Path tmp = Files.createTempFile(privateDir, "lib", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.setProperty("jSerialComm.library.path", privateDir.toString());
        prepared = true;
    }
}
