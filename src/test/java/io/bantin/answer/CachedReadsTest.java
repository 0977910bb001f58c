package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.feed.Feeds;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** The JSON reads as cached answers: validators, caching headers, gzip, sparse fieldsets, drafts never shared. */
@IntegrationTest
class CachedReadsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    AnswerCache cache;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    String publisher;
    String slug;
    String id;

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        JsonNode created = json.readTree(Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin(
                "Mùa lúa chín ở Tây Nguyên", "Nông nghiệp", List.of("Lúa gạo"), "Y Bình", "Đồng lúa chín vàng",
                "<p>Nông dân thu hoạch sớm.</p>"))));
        slug = created.get("slug").stringValue();
        id = created.get("id").stringValue();
        Feeds.eventually(() -> get("/api/v1/bulletins?category=nong-nghiep", Map.of()).body(),
                body -> new String(body, StandardCharsets.UTF_8).contains(id));
    }

    @Test
    void aListPageHasValidatorsCachingHeadersAndAnswers304() {
        HttpResponse<byte[]> page = get("/api/v1/bulletins?category=nong-nghiep&tag=lua-gao", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(page.headers().firstValue("Cache-Control")).hasValue(Answers.CACHE_CONTROL);
        assertThat(page.headers().firstValue("Surrogate-Key")).hasValue("category:nong-nghiep tag:lua-gao");
        assertThat(page.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(page.headers().firstValue("Last-Modified")).isPresent();
        long renders = cache.renders();
        HttpResponse<byte[]> again = get("/api/v1/bulletins?tag=lua-gao&category=nong-nghiep", Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(cache.renders()).isEqualTo(renders);
        assertThat(get("/api/v1/bulletins", Map.of()).headers().firstValue("Surrogate-Key")).hasValue("site");
        assertThat(get("/api/v1/bulletins?q=lua&category=nong-nghiep", Map.of()).headers().firstValue("Surrogate-Key"))
                .hasValue("site");
        assertThat(get("/api/v1/bulletins/" + slug, Map.of()).headers().firstValue("Surrogate-Key"))
                .hasValue("bulletin:" + id);
        assertThat(get("/api/v1/categories", Map.of()).headers().firstValue("Surrogate-Key")).hasValue("taxonomy");
    }

    @Test
    void everyJsonAnswerIsGzippedWhenAskedButTheExportIsNot() throws Exception {
        for (String path : List.of("/api/v1/bulletins?limit=20", "/api/v1/bulletins/" + slug, "/api/v1/tags",
                "/api/v1/bulletins?limit=0", "/api/v1/bulletins/khong-co-ban-tin-nay")) {
            HttpResponse<byte[]> plain = get(path, Map.of());
            HttpResponse<byte[]> gzipped = get(path, Map.of("Accept-Encoding", "gzip"));
            assertThat(gzipped.headers().firstValue("Content-Encoding")).as(path).hasValue("gzip");
            assertThat(Feeds.gunzip(gzipped.body())).as(path).isEqualTo(plain.body());
        }
        HttpResponse<byte[]> tokens = get("/api/v1/tokens", Map.of("Accept-Encoding", "gzip",
                "Authorization", "Bearer " + publisher));
        assertThat(tokens.statusCode()).isEqualTo(403);
        assertThat(tokens.headers().firstValue("Content-Encoding")).hasValue("gzip");
        HttpResponse<byte[]> export = get("/api/v1/bulletins", Map.of("Accept-Encoding", "gzip",
                "Accept", "application/x-ndjson"));
        assertThat(export.statusCode()).as(new String(export.body(), StandardCharsets.ISO_8859_1)).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(export.body(), StandardCharsets.UTF_8)).contains(id);
    }

    @Test
    void fieldsLeaveOutWhatWasNotAskedFor() {
        JsonNode page = json.readTree(get("/api/v1/bulletins?fields=id,slug,title,summary,images,publishedAt", Map.of()).body());
        JsonNode item = page.get("items").get(0);
        assertThat(item.propertyNames()).containsExactly("id", "slug", "title", "summary", "images", "publishedAt");
        JsonNode one = json.readTree(get("/api/v1/bulletins/" + slug + "?fields=title,%20body", Map.of()).body());
        assertThat(one.propertyNames()).containsExactly("title", "body");
        assertThat(one.get("body").stringValue()).isEqualTo("<p>Nông dân thu hoạch sớm.</p>");
        HttpResponse<byte[]> unknown = get("/api/v1/bulletins?fields=id,password", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("password")
                .contains("id, slug, title, summary, body, author, category, tags, images, language, status, publishedAt");
    }

    @Test
    void aDraftIsSeenByItsPublisherAndNeverServedToAnyoneElse() {
        JsonNode draft = json.readTree(Api.create(client, publisher,
                "{\"title\":\"Bản nháp chưa đăng\",\"status\":\"draft\"}"));
        String path = "/api/v1/bulletins/" + draft.get("slug").stringValue();
        HttpResponse<byte[]> own = get(path, Map.of("Authorization", "Bearer " + publisher));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().firstValue("Cache-Control").orElseThrow()).contains("private");
        assertThat(get(path, Map.of()).statusCode()).isEqualTo(404);
        assertThat(get(path, Map.of("Authorization", "Bearer " + publisher)).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> list = get("/api/v1/bulletins?limit=5", Map.of("Authorization", "Bearer " + publisher));
        assertThat(list.headers().firstValue("Cache-Control").orElseThrow()).contains("private");
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
