package dev.vigil.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The daemon's HTTP endpoint: the versioned JSON API ({@code /api/v1}), the live event stream
 * (server-sent events) and the console's static files.
 *
 * <p>Reading is open to anyone who can reach the address (loopback by default, like heartbeat's
 * API socket is open to its group). Control commands need the token from a 0600 file, sent in the
 * {@code Authorization: Bearer} header: a header, not a cookie, so a web page elsewhere cannot make
 * the browser send it (no CSRF).
 */
public final class ControlServer {

    private final Vertx vertx;
    private final ControlApi api;
    private final String token;
    private final Path webRoot;
    private HttpServer server;

    private ControlServer(Vertx vertx, ControlApi api, String token, Path webRoot) {
        this.vertx = vertx;
        this.api = api;
        this.token = token;
        this.webRoot = webRoot;
    }

    /**
     * Reads the token from {@code tokenFile}, creating it (random, mode 0600) when missing; refuses a
     * token file that others can read.
     */
    public static String loadOrCreateToken(Path tokenFile) throws IOException {
        if (Files.exists(tokenFile)) {
            var perms = Files.getPosixFilePermissions(tokenFile);
            if (!perms.equals(PosixFilePermissions.fromString("rw-------")) && !perms.equals(PosixFilePermissions.fromString("r--------"))) {
                throw new IOException(tokenFile + " must be readable by its owner only: chmod 600 " + tokenFile);
            }
            String t = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
            if (t.length() < 16) throw new IOException(tokenFile + " holds no usable token (at least 16 characters)");
            return t;
        }
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        String t = HexFormat.of().formatHex(b);
        Files.createDirectories(tokenFile.toAbsolutePath().getParent());
        Files.writeString(tokenFile, "", StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tokenFile, t + "\n", StandardCharsets.US_ASCII);
        return t;
    }

    public static Future<ControlServer> start(Vertx vertx, ControlApi api, String host, int port, String token, Path webRoot) {
        ControlServer s = new ControlServer(vertx, api, token, webRoot);
        return s.listen(host, port).map(x -> s);
    }

    private Future<HttpServer> listen(String host, int port) {
        Router r = Router.router(vertx);
        r.route("/api/*").handler(ctx -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            ctx.next();
        });
        r.get("/api/v1/status").handler(ctx -> json(ctx.response(), 200, api.status()));
        r.get("/api/v1/events").handler(this::events);
        r.post("/api/v1/commands/:name").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::command);
        r.post("/api/v1/lab/run").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::lab);
        if (webRoot != null && Files.isDirectory(webRoot)) {
            r.route("/*").handler(StaticHandler.create(io.vertx.ext.web.handler.FileSystemAccess.ROOT, webRoot.toAbsolutePath().toString())
                    .setCachingEnabled(false));
        }
        return vertx.createHttpServer().requestHandler(r).listen(port, host).onSuccess(h -> server = h);
    }

    private void command(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            json(ctx.response(), 401, new JsonObject().put("error", "control commands need the token (Authorization: Bearer ...)"));
            return;
        }
        JsonObject args;
        try {
            args = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            json(ctx.response(), 400, new JsonObject().put("error", "the body must be a JSON object"));
            return;
        }
        api.command(ctx.pathParam("name"), args == null ? new JsonObject() : args)
                .onSuccess(res -> json(ctx.response(), 200, res))
                .onFailure(e -> json(ctx.response(), 409, new JsonObject().put("error", String.valueOf(e.getMessage()))));
    }

    /**
     * Plays a lab scenario. It only simulates (nothing in the cluster changes), so it needs no token;
     * it runs on a worker thread because a long scenario takes tens of milliseconds of CPU.
     */
    private void lab(RoutingContext ctx) {
        JsonObject req;
        try {
            req = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            json(ctx.response(), 400, new JsonObject().put("error", "the body must be a JSON object"));
            return;
        }
        String id = req.getString("scenario", "");
        java.util.Optional<dev.vigil.lab.LabScenario> scenario = dev.vigil.lab.LabScenario.byId(id);
        if (scenario.isEmpty()) {
            json(ctx.response(), 400, new JsonObject().put("error", "unknown scenario '" + id + "'"));
            return;
        }
        dev.vigil.lab.LabParams params = dev.vigil.lab.LabParams.fromJson(req.getJsonObject("params", new JsonObject()));
        java.util.List<String> problems = params.problems();
        if (!problems.isEmpty()) {
            json(ctx.response(), 400, new JsonObject().put("error", String.join("; ", problems)));
            return;
        }
        vertx.executeBlocking(() -> dev.vigil.lab.LabRunner.run(scenario.get(), params).toJson(), false)
                .onSuccess(res -> json(ctx.response(), 200, res))
                .onFailure(e -> json(ctx.response(), 500, new JsonObject().put("error", String.valueOf(e.getMessage()))));
    }

    private void events(RoutingContext ctx) {
        HttpServerResponse res = ctx.response();
        res.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store");
        res.write(": vigil event stream\n\n");
        Runnable unsubscribe = api.subscribe(ev -> {
            if (!res.ended() && !res.closed()) res.write("data: " + ev.encode() + "\n\n");
        });
        res.closeHandler(v -> unsubscribe.run());
    }

    private static void json(HttpServerResponse res, int code, JsonObject body) {
        res.setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
