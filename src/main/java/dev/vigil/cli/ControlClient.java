package dev.vigil.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How the CLI talks to a running daemon: the endpoint from {@code STATE_DIR/control.json}. */
final class ControlClient {
    private final String base;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ControlClient(String base, Path stateDir) {
        this.base = base;
        this.stateDir = stateDir;
    }

    /** @throws IOException with an operator-facing message when no daemon is known there */
    static ControlClient forStateDir(Path stateDir) throws IOException {
        Path f = stateDir.resolve("control.json");
        if (!Files.exists(f)) throw new IOException("no running Vigil daemon found (" + f + " is missing); is it running with --state-dir " + stateDir + "?");
        JsonObject j = new JsonObject(Files.readString(f));
        return new ControlClient("http://" + j.getString("host") + ":" + j.getInteger("port"), stateDir);
    }

    JsonObject status() throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status"))
                .timeout(Duration.ofSeconds(5)).GET().build());
        if (r.statusCode() != 200) throw new IOException("daemon answered " + r.statusCode() + ": " + r.body());
        return new JsonObject(r.body());
    }

    /** Runs a control command with the token from the state directory; returns the answer or throws with the refusal. */
    JsonObject command(String name, JsonObject args) throws IOException, InterruptedException {
        String token = Files.readString(stateDir.resolve("control.token")).trim();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/commands/" + name))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(args.encode())).build());
        JsonObject body;
        try {
            body = new JsonObject(r.body());
        } catch (RuntimeException e) {
            body = new JsonObject().put("error", r.body());
        }
        if (r.statusCode() != 200) throw new IOException(body.getString("error", "refused (" + r.statusCode() + ")"));
        return body;
    }

    /** A refused connection has no message of its own ("vigil status: null"); say what it means. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("no Vigil daemon answers at " + base + " (" + stateDir.resolve("control.json")
                    + "): it is not running, or runs in another network namespace", e);
        }
    }
}
