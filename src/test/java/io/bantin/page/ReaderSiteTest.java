package io.bantin.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** The reader site: home with the lead story, sections, category/tag/author pages, previews and JSON-LD. */
@IntegrationTest
class ReaderSiteTest {

    static final String BASE = "https://tin.example.vn";
    static final String PHOTO = "https://anh.example.vn/2024/ca-phe.jpg";
    static final String TITLE = "Giá cà phê & hồ tiêu “tăng vọt” ở Đắk Lắk";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String slug;

    @BeforeAll
    void setUp() {
        client = io.bantin.feed.Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= 21; i++) {
            create(publisher, Map.of("title", "Tin nông sản số " + i, "summary", "Tóm tắt " + i, "body", "<p>Bài " + i + "</p>",
                    "category", "Nông sản", "publishedAt", "2024-03-" + String.format("%02d", i) + "T08:00:00+07:00"));
        }
        slug = create(publisher, Map.of("title", TITLE, "summary", "Giá cà phê nhân xô vượt 120.000 đồng/kg.",
                "body", "<p>Nông dân phấn khởi.</p>", "author", "Y Niê Kdăm", "category", "Kinh tế",
                "tags", List.of("Cà phê", "Thị trường"),
                "images", List.of(Map.of("url", PHOTO, "caption", "Thu hoạch cà phê ở Cư M'gar"))));
        // Only embargoed: a scheduled bulletin alone in its category, and a draft alone in another.
        create(publisher, Map.of("title", "Tin chưa tới giờ", "category", "Sắp đăng", "tags", List.of("Bí mật"),
                "author", "Người Ẩn Danh", "publishedAt", "2099-01-01T00:00:00+07:00"));
        create(publisher, Map.of("title", "Bản nháp", "category", "Nháp", "status", "draft"));
        io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(6), () -> html("/"), page -> page.contains("tăng vọt"));
    }

    private String create(String token, Map<String, Object> bulletin) {
        return json.readTree(Api.create(client, token, json.writeValueAsString(bulletin))).get("slug").stringValue();
    }

    private String html(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().contentType("text/html;charset=utf-8")
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void homeLeadsWithTheNewestStoryAndItsPhotoThenSections() {
        String home = html("/");
        assertThat(home).contains("<article class=\"top\">\n  <img src=\"" + PHOTO + "\"")
                .contains("<link rel=\"canonical\" href=\"" + BASE + "/\">")
                .contains("<a href=\"/categories/kinh-te\">Kinh tế</a>")
                .contains("<a href=\"/categories/nong-san\">Nông sản</a>")
                // Sections hold only categories readers can see something in.
                .doesNotContain("/categories/sap-dang").doesNotContain("/categories/nhap")
                .contains("<span aria-current=\"page\">Trang chủ</span>");
        assertThat(home.indexOf("tăng vọt")).isLessThan(home.indexOf("Tin nông sản số 21"));
    }

    @Test
    void categoryPagesListOnlyTheirBulletinsAndPageWithCrawlableLinks() {
        String first = html("/categories/nong-san");
        assertThat(first).contains("<h1>Nông sản</h1>").doesNotContain("tăng vọt")
                .contains("<link rel=\"canonical\" href=\"" + BASE + "/categories/nong-san\">")
                .contains("<a href=\"/categories/nong-san\" aria-current=\"page\">Nông sản</a>")
                .contains("<li><a href=\"/\">Trang chủ</a></li>")
                .contains("href=\"" + BASE + "/feeds/categories/nong-san/atom.xml\"");
        assertThat(count(first, "<article")).isEqualTo(20);
        Matcher next = Pattern.compile("<a rel=\"next\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String path = next.group(1).replace("&#x3D;", "=").replace("&amp;", "&");
        assertThat(first).contains("<link rel=\"next\" href=\"" + BASE + next.group(1) + "\">");
        String second = html(path);
        assertThat(count(second, "<article")).isEqualTo(1);
        assertThat(second).contains("Tin nông sản số 1<").doesNotContain("rel=\"next\"")
                .contains("<a href=\"/categories/nong-san\">← Tin mới nhất</a>")
                .contains("<link rel=\"canonical\" href=\"" + BASE + next.group(1) + "\">");
    }

    @Test
    void tagAndAuthorPagesShowTheirBulletins() {
        assertThat(html("/tags/ca-phe")).contains("<h1>Thẻ: Cà phê</h1>").contains("tăng vọt")
                .doesNotContain("Tin nông sản");
        assertThat(html("/authors/y-nie-kdam")).contains("<h1>Tác giả: Y Niê Kdăm</h1>").contains("tăng vọt");
    }

    @Test
    void unknownAndEmbargoedOnlySlugsAre404() {
        for (String uri : List.of("/categories/khong-co", "/categories/sap-dang", "/categories/nhap", "/tags/bi-mat",
                "/authors/nguoi-an-danh", "/tags/khong-co")) {
            client.get().uri(uri).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            client.get().uri(uri).accept(MediaType.TEXT_HTML).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectBody(String.class).value(page -> assertThat(page).contains("noindex").doesNotContain("Tin chưa tới giờ"));
        }
        client.get().uri("/categories/nong-san?cursor=khong-phai").exchange().expectStatus().isBadRequest();
    }

    @Test
    void bulletinPageHasOpenGraphTwitterCardBreadcrumbsAndTermLinks() {
        String page = html("/bulletins/" + slug);
        String url = BASE + "/bulletins/" + slug;
        assertThat(page).contains("<meta property=\"og:type\" content=\"article\">")
                .contains("<meta property=\"og:title\" content=\"Giá cà phê &amp; hồ tiêu “tăng vọt” ở Đắk Lắk\">")
                .contains("<meta property=\"og:description\" content=\"Giá cà phê nhân xô vượt 120.000 đồng/kg.\">")
                .contains("<meta property=\"og:image\" content=\"" + PHOTO + "\">")
                .contains("<meta property=\"og:url\" content=\"" + url + "\">")
                .containsPattern("<meta property=\"article:published_time\" content=\"[-0-9T:]+\\+07:00\">")
                .containsPattern("<meta property=\"article:modified_time\" content=\"[-0-9T:]+\\+07:00\">")
                .contains("<meta property=\"article:section\" content=\"Kinh tế\">")
                .contains("<meta property=\"article:tag\" content=\"Cà phê\">")
                .contains("<meta property=\"article:tag\" content=\"Thị trường\">")
                .contains("<meta name=\"twitter:card\" content=\"summary_large_image\">")
                .contains("<meta name=\"twitter:image\" content=\"" + PHOTO + "\">")
                .contains("<link rel=\"canonical\" href=\"" + url + "\">")
                .contains("<li><a href=\"/categories/kinh-te\">Kinh tế</a></li>")
                .contains("<a href=\"/categories/kinh-te\" aria-current=\"true\">Kinh tế</a>")
                .contains("<a rel=\"tag\" href=\"/tags/ca-phe\">Cà phê</a>")
                .contains("<a rel=\"author\" href=\"/authors/y-nie-kdam\">");
    }

    @Test
    void bulletinPageCarriesNewsArticleJsonLdThatParsesWithEveryRequiredField() {
        String page = html("/bulletins/" + slug);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("<script type=\"application/ld\\+json\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0)).doesNotContain("<").doesNotContain("&").contains("\\u0026");
        JsonNode ld = json.readTree(blocks.get(0));
        assertThat(ld.get("@context").stringValue()).isEqualTo("https://schema.org");
        assertThat(ld.get("@type").stringValue()).isEqualTo("NewsArticle");
        assertThat(ld.get("headline").stringValue()).isEqualTo(TITLE);
        assertThat(ld.get("datePublished").stringValue()).endsWith("+07:00");
        assertThat(ld.get("dateModified").stringValue()).endsWith("+07:00");
        assertThat(ld.get("image").get(0).stringValue()).isEqualTo(PHOTO);
        assertThat(ld.get("author").get(0).get("@type").stringValue()).isEqualTo("Person");
        assertThat(ld.get("author").get(0).get("name").stringValue()).isEqualTo("Y Niê Kdăm");
        assertThat(ld.get("publisher").get("@type").stringValue()).isEqualTo("NewsMediaOrganization");
        assertThat(ld.get("publisher").get("name").stringValue()).isEqualTo("Bantin");
        assertThat(ld.get("mainEntityOfPage").get("@id").stringValue()).isEqualTo(BASE + "/bulletins/" + slug);
    }

    @Test
    void jsonLdCannotBreakOutOfItsScriptElement() {
        String escaped = ArticleMetadata.scriptSafe(json.writeValueAsString(
                Map.of("headline", "</script><script>alert(1)</script><!-- \u2028 & ]]>")));
        assertThat(escaped).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028");
        assertThat(json.readTree(escaped).get("headline").stringValue())
                .isEqualTo("</script><script>alert(1)</script><!-- \u2028 & ]]>");
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
