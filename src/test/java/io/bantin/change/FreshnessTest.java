package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.bantin.BantinApplication;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;
import io.bantin.support.PlainTestClient;

/**
 * The change bus: a writer reads its own write at once, everywhere; another instance follows within moments;
 * versions move per scope; every consumer gets every change in sequence order, whatever the writers race.
 */
@IntegrationTest
class FreshnessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient first;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @Autowired
    ScopeVersions versions;

    @Value("${local.server.port}")
    int port;

    ConfigurableApplicationContext secondInstance;
    WebTestClient second;
    String publisher;

    @BeforeAll
    void startSecondInstance() {
        // The backstop only every minute: whatever the second instance serves promptly came through LISTEN/NOTIFY.
        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0", "--bantin.change.backstop=1m");
        int secondPort = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
        second = WebTestClient.bindToServer(PlainTestClient.connector())
                .baseUrl("http://127.0.0.1:" + secondPort).responseTimeout(WAIT).build();
        first = first.mutate().responseTimeout(WAIT).build();
        publisher = Api.issueToken(first, "publisher");
    }

    @AfterAll
    void stopSecondInstance() {
        secondInstance.close();
    }

    private JsonNode create(String title, String category) {
        return json.readTree(Api.create(first, publisher, json.writeValueAsString(Map.of("title", title, "category", category,
                "tags", List.of("Tươi mới"), "author", "Phóng viên"))));
    }

    private String get(WebTestClient client, String uri, String etag) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(uri);
        if (etag != null) {
            request = request.header(HttpHeaders.IF_NONE_MATCH, etag);
        }
        var result = request.exchange().expectBody(String.class).returnResult();
        return result.getStatus().value() == 304 ? "" : result.getResponseBody();
    }

    @Test
    void theWriterReadsItsOwnWriteAtOnceFiftyTimesOver() {
        // Every read is conditional on what the reader had: a stale 304 is as stale as old bytes.
        Map<String, String> etags = new java.util.HashMap<>();
        List<String> stale = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            String title = "Tin tươi số " + i;
            JsonNode created = create(title, i % 2 == 0 ? "Chẵn" : "Lẻ");
            String id = created.get("id").stringValue();
            String slug = created.get("slug").stringValue();
            for (String uri : List.of("/feeds/rss.xml", "/feeds/categories/" + (i % 2 == 0 ? "chan" : "le") + "/atom.xml",
                    "/api/v1/bulletins?limit=5", "/api/v1/bulletins/" + id, "/bulletins/" + slug, "/")) {
                var result = first.get().uri(uri).headers(h -> {
                    if (etags.containsKey(uri)) {
                        h.set(HttpHeaders.IF_NONE_MATCH, etags.get(uri));
                    }
                }).exchange().expectBody(String.class).returnResult();
                String etag = result.getResponseHeaders().getETag();
                if (etag != null) {
                    etags.put(uri, etag);
                }
                if (result.getStatus().value() != 200 || !result.getResponseBody().contains(title.replace(" ", " "))) {
                    stale.add(uri + " after " + title + ": " + result.getStatus());
                }
            }
        }
        assertThat(stale).isEmpty();
    }

    @Test
    void anotherInstanceServesTheChangeMomentsLater() {
        String before = second.get().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseHeaders().getETag();
        String title = "Tin cho máy thứ hai";
        String id = create(title, "Hai máy").get("id").stringValue();
        Eventually.eventually(Duration.ofSeconds(10), () -> get(second, "/feeds/rss.xml", before),
                body -> body.contains(title));
        Eventually.eventually(Duration.ofSeconds(10), () -> get(second, "/api/v1/bulletins?limit=5", null),
                body -> body.contains(title));
        second.get().uri("/api/v1/bulletins/" + id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.title").isEqualTo(title);
    }

    @Test
    void aPublishMovesTheVersionsOfItsScopesOnly() {
        create("Tin mở đầu hạng mục", "Hạng mục B"); // both categories exist and have a version of their own
        create("Tin mở đầu hạng mục A", "Hạng mục A");
        Set<String> categoryA = Set.of(Scopes.category("hang-muc-a"));
        Set<String> categoryB = Set.of(Scopes.category("hang-muc-b"));
        Set<String> siteAndB = Set.of(Scopes.SITE, Scopes.category("hang-muc-b"));
        ScopeVersions.Version a = versions.fresh(categoryA);
        ScopeVersions.Version b = versions.fresh(categoryB);
        ScopeVersions.Version site = versions.fresh(Set.of(Scopes.SITE));
        ScopeVersions.Version bWithSite = versions.fresh(siteAndB);
        ScopeVersions.Version author = versions.fresh(Set.of(Scopes.author("phong-vien")));
        assertThat(List.of(a, b, site, bWithSite, author)).doesNotContainNull().allMatch(v -> !v.stale());

        String id = create("Tin trong hạng mục A", "Hạng mục A").get("id").stringValue();

        // Known at once on the writer's instance: the 201 came after the bus delivered the change.
        assertThat(versions.fresh(categoryB)).isEqualTo(b);
        assertThat(versions.fresh(categoryA).id()).isNotEqualTo(a.id());
        assertThat(versions.fresh(categoryA).lastModified()).isAfterOrEqualTo(a.lastModified());
        assertThat(versions.fresh(Set.of(Scopes.SITE)).id()).isNotEqualTo(site.id());
        assertThat(versions.fresh(siteAndB).id()).as("a set moves when any of its scopes does").isNotEqualTo(bWithSite.id());
        assertThat(versions.fresh(Set.of(Scopes.author("phong-vien")))).isNotEqualTo(author);
        assertThat(versions.fresh(Set.of(Scopes.bulletin(java.util.UUID.fromString(id))))).isNotNull();
        assertThat(versions.fresh(Set.of(Scopes.TAXONOMY)).id()).isEqualTo(versions.fresh(categoryA).id());

        // An edit that leaves A for B touches both, the taxonomy too; a plain edit of the title leaves B alone.
        ScopeVersions.Version bBeforeMove = versions.fresh(categoryB);
        put(id, "Tin chuyển sang B", "Hạng mục B");
        assertThat(versions.fresh(categoryB).id()).isNotEqualTo(bBeforeMove.id());
        ScopeVersions.Version aAfterMove = versions.fresh(categoryA);
        ScopeVersions.Version taxonomy = versions.fresh(Set.of(Scopes.TAXONOMY));
        put(id, "Tin chuyển sang B, sửa tựa", "Hạng mục B");
        assertThat(versions.fresh(categoryA)).isEqualTo(aAfterMove);
        assertThat(versions.fresh(Set.of(Scopes.TAXONOMY))).as("no count changed").isEqualTo(taxonomy);
    }

    private void put(String id, String title, String category) {
        first.put().uri("/api/v1/bulletins/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsString(Map.of("title", title, "category", category, "tags", List.of("Tươi mới"),
                        "author", "Phóng viên")))
                .exchange().expectStatus().isOk();
    }

    @Test
    void everyConsumerOnEveryInstanceGetsConcurrentWritesInSequenceOrder() {
        int writes = 40;
        long from = db.sql("SELECT COALESCE(max(seq), 0) AS seq FROM bulletin_events")
                .map(row -> row.get("seq", Long.class)).one().block(WAIT);
        // Streams are consumers of the bus: what they are handed, in order, is what the bus delivered.
        List<Flux<JsonNode>> streams = new ArrayList<>();
        for (WebTestClient client : List.of(first, second)) {
            streams.add(client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_NDJSON).exchange()
                    .expectStatus().isOk().returnResult(String.class).getResponseBody()
                    .filter(line -> !line.contains("\"heartbeat\"")).map(json::readTree).take(writes).cache());
        }
        streams.forEach(Flux::subscribe);
        WebClient web = WebClient.create("http://127.0.0.1:" + port);
        Flux.range(1, writes).flatMap(i -> web.post().uri("/api/v1/bulletins")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"title\":\"Ghi đồng thời " + i + "\"}").retrieve().toBodilessEntity(), 8)
                .blockLast(WAIT);
        List<Long> logged = db.sql("SELECT seq FROM bulletin_events WHERE seq > :from ORDER BY seq").bind("from", from)
                .map(row -> row.get("seq", Long.class)).all().collectList().block(WAIT);
        assertThat(logged).hasSize(writes);
        for (Flux<JsonNode> stream : streams) {
            assertThat(stream.map(line -> line.get("id").longValue()).collectList().block(WAIT))
                    .containsExactlyElementsOf(logged);
        }
    }
}
