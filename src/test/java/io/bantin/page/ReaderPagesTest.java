package io.bantin.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** The server-rendered reader pages: content, escaping, autodiscovery, paging, 304, 404 and 410. */
@IntegrationTest
class ReaderPagesTest {

    static final String TITLE = "Tin <b>nóng</b> & “đặc biệt” về lũ ở Krông Ana";
    static final String CAPTION = "Nước lũ dâng cao ở buôn Cuôr Đăng";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String publisher;
    String slug;

    @BeforeAll
    void setUp() {
        client = io.bantin.feed.Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= 20; i++) {
            create("Bản tin số " + i + " về mùa khô", "<p>Nội dung " + i + "</p>");
        }
        slug = create(TITLE, "<p>Người dân <strong>di dời</strong> tài sản.</p>").get("slug").stringValue();
        eventually(() -> html("/"), page -> page.contains("Krông Ana"));
    }

    private JsonNode create(String title, String body) {
        Map<String, Object> bulletin = Map.of("title", title, "summary", "Lũ lên nhanh <script>alert(1)</script> trong đêm.",
                "body", body, "author", "Y Niê Kdăm", "category", "Thời sự", "tags", List.of("Thiên tai"),
                "images", List.of(Map.of("url", "https://anh.example.vn/lu.jpg", "caption", CAPTION)));
        return json.readTree(Api.create(client, publisher, json.writeValueAsString(bulletin)));
    }

    private String html(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void bulletinPageShowsEverythingEscapedExceptTheSanitizedBody() {
        String page = html("/bulletins/" + slug);
        assertThat(page).contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // Plain-text fields are kept as written and escaped on the way out.
                .contains("Tin &lt;b&gt;nóng&lt;/b&gt; &amp; “đặc biệt” về lũ ở Krông Ana")
                .doesNotContain("<b>nóng</b>")
                .contains("Lũ lên nhanh &lt;script&gt;alert(1)&lt;/script&gt; trong đêm.")
                .doesNotContain("<script>alert(1)")
                .contains("<p>Người dân <strong>di dời</strong> tài sản.</p>")
                .contains("<figcaption>" + CAPTION + "</figcaption>")
                .contains("src=\"https://anh.example.vn/lu.jpg\"")
                .contains("Y Niê Kdăm")
                .contains("Thời sự")
                .containsPattern("<time datetime=\"[^\"]+\\+07:00\">\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}</time>");
        assertThat(page).contains("data-text-size=\"-10\"").contains("data-text-size=\"10\"").contains("localStorage");
    }

    @Test
    void pagesAllowOnlyTheirOwnInlineScript() throws Exception {
        for (String uri : List.of("/", "/bulletins/" + slug, "/categories/thoi-su", "/tags/thien-tai",
                "/authors/y-nie-kdam")) {
            String page = client.get().uri(uri).exchange().expectStatus().isOk()
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                            .contains("default-src 'none'", "frame-ancestors 'none'")
                            .doesNotContain("script-src 'unsafe-inline'"))
                    .expectBody(String.class).returnResult().getResponseBody();
            java.util.regex.Matcher script = java.util.regex.Pattern.compile("<script>(.*?)</script>",
                    java.util.regex.Pattern.DOTALL).matcher(page);
            assertThat(script.find()).isTrue();
            String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(script.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            client.get().uri(uri).exchange().expectHeader()
                    .value("Content-Security-Policy", csp -> assertThat(csp).contains("script-src 'sha256-" + hash + "'"));
        }
    }

    @Test
    void autodiscoveryLinksOnHomeAndBulletinPagesResolve() {
        List<String> home = alternates(html("/"));
        assertThat(home).containsExactly("https://tin.example.vn/feeds/rss.xml", "https://tin.example.vn/feeds/atom.xml",
                "https://tin.example.vn/feeds/feed.json");
        List<String> bulletin = alternates(html("/bulletins/" + slug));
        assertThat(bulletin).hasSize(6).containsAll(home).contains("https://tin.example.vn/feeds/categories/thoi-su/rss.xml",
                "https://tin.example.vn/feeds/categories/thoi-su/atom.xml",
                "https://tin.example.vn/feeds/categories/thoi-su/feed.json");
        for (String href : bulletin) {
            client.get().uri(href.substring("https://tin.example.vn".length())).exchange().expectStatus().isOk();
        }
    }

    @Test
    void homeListsTheLatestAndPagesWithTheCursor() {
        String first = html("/");
        assertThat(count(first, "<article")).isEqualTo(20); // the lead story, then 19 more
        assertThat(first.indexOf("Krông Ana")).isLessThan(first.indexOf("Bản tin số 20 "));
        Matcher next = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String second = html(next.group(1).replace("&#x3D;", "=").replace("&amp;", "&"));
        assertThat(count(second, "<article")).isEqualTo(1);
        assertThat(second).contains("Bản tin số 1 về mùa khô").doesNotContain("rel=\"next\"");
    }

    @Test
    void pagesAnswerConditionalRequests() {
        var first = client.get().uri("/bulletins/" + slug).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(first.getResponseHeaders().getLastModified()).isPositive();
        client.get().uri("/bulletins/" + slug).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified().expectBody().isEmpty();
        client.get().uri("/bulletins/" + slug)
                .header(HttpHeaders.IF_MODIFIED_SINCE, first.getResponseHeaders().getFirst(HttpHeaders.LAST_MODIFIED))
                .exchange().expectStatus().isNotModified();
    }

    @Test
    void unknownBulletinIs404AndWithdrawnIs410() {
        client.get().uri("/bulletins/khong-co-bai-nay").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/bulletins/khong-co-bai-nay").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(page -> assertThat(page).contains("Không tìm thấy bản tin"));
        JsonNode doomed = create("Bản tin sẽ bị gỡ", "<p>Gỡ</p>");
        html("/bulletins/" + doomed.get("slug").stringValue());
        client.delete().uri("/api/v1/bulletins/{id}", doomed.get("id").stringValue())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange().expectStatus().isNoContent();
        eventually(() -> client.get().uri("/bulletins/" + doomed.get("slug").stringValue()).exchange()
                .expectBody(String.class).returnResult().getStatus().value(), status -> status == 410);
        client.get().uri("/bulletins/" + doomed.get("slug").stringValue()).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isEqualTo(410).expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(page -> assertThat(page).contains("Bản tin đã được gỡ"));
        client.get().uri("/bulletins/" + doomed.get("slug").stringValue()).exchange()
                .expectStatus().isEqualTo(410).expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static List<String> alternates(String html) {
        Matcher m = Pattern.compile("<link rel=\"alternate\" type=\"[^\"]+\" title=\"[^\"]+\" href=\"([^\"]+)\">").matcher(html);
        List<String> hrefs = new ArrayList<>();
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        return hrefs;
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    private static <T> T eventually(Supplier<T> fetch, java.util.function.Predicate<T> ok) {
        return io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(6), fetch, ok);
    }
}
