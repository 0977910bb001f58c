package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** The HTTP side of feeds: validators, 304s, gzip, caching headers, and the cache following writes. */
@IntegrationTest
class FeedHttpTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    io.bantin.answer.AnswerCache cache;

    @Autowired
    DatabaseClient db;

    @Value("${local.server.port}")
    int port;

    String publisher;
    String id;

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        id = create("Khánh thành cầu dân sinh ở xã Cư Né");
    }

    private String create(String title) {
        return json.readTree(Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin(title, "Giao thông",
                List.of("Cầu đường"), "Trần Văn Hùng", "Người dân đi qua cây cầu mới", "<p>Cầu dài 42 m.</p>"))))
                .get("id").stringValue();
    }

    private SyndFeed rss() {
        return Feeds.syndFeed(Feeds.body(client, "/feeds/rss.xml"));
    }

    private static SyndEntry entry(SyndFeed feed, String id) {
        return feed.getEntries().stream().filter(e -> e.getUri().equals(id) || e.getUri().equals("urn:uuid:" + id))
                .findFirst().orElse(null);
    }

    @Test
    void ifNoneMatchAnswers304WithoutBodyAndWithoutRendering() {
        EntityExchangeResult<byte[]> first = Feeds.get(client, "/feeds/atom.xml");
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).startsWith("W/\"");
        long renders = cache.renders();
        for (int i = 0; i < 20; i++) {
            client.get().uri("/feeds/atom.xml").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                    .expectStatus().isNotModified()
                    .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                    .expectBody().isEmpty();
        }
        assertThat(cache.renders()).isEqualTo(renders);
    }

    @Test
    void ifModifiedSinceAnswers304AndAnOlderDateGetsTheFeed() {
        EntityExchangeResult<byte[]> first = Feeds.get(client, "/feeds/feed.json");
        String lastModified = first.getResponseHeaders().getFirst(HttpHeaders.LAST_MODIFIED);
        assertThat(lastModified).isNotNull();
        client.get().uri("/feeds/feed.json").header(HttpHeaders.IF_MODIFIED_SINCE, lastModified).exchange()
                .expectStatus().isNotModified().expectBody().isEmpty();
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusSeconds(10));
        client.get().uri("/feeds/feed.json").header(HttpHeaders.IF_MODIFIED_SINCE, earlier).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aThousandReadersOfAnUnchangedFeedCostOneRender() {
        Feeds.body(client, "/feeds/rss.xml?limit=7");
        long renders = cache.renders();
        for (int i = 0; i < 100; i++) {
            Feeds.body(client, "/feeds/rss.xml?limit=7");
        }
        assertThat(cache.renders()).isEqualTo(renders);
    }

    @Test
    void gzipWhenAskedDecodesToTheSameFeed() throws Exception {
        // A plain JDK client: WebTestClient's connector would decompress and hide Content-Encoding.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(URI.create(base() + "/feeds/rss.xml")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(URI.create(base() + "/feeds/rss.xml"))
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).contains("gzip");
        assertThat(zipped.headers().allValues(HttpHeaders.VARY)).contains("Accept-Encoding");
        assertThat(plain.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).isEmpty();
        assertThat(plain.headers().allValues(HttpHeaders.VARY)).contains("Accept-Encoding");
        byte[] decoded = Feeds.gunzip(zipped.body());
        assertThat(zipped.body().length).isLessThan(decoded.length);
        if (plain.headers().firstValue(HttpHeaders.ETAG).equals(zipped.headers().firstValue(HttpHeaders.ETAG))) {
            assertThat(decoded).isEqualTo(plain.body());
        }
        assertThat(Feeds.syndFeed(decoded).getEntries()).isNotEmpty();

        HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(URI.create(base() + "/feeds/rss.xml"))
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip;q=0").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.headers().firstValue(HttpHeaders.CONTENT_ENCODING)).isEmpty();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() {
        String etag = Feeds.get(client, "/feeds/rss.xml").getResponseHeaders().getETag();
        client.head().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectHeader().contentType("application/rss+xml;charset=utf-8")
                .expectBody().isEmpty();
    }

    @Test
    void everyFeedCarriesValidatorsCacheControlAndItsContentType() {
        Map<String, String> types = Map.of(
                "/feeds/rss.xml", "application/rss+xml;charset=utf-8",
                "/feeds/atom.xml", "application/atom+xml;charset=utf-8",
                "/feeds/feed.json", "application/feed+json;charset=utf-8",
                "/feeds/categories/giao-thong/rss.xml", "application/rss+xml;charset=utf-8",
                "/feeds/tags/cau-duong/atom.xml", "application/atom+xml;charset=utf-8",
                "/feeds/authors/tran-van-hung/feed.json", "application/feed+json;charset=utf-8",
                "/feeds/opml.xml", "text/x-opml;charset=utf-8");
        types.forEach((uri, type) -> {
            HttpHeaders headers = Feeds.get(client, uri).getResponseHeaders();
            assertThat(headers.getContentType().toString()).as(uri).isEqualTo(type);
            assertThat(headers.getETag()).as(uri).isNotBlank();
            assertThat(headers.getFirst(HttpHeaders.LAST_MODIFIED)).as(uri).endsWith(" GMT");
            assertThat(headers.getCacheControl()).as(uri).contains("public").contains("max-age=60");
        });
    }

    @Test
    void createReplaceAndWithdrawEachReachTheCachedFeedWithinSeconds() {
        Feeds.body(client, "/feeds/rss.xml"); // cached now
        String added = create("Thông xe tuyến đường tránh thị trấn Ea Kar");
        Feeds.eventually(this::rss, feed -> entry(feed, added) != null);

        Map<String, Object> edited = new java.util.HashMap<>(Feeds.bulletin("Thông xe tuyến đường tránh thị trấn Ea Kar (cập nhật)",
                "Giao thông", List.of("Cầu đường"), "Trần Văn Hùng", "Xe chạy trên tuyến tránh", "<p>Đã sửa.</p>"));
        client.put().uri("/api/v1/bulletins/{id}", added).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsString(edited))
                .exchange().expectStatus().isOk();
        SyndEntry replaced = entry(Feeds.eventually(this::rss,
                feed -> entry(feed, added) != null && entry(feed, added).getTitle().endsWith("(cập nhật)")), added);
        assertThat(replaced.getUri()).isEqualTo(added);

        client.delete().uri("/api/v1/bulletins/{id}", added).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();
        Feeds.eventually(this::rss, feed -> entry(feed, added) == null);
    }

    @Test
    void editKeepsGuidAndIdsButMovesUpdated() {
        String original = create("Sửa bài không đổi mã định danh");
        // Times have one-second resolution: written two seconds earlier, the edit below is sure to move them.
        db.sql("UPDATE bulletins SET published_at = published_at - interval '2 seconds',"
                + " updated_at = updated_at - interval '2 seconds' WHERE id = :id")
                .bind("id", UUID.fromString(original)).then().block(Duration.ofSeconds(10));
        JsonNode before = Feeds.eventually(() -> json.readTree(Feeds.body(client, "/feeds/feed.json")),
                feed -> item(feed, original) != null);
        String publishedBefore = item(before, original).get("date_published").stringValue();
        String modifiedBefore = item(before, original).get("date_modified").stringValue();
        client.put().uri("/api/v1/bulletins/{id}", original).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsString(Feeds.bulletin("Sửa bài không đổi mã định danh – đã sửa", "Giao thông",
                        List.of(), "Trần Văn Hùng", "Chú thích mới", "<p>Nội dung mới.</p>")))
                .exchange().expectStatus().isOk();
        JsonNode after = Feeds.eventually(() -> json.readTree(Feeds.body(client, "/feeds/feed.json")),
                feed -> item(feed, original) != null && item(feed, original).get("title").stringValue().endsWith("đã sửa"));
        assertThat(item(after, original).get("date_published").stringValue()).isEqualTo(publishedBefore);
        assertThat(item(after, original).get("date_modified").stringValue()).isNotEqualTo(modifiedBefore);

        SyndFeed rss = rss();
        assertThat(entry(rss, original).getTitle()).endsWith("đã sửa");
        SyndFeed atom = Feeds.syndFeed(Feeds.body(client, "/feeds/atom.xml"));
        SyndEntry atomEntry = entry(atom, original);
        assertThat(atomEntry.getUri()).isEqualTo("urn:uuid:" + original);
        assertThat(atomEntry.getUpdatedDate()).isAfter(atomEntry.getPublishedDate());
        assertThat(atomEntry.getUpdatedDate()).isBefore(Date.from(java.time.Instant.now().plusSeconds(60)));
    }

    @Test
    void aWriteChangesTheEtagSoTheOldOneGetsTheNewFeed() {
        String etag = Feeds.get(client, "/feeds/rss.xml").getResponseHeaders().getETag();
        String added = create("Bản tin làm đổi ETag");
        EntityExchangeResult<byte[]> fresh = Feeds.eventually(() -> client.get().uri("/feeds/rss.xml")
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectBody(byte[].class).returnResult(),
                result -> result.getStatus().value() == 200);
        assertThat(fresh.getResponseHeaders().getETag()).isNotEqualTo(etag);
        assertThat(new String(fresh.getResponseBody(), StandardCharsets.UTF_8)).contains(added);
    }

    @Test
    void aWriteByAnotherInstanceReachesThisOneThroughTheSharedEventLog() {
        Feeds.body(client, "/feeds/atom.xml"); // cached here
        // What another instance's publisher does: the row and its event, committed together with the notification
        // every instance listens for, none of it seen here.
        UUID other = UUID.randomUUID();
        db.sql("""
                WITH b AS (INSERT INTO bulletins (id, slug, title, status, published_at, updated_at)
                           VALUES (:id, :slug, 'Tin từ máy chủ khác', 'published', now(), now()) RETURNING id),
                     e AS (INSERT INTO bulletin_events (bulletin_id, kind, payload)
                           SELECT id, 'published', '{}' FROM b RETURNING seq)
                SELECT pg_notify('bantin_events', seq::text) FROM e""")
                .bind("id", other).bind("slug", "tin-tu-may-chu-khac-" + other).then().block(Duration.ofSeconds(10));
        // Well within the bus's 30 s backstop: the notification woke it.
        io.bantin.support.Eventually.eventually(Duration.ofSeconds(5),
                () -> Feeds.syndFeed(Feeds.body(client, "/feeds/atom.xml")), feed -> entry(feed, other.toString()) != null);
    }

    private static JsonNode item(JsonNode feed, String id) {
        for (JsonNode item : feed.get("items")) {
            if (item.get("id").stringValue().equals(id)) {
                return item;
            }
        }
        return null;
    }
}
