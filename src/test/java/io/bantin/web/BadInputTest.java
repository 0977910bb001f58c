package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * Malformed and hostile requests over every endpoint: each gets the right 4xx as problem+json and
 * none leaves anything behind. Valid requests mixed in prove the rules do not refuse good input.
 */
@IntegrationTest
class BadInputTest {

    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    String publisher;
    String revoked;
    String existingId;
    final List<String> validTitles = Collections.synchronizedList(new ArrayList<>());

    /** One request and the status it must get. */
    record Case(String name, HttpMethod method, String path, String auth, String contentType, byte[] body,
            int status, String extraHeader) {

        static Case post(String name, String body, int status) {
            return new Case(name, HttpMethod.POST, "/api/v1/bulletins", "publisher", JSON, utf8(body), status, null);
        }
    }

    @BeforeAll
    void setUp() {
        publisher = Api.issueToken(client, "publisher");
        revoked = Api.issueToken(client, "publisher");
        String revokedId = db.sql("SELECT id::text FROM api_tokens WHERE name = 'test publisher' ORDER BY created_at DESC LIMIT 1")
                .map(row -> row.get(0, String.class)).one().block();
        client.delete().uri("/api/v1/tokens/{id}", revokedId).header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        existingId = json.readTree(Api.create(client, publisher, "{\"title\":\"Bản tin có sẵn\"}")).get("id").stringValue();
        validTitles.add("Bản tin có sẵn");
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsAProblemAndChangesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " -> " + c.status(), () -> check(c)));
    }

    @AfterAll
    void storedDataIsExactlyWhatValidRequestsWrote() {
        List<String> stored = db.sql("SELECT title FROM bulletins ORDER BY title").map(row -> row.get(0, String.class))
                .all().collectList().block();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(validTitles);
        long existingVersion = db.sql("SELECT version FROM bulletins WHERE id = CAST(:id AS uuid)").bind("id", existingId)
                .map(row -> row.get(0, Integer.class)).one().block();
        assertThat(existingVersion).as("refused edits did not touch the existing bulletin").isEqualTo(1);
        long events = db.sql("SELECT count(*) FROM bulletin_events").map(row -> row.get(0, Long.class)).one().block();
        assertThat(events).isEqualTo(validTitles.size());
    }

    private void check(Case c) {
        WebTestClient.RequestBodySpec request = client.method(c.method()).uri(c.path());
        switch (c.auth()) {
            case "publisher" -> request.header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher);
            case "admin" -> request.header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN);
            case "revoked" -> request.header(HttpHeaders.AUTHORIZATION, "Bearer " + revoked);
            case "none" -> { }
            default -> request.header(HttpHeaders.AUTHORIZATION, c.auth());
        }
        if (c.contentType() != null) {
            request.header(HttpHeaders.CONTENT_TYPE, c.contentType());
        }
        if (c.extraHeader() != null) {
            String[] header = c.extraHeader().split(": ", 2);
            request.header(header[0], header[1]);
        }
        WebTestClient.RequestHeadersSpec<?> ready = c.body() == null ? request : request.bodyValue(c.body());
        EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
        assertThat(result.getStatus().value()).as(c.name() + ": " + new String(
                result.getResponseBodyContent() == null ? new byte[0] : result.getResponseBodyContent(),
                StandardCharsets.UTF_8)).isEqualTo(c.status());
        if (c.status() >= 400) {
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(json.readTree(result.getResponseBodyContent()).get("status").intValue()).isEqualTo(c.status());
        }
        if (c.status() == 401) {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
        if (c.status() == 201) {
            validTitles.add(json.readTree(result.getResponseBodyContent()).get("title").stringValue());
        }
    }

    private List<Case> cases() {
        String big = "x".repeat(300);
        String tags21 = jsonArray(IntStream.range(0, 21).mapToObj(i -> "\"the " + i + "\""));
        String tags10k = jsonArray(IntStream.range(0, 10_000).mapToObj(i -> "\"t" + i + "\""));
        String images21 = jsonArray(IntStream.range(0, 21).mapToObj(i -> "{\"url\":\"https://a.vn/" + i + ".jpg\"}"));
        String unknown = UUID.randomUUID().toString();
        List<Case> cases = new ArrayList<>(List.of(
                Case.post("broken JSON", "{", 400),
                Case.post("truncated JSON", "{\"title\":\"Tin", 400),
                Case.post("empty body", "", 400),
                Case.post("trailing garbage", "{\"title\":\"Tin\"} rác", 400),
                Case.post("single-quoted JSON", "{'title':'Tin'}", 400),
                Case.post("JSON null", "null", 422),
                Case.post("JSON array", "[]", 422),
                Case.post("JSON string", "\"Tin\"", 422),
                Case.post("JSON number", "42", 422),
                Case.post("missing title", "{}", 422),
                Case.post("null title", "{\"title\":null}", 422),
                Case.post("empty title", "{\"title\":\"\"}", 422),
                Case.post("blank title", "{\"title\":\"  \\t \"}", 422),
                Case.post("numeric title", "{\"title\":123}", 422),
                Case.post("boolean title", "{\"title\":true}", 422),
                Case.post("array title", "{\"title\":[\"a\"]}", 422),
                Case.post("object title", "{\"title\":{\"vi\":\"Tin\"}}", 422),
                Case.post("title of 301 characters", "{\"title\":\"" + "ắ".repeat(301) + "\"}", 422),
                Case.post("summary of 2001 characters", "{\"title\":\"T\",\"summary\":\"" + "ơ".repeat(2001) + "\"}", 422),
                Case.post("numeric summary", "{\"title\":\"T\",\"summary\":5}", 422),
                Case.post("numeric body", "{\"title\":\"T\",\"body\":5}", 422),
                Case.post("object author", "{\"title\":\"T\",\"author\":{}}", 422),
                Case.post("over-long author", "{\"title\":\"T\",\"author\":\"" + big + "\"}", 422),
                Case.post("numeric category", "{\"title\":\"T\",\"category\":42}", 422),
                Case.post("category without name", "{\"title\":\"T\",\"category\":{}}", 422),
                Case.post("category of punctuation", "{\"title\":\"T\",\"category\":\"!!!\"}", 422),
                Case.post("category with empty name", "{\"title\":\"T\",\"category\":{\"name\":\"\"}}", 422),
                Case.post("tags as a string", "{\"title\":\"T\",\"tags\":\"a,b\"}", 422),
                Case.post("numeric tag", "{\"title\":\"T\",\"tags\":[1]}", 422),
                Case.post("null tag", "{\"title\":\"T\",\"tags\":[null]}", 422),
                Case.post("21 tags", "{\"title\":\"T\",\"tags\":" + tags21 + "}", 422),
                Case.post("10,000 tags", "{\"title\":\"T\",\"tags\":" + tags10k + "}", 422),
                Case.post("images as a string", "{\"title\":\"T\",\"images\":\"a.jpg\"}", 422),
                Case.post("numeric image", "{\"title\":\"T\",\"images\":[1]}", 422),
                Case.post("image without url", "{\"title\":\"T\",\"images\":[{}]}", 422),
                Case.post("ftp image", "{\"title\":\"T\",\"images\":[{\"url\":\"ftp://a.vn/a.jpg\"}]}", 422),
                Case.post("javascript image", "{\"title\":\"T\",\"images\":[{\"url\":\"javascript:alert(1)\"}]}", 422),
                Case.post("data image", "{\"title\":\"T\",\"images\":[{\"url\":\"data:image/png;base64,AA\"}]}", 422),
                Case.post("relative image", "{\"title\":\"T\",\"images\":[{\"url\":\"/a.jpg\"}]}", 422),
                Case.post("numeric caption", "{\"title\":\"T\",\"images\":[{\"url\":\"https://a.vn/a.jpg\",\"caption\":5}]}", 422),
                Case.post("21 images", "{\"title\":\"T\",\"images\":" + images21 + "}", 422),
                Case.post("language sentence", "{\"title\":\"T\",\"language\":\"tiếng việt\"}", 422),
                Case.post("numeric language", "{\"title\":\"T\",\"language\":5}", 422),
                Case.post("date without time", "{\"title\":\"T\",\"publishedAt\":\"2021-01-07\"}", 422),
                Case.post("time without offset", "{\"title\":\"T\",\"publishedAt\":\"2021-01-07T17:00:00\"}", 422),
                Case.post("month 13", "{\"title\":\"T\",\"publishedAt\":\"2021-13-07T17:00:00+07:00\"}", 422),
                Case.post("offset +25:00", "{\"title\":\"T\",\"publishedAt\":\"2021-01-07T17:00:00+25:00\"}", 422),
                Case.post("epoch number date", "{\"title\":\"T\",\"publishedAt\":1610000000}", 422),
                Case.post("year 1", "{\"title\":\"T\",\"publishedAt\":\"0001-01-01T00:00:00Z\"}", 422),
                Case.post("Vietnamese date format", "{\"title\":\"T\",\"publishedAt\":\"07/01/2021 17:00\"}", 422),
                Case.post("unknown status", "{\"title\":\"T\",\"status\":\"live\"}", 422),
                Case.post("numeric status", "{\"title\":\"T\",\"status\":1}", 422),
                new Case("text/plain body", HttpMethod.POST, "/api/v1/bulletins", "publisher", "text/plain",
                        utf8("{\"title\":\"T\"}"), 415, null),
                new Case("no content type", HttpMethod.POST, "/api/v1/bulletins", "publisher", null,
                        utf8("{\"title\":\"T\"}"), 415, null),
                new Case("XML body", HttpMethod.POST, "/api/v1/bulletins", "publisher", "application/xml",
                        utf8("<title>T</title>"), 415, null),
                new Case("form body", HttpMethod.POST, "/api/v1/bulletins", "publisher",
                        "application/x-www-form-urlencoded", utf8("title=T"), 415, null),
                new Case("body over 1 MiB", HttpMethod.POST, "/api/v1/bulletins", "publisher", JSON,
                        utf8("{\"title\":\"T\",\"body\":\"" + "x".repeat(1 << 20) + "\"}"), 413, null),
                new Case("invalid UTF-8", HttpMethod.POST, "/api/v1/bulletins", "publisher", JSON,
                        new byte[] {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        400, null),
                new Case("over-long idempotency key", HttpMethod.POST, "/api/v1/bulletins", "publisher", JSON,
                        utf8("{\"title\":\"T\"}"), 400, "Idempotency-Key: " + "k".repeat(300)),
                new Case("no token", HttpMethod.POST, "/api/v1/bulletins", "none", JSON, utf8("{\"title\":\"T\"}"), 401, null),
                new Case("bearer without token", HttpMethod.POST, "/api/v1/bulletins", "Bearer", JSON,
                        utf8("{\"title\":\"T\"}"), 401, null),
                new Case("unknown token", HttpMethod.POST, "/api/v1/bulletins", "Bearer bt_gia-mao", JSON,
                        utf8("{\"title\":\"T\"}"), 401, null),
                new Case("basic credentials", HttpMethod.POST, "/api/v1/bulletins", "Basic YTpi", JSON,
                        utf8("{\"title\":\"T\"}"), 401, null),
                new Case("revoked token", HttpMethod.POST, "/api/v1/bulletins", "revoked", JSON,
                        utf8("{\"title\":\"T\"}"), 401, null),
                new Case("no token on replace", HttpMethod.PUT, "/api/v1/bulletins/" + existingId, "none", JSON,
                        utf8("{\"title\":\"T\"}"), 401, null),
                new Case("no token on withdraw", HttpMethod.DELETE, "/api/v1/bulletins/" + existingId, "none", null,
                        null, 401, null),
                new Case("publisher issuing a token", HttpMethod.POST, "/api/v1/tokens", "publisher", JSON,
                        utf8("{\"name\":\"x\",\"role\":\"admin\"}"), 403, null),
                new Case("publisher listing tokens", HttpMethod.GET, "/api/v1/tokens", "publisher", null, null, 403, null),
                new Case("publisher revoking a token", HttpMethod.DELETE, "/api/v1/tokens/" + unknown, "publisher", null,
                        null, 403, null),
                new Case("token without fields", HttpMethod.POST, "/api/v1/tokens", "admin", JSON, utf8("{}"), 422, null),
                new Case("token with unknown role", HttpMethod.POST, "/api/v1/tokens", "admin", JSON,
                        utf8("{\"name\":\"x\",\"role\":\"root\"}"), 422, null),
                new Case("token with over-long name", HttpMethod.POST, "/api/v1/tokens", "admin", JSON,
                        utf8("{\"name\":\"" + "n".repeat(101) + "\",\"role\":\"publisher\"}"), 422, null),
                new Case("broken token JSON", HttpMethod.POST, "/api/v1/tokens", "admin", JSON, utf8("{\"name\""), 400, null),
                new Case("revoke a token by a non-id", HttpMethod.DELETE, "/api/v1/tokens/abc", "admin", null, null, 404, null),
                new Case("revoke an unknown token", HttpMethod.DELETE, "/api/v1/tokens/" + unknown, "admin", null, null,
                        404, null),
                get("negative limit", "/api/v1/bulletins?limit=-1", 400),
                get("zero limit", "/api/v1/bulletins?limit=0", 400),
                get("non-numeric limit", "/api/v1/bulletins?limit=abc", 400),
                get("limit beyond int", "/api/v1/bulletins?limit=99999999999", 400),
                get("forged cursor", "/api/v1/bulletins?cursor=Zm9yZ2Vk", 400),
                get("cursor of another version", "/api/v1/bulletins?cursor=djk6MTox", 400),
                get("word for since", "/api/v1/bulletins?since=hom-qua", 400),
                get("30 February", "/api/v1/bulletins?until=2021-02-30", 400),
                get("over-long search", "/api/v1/bulletins?q=" + "a".repeat(201), 400),
                get("SQL in search", "/api/v1/bulletins?q=' OR 1=1; DROP TABLE bulletins; --", 200),
                get("SQL in category", "/api/v1/bulletins?category=x'; DROP TABLE categories; --", 200),
                get("unknown slug", "/api/v1/bulletins/khong-co-tin-nay", 404),
                get("unknown id", "/api/v1/bulletins/" + unknown, 404),
                get("path traversal", "/api/v1/bulletins/..%2F..%2Fetc%2Fpasswd", 400),
                get("encoded slash in slug", "/api/v1/bulletins/a%2Fb", 400),
                get("encoded NUL in slug", "/api/v1/bulletins/%00", 400),
                get("dot segments", "/api/v1/bulletins/../tokens", 400),
                get("unknown route", "/api/v1/khong-ton-tai", 404),
                new Case("replace a non-id", HttpMethod.PUT, "/api/v1/bulletins/abc", "publisher", JSON,
                        utf8("{\"title\":\"T\"}"), 404, null),
                new Case("replace an unknown id", HttpMethod.PUT, "/api/v1/bulletins/" + unknown, "publisher", JSON,
                        utf8("{\"title\":\"T\"}"), 404, null),
                new Case("replace with invalid fields", HttpMethod.PUT, "/api/v1/bulletins/" + existingId, "publisher",
                        JSON, utf8("{\"title\":\"\"}"), 422, null),
                new Case("replace with a non-version If-Match", HttpMethod.PUT, "/api/v1/bulletins/" + existingId,
                        "publisher", JSON, utf8("{\"title\":\"Không được ghi\"}"), 412, "If-Match: \"abc\""),
                new Case("replace with a stale If-Match", HttpMethod.PUT, "/api/v1/bulletins/" + existingId,
                        "publisher", JSON, utf8("{\"title\":\"Không được ghi\"}"), 412, "If-Match: \"9\""),
                new Case("withdraw an unknown id", HttpMethod.DELETE, "/api/v1/bulletins/" + unknown, "publisher", null,
                        null, 404, null),
                new Case("withdraw a non-id", HttpMethod.DELETE, "/api/v1/bulletins/abc", "publisher", null, null, 404,
                        null),
                // Valid, if unusual, input must still be taken.
                Case.post("SQL-looking title", "{\"title\":\"Robert'); DROP TABLE bulletins;--\"}", 201),
                Case.post("emoji title", "{\"title\":\"Lễ hội hoa 🌸 Buôn Ma Thuột\"}", 201),
                Case.post("lone surrogate removed", "{\"title\":\"Tin \\ud800 lẻ\"}", 201),
                Case.post("zero-width joiner kept", "{\"title\":\"Gia đình 👨\u200d👩\u200d👧\"}", 201)));
        return cases;
    }

    private static Case get(String name, String path, int status) {
        return new Case(name, HttpMethod.GET, path, "none", null, null, status, null);
    }

    private static String jsonArray(Stream<String> items) {
        return items.collect(Collectors.joining(",", "[", "]"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
