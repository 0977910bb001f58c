package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

@IntegrationTest
class BulletinWriteRulesTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @LocalServerPort
    int port;

    String publisher;

    @BeforeAll
    void setUp() {
        publisher = Api.issueToken(client, "publisher");
    }

    @Test
    void replaceWithStaleIfMatchIsPreconditionFailedAndChangesNothing() {
        String id = id(Api.create(client, publisher, "{\"title\":\"Bản tin phiên bản một\"}"));
        put(id, "\"1\"", "{\"title\":\"Bản tin phiên bản hai\"}").expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2\"")
                .expectBody().jsonPath("$.version").isEqualTo(2).jsonPath("$.title").isEqualTo("Bản tin phiên bản hai");
        put(id, "\"1\"", "{\"title\":\"Ghi đè cũ\"}").expectStatus().isEqualTo(412)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        put(id, "2", "{\"title\":\"Bản tin phiên bản ba\"}").expectStatus().isOk(); // a bare version works too
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectBody()
                .jsonPath("$.title").isEqualTo("Bản tin phiên bản ba").jsonPath("$.version").isEqualTo(3);
    }

    @Test
    void editKeepsIdAndSlugAndLogsAnUpdatedEvent() {
        JsonNode created = json.readTree(Api.create(client, publisher, "{\"title\":\"Tiêu đề ban đầu\"}"));
        String id = created.get("id").stringValue();
        put(id, null, "{\"title\":\"Tiêu đề đã sửa\"}").expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.slug").isEqualTo("tieu-de-ban-dau");
        assertThat(kinds(id)).containsExactly("published", "updated");
    }

    @Test
    void withdrawWithStaleIfMatchIsPreconditionFailed() {
        String id = id(Api.create(client, publisher, "{\"title\":\"Tin không được gỡ\"}"));
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header(HttpHeaders.IF_MATCH, "\"7\"").exchange().expectStatus().isEqualTo(412);
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectStatus().isOk();
    }

    @Test
    void withdrawingTwiceIsGoneTheSecondTime() {
        // found by GeneratedRequestsTest: the 410 was given but not in the document (ContractCheck checks it)
        String id = id(Api.create(client, publisher, "{\"title\":\"Tin gỡ hai lần\"}"));
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent().expectBody().isEmpty();
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isEqualTo(410)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("Bulletin " + id + " was withdrawn.");
    }

    @Test
    void bodyOverOneMebibyteIsRefusedWith413() {
        long before = count("bulletins");
        String huge = "{\"title\":\"Quá lớn\",\"body\":\"" + "a".repeat((1 << 20) + 10) + "\"}";
        post(huge).expectStatus().isEqualTo(413).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(count("bulletins")).isEqualTo(before);
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedWith413() {
        byte[] chunk = "a".repeat(64 * 1024).getBytes();
        Flux<byte[]> body = Flux.concat(Mono.just("{\"title\":\"x\",\"body\":\"".getBytes()),
                Flux.range(0, 20).map(i -> chunk), Mono.just("\"}".getBytes()));
        WebClient.create("http://localhost:" + port).post().uri("/api/v1/bulletins")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body, byte[].class)
                .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                .as(StepVerifier::create).expectNext(413).expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("{\"title\":\"x\"}")
                .exchange().expectStatus().isEqualTo(415).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .bodyValue("{\"title\":\"x\"}".getBytes())
                .exchange().expectStatus().isEqualTo(415);
    }

    @Test
    void malformedJsonIs400() {
        post("{\"title\": \"Thiếu ngoặc\"").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("not valid JSON"));
    }

    @Test
    void invalidFieldsAreAllReportedAndNothingIsStored() {
        long before = count("bulletins");
        long eventsBefore = count("bulletin_events");
        String tooManyTags = json.writeValueAsString(java.util.stream.IntStream.range(0, 21).mapToObj(i -> "tag" + i).toList());
        post("{\"title\":\"" + "d".repeat(301) + "\",\"summary\":42,\"tags\":" + tooManyTags
                + ",\"images\":[{\"url\":\"javascript:alert(1)\"}],\"publishedAt\":\"07/01/2021\",\"status\":\"live\"}")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field").value(List.class, fields -> assertThat(fields)
                        .contains("title", "summary", "tags", "images[0].url", "publishedAt", "status"));
        post("{\"summary\":\"Không có tiêu đề\"}").expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("title");
        post("[1,2]").expectStatus().isEqualTo(422);
        assertThat(count("bulletins")).isEqualTo(before);
        assertThat(count("bulletin_events")).isEqualTo(eventsBefore);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyMakeOneBulletin() {
        String doc = "{\"title\":\"Tin gửi lại nhiều lần\"}";
        WebClient web = WebClient.create("http://localhost:" + port);
        List<Map> answers = Flux.range(0, 2)
                .flatMap(i -> web.post().uri("/api/v1/bulletins")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                        .header("Idempotency-Key", "bao-lu-2024-001")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(doc)
                        .exchangeToMono(r -> {
                            assertThat(r.statusCode().value()).isEqualTo(201);
                            return r.bodyToMono(Map.class);
                        }))
                .collectList().block(Duration.ofSeconds(15));
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).get("id")).isEqualTo(answers.get(1).get("id"));
        long stored = db.sql("SELECT count(*) AS n FROM bulletins WHERE title = 'Tin gửi lại nhiều lần'")
                .map(row -> row.get("n", Long.class)).one().block();
        assertThat(stored).isEqualTo(1);
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "bao-lu-2024-001").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(doc).exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(answers.get(0).get("id"));
    }

    @Test
    void reusingAnIdempotencyKeyForADifferentRequestIs422() {
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "khoa-1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Một\"}").exchange().expectStatus().isCreated();
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "khoa-1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Hai\"}").exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void inputIsNormalisedToNfcAndStrippedOfControlCharacters() {
        String nfd = java.text.Normalizer.normalize("Tiếng Việt", java.text.Normalizer.Form.NFD);
        JsonNode created = json.readTree(Api.create(client, publisher, json.writeValueAsString(
                Map.of("title", nfd + "\u0000\u202E ổn", "summary", "Dòng\u0007 một"))));
        assertThat(created.get("title").stringValue()).isEqualTo("Tiếng Việt ổn");
        assertThat(created.get("summary").stringValue()).isEqualTo("Dòng một");
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String id, String ifMatch, String body) {
        return client.put().uri("/api/v1/bulletins/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .headers(h -> {
                    if (ifMatch != null) {
                        h.set(HttpHeaders.IF_MATCH, ifMatch);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String id(String created) {
        return json.readTree(created).get("id").stringValue();
    }

    private List<String> kinds(String id) {
        return db.sql("SELECT kind FROM bulletin_events WHERE bulletin_id = CAST(:id AS uuid) ORDER BY seq")
                .bind("id", id).map(row -> row.get("kind", String.class)).all().collectList().block();
    }

    private long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table).map(row -> row.get("n", Long.class)).one().block();
    }

}
