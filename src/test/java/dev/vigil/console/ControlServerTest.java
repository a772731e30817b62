package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    private Vertx vertx;
    private ControlServer server;
    private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> commandsRun = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    /** The API of a pretend mode: enough to see what the server lets through. */
    private final ControlApi api = new ControlApi() {
        @Override
        public JsonObject status() {
            return new JsonObject().put("mode", "heartbeat").put("node", "nodea");
        }

        @Override
        public Future<JsonObject> command(String name, JsonObject arguments) {
            commandsRun.add(name + " " + arguments.encode());
            if (name.equals("takeover")) return Future.failedFuture("nodeb holds no resources to take over");
            return Future.succeededFuture(new JsonObject().put("done", name));
        }

        @Override
        public Runnable subscribe(Consumer<JsonObject> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    };

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        token = ControlServer.loadOrCreateToken(dir.resolve("control.token"));
        server = ControlServer.start(vertx, api, "127.0.0.1", 0, token, null).await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusIsReadableWithoutToken() throws Exception {
        HttpResponse<String> r = get("/api/v1/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("node")).isEqualTo("nodea");
    }

    @Test
    void commandWithoutTokenIsRefusedWith401AndNotRun() throws Exception {
        assertThat(post("/api/v1/commands/standby", null, "{}").statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/commands/standby", "Bearer wrong-token-000000000", "{}").statusCode()).isEqualTo(401);
        assertThat(commandsRun).isEmpty();
    }

    @Test
    void commandWithTokenRunsAndARefusalComesBackAs409WithTheReason() throws Exception {
        HttpResponse<String> ok = post("/api/v1/commands/standby", "Bearer " + token, "{\"what\":\"all\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(commandsRun).containsExactly("standby {\"what\":\"all\"}");
        HttpResponse<String> refused = post("/api/v1/commands/takeover", "Bearer " + token, "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("holds no resources");
    }

    @Test
    void eventStreamDeliversPublishedEvents() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events")).GET().build();
        var lines = http.send(req, HttpResponse.BodyHandlers.ofLines()).body().iterator();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (listeners.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        vertx.runOnContext(v -> listeners.forEach(l -> l.accept(new JsonObject().put("event", "node-dead").put("node", "nodeb"))));
        String line = "";
        while (lines.hasNext() && !(line = lines.next()).startsWith("data:")) {
            // skip the comment and blank lines
        }
        assertThat(line).startsWith("data: ").contains("node-dead").contains("nodeb");
    }

    @Test
    void labRunsAScenarioWithoutTokenAndRefusesNonsense() throws Exception {
        HttpResponse<String> r = post("/api/v1/lab/run", null,
                "{\"scenario\":\"check-fails\",\"params\":{\"priorityA\":100,\"priorityB\":80,\"weight\":-10,\"recoverAt\":0}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getJsonArray("lanes")).hasSize(2);
        assertThat(body.getJsonArray("lanes").getJsonObject(0).getString("explanation")).contains("no failover");
        assertThat(post("/api/v1/lab/run", null, "{\"scenario\":\"meteor\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = post("/api/v1/lab/run", null, "{\"scenario\":\"master-killed\",\"params\":{\"advertInt\":0.5}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("whole seconds");
        assertThat(commandsRun).isEmpty();
    }

    @Test
    void tokenFileIsCreated0600AndAReadableOneIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t");
        ControlServer.loadOrCreateToken(f);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ControlServer.loadOrCreateToken(f)).hasMessageContaining("chmod 600");
    }
}
