package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

@IntegrationTest
class BulletinApiTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    String publisher;
    String fixture;

    @BeforeAll
    void setUp() throws IOException {
        publisher = Api.issueToken(client, "publisher");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/bulletin-vi.json")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void vietnameseFixtureRoundTripsByteForByteThroughCreateGetListAndNdjson() {
        JsonNode sent = json.readTree(fixture);
        JsonNode created = json.readTree(Api.create(client, publisher, fixture));
        String id = created.get("id").stringValue();

        JsonNode got = json.readTree(client.get().uri("/api/v1/bulletins/{id}", id).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        JsonNode listed = findIn(json.readTree(client.get().uri("/api/v1/bulletins?limit=100").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()).get("items"), id);
        JsonNode streamed = findIn(ndjson(client.get().uri("/api/v1/bulletins")
                .accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBody(String.class).returnResult().getResponseBody()), id);

        for (JsonNode copy : List.of(created, got, listed, streamed)) {
            for (String field : List.of("title", "summary", "body", "author", "language", "publishedAt")) {
                assertThat(copy.get(field).stringValue()).as(field).isEqualTo(sent.get(field).stringValue());
            }
            assertThat(copy.get("category").get("name").stringValue()).isEqualTo("Kinh tế – Xã hội");
            assertThat(copy.get("category").get("slug").stringValue()).isEqualTo("kinh-te-xa-hoi");
            assertThat(copy.get("tags").findValuesAsString("name")).containsExactly("Nông thôn mới", "Giao thông", "Ea Kar");
            assertThat(copy.get("tags").findValuesAsString("slug")).containsExactly("nong-thon-moi", "giao-thong", "ea-kar");
            assertThat(copy.get("images")).isEqualTo(sent.get("images"));
            assertThat(copy.get("slug").stringValue()).isEqualTo("dak-lak-khoi-cong-duong-giao-thong-nong-thon-o-xa-ea-so");
            assertThat(copy.get("status").stringValue()).isEqualTo("published");
            assertThat(copy.get("version").intValue()).isEqualTo(1);
            assertThat(copy.get("links").get("self").stringValue())
                    .isEqualTo("https://tin.example.vn/api/v1/bulletins/" + id);
            assertThat(copy.get("links").get("html").stringValue())
                    .isEqualTo("https://tin.example.vn/bulletins/dak-lak-khoi-cong-duong-giao-thong-nong-thon-o-xa-ea-so");
            assertThat(OffsetDateTime.parse(copy.get("updatedAt").stringValue()).getOffset().getId()).isEqualTo("+07:00");
        }
    }

    @Test
    void sameTitleGetsASuffixedSlugAndBothResolve() {
        String doc = "{\"title\":\"Thông báo lịch tiếp công dân tháng 4\"}";
        String first = json.readTree(Api.create(client, publisher, doc)).get("slug").stringValue();
        String second = json.readTree(Api.create(client, publisher, doc)).get("slug").stringValue();
        assertThat(first).isEqualTo("thong-bao-lich-tiep-cong-dan-thang-4");
        assertThat(second).isEqualTo("thong-bao-lich-tiep-cong-dan-thang-4-2");
        client.get().uri("/api/v1/bulletins/{slug}", second).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.slug").isEqualTo(second);
    }

    @Test
    void searchIgnoresDiacritics() {
        Api.create(client, publisher, "{\"title\":\"Tổng kết công tác dân vận khéo\",\"summary\":\"Hội nghị ở tỉnh\"}");
        Api.create(client, publisher, "{\"title\":\"Giá cà phê tăng mạnh\",\"summary\":\"Thị trường nông sản\"}");
        JsonNode found = json.readTree(client.get().uri("/api/v1/bulletins?q=dan van").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()).get("items");
        assertThat(found.findValuesAsString("title")).contains("Tổng kết công tác dân vận khéo")
                .doesNotContain("Giá cà phê tăng mạnh");
        JsonNode byAccented = json.readTree(client.get().uri("/api/v1/bulletins?q=CÀ PHÊ").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()).get("items");
        assertThat(byAccented.findValuesAsString("title")).containsExactly("Giá cà phê tăng mạnh");
    }

    @Test
    void filtersByCategoryTagAuthorAndTime() {
        Api.create(client, publisher, """
                {"title":"Lọc: văn hoá","category":"Văn hoá","tags":["Lễ hội"],"author":"Trần Văn Đức",
                 "publishedAt":"2022-02-01T08:00:00+07:00"}""");
        Api.create(client, publisher, """
                {"title":"Lọc: thể thao","category":"Thể thao","tags":["Bóng đá"],"author":"Lê Mai",
                 "publishedAt":"2022-03-01T08:00:00+07:00"}""");
        assertThat(titles("/api/v1/bulletins?category=Văn hoá")).containsExactly("Lọc: văn hoá");
        assertThat(titles("/api/v1/bulletins?category=the-thao")).containsExactly("Lọc: thể thao");
        assertThat(titles("/api/v1/bulletins?tag=le-hoi")).containsExactly("Lọc: văn hoá");
        assertThat(titles("/api/v1/bulletins?author=tran-van-duc")).containsExactly("Lọc: văn hoá");
        assertThat(titles("/api/v1/bulletins?q=lọc&since=2022-02-15&until=2022-03-01")).containsExactly("Lọc: thể thao");
        assertThat(titles("/api/v1/bulletins?q=lọc&until=2022-02-01T08:00:00+07:00")).containsExactly("Lọc: văn hoá");
        client.get().uri("/api/v1/categories").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.slug == 'van-hoa')].count").isEqualTo(1);
        client.get().uri("/api/v1/tags").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.slug == 'bong-da')].name").isEqualTo("Bóng đá");
    }

    @Test
    void scheduledBulletinIsHiddenUntilItsTime() {
        String future = OffsetDateTime.now().plusDays(2).withNano(0).toString();
        JsonNode created = json.readTree(Api.create(client, publisher,
                "{\"title\":\"Lịch cắt điện tuần sau\",\"publishedAt\":\"" + future + "\"}"));
        String id = created.get("id").stringValue();
        assertThat(created.get("status").stringValue()).isEqualTo("scheduled");
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectStatus().isNotFound();
        assertThat(titles("/api/v1/bulletins?q=cat dien")).isEmpty();
        client.get().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("scheduled");
        long events = db.sql("SELECT count(*) AS n FROM bulletin_events WHERE bulletin_id = CAST(:id AS uuid)")
                .bind("id", id).map(row -> row.get("n", Long.class)).one().block();
        assertThat(events).isZero();
    }

    @Test
    void draftIsHiddenAndPublishingItLater() {
        JsonNode draft = json.readTree(Api.create(client, publisher, "{\"title\":\"Bản nháp tin bão\",\"status\":\"draft\"}"));
        String id = draft.get("id").stringValue();
        assertThat(draft.get("status").stringValue()).isEqualTo("draft");
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectStatus().isNotFound();
        client.put().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin bão số 3\"}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("published").jsonPath("$.version").isEqualTo(2);
        assertThat(titles("/api/v1/bulletins?q=bao so 3")).containsExactly("Tin bão số 3");
    }

    @Test
    void getAnswersNotModifiedForItsEtag() {
        String id = json.readTree(Api.create(client, publisher, "{\"title\":\"Tin có ETag\"}")).get("id").stringValue();
        String etag = client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"")
                .returnResult(String.class).getResponseHeaders().getETag();
        client.get().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified().expectBody().isEmpty();
    }

    @Test
    void withdrawnBulletinLeavesListsAndIsGone() {
        String id = json.readTree(Api.create(client, publisher, "{\"title\":\"Tin sẽ gỡ bỏ\"}")).get("id").stringValue();
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectStatus().isEqualTo(410)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(titles("/api/v1/bulletins?q=go bo")).isEmpty();
        List<String> kinds = db.sql("SELECT kind FROM bulletin_events WHERE bulletin_id = CAST(:id AS uuid) ORDER BY seq")
                .bind("id", id).map(row -> row.get("kind", String.class)).all().collectList().block();
        assertThat(kinds).containsExactly("published", "deleted");
    }

    @Test
    void unknownBulletinIsAProblem404() {
        client.get().uri("/api/v1/bulletins/khong-ton-tai").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.title").isEqualTo("Not Found");
    }

    private List<String> titles(String uri) {
        JsonNode items = json.readTree(client.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).get("items");
        List<String> titles = new ArrayList<>();
        items.forEach(item -> titles.add(item.get("title").stringValue()));
        return titles;
    }

    private List<JsonNode> ndjson(String body) {
        return body.lines().filter(line -> !line.isBlank()).map(json::readTree).toList();
    }

    private static JsonNode findIn(Iterable<JsonNode> items, String id) {
        for (JsonNode item : items) {
            if (item.get("id").stringValue().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("bulletin " + id + " not listed");
    }
}
