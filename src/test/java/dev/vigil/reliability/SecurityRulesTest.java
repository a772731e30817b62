package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.action.ScriptRunner;
import dev.vigil.config.Diagnostic;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.keepalived.ScriptUser;
import dev.vigil.console.ControlApi;
import dev.vigil.console.ControlServer;
import dev.vigil.heartbeat.sim.SimHeartbeatCluster;
import dev.vigil.sim.SimNetwork;
import dev.vigil.sim.SimScheduler;
import dev.vigil.vrrp.ScriptRunnerTrackExecutor;
import dev.vigil.vrrp.ScriptSecurity;
import dev.vigil.vrrp.VrrpInstanceSpec;
import dev.vigil.vrrp.VrrpNodeConfig;
import dev.vigil.vrrp.VrrpTrackScript;
import dev.vigil.vrrp.instance.VrrpInstanceSettings;
import dev.vigil.vrrp.sim.SimAddressBook;
import dev.vigil.vrrp.sim.SimVrrpNode;
import dev.vigil.vrrp.wire.MacAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, the security rules: each test tries to break one. Rules with older tests elsewhere are
 * listed in docs/reliability.md next to these (AuthkeysParserTest, VrrpNotifierTest, ControlServerTest).
 */
class SecurityRulesTest {

    @TempDir
    Path dir;

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    // ------------------------------------------------------------------ authkeys: 0600, root-owned

    /** heartbeat.md §4.2: a group- or other-readable authkeys stops the daemon before it sends anything. */
    @Test
    void aReadableAuthkeysStopsTheDaemonAtStart() throws Exception {
        Path ha = installHeartbeatConfig();
        Files.setPosixFilePermissions(ha.resolve("authkeys"), PosixFilePermissions.fromString("rw-r--r--"));
        Process p = vigil("run", "--heartbeat", ha.toString(), "--node", "nodea", "--state-dir", dir.resolve("state").toString(),
                "--console", "127.0.0.1:0");
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) p.destroyForcibly();
        assertThat(exited).as("the daemon refused to start\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Bad permissions on keyfile").contains("chmod 600");
    }

    /**
     * Another owner can change the cluster key. heartbeat does not look at the owner; Vigil refuses
     * it (only root, or the user Vigil itself runs as, as in the non-root demo), with the chown fix.
     */
    @Test
    void anAuthkeysOwnedByAnotherUserIsReported() throws Exception {
        Assumptions.assumeTrue(root(), "chown needs root");
        Path ha = installHeartbeatConfig();
        Files.setAttribute(ha.resolve("authkeys"), "unix:uid", 65534);
        List<Diagnostic> d = HeartbeatDirectory.load(ha).diagnostics().all();
        assertThat(d).anySatisfy(x -> {
            assertThat(x.isError()).isTrue();
            assertThat(x.message()).contains("not root");
            assertThat(x.hint()).startsWith("chown root");
        });
    }

    // ------------------------------------------------------------------ enable_script_security

    @Test
    void aScriptOwnedByAnotherUserIsRefused() throws Exception {
        Assumptions.assumeTrue(root(), "chown needs root");
        Path s = script(dir, "owned.sh", "rwxr-xr-x", "#!/bin/sh\nexit 0\n");
        Files.setAttribute(s, "unix:uid", 65534);
        assertThat(secure().check(List.of(s.toString()), Optional.empty()).refusal()).get().asString().contains("Unsafe permissions");
    }

    @Test
    void aGroupWritableDirectoryOnThePathIsRefused() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("gw"));
        Path s = script(sub, "ok.sh", "rwxr-xr-x", "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(secure().check(List.of(s.toString()), Optional.empty()).refusal()).get().asString().contains("Unsafe permissions");
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(secure().check(List.of(s.toString()), Optional.empty()).refusal()).isEmpty();
    }

    /** The check follows links: a safe-looking path to an unsafe file does not pass. */
    @Test
    void aSymlinkFromASafePlaceToAnUnsafeScriptIsRefused() throws Exception {
        Path unsafeDir = Files.createDirectory(dir.resolve("open"));
        Path target = script(unsafeDir, "t.sh", "rwxr-xr-x", "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(unsafeDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path safe = Files.createDirectory(dir.resolve("safe"));
        Path link = Files.createSymbolicLink(safe.resolve("check.sh"), target);
        assertThat(secure().check(List.of(link.toString()), Optional.empty()).refusal()).get().asString().contains("Unsafe permissions");
    }

    /** A refused vrrp_script never runs: it counts as failed, as keepalived disables it. */
    @Test
    void aRefusedTrackScriptNeverRunsAndCountsAsFailed() throws Exception {
        Path marker = dir.resolve("ran");
        Path s = script(dir, "gw.sh", "rwxrwxr-x", "#!/bin/sh\ntouch " + marker + "\nexit 0\n");
        ScriptRunner runner = new ScriptRunner();
        ScriptRunnerTrackExecutor ex = new ScriptRunnerTrackExecutor(runner, secure());
        Boolean ok = ex.run(VrrpTrackScript.of("chk", s.toString())).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ok).isFalse();
        Thread.sleep(200);
        assertThat(marker).doesNotExist();
    }

    // ------------------------------------------------------------------ script_user

    @Test
    void trackScriptsRunAsScriptUserAndAScriptsOwnUserWins() throws Exception {
        Assumptions.assumeTrue(root(), "switching user needs root");
        // nobody must be able to reach the scripts: @TempDir makes its directory 0700
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path asNobody = script(dir, "nobody.sh", "rwxr-xr-x", "#!/bin/sh\n[ \"$(id -u)\" = 65534 ]\n");
        Path asRoot = script(dir, "root.sh", "rwxr-xr-x", "#!/bin/sh\n[ \"$(id -u)\" = 0 ]\n");
        ScriptRunnerTrackExecutor ex = new ScriptRunnerTrackExecutor(new ScriptRunner(),
                new ScriptSecurity(true, Optional.of(new ScriptUser("nobody", Optional.empty()))));
        assertThat(ex.run(VrrpTrackScript.of("as_default", asNobody.toString())).toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ex.run(VrrpTrackScript.of("as_default_root", asRoot.toString())).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .as("script_user nobody: not root").isFalse();
        VrrpTrackScript own = new VrrpTrackScript("own_user", List.of(asRoot.toString()), Duration.ofSeconds(1), Duration.ofSeconds(5),
                1, 1, false, Optional.of(new ScriptUser("root", Optional.empty())));
        assertThat(ex.run(own).toCompletableFuture().get(10, TimeUnit.SECONDS)).as("the script's own user").isTrue();
    }

    // ------------------------------------------------------------------ console: loopback, token

    @Test
    void theConsoleListensOnLoopbackByDefault() throws Exception {
        Process p = vigil("run", "--help");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String console = help.substring(help.indexOf("--console=HOST:PORT  "), help.indexOf("-h, --help"));
        assertThat(console).contains("(default").contains("127.0.0.1:9694").doesNotContain("0.0.0.0");
    }

    /** Every command route, every way of getting the token wrong: 401 and nothing runs. */
    @Test
    void noControlCommandRunsWithoutTheToken() throws Exception {
        List<String> ran = new ArrayList<>();
        ControlApi api = new ControlApi() {
            @Override
            public JsonObject status() {
                return new JsonObject().put("mode", "vrrp");
            }

            @Override
            public Future<JsonObject> command(String name, JsonObject arguments) {
                ran.add(name);
                return Future.succeededFuture(new JsonObject());
            }

            @Override
            public Runnable subscribe(Consumer<JsonObject> listener) {
                return () -> { };
            }
        };
        Vertx vertx = Vertx.vertx();
        try {
            String token = ControlServer.loadOrCreateToken(dir.resolve("control.token"));
            ControlServer server = ControlServer.start(vertx, api, "127.0.0.1", 0, token, null).await();
            HttpClient http = HttpClient.newHttpClient();
            for (String cmd : List.of("standby", "takeover", "maintenance", "anything")) {
                for (String auth : new String[] {null, "", "Bearer", "Bearer ", "Bearer " + token.substring(1), "Bearer " + token + "x",
                        "Basic " + token, token, "bearer" + token}) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/commands/" + cmd))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"));
                    if (auth != null) b.header("Authorization", auth);
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(cmd + " with [" + auth + "]").isEqualTo(401);
                }
                // the token in the query string is not a token
                HttpResponse<String> q = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/commands/" + cmd + "?token=" + token)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(q.statusCode()).isEqualTo(401);
            }
            assertThat(ran).isEmpty();
        } finally {
            vertx.close().await();
        }
    }

    // ------------------------------------------------------------------ secrets never logged

    @Test
    void vrrpPasswordsNeverReachTheLog() throws Exception {
        String out = captured(() -> {
            SimScheduler sched = new SimScheduler();
            SimNetwork net = new SimNetwork(sched, 1);
            SimAddressBook book = new SimAddressBook(sched);
            InetAddress a = InetAddress.getByName("10.0.0.1");
            InetAddress b = InetAddress.getByName("10.0.0.2");
            InetAddress vip = InetAddress.getByName("10.0.0.100");
            SimVrrpNode na = new SimVrrpNode(net, "lan", "a", "eth0", new MacAddress(1), List.of(a), VrrpNodeConfig.of(List.of(
                    VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_1", 51, a).priority(150).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "pw-alpha").build(), "eth0"))), book);
            SimVrrpNode nb = new SimVrrpNode(net, "lan", "b", "eth0", new MacAddress(2), List.of(b), VrrpNodeConfig.of(List.of(
                    VrrpInstanceSpec.of(VrrpInstanceSettings.builder("VI_1", 51, b).priority(100).virtualAddress(vip)
                            .authentication(VrrpInstanceSettings.AuthType.PASS, "pw-bravo").build(), "eth0"))), book);
            na.start();
            nb.start();
            sched.runFor(10_000_000_000L);
            na.stop();
            sched.runFor(1_000_000_000L);
            return nb.router().instance("VI_1").orElseThrow().counters().get("auth_failure");
        });
        assertThat(out).as("the routers logged their transitions and the refused adverts").containsIgnoringCase("VI_1");
        assertThat(out).doesNotContain("pw-alpha").doesNotContain("pw-bravo");
    }

    @Test
    void heartbeatKeysNeverReachTheLog() throws Exception {
        String out = captured(() -> {
            SimHeartbeatCluster c = SimHeartbeatCluster.builder().nodes("nodea", "nodeb").logging(true)
                    .group("nodea", "IPaddr2::10.0.0.100/24/eth0").seed(3).build().start();
            c.runFor(Duration.ofSeconds(30));
            c.kill("nodea");
            c.runFor(Duration.ofSeconds(10));
            return null;
        });
        assertThat(out).contains("nodea");
        assertThat(out).doesNotContain("simulated-cluster-key");
    }

    @Test
    void theControlTokenNeverReachesTheLog() throws Exception {
        String[] token = new String[1];
        String out = captured(() -> {
            Vertx vertx = Vertx.vertx();
            try {
                token[0] = ControlServer.loadOrCreateToken(dir.resolve("control.token"));
                ControlApi api = new ControlApi() {
                    @Override
                    public JsonObject status() {
                        return new JsonObject();
                    }

                    @Override
                    public Future<JsonObject> command(String name, JsonObject arguments) {
                        return Future.failedFuture("refused: " + name);
                    }

                    @Override
                    public Runnable subscribe(Consumer<JsonObject> listener) {
                        return () -> { };
                    }
                };
                ControlServer server = ControlServer.start(vertx, api, "127.0.0.1", 0, token[0], null).await();
                HttpClient http = HttpClient.newHttpClient();
                for (String auth : List.of("Bearer " + token[0], "Bearer " + token[0] + "-wrong")) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/commands/standby"))
                            .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString("{\"what\":\"all\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                }
                return null;
            } finally {
                vertx.close().await();
            }
        });
        assertThat(token[0]).hasSizeGreaterThan(16);
        assertThat(out).doesNotContain(token[0]);
    }

    // ------------------------------------------------------------------ helpers

    static ScriptSecurity secure() {
        return new ScriptSecurity(true, Optional.of(new ScriptUser("root", Optional.empty())));
    }

    static Path script(Path where, String name, String mode, String text) throws IOException {
        Path s = where.resolve(name);
        Files.writeString(s, text);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString(mode));
        return s;
    }

    Path installHeartbeatConfig() throws IOException {
        Path ha = Files.createDirectory(dir.resolve("ha.d"));
        Path src = Path.of("src/test/resources/heartbeat-config/two-node-bcast");
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) Files.copy(f, ha.resolve(f.getFileName()));
        }
        Files.setPosixFilePermissions(ha.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        return ha;
    }

    static Process vigil(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    /** Everything printed to stdout and stderr (slf4j-simple's log goes to stderr) while {@code body} runs. */
    static String captured(Callable<?> body) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            body.call();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
