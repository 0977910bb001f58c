package io.bantin.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's chromium through chromedriver, headless, in a profile of its own, with axe-core to run in its pages
 * (brought from npm, pinned, by src/test/js/install.sh before the tests: never kept in the repository).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChromeDriver driver;
    private final Path profile;
    private final String axe;

    private HeadlessChromium(ChromeDriver driver, Path profile, String axe) {
        this.driver = driver;
        this.profile = profile;
        this.axe = axe;
    }

    /** Starts it; {@code languages} is its Accept-Language (and navigator.languages), e.g. "vi-VN,vi". */
    public static HeadlessChromium start(String languages) {
        try (InputStream in = HeadlessChromium.class.getResourceAsStream("/axe/axe.min.js")) {
            assertThat(in).as("axe.min.js on the test classpath (src/test/js/install.sh, run by mvn before the tests)")
                    .isNotNull();
            String axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path profile = Files.createTempDirectory("bantin-chromium");
            ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                    "--lang=" + languages.split(",")[0], "--user-data-dir=" + profile);
            options.setExperimentalOption("prefs", Map.of("intl.accept_languages", languages));
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60)).pageLoadTimeout(Duration.ofSeconds(60));
            return new HeadlessChromium(driver, profile, axe);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Runs axe-core on the page shown; its serious and critical violations, described, each prefixed by {@code where}. */
    public List<String> axe(String where) {
        JavascriptExecutor js = driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(axe);
        }
        Object result = js.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(function (r) { done(JSON.stringify(r.violations)); })
                   .catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])); });
                """);
        List<String> found = new ArrayList<>();
        for (JsonNode violation : JSON.readTree((String) result)) {
            String impact = violation.path("impact").asString("");
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> targets = new ArrayList<>();
                violation.path("nodes").forEach(n -> targets.add(n.path("target").toString()));
                found.add(where + ": " + violation.path("id").asString("") + " (" + impact + ") "
                        + violation.path("help").asString("") + " " + targets);
            }
        }
        return found;
    }

    /** What the page wrote to its console (a refused policy, a script error), one message a line. */
    public String console() {
        StringBuilder console = new StringBuilder();
        driver.manage().logs().get("browser").forEach(entry -> console.append('\n').append(entry.getMessage()));
        return console.toString();
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
