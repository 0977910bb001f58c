package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Writes at the edges: edits racing the scheduler, slug claims, withdrawn drafts, retries after a withdrawal. */
@IntegrationTest
class EdgeWritesTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Autowired
    BulletinPublisher publisher;

    @Autowired
    ScheduledPublisher scheduler;

    @Autowired
    ReactiveTransactionManager transactions;

    String token;

    @BeforeAll
    void setUp() {
        token = Api.issueToken(client, "publisher");
    }

    @Test
    void anEditJustAfterTheScheduledTimePublishesExactlyOnce() {
        UUID id = id(Api.create(client, token,
                "{\"title\":\"Hẹn giờ rồi sửa\",\"publishedAt\":\"2100-01-01T00:00:00+07:00\",\"category\":\"Hẹn giờ\"}"));
        // The time passes and, before any scheduler runs (the row stays locked in this transaction), an edit lands.
        BulletinDraft edit = BulletinDraftReader.read(json.readTree("{\"title\":\"Hẹn giờ rồi sửa (đã sửa)\"}"));
        TransactionalOperator.create(transactions).transactional(
                db.sql("UPDATE bulletins SET published_at = now() - interval '100 milliseconds' WHERE id = :id")
                        .bind("id", id).then()
                        .then(publisher.replace(id, edit, null)))
                .block(Duration.ofSeconds(30));
        scheduler.promoteDue().block(Duration.ofSeconds(30));

        assertThat(kinds(id)).containsExactly("published");
        assertThat(status(id)).isEqualTo("published");
    }

    @Test
    void aTitleCanAlwaysBePublishedAgainWhateverSuffixesOthersUse() {
        Api.create(client, token, "{\"title\":\"zeta 999999999999\"}");
        List<String> slugs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slugs.add(json.readTree(Api.create(client, token, "{\"title\":\"zeta\"}")).get("slug").stringValue());
        }
        assertThat(slugs).doesNotHaveDuplicates().startsWith("zeta", "zeta-2", "zeta-3");
    }

    @Test
    void aDraftWithdrawnBeforeItWasEverShownIsUnknownToReaders() {
        JsonNode draft = json.readTree(Api.create(client, token, "{\"title\":\"Bản nháp bí mật\",\"status\":\"draft\"}"));
        client.delete().uri("/api/v1/bulletins/{id}", draft.get("id").stringValue())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isNoContent();
        String slug = draft.get("slug").stringValue();
        client.get().uri("/api/v1/bulletins/{slug}", slug).exchange().expectStatus().isNotFound();
        client.get().uri("/bulletins/{slug}", slug).exchange().expectStatus().isNotFound();
        // A shown-then-withdrawn bulletin stays 410 Gone: readers had it.
        JsonNode shown = json.readTree(Api.create(client, token, "{\"title\":\"Bản tin đã đăng rồi gỡ\"}"));
        client.delete().uri("/api/v1/bulletins/{id}", shown.get("id").stringValue())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/bulletins/{slug}", shown.get("slug").stringValue()).exchange()
                .expectStatus().isEqualTo(410);
        client.get().uri("/bulletins/{slug}", shown.get("slug").stringValue()).exchange()
                .expectStatus().isEqualTo(410);
    }

    @Test
    void aRetryAfterTheBulletinWasWithdrawnAnswersGoneNotCreated() {
        String body = "{\"title\":\"Gửi lại sau khi gỡ\"}";
        String id = json.readTree(post(body, "retry-after-withdrawal").expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).get("id").stringValue();
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isNoContent();
        post(body, "retry-after-withdrawal").expectStatus().isEqualTo(410)
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(id));
    }

    @Test
    void topicsOfUnpublishedBulletinsStayUnknown() {
        Api.create(client, token, "{\"title\":\"Nháp chủ đề kín\",\"status\":\"draft\",\"category\":\"Draftcat only\","
                + "\"tags\":[\"Drafttag only\"]}");
        Api.create(client, token, "{\"title\":\"Hẹn giờ chủ đề kín\",\"publishedAt\":\"2100-01-01T00:00:00Z\","
                + "\"category\":\"Scheduledcat only\",\"tags\":[\"Scheduledtag only\"]}");
        Api.create(client, token, "{\"title\":\"Tin công khai\",\"category\":\"Công khai\",\"tags\":[\"Mở\"]}");
        String categories = get("/api/v1/categories");
        String tags = get("/api/v1/tags");
        String opml = get("/feeds/opml.xml");
        for (String secret : List.of("draftcat-only", "scheduledcat-only", "drafttag-only", "scheduledtag-only")) {
            assertThat(categories).doesNotContain(secret);
            assertThat(tags).doesNotContain(secret);
            assertThat(opml).doesNotContain(secret);
        }
        assertThat(categories).contains("cong-khai");
        assertThat(tags).contains("mo");
        assertThat(opml).contains("cong-khai");
        for (String feed : List.of("/feeds/categories/draftcat-only/rss.xml", "/feeds/tags/drafttag-only/atom.xml",
                "/feeds/categories/scheduledcat-only/feed.json", "/feeds/tags/scheduledtag-only/rss.xml")) {
            client.get().uri(feed).exchange().expectStatus().isNotFound();
        }
        client.get().uri("/feeds/categories/cong-khai/rss.xml").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(String body, String key) {
        return client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String get(String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private UUID id(String created) {
        return UUID.fromString(json.readTree(created).get("id").stringValue());
    }

    private List<String> kinds(UUID id) {
        return db.sql("SELECT kind FROM bulletin_events WHERE bulletin_id = :id ORDER BY seq").bind("id", id)
                .map(row -> row.get(0, String.class)).all().collectList().block(Duration.ofSeconds(10));
    }

    private String status(UUID id) {
        return db.sql("SELECT status FROM bulletins WHERE id = :id").bind("id", id)
                .map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
    }
}
