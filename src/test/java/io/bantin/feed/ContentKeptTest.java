package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/** Words, links and times arrive in every output as they were written, and the page shows each photo once. */
@IntegrationTest
class ContentKeptTest {

    static final String TITLE = "So sánh giá \u2039gạo thơm> và \u2039lúa> tại chợ: dưới <5 nghìn đồng";
    static final String SUMMARY = "Tóm tắt <ST25> ngon";
    static final String PHOTO = "https://anh.example.vn/gao.jpg";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String token;
    JsonNode created;
    String page;

    @BeforeAll
    void setUp() {
        token = Api.issueToken(client, "publisher");
        created = json.readTree(Api.create(client, token, json.writeValueAsString(Map.of(
                "title", TITLE, "summary", SUMMARY, "category", "Giá cả",
                "body", "<p><img src=\"" + PHOTO + "\" alt=\"Gạo\"></p><p><a href=\"#muc-2\">Mục 2</a> "
                        + "<a href=\"khac/bai-viet.html\">bài khác</a></p><h2 id=\"muc-2\">Mục 2</h2>",
                "images", List.of(Map.of("url", PHOTO, "caption", "Gạo ST25")),
                "publishedAt", "2021-01-22T06:00:00+07:00"))));
        page = client.get().uri("/bulletins/{slug}", slug()).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    String slug() {
        return created.get("slug").stringValue();
    }

    @Test
    void plainTextIsStoredAsWrittenAndEscapedInEveryOutput() {
        assertThat(created.get("title").stringValue()).isEqualTo(TITLE);
        assertThat(created.get("summary").stringValue()).isEqualTo(SUMMARY);
        Document html = Jsoup.parse(page);
        assertThat(html.select("h1").text()).isEqualTo(TITLE);
        assertThat(html.select("p.lead").text()).isEqualTo(SUMMARY);
        Document rss = xml("/feeds/rss.xml");
        assertThat(rss.select("item > title").eachText()).contains(TITLE);
        assertThat(rss.select("item > description").eachText()).contains(SUMMARY);
        assertThat(xml("/feeds/atom.xml").select("entry > title").eachText()).contains(TITLE);
        assertThat(json.readTree(feed("/feeds/feed.json")).get("items").findValuesAsString("title")).contains(TITLE);
    }

    @Test
    void relativeLinksPointWhereTheyDoOnTheBulletinsPageInEveryFeed() {
        String page = "https://tin.example.vn/bulletins/" + slug();
        String fragment = "href=\"" + page + "#muc-2\"";
        String sibling = "href=\"https://tin.example.vn/bulletins/khac/bai-viet.html\"";
        assertThat(Parser.unescapeEntities(feed("/feeds/rss.xml"), false)).contains(fragment, sibling);
        assertThat(Parser.unescapeEntities(feed("/feeds/atom.xml"), false)).contains(fragment, sibling);
        String contentHtml = null;
        for (JsonNode item : json.readTree(feed("/feeds/feed.json")).get("items")) {
            if (item.get("url").stringValue().equals(page)) {
                contentHtml = item.get("content_html").stringValue();
            }
        }
        assertThat(contentHtml).contains(fragment, sibling);
        // The page leaves them relative: the browser resolves them against the same page URL.
        assertThat(this.page).contains("href=\"#muc-2\"", "href=\"khac/bai-viet.html\"");
    }

    @Test
    void atomTimesAreInThePortalsZoneLikeTheOtherFeeds() {
        Document atom = xml("/feeds/atom.xml");
        var entry = atom.select("entry:has(link[href$=/bulletins/" + slug() + "])");
        assertThat(entry.select("published").text()).isEqualTo("2021-01-22T06:00:00+07:00");
        assertThat(entry.select("updated").text()).endsWith("+07:00");
        assertThat(atom.select("feed > updated").text()).endsWith("+07:00");
    }

    @Test
    void thePageShowsAPhotoTheBodyAlreadyHasOnce() {
        assertThat(Jsoup.parse(page).select("img[src=" + PHOTO + "]")).hasSize(1);
    }

    @Test
    void updatedIsShownOnlyAfterARealEditInATimeElement() {
        assertThat(page).doesNotContain("Cập nhật");
        JsonNode other = json.readTree(Api.create(client, token, "{\"title\":\"Sẽ được sửa\"}"));
        client.put().uri("/api/v1/bulletins/{id}", other.get("id").stringValue())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Sẽ được sửa\",\"summary\":\"Đã sửa\"}").exchange().expectStatus().isOk();
        Document edited = Eventually.eventually(Duration.ofSeconds(20), () -> Jsoup.parse(client.get()
                .uri("/bulletins/{slug}", other.get("slug").stringValue()).exchange().expectBody(String.class)
                .returnResult().getResponseBody()), d -> d.text().contains("Đã sửa"));
        assertThat(edited.select("p.meta:contains(Cập nhật lúc) time[datetime]")).hasSize(1);
    }

    @Test
    void smallThingsBrowsersAndShellsExpect() {
        client.get().uri("/favicon.ico").exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CONTENT_TYPE, type -> assertThat(type).startsWith("image/"));
        for (String path : List.of("/api/v1/bulletins", "/api/v1/categories", "/api/v1/bulletins/" + slug(),
                "/api/v1/bulletins/no-such", "/feeds/feed.json")) {
            var result = client.get().uri(path).exchange().expectBody().returnResult();
            String body = new String(result.getResponseBodyContent(), StandardCharsets.UTF_8);
            assertThat(body).as(path).endsWith("\n").doesNotEndWith("\n\n");
            assertThat(json.readTree(body)).isNotNull();
            long length = result.getResponseHeaders().getContentLength();
            if (length >= 0) {
                assertThat(length).as(path).isEqualTo(result.getResponseBodyContent().length);
            }
        }
    }

    @Test
    void aCompressedRequestBodyIsUnsupportedNotInvalid() {
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[] {0x1f, (byte) 0x8b, 8, 0}).exchange()
                .expectStatus().isEqualTo(415).expectHeader().valueEquals(HttpHeaders.ACCEPT_ENCODING, "identity")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aContentCodingOnAMethodWhoseBodyIsNotReadIsNotRefused() {
        // the document gives 415 only to operations that take a body: a GET naming a coding is read as usual
        client.get().uri("/api/v1/bulletins").header(HttpHeaders.CONTENT_ENCODING, "gzip").exchange()
                .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.items").isArray();
    }

    private String feed(String path) {
        return Eventually.eventually(Duration.ofSeconds(20), () -> new String(client.get().uri(path).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8),
                body -> body.contains(slug()));
    }

    private Document xml(String path) {
        return Jsoup.parse(feed(path), "", Parser.xmlParser());
    }
}
