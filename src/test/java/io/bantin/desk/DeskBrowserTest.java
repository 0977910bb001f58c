package io.bantin.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.HeadlessChromium;
import io.bantin.support.IntegrationTest;

/**
 * The desk in a real browser (Debian's chromium through chromedriver), as a journalist uses it: signs in, uploads a
 * photo with a caption, writes a bulletin with a heading, a list and a link, previews it, schedules it two seconds
 * ahead and sees it in the feed and on the front page at its time, edits it, meets a second editor's change and
 * resolves it, and withdraws it; axe-core finds nothing serious or critical on any screen, at 320 px either.
 * Screenshots go to {@code target/screenshots/desk-*.png}.
 */
@IntegrationTest
class DeskBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final ZoneId PORTAL = ZoneId.of("Asia/Ho_Chi_Minh");
    static final String TITLE = "Đắk Lắk khánh thành cầu treo Buôn Đôn";

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    HeadlessChromium chromium;
    ChromeDriver browser;
    String publisher;

    @BeforeAll
    void setUp() throws IOException {
        client = io.bantin.feed.Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        Files.createDirectories(SCREENSHOTS);
        chromium = HeadlessChromium.start("vi-VN,vi");
        browser = chromium.driver();
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aJournalistWritesIllustratesPreviewsSchedulesEditsResolvesAConflictAndWithdraws() throws Exception {
        List<String> problems = new ArrayList<>();
        browser.get(url("/desk"));
        WebElement token = byName("Mã truy cập", "input");
        problems.addAll(axe("sign-in"));
        shot("desk-sign-in");

        // A wrong token is said so, next to the field.
        token.sendKeys("bt_khong-dung");
        byName("Đăng nhập", "button").click();
        waitUntil(() -> browser.findElement(By.id("token-error")).isDisplayed());
        assertThat(browser.findElement(By.id("token-error")).getText()).contains("Mã truy cập không đúng");

        token.clear();
        token.sendKeys(publisher);
        byName("Đăng nhập", "button").click();
        waitUntil(() -> browser.findElement(By.id("list")).isDisplayed());
        assertThat(js("return sessionStorage.getItem('bantin.desk.token')")).isEqualTo(publisher);
        assertThat(js("return document.cookie")).isEqualTo("");
        problems.addAll(axe("list"));

        byName("Bài mới", "button").click();
        waitUntil(() -> browser.findElement(By.id("editor")).isDisplayed());
        byName("Tiêu đề", "input").sendKeys(TITLE);
        byName("Tóm tắt", "textarea").sendKeys("Cây cầu dài 120 m nối hai bờ sông Sêrêpốk.");
        WebElement body = byName("Nội dung", "div");
        body.click();
        byName("Tiêu đề mục", "button").click();
        body.sendKeys("Kết quả đầu tư\n");
        byName("Danh sách", "button").click();
        body.sendKeys("Vốn 8,5 tỷ đồng\nHoàn thành sau 6 tháng\n\n");
        body.sendKeys("Xem bản đồ tuyến cầu");
        // The last words become a link, through the toolbar's link button and its field.
        js("var q = Quill.find(document.getElementById('f-body')); var n = q.getLength();"
                + "q.setSelection(n - 1 - 'bản đồ tuyến cầu'.length, 'bản đồ tuyến cầu'.length);");
        byName("Liên kết", "button").click();
        WebElement link = browser.findElement(By.cssSelector("#f-body .ql-tooltip input[data-link]"));
        link.sendKeys("https://dak-lak.example.vn/ban-do\n");
        byName("Chuyên mục", "input").sendKeys("Giao thông");
        byName("Thẻ", "input").sendKeys("Buôn Đôn, Cầu treo");
        byName("Tác giả", "input").sendKeys("Hoàng Minh Đức");

        // A photo from the computer, with its caption.
        browser.findElement(By.id("f-photo")).sendKeys(Path.of("src/test/resources/media/photo.jpg").toAbsolutePath().toString());
        waitUntil(() -> !browser.findElements(By.id("caption-0")).isEmpty());
        WebElement caption = byName("Chú thích ảnh", "input");
        caption.sendKeys("Người dân đi qua cầu treo Buôn Đôn");
        problems.addAll(axe("editor"));
        shot("desk-editor");

        byName("Xem trước", "button").click();
        waitUntil(() -> browser.findElement(By.id("preview-pane")).isDisplayed());
        String preview = (String) js("return document.getElementById('preview-frame').srcdoc");
        assertThat(preview).contains("<h1>" + TITLE + "</h1>", "<h2>Kết quả đầu tư</h2>", "<li>Vốn 8,5 tỷ đồng</li>",
                "href=\"https://dak-lak.example.vn/ban-do\"", "Người dân đi qua cầu treo Buôn Đôn", "srcset=");
        problems.addAll(axe("preview"));
        shot("desk-preview");
        byName("Quay lại sửa bài", "button").click();

        // Two seconds ahead, in the portal's time.
        OffsetDateTime at = OffsetDateTime.now(PORTAL).plusSeconds(3).withNano(0);
        js("var t = document.getElementById('f-time'); t.value = arguments[0];"
                + "t.dispatchEvent(new Event('input', {bubbles: true}));",
                at.toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        byName("Đăng", "button").click();
        waitUntil(() -> browser.findElement(By.id("notice")).getText().startsWith("Đã hẹn giờ đăng"));
        String feedBefore = get("/feeds/rss.xml");
        assertThat(feedBefore).doesNotContain(TITLE);
        Eventually.eventually(Duration.ofSeconds(20), () -> get("/feeds/rss.xml"), feed -> feed.contains(TITLE));
        Eventually.eventually(Duration.ofSeconds(10), () -> get("/"), home -> home.contains(TITLE));
        JsonNode published = found();
        assertThat(published.get("status").stringValue()).isEqualTo("published");
        assertThat(published.get("body").stringValue()).contains("<h2>Kết quả đầu tư</h2>", "<ul>",
                "<a href=\"https://dak-lak.example.vn/ban-do\"");
        assertThat(published.get("images").get(0).get("caption").stringValue()).isEqualTo("Người dân đi qua cầu treo Buôn Đôn");
        assertThat(published.get("images").get(0).get("width").intValue()).isEqualTo(1200);

        // A second editor changes the title meanwhile; this one's next save meets the 412 and is told.
        String id = published.get("id").stringValue();
        String theirs = json.writeValueAsString(Map.of("title", TITLE + " (đã sửa)", "summary", "Tin của biên tập viên khác.",
                "category", "Giao thông"));
        client.put().uri("/api/v1/bulletins/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header(HttpHeaders.IF_MATCH, "\"" + published.get("version").intValue() + "\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(theirs).exchange().expectStatus().isOk();
        WebElement summary = byName("Tóm tắt", "textarea");
        summary.clear();
        summary.sendKeys("Bản của tôi: cây cầu dài 120 m.");
        byName("Đăng", "button").click();
        waitUntil(() -> browser.findElement(By.id("conflict")).isDisplayed());
        assertThat(browser.findElement(By.id("conflict-what")).getText()).contains("tiêu đề", "tóm tắt");
        assertThat(summary.getAttribute("value")).as("the unsaved text is kept").isEqualTo("Bản của tôi: cây cầu dài 120 m.");
        problems.addAll(axe("conflict"));
        shot("desk-conflict");
        byName("Lưu bản của tôi đè lên", "button").click();
        waitUntil(() -> browser.findElement(By.id("notice")).getText().equals("Đã đăng."));
        JsonNode mine = found();
        assertThat(mine.get("summary").stringValue()).isEqualTo("Bản của tôi: cây cầu dài 120 m.");
        assertThat(mine.get("version").intValue()).isEqualTo(published.get("version").intValue() + 2);

        // Withdrawn after a confirmation.
        byName("Gỡ bài", "button").click();
        waitUntil(() -> browser.findElement(By.id("confirm")).isDisplayed());
        problems.addAll(axe("withdraw confirmation"));
        byName("Xác nhận gỡ", "button").click();
        waitUntil(() -> browser.findElement(By.id("list")).isDisplayed());
        client.get().uri("/api/v1/bulletins/" + id).exchange().expectStatus().isEqualTo(410);
        shot("desk-list");

        // At 320 px nothing scrolls sideways, and a draft being written survives a reload of the tab.
        browser.manage().window().setSize(new Dimension(320, 800));
        byName("Bài mới", "button").click();
        byName("Tiêu đề", "input").sendKeys("Bản nháp chưa lưu");
        // The desk keeps what is typed a moment after the last key: wait until it has.
        waitUntil(() -> String.valueOf(js("return Object.keys(sessionStorage).filter(k => k.startsWith('bantin.desk.draft'))"
                + ".map(k => sessionStorage.getItem(k)).join()")).contains("Bản nháp chưa lưu"));
        browser.navigate().refresh();
        waitUntil(() -> browser.findElement(By.id("editor")).isDisplayed());
        assertThat(byName("Tiêu đề", "input").getAttribute("value")).isEqualTo("Bản nháp chưa lưu");
        long scroll = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long width = ((Number) js("return document.documentElement.clientWidth")).longValue();
        assertThat(scroll).as("sideways scrolling at 320 px").isLessThanOrEqualTo(width);
        problems.addAll(axe("editor at 320 px"));
        shot("desk-editor-320");
        assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }

    @Test
    void theDeskIsServedUnderAStrictPolicyWithImmutableFilesWithIntegrity() {
        var answer = client.get().uri("/desk").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult();
        String policy = answer.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy).contains("default-src 'none'", "script-src 'self';", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval").doesNotContain("unsafe-inline");
        String page = answer.getResponseBody();
        assertThat(page).doesNotContain("<script>").doesNotContain("https://cdn");
        java.util.regex.Matcher asset = java.util.regex.Pattern
                .compile("src=\"(/desk/assets/[0-9a-f]{16}/quill\\.js)\" integrity=\"(sha384-[^\"]+)\"").matcher(page);
        assertThat(asset.find()).as(page).isTrue();
        byte[] quill = client.get().uri(asset.group(1)).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat("sha384-" + java.util.Base64.getEncoder().encodeToString(sha384(quill))).isEqualTo(asset.group(2));
        client.get().uri("/desk/assets/0000000000000000/quill.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void aPreviewNeedsAPublisherTokenAndStoresNothing() {
        client.post().uri("/api/v1/previews").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Thử\"}")
                .exchange().expectStatus().isUnauthorized();
        String page = client.post().uri("/api/v1/previews").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Bản xem trước <b>\",\"body\":\"<p>Đoạn một</p><script>alert(1)</script>\"}")
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<h1>Bản xem trước &lt;b&gt;</h1>", "<p>Đoạn một</p>").doesNotContain("alert(1)");
        client.post().uri("/api/v1/previews").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"summary\":\"không có tiêu đề\"}")
                .exchange().expectStatus().isEqualTo(422);
        client.get().uri("/api/v1/bulletins?status=all").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items[?(@.title == 'Bản xem trước <b>')]").isEmpty();
    }

    @Test
    void aTokensOwnListShowsDraftsAndScheduledOnesAndOnlyToATokenHolder() {
        Api.create(client, publisher, "{\"title\":\"Nháp trong danh sách\",\"status\":\"draft\"}");
        Api.create(client, publisher, "{\"title\":\"Hẹn giờ trong danh sách\",\"publishedAt\":\"2099-01-01T08:00:00+07:00\"}");
        client.get().uri("/api/v1/bulletins?status=draft,scheduled&limit=100")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody()
                .jsonPath("$.items[?(@.title == 'Nháp trong danh sách')].status").isEqualTo("draft")
                .jsonPath("$.items[?(@.title == 'Hẹn giờ trong danh sách')].status").isEqualTo("scheduled");
        // Not even a cached public list answers for it (the direct route hands it to the handler).
        client.get().uri("/api/v1/bulletins").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/bulletins").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/bulletins?status=draft").exchange().expectStatus().isUnauthorized();
        client.get().uri("/api/v1/bulletins?status=draft").header(HttpHeaders.ACCEPT, "application/x-ndjson")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange().expectStatus().isOk();
        client.get().uri("/api/v1/bulletins?status=secret").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/bulletins?limit=100").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.title == 'Nháp trong danh sách')]").isEmpty();
    }

    private JsonNode found() {
        String list = client.get().uri("/api/v1/bulletins?status=all&limit=100")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        for (JsonNode item : json.readTree(list).get("items")) {
            if (item.get("title").stringValue().startsWith(TITLE)) {
                return item;
            }
        }
        throw new AssertionError("no bulletin titled " + TITLE + " in " + list);
    }

    private String get(String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    /** The visible element of this tag whose accessible name is {@code name}: what a screen reader user asks for. */
    private WebElement byName(String name, String tag) {
        List<WebElement> candidates = new ArrayList<>();
        Eventually.eventually(Duration.ofSeconds(10), () -> {
            candidates.clear();
            for (WebElement element : browser.findElements(By.tagName(tag))) {
                if (element.isDisplayed() && name.equals(element.getAccessibleName())) {
                    candidates.add(element);
                }
            }
            return candidates.size();
        }, count -> count == 1);
        return candidates.get(0);
    }

    private void waitUntil(java.util.function.BooleanSupplier condition) {
        try {
            Eventually.eventually(Duration.ofSeconds(15), condition::getAsBoolean, Boolean.TRUE::equals);
        }
        catch (AssertionError e) {
            // What the page said (a refused policy, a script error) is what explains a desk that did not react.
            String console = chromium.console();
            Object shown = js("var a = document.getElementById('alert'), n = document.getElementById('notice');"
                    + "return 'alert: ' + (a.hidden ? '(none)' : a.textContent) + '; notice: ' + n.textContent");
            throw new AssertionError(e.getMessage() + "; the desk shows " + shown + "; the browser's console:" + console, e);
        }
    }

    private void shot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static byte[] sha384(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-384").digest(bytes);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> axe(String where) {
        return chromium.axe(where);
    }
}
