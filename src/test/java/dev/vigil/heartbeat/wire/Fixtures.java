package dev.vigil.heartbeat.wire;

import dev.vigil.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The captured heartbeat 3.0.6 packets and frames in {@code src/test/resources/heartbeat-fixtures}. */
final class Fixtures {
    static final String SHA1_KEY = "s3cr3t-hb-test-key";
    static final String MD5_KEY = "anotherKey123";

    /** Every UDP payload fixture, with the authkeys file it was captured under (fixtures README). */
    static final List<String> UDP = List.of(
            "01-status-init.bin", "02-status-up.bin", "03-status-active-heartbeat.bin", "04-reqnodes.bin",
            "05-repnodes.bin", "06-NS_ackmsg.bin", "07-starting.bin", "08-resource-none-unstable.bin",
            "09-resource-local-stable.bin", "10-resource-req_our_resources.bin", "11-ip-request-resp-self.bin",
            "20-ask_resources-standby-me.bin", "21-ask_resources-standby-other.bin", "22-resource-standby.bin",
            "23-ask_resources-done.bin", "24-hb_takeover-all.bin", "25-ask_resources-foreign-failback.bin",
            "30-stonith-n_stnth-after-death.bin", "31-resource-req_our_resources-after-death.bin",
            "32-resource-foreign-mach_down.bin", "33-stonith-unneeded.bin", "34-resource-shutdown.bin",
            "35-shutdone.bin", "40-NS_rexmit.bin", "41-retransmitted-status-seq69.bin",
            "50-status-init-md5-key-anotherKey123.bin", "51-status-init-crc.bin",
            "90-synthetic-classic-status-ACCEPTED.bin", "91-synthetic-netstring-status-ACCEPTED.bin");

    /** The good serial frames (01-30); 90 is the torn one. */
    static final List<String> SERIAL = List.of(
            "01-status-init.bin", "02-status-up.bin", "03-status-active-dt1388.bin", "04-status-active-dtbb8.bin",
            "05-NS_ackmsg-to-self.bin", "06-NS_ackmsg-to-peer.bin", "07-reqnodes.bin", "08-repnodes.bin",
            "09-starting.bin", "10-resource-none-unstable.bin", "11-resource-local-stable.bin",
            "12-ip-request-resp-self.bin", "13-resource-req_our_resources.bin",
            "14-ask_resources-foreign-me-from-nodeb.bin", "15-ask_resources-foreign-other.bin",
            "16-ask_resources-foreign-done.bin", "17-stonith-n_stnth-from-nodeb.bin", "18-stonith-unneeded.bin",
            "19-NS_rexmit-decimal.bin", "20-NS_nak_rexmit-hex.bin", "21-resource-shutdown-from-nodeb.bin",
            "22-shutdone-from-nodeb.bin", "30-big-1810B-sent-as-4-writes.bin");

    static final String SERIAL_TORN = "90-torn-frame-after-tcflush-BAD-auth.bin";

    private Fixtures() {}

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/heartbeat-fixtures/" + path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] udp(String name) {
        return bytes(name);
    }

    static byte[] serial(String name) {
        return bytes("serial/" + name);
    }

    /** The authkeys file a UDP fixture was signed under. */
    static String authkeysFileFor(String udpFixture) {
        if (udpFixture.startsWith("50-")) return "authkeys-md5";
        if (udpFixture.startsWith("51-")) return "authkeys-crc";
        return "authkeys";
    }

    static HbCodec codecFor(String udpFixture) {
        return new HbCodec(authkeys(authkeysFileFor(udpFixture)));
    }

    static HbCodec sha1Codec() {
        return new HbCodec(authkeys("authkeys"));
    }

    /** Reads a real authkeys file ({@code auth N}, then {@code N method [key]} lines; research §4.2). */
    static AuthKeys authkeys(String file) {
        String text = new String(bytes(file), StandardCharsets.UTF_8);
        int active = -1;
        List<AuthKey> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 0 || w[0].isEmpty() || w[0].startsWith("#")) continue;
            if (w[0].equals("auth")) {
                active = Integer.parseInt(w[1]);
            } else {
                AuthMethod m = AuthMethod.fromWireName(w[1].toLowerCase(Locale.ROOT)).orElseThrow();
                keys.add(new AuthKey(Integer.parseInt(w[0]), m, w.length > 2 ? new Secret(w[2]) : null));
            }
        }
        return AuthKeys.of(active, keys);
    }

    static AuthKeys sha1(int index, String key) {
        return AuthKeys.single(new AuthKey(index, AuthMethod.SHA1, new Secret(key)));
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
