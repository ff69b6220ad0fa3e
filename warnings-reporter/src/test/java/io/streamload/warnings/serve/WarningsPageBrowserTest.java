package io.streamload.warnings.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamload.warnings.Identifiers;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.LoadErrorsWriter;
import io.streamload.warnings.LoadJobEntry;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.testing.Await;
import io.streamload.warnings.testing.TestMysql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page of {@code serve} in a real headless Chromium (Debian's chromium and chromium-driver,
 * driven by Selenium) against a real MariaDB holding real rows: open it, filter by a reason, open a
 * load, see its rejected rows, and a row holding markup stays text.
 *
 * <p>With {@code -Dwarnings.page.screenshot=FILE} it also saves the README's screenshot there.
 */
class WarningsPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A row whose text is markup: shown as text, it sets nothing; run as markup, it sets the global. */
    static final String HOSTILE_ROW = "{\"name\":\"<script>window.__injected = 'script'</script>"
            + "<img src=x onerror=\\\"window.__injected = 'img'\\\">\"}";

    private static TestMysql mysql;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(25);

    private static String cluster;
    private static WarningsHttpApi api;
    private static CompletableFuture<ChromeDriver> browser;
    private static ChromeDriver driver;
    private static String base;

    @BeforeAll
    static void startStoreServiceAndBrowser() throws Exception {
        requireBrowser();
        mysql = TestMysql.shared();
        cluster = mysql.newDatabaseName("page");
        WarningsStoreConfig.Builder builder = WarningsStoreConfig.builder(mysql.url()).clusterId(cluster);
        mysql.url().password().ifPresent(builder::password);
        WarningsStoreConfig config = builder.build();
        // The browser starts (seconds) while the rows are written.
        browser = CompletableFuture.supplyAsync(WarningsPageBrowserTest::startBrowser);
        writeRows(config);
        api = WarningsHttpApi.start("127.0.0.1", 0, StoreConnections.of(config), config.location());
        base = "http://127.0.0.1:" + api.address().getPort() + "/";
        driver = browser.join();
    }

    /** Fails, never skips, when the browser is missing: CI must run this test. */
    static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The page's browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": install them with `apt-get install -y chromium chromium-driver` "
                    + "(./test.sh installs them when missing)");
        }
    }

    static ChromeDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--disable-breakpad",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * Two tables over the last day: a load every half hour into orders (some with filtered rows)
     * and every hour into customers, and four rejected rows, each from a load of its own that
     * failed, one of them holding markup. Written in time order, as the connector would.
     */
    private static void writeRows(WarningsStoreConfig config) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Map.Entry<Instant, Consumer<LoadErrorsWriter>>> entries = new ArrayList<>();
        for (int i = 46; i >= 1; i--) {
            Instant at = now.minus(Duration.ofMinutes(30L * i)).plusSeconds(7);
            LoadJobEntry orders = load("kafka-orders-" + (1100 - i), 1100 - i, "orders", "Success",
                    600 + (i * 137L) % 500, i % 9 == 0 ? 3 : 0, at);
            entries.add(Map.entry(at, writer -> writer.recordLoad(orders)));
            if (i % 2 == 0) {
                LoadJobEntry customers = load("kafka-customers-" + (2100 - i), 2100 - i, "customers", "Success",
                        120 + (i * 53L) % 200, 0, at.plusSeconds(3));
                entries.add(Map.entry(at.plusSeconds(3), writer -> writer.recordLoad(customers)));
            }
        }
        Instant first = now.minus(Duration.ofMinutes(95));
        rejected(entries, load("kafka-orders-501", 501, "orders", "Fail", 0, 2, first),
                row(501, "kafka-orders-501", "orders", 0, 1310,
                        "String 'Bratislava-Petržalka' is too long for column 'city' VARCHAR(16)",
                        "{\"id\":1310,\"city\":\"Bratislava-Petržalka\",\"total\":12.5}", first),
                row(501, "kafka-orders-501", "orders", 0, 1311,
                        "String 'Llanfairpwllgwyngyll' is too long for column 'city' VARCHAR(16)",
                        "{\"id\":1311,\"city\":\"Llanfairpwllgwyngyll\",\"total\":3.0}", first.plusMillis(1)));
        Instant second = now.minus(Duration.ofMinutes(65));
        rejected(entries, load("kafka-orders-502", 502, "orders", "Fail", 0, 1, second),
                row(502, "kafka-orders-502", "orders", 1, 877, "NULL value in non-nullable column 'id'", HOSTILE_ROW,
                        second));
        Instant third = now.minus(Duration.ofMinutes(35));
        rejected(entries, load("kafka-customers-601", 601, "customers", "Fail", 0, 1, third),
                row(601, "kafka-customers-601", "customers", 2, 42,
                        "Value '2025-13-01' is not a valid DATE for column 'born'", "{\"id\":42,\"born\":\"2025-13-01\"}",
                        third));
        entries.sort(Map.Entry.comparingByKey());
        try (LoadErrorsWriter writer = LoadErrorsWriter.start(config, Thread::new)) {
            entries.forEach(entry -> entry.getValue().accept(writer));
            Await.until("the rows written", Duration.ofSeconds(30), () -> writer.stats().written() == entries.size());
        }
    }

    /** A load that failed, and the rows it rejected, written just before it. */
    private static void rejected(List<Map.Entry<Instant, Consumer<LoadErrorsWriter>>> entries, LoadJobEntry load,
                                 LoadErrorEntry... rows) {
        for (LoadErrorEntry row : rows) {
            entries.add(Map.entry(row.createdAt(), writer -> writer.recordRejectedRow(row)));
        }
        entries.add(Map.entry(load.finishedAt().plusMillis(5), writer -> writer.recordLoad(load)));
    }

    private static LoadJobEntry load(String label, long txn, String table, String status, long loaded, long filtered,
                                     Instant at) {
        return LoadJobEntry.builder().label(label).transactionId(txn).database("shop").table(table).status(status)
                .rows(loaded + filtered, loaded, filtered, 0).loadBytes(loaded * 120).loadTimeMs(180).finishedAt(at)
                .build();
    }

    private static LoadErrorEntry row(long job, String label, String table, int partition, long offset, String reason,
                                      String excerpt, Instant at) {
        return LoadErrorEntry.builder().jobId(job).label(label).database("shop").table(table)
                .source(table, partition, offset).errorMessage(reason).rowExcerpt(excerpt).createdAt(at).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            // Started even when the rows could not be written.
            browser.thenAccept(ChromeDriver::quit).exceptionally(e -> null).join();
        }
        if (api != null) {
            api.close();
        }
        if (cluster != null) {
            mysql.dropDatabase(Identifiers.databaseForCluster(cluster));
        }
    }

    @BeforeEach
    void openThePage() {
        driver.get(base);
        awaitRender(0);
    }

    /** Waits for the page to finish the render after {@code before} (its renders counter) and returns the count. */
    private static int awaitRender(int before) {
        new WebDriverWait(driver, WAIT).pollingEvery(POLL).until(d -> {
            WebElement body = d.findElement(By.tagName("body"));
            String renders = body.getAttribute("data-renders");
            return "ready".equals(body.getAttribute("data-state")) && renders != null && Integer.parseInt(renders) > before;
        });
        String status = driver.findElement(By.id("status")).getAttribute("class");
        assertFalse("error".equals(status), "the page says: " + driver.findElement(By.id("status")).getText());
        return renders();
    }

    private static int renders() {
        return Integer.parseInt(driver.findElement(By.tagName("body")).getAttribute("data-renders"));
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#rows tbody tr.row"));
    }

    private static List<String> column(String cssClass) {
        return rows().stream().map(r -> r.findElement(By.cssSelector("td." + cssClass)).getText())
                .collect(Collectors.toList());
    }

    private static Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }

    @Test
    void filterByReasonThenOpenALoadAndSeeItsRejectedRows() {
        // Opened: a chart per table, the latest loads, every rejected row of the last day.
        List<String> charts = driver.findElements(By.cssSelector("#chart .chart")).stream()
                .map(c -> c.getAttribute("data-table")).collect(Collectors.toList());
        assertEquals(List.of("shop.customers", "shop.orders"), charts);
        assertFalse(driver.findElements(By.cssSelector("#chart .chart[data-table='shop.orders'] rect.bar.loaded")).isEmpty());
        assertFalse(driver.findElements(By.cssSelector("#chart .chart[data-table='shop.orders'] rect.bar.rejected")).isEmpty());
        assertEquals(4, rows().size());

        // Filter by a reason.
        int before = renders();
        driver.findElement(By.name("reason")).sendKeys("too long");
        driver.findElement(By.id("apply")).click();
        awaitRender(before);
        assertEquals(2, rows().size());
        column("reason").forEach(reason -> assertTrue(reason.contains("is too long for column 'city'"), reason));
        assertEquals(List.of("1311", "1310"), column("offset"), "newest first");
        String replay = driver.findElement(By.cssSelector("#replay pre.command[data-topic='orders']")).getText();
        assertTrue(replay.contains("--to-topic orders"), replay);
        assertTrue(replay.contains("--filter topic=orders"), replay);
        assertTrue(replay.contains("--filter 'reason=too long'"), replay);
        assertTrue(replay.endsWith("--dry-run"), replay);

        // Open a load: its label in the loads list.
        before = renders();
        driver.findElement(By.xpath("//table[@id='loads']//a[text()='kafka-orders-502']")).click();
        awaitRender(before);
        assertTrue(driver.getCurrentUrl().contains("job=502"), driver.getCurrentUrl());
        assertEquals("kafka-orders-502 (txn 502)", driver.findElement(By.id("job-name")).getText());
        assertEquals("", driver.findElement(By.name("reason")).getAttribute("value"), "a load's rows, whatever the reason");
        assertEquals(1, rows().size());
        assertEquals(List.of("NULL value in non-nullable column 'id'"), column("reason"));
        assertEquals(List.of("orders"), column("topic"));
        assertEquals(List.of("1"), column("partition"));
        assertEquals(List.of("877"), column("offset"));
        replay = driver.findElement(By.cssSelector("#replay pre.command[data-topic='orders']")).getText();
        assertTrue(replay.contains("--filter 'reason=label=kafka-orders-502, txn_id=502,'"), replay);

        // And back to every load.
        before = renders();
        driver.findElement(By.id("job-clear")).click();
        awaitRender(before);
        assertEquals(4, rows().size());
    }

    @Test
    void aRowHoldingMarkupIsShownAsTextAndRunsNothing() {
        List<WebElement> excerpts = driver.findElements(By.cssSelector("#rows td.excerpt code"));
        assertTrue(excerpts.stream().anyMatch(e -> e.getText().equals(HOSTILE_ROW)),
                "the markup shown as it was stored: " + excerpts.stream().map(WebElement::getText).toList());
        assertTrue(driver.findElements(By.cssSelector("#rows td.excerpt *:not(code)")).isEmpty(),
                "no element made of a row");
        assertEquals(Boolean.TRUE, script("return window.__injected === undefined"), "no script of a row ran");
        // Give the <img onerror> the time an image load fails in: the page's next render.
        int before = renders();
        script("window.dispatchEvent(new HashChangeEvent('hashchange'))");
        awaitRender(before);
        assertEquals(Boolean.TRUE, script("return window.__injected === undefined"), "no script of a row ran");
    }

    @Test
    void theApiErrorIsShownWhenAFilterIsWrong() {
        driver.get(base + "#range=custom&from=2030-01-02T00:00:00&to=2030-01-01T00:00:00");
        new WebDriverWait(driver, WAIT).pollingEvery(POLL).until(d -> "error".equals(d.findElement(By.id("status")).getAttribute("class")));
        assertTrue(driver.findElement(By.id("status")).getText().contains("since must be before until"),
                driver.findElement(By.id("status")).getText());
    }

    /** Saves the README's screenshot when asked to with {@code -Dwarnings.page.screenshot=FILE}. */
    @Test
    void screenshotForTheReadme() throws Exception {
        String file = System.getProperty("warnings.page.screenshot");
        if (file == null || file.isBlank()) {
            return;
        }
        driver.findElement(By.name("servers")).sendKeys("kafka:9092");
        driver.findElement(By.name("dlq")).sendKeys("orders-dlq");
        int before = renders();
        driver.findElement(By.name("reason")).sendKeys("too long");
        driver.findElement(By.id("apply")).click();
        awaitRender(before);
        // The whole page in one picture: a window as tall as the page, whatever the window adds around it.
        for (int i = 0; i < 3; i++) {
            long missing = (Long) script("return document.documentElement.scrollHeight - window.innerHeight");
            if (missing <= 0) {
                break;
            }
            Dimension size = driver.manage().window().getSize();
            driver.manage().window().setSize(new Dimension(size.getWidth(), size.getHeight() + (int) missing));
        }
        script("window.scrollTo(0, 0)");
        Files.write(Path.of(file), driver.getScreenshotAs(OutputType.BYTES));
    }
}
