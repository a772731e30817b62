package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Main;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as a person uses it: the demo cluster's page in Debian's headless Chromium. Screenshots
 * go to target/screenshots (docs/console.md shows current ones).
 */
@Tag("browser")
class ConsoleBrowserTest {
    @TempDir
    static Path work;

    private static Thread demo;
    private static int port;
    private static WebDriver browser;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        boolean ok = new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute();
        if (!ok) System.out.println("SKIPPED: chromium/chromium-driver not installed (src/tools/test.sh installs them)");
        Assumptions.assumeTrue(ok, "chromium missing");
        port = 21000 + (int) (ProcessHandle.current().pid() % 5000) * 2;
        demo = new Thread(() -> Main.run("demo", "--dir", work.resolve("demo").toString(), "--port", Integer.toString(port)), "demo");
        demo.start();
        // the demo cluster settles after initdead and heartbeat's 10 s RQSTDELAY
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !settled()) Thread.sleep(250);
        assertThat(settled()).as("demo cluster settled").isTrue();

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1300,1000",
                "--user-data-dir=" + work.resolve("chrome"));
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
    }

    private static JsonObject status(int p) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/v1/status"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body());
    }

    private static String holderOfWeb() {
        try {
            for (Object g : status(port).getJsonObject("resources").getJsonArray("groups")) {
                JsonObject group = (JsonObject) g;
                if (group.getString("key").contains("web") && "running".equals(group.getString("state"))) return group.getString("holder");
            }
            for (Object g : status(port + 1).getJsonObject("resources").getJsonArray("groups")) {
                JsonObject group = (JsonObject) g;
                if (group.getString("key").contains("web") && "running".equals(group.getString("state"))) return group.getString("holder");
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static boolean settled() {
        return "nodea".equals(holderOfWeb());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (demo != null) {
            demo.interrupt();
            demo.join(30_000);
        }
    }

    private static void shot(String name) throws Exception {
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private static void runLab(String scenario, int weight, double recoverAt) {
        browser.findElement(By.id("tab-lab")).click();
        new Select(browser.findElement(By.id("scenario"))).selectByValue(scenario);
        set("priorityA", "100");
        set("priorityB", "80");
        set("weight", Integer.toString(weight));
        set("recoverAt", Double.toString(recoverAt));
        browser.findElement(By.id("run-lab")).click();
        waitUpTo(20).until(ExpectedConditions.textMatches(By.id("lab-status"), java.util.regex.Pattern.compile("simulated")));
    }

    private static void set(String name, String value) {
        WebElement e = browser.findElement(By.name(name));
        e.clear();
        e.sendKeys(value);
    }

    private static String laneText(String protocol, String cls) {
        return browser.findElement(By.cssSelector(".lane[data-protocol=" + protocol + "] ." + cls + " b")).getText();
    }

    @Test
    void liveViewShowsBothNodesActive() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-node=nodeb] .state"), "active"));
        assertThat(browser.findElement(By.cssSelector("[data-node=nodea] .state")).getText()).isEqualTo("active");
        assertThat(browser.findElement(By.id("mode")).getText()).isEqualToIgnoringCase("heartbeat");
        // the resource layer's view: the demo has no vigil.conf, so monitoring is off, as in heartbeat
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-resource='demo-service::web']")));
        assertThat(browser.findElement(By.cssSelector("[data-resource='demo-service::web']")).getText()).contains("off");
        shot("console-cluster");
    }

    @Test
    void weightTrapWithWeight10KeepsTheAddressAndExplainsWhyAndWeight30MovesIt() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        runLab("check-fails", -10, 0);
        assertThat(laneText("vrrp", "final-holder")).isEqualTo("A");
        assertThat(browser.findElement(By.cssSelector(".lane[data-protocol=vrrp] .explain")).getText())
                .contains("no failover").contains("|weight| > 20");
        shot("console-lab-weight-trap-10");
        runLab("check-fails", -30, 0);
        assertThat(laneText("vrrp", "final-holder")).isEqualTo("B");
        assertThat(laneText("heartbeat", "final-holder")).isEqualTo("A");
        shot("console-lab-weight-30");
    }

    @Test
    void masterKilledShowsATakeoverInBothLanes() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        runLab("master-killed", -10, 0);
        assertThat(laneText("vrrp", "detection")).isNotEqualTo("none");
        assertThat(laneText("heartbeat", "detection")).isNotEqualTo("none");
        assertThat(laneText("vrrp", "final-holder")).isEqualTo("B");
        assertThat(laneText("heartbeat", "final-holder")).isEqualTo("B");
        assertThat(browser.findElements(By.cssSelector(".lane svg rect.hold"))).isNotEmpty();
        shot("console-lab-master-killed");
    }

    @Test
    void standbyWithTheTokenMovesTheGroupToThePeer() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-command=standby]")));
        // without the token the daemon refuses
        browser.findElement(By.cssSelector("[data-command=standby]")).click();
        waitUpTo(10).until(ExpectedConditions.textMatches(By.id("control-result"), java.util.regex.Pattern.compile("refused \\(401\\)")));
        String token = Files.readString(work.resolve("demo/state-nodea/control.token")).trim();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("[data-command=standby]")).click();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !"nodeb".equals(holderOfWeb())) Thread.sleep(200);
        assertThat(holderOfWeb()).isEqualTo("nodeb");
        browser.navigate().refresh();
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-group='demo-service::web'] .holder"), "nodeb"));
        shot("console-after-standby");
    }
}
