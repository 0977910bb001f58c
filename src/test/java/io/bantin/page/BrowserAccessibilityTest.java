package io.bantin.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.HeadlessChromium;
import io.bantin.support.IntegrationTest;

/**
 * The reader pages in a real browser (Debian's chromium through chromedriver): axe-core finds no serious or
 * critical violation at phone and desktop widths, the text-size control works from the keyboard and is
 * remembered, and nothing scrolls sideways at 320 px, even at 200 % text. Screenshots go to
 * {@code target/screenshots/}.
 */
@IntegrationTest
class BrowserAccessibilityTest {

    static final List<Integer> WIDTHS = List.of(320, 375, 1280);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    HeadlessChromium chromium;
    ChromeDriver browser;
    String bulletin;
    final List<String> firstRun = new ArrayList<>();

    @BeforeAll
    void setUp() throws IOException {
        client = io.bantin.feed.Feeds.patient(client);
        startBrowser();
        // The database is still empty: the home page is the first-run page, checked like every other page.
        for (int width : WIDTHS) {
            open("/", width);
            assertNoSidewaysScroll("first-run home at " + width + " px");
            firstRun.addAll(axe("first-run home at " + width + " px"));
            Files.write(SCREENSHOTS.resolve("first-run-" + width + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        }
        String publisher = Api.issueToken(client, "publisher");
        String media = "http://localhost:" + port + "/demo/";
        create(publisher, "Tiêm vắc xin sởi miễn phí cho trẻ từ 1 đến 5 tuổi", "Y tế", media + "y-te.jpg",
                "Nhân viên y tế tiêm vắc xin cho trẻ tại trạm y tế xã", "2024-05-16T07:45:00+07:00");
        create(publisher, "Lễ hội cồng chiêng Tây Nguyên thu hút hàng nghìn du khách", "Văn hoá", media + "cong-chieng.jpg",
                "Đội cồng chiêng buôn Ako Dhông biểu diễn", "2024-05-18T19:00:00+07:00");
        create(publisher, "Hơn 25.000 thí sinh bước vào kỳ thi tốt nghiệp trung học phổ thông", "Giáo dục", null, null,
                "2024-05-17T10:30:00+07:00");
        create(publisher, "Giá cà phê nhân xô tăng kỷ lục, nông dân phấn khởi", "Kinh tế", media + "ca-phe.jpg",
                "Nông dân xã Ea Tiêu phơi cà phê sau thu hoạch", "2024-05-19T16:40:00+07:00");
        bulletin = create(publisher, "Khánh thành cầu treo dân sinh nối hai bờ sông Krông Nô", "Kinh tế",
                media + "cau-treo.jpg", "Người dân đi bộ qua cầu treo trong ngày khánh thành", "2024-05-20T08:15:00+07:00");
        Eventually.eventually(Duration.ofSeconds(6), () -> client.get().uri("/").exchange()
                .expectBody(String.class).returnResult().getResponseBody(), page -> page.contains("Krông Nô"));
    }

    /** Debian's chromium through chromedriver, and axe-core to run in it. */
    private void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        chromium = HeadlessChromium.start("vi-VN,vi");
        browser = chromium.driver();
    }

    private String create(String token, String title, String category, String photo, String caption, String at) {
        Map<String, Object> b = new java.util.HashMap<>(Map.of("title", title, "category", category, "publishedAt", at,
                "author", "Hoàng Minh Đức", "tags", List.of("Tây Nguyên", "Đắk Lắk"),
                "summary", "Chiều 20/5, UBND tỉnh tổ chức lễ khánh thành và đưa vào sử dụng công trình.",
                "body", "<p>Công trình có tổng vốn đầu tư 8,5 tỷ đồng từ ngân sách tỉnh và đóng góp của doanh nghiệp.</p>"
                        + "<table><tbody><tr><th>Địa phương</th><th>Giá (đồng/kg)</th><th>Thay đổi so với tuần trước</th></tr>"
                        + "<tr><td>Đắk Lắk</td><td>121.500</td><td>+2.000</td></tr></tbody></table>"
                        + "<p>Xem thêm tại https://dak-lak.example.vn/tin-tuc/mot-duong-dan-rat-dai-khong-co-khoang-trang-nao</p>"));
        if (photo != null) {
            b.put("images", List.of(Map.of("url", photo, "caption", caption)));
        }
        return json.readTree(Api.create(client, token, json.writeValueAsString(b))).get("slug").stringValue();
    }

    @AfterAll
    void tearDown() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void open(String path, int width) {
        browser.manage().window().setSize(new Dimension(width, width < 800 ? 800 : 900));
        browser.get(url(path));
        Eventually.eventually(Duration.ofSeconds(10), () -> js("return document.readyState"), "complete"::equals);
    }

    @Test
    void theFirstRunPageHasNoSeriousOrCriticalAxeViolationsAndFitsEveryWidth() {
        assertThat(firstRun).as("serious or critical axe-core violations on the empty site's home page").isEmpty();
    }

    @Test
    void pagesHaveNoSeriousOrCriticalAxeViolationsAndFitEveryWidth() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> page : Map.of("home", "/", "category", "/categories/kinh-te",
                "bulletin", "/bulletins/" + bulletin).entrySet()) {
            for (int width : WIDTHS) {
                open(page.getValue(), width);
                long viewport = ((Number) js("return document.documentElement.clientWidth")).longValue();
                assertThat(viewport).as("viewport of %s at %d px", page.getKey(), width).isBetween(width - 20L, (long) width);
                assertNoSidewaysScroll(page.getKey() + " at " + width + " px");
                problems.addAll(axe(page.getKey() + " at " + width + " px"));
                Files.write(SCREENSHOTS.resolve(page.getKey() + "-" + width + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            }
        }
        assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }

    @Test
    void theTextSizeControlWorksFromTheKeyboardIsRememberedAndThePageStillFitsAt200Percent() throws IOException {
        open("/bulletins/" + bulletin, 320);
        js("localStorage.removeItem('bantin.textSize')");
        browser.navigate().refresh();
        WebElement larger = browser.findElement(By.cssSelector("button[data-text-size='10']"));
        assertThat(larger.getAccessibleName()).contains("A+");
        assertThat(browser.findElement(By.cssSelector("button[data-text-size='-10']")).getAccessibleName()).contains("A−");
        // Tab from the top of the page to the A+ button: skip link, site name, A−, A+.
        Actions keys = new Actions(browser);
        List<String> path = new ArrayList<>();
        for (int i = 0; i < 6 && !"10".equals(js("return document.activeElement.getAttribute('data-text-size')")); i++) {
            keys.sendKeys(Keys.TAB).perform();
            path.add((String) js("return document.activeElement.textContent.trim()"));
        }
        assertThat(js("return document.activeElement.getAttribute('data-text-size')")).as("A+ reached by Tab via %s", path)
                .isEqualTo("10");
        for (int i = 0; i < 10; i++) {
            keys.sendKeys(Keys.ENTER).perform();
        }
        assertThat(js("return document.documentElement.style.fontSize")).isEqualTo("200%");
        browser.navigate().refresh();
        Eventually.eventually(Duration.ofSeconds(10), () -> js("return document.readyState"), "complete"::equals);
        assertThat(js("return document.documentElement.style.fontSize")).as("remembered").isEqualTo("200%");
        assertNoSidewaysScroll("bulletin at 320 px and 200 % text");
        Files.write(SCREENSHOTS.resolve("bulletin-320-text-200.png"), browser.getScreenshotAs(OutputType.BYTES));
        open("/", 320);
        assertNoSidewaysScroll("home at 320 px and 200 % text");
        assertThat(axe("home at 320 px and 200 % text")).isEmpty();
        Files.write(SCREENSHOTS.resolve("home-320-text-200.png"), browser.getScreenshotAs(OutputType.BYTES));
        // And back down with A− by keyboard: Shift+Tab from A+ reaches it.
        js("document.querySelector(\"button[data-text-size='10']\").focus()");
        keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(js("return document.activeElement.getAttribute('data-text-size')")).isEqualTo("-10");
        keys.sendKeys(Keys.SPACE).perform();
        assertThat(js("return document.documentElement.style.fontSize")).isEqualTo("190%");
        js("localStorage.removeItem('bantin.textSize')");
    }

    private void assertNoSidewaysScroll(String where) {
        long scroll = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long client = ((Number) js("return document.documentElement.clientWidth")).longValue();
        assertThat(scroll).as("horizontal scrolling on %s", where).isLessThanOrEqualTo(client);
    }

    private List<String> axe(String where) {
        return chromium.axe(where);
    }
}
