package dev.vigil.vrrp.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads the keepalived captures copied into {@code src/test/resources/vrrp-fixtures/}. */
final class Fixtures {
    static final List<String> ADVERTS = List.of("v2-authpass-advert", "v2-authpass-prio0-shutdown",
            "v2-unicast-authpass-advert", "v3-ipv4-advert", "v3-ipv4-prio0-shutdown", "v3-ipv6-advert",
            "v3-unicast-advert");
    static final List<String> CAPTURES = List.of("inject-v2", "inject-v3", "uni", "v2", "v3fix");

    static final MacAddress NODE_A_MAC = MacAddress.parse("02:00:0a:e8:00:01");
    static final MacAddress NODE_B_MAC = MacAddress.parse("02:00:0a:e8:00:02");

    private Fixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/vrrp-fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource vrrp-fixtures/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The frame from a {@code .hex} dump: "# comment" lines, then "offset  hex bytes…" lines. */
    static byte[] hex(String name) {
        StringBuilder digits = new StringBuilder();
        for (String line : new String(resource(name + ".hex"), StandardCharsets.US_ASCII).split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] fields = t.split("\\s+");
            for (int i = 1; i < fields.length; i++) {
                digits.append(fields[i]);
            }
        }
        return HexFormat.of().parseHex(digits);
    }

    /** The single frame of a one-packet {@code .pcap}. */
    static byte[] pcapFrame(String name) {
        PcapFile pcap = pcap(name + ".pcap");
        if (pcap.packets().size() != 1) {
            throw new IllegalStateException(name + ".pcap holds " + pcap.packets().size() + " packets");
        }
        return pcap.packets().get(0).data();
    }

    static PcapFile capture(String name) {
        return pcap("captures/" + name + ".pcap");
    }

    private static PcapFile pcap(String path) {
        try {
            return PcapFile.parse(resource(path));
        } catch (PcapFile.FormatException e) {
            throw new IllegalStateException(path, e);
        }
    }

    /**
     * The fixture's {@code .json}: one flat object whose values are strings, numbers, booleans or
     * arrays of strings (what lab/pcaptool.py writes).
     */
    static Map<String, Object> json(String name) {
        try (JsonParser p = new JsonFactory().createParser(resource(name + ".json"))) {
            Map<String, Object> out = new LinkedHashMap<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                out.put(key, value(p, p.nextToken()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getIntValue();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getBooleanValue();
            case START_ARRAY:
                List<Object> items = new ArrayList<>();
                for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
                    items.add(value(p, item));
                }
                return items;
            default:
                throw new IOException("unexpected " + t + " in fixture JSON");
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** Literal addresses only (no resolver is consulted for literals). */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static byte[] hexBytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String toHex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
