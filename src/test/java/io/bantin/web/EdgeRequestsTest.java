package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Anonymous requests at the edges of every read route: odd headers and values get a 4xx, HEAD mirrors GET. */
@IntegrationTest
class EdgeRequestsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String slug;
    String id;

    @BeforeAll
    void setUp() {
        String token = Api.issueToken(client, "publisher");
        var created = json.readTree(Api.create(client, token,
                "{\"title\":\"Bản tin ở rìa\",\"category\":\"Rìa\",\"tags\":[\"Biên\"],\"author\":\"Hương Lan\"}"));
        slug = created.get("slug").stringValue();
        id = created.get("id").stringValue();
    }

    /** Every public GET route, with values that exist. */
    List<String> readRoutes() {
        return List.of("/api/v1/bulletins", "/api/v1/bulletins/" + slug, "/api/v1/bulletins/" + id,
                "/api/v1/categories", "/api/v1/tags", "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json",
                "/feeds/opml.xml", "/feeds/categories/ria/rss.xml", "/feeds/tags/bien/atom.xml",
                "/feeds/authors/huong-lan/feed.json", "/", "/bulletins/" + slug, "/v3/api-docs");
    }

    @TestFactory
    Stream<DynamicTest> aMalformedAcceptHeaderIsABadRequestOnEveryRoute() {
        List<String> paths = Stream.concat(readRoutes().stream(), Stream.of("/api/v1/stream", "/bulletins/no-such"))
                .toList();
        return Stream.of("*/*;q=abc", "application/json;q=2", "garbage/////").flatMap(accept -> paths.stream()
                .map(path -> DynamicTest.dynamicTest(accept + " " + path, () -> client.get().uri(path)
                        .header(HttpHeaders.ACCEPT, accept).exchange()
                        .expectStatus().isBadRequest()
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON))));
    }

    @TestFactory
    Stream<DynamicTest> headAnswersWhereverGetDoesWithTheSameHeadersAndNoBody() {
        return Stream.concat(readRoutes().stream(), Stream.of("/api/v1/tokens")).map(path ->
                DynamicTest.dynamicTest("HEAD " + path, () -> {
                    var get = client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                            .exchange().expectBody().returnResult();
                    var head = client.method(HttpMethod.HEAD).uri(path)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                            .exchange().expectBody().returnResult();
                    assertThat(head.getStatus()).isEqualTo(get.getStatus());
                    assertThat(get.getStatus().value()).isEqualTo(200);
                    assertThat(head.getResponseBody()).isNull();
                    assertThat(head.getResponseHeaders().getContentType())
                            .isEqualTo(get.getResponseHeaders().getContentType());
                    assertThat(head.getResponseHeaders().getETag()).isEqualTo(get.getResponseHeaders().getETag());
                }));
    }

    @Test
    void headOfTheLiveStreamAnswersAtOnceWithItsHeaders() {
        for (String accept : List.of("text/event-stream", "application/x-ndjson")) {
            EntityExchangeResult<byte[]> head = client.method(HttpMethod.HEAD).uri("/api/v1/stream")
                    .header(HttpHeaders.ACCEPT, accept).exchange()
                    .expectStatus().isOk().expectBody().returnResult();
            assertThat(head.getResponseHeaders().getContentType().toString()).startsWith(accept);
            assertThat(head.getResponseBody()).isNull();
        }
    }

    @Test
    void qualityValuesDecideTheRepresentation() {
        client.get().uri("/api/v1/bulletins").header(HttpHeaders.ACCEPT, "application/json, application/x-ndjson;q=0")
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        client.get().uri("/api/v1/bulletins").header(HttpHeaders.ACCEPT, "application/json;q=0.5, application/x-ndjson")
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON);
        client.get().uri("/api/v1/stream").header(HttpHeaders.ACCEPT, "text/event-stream;q=0, */*")
                .exchange().expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(String.class).getResponseBody().take(1).blockLast();
        client.get().uri("/api/v1/stream").header(HttpHeaders.ACCEPT, "application/json")
                .exchange().expectStatus().isEqualTo(406);
    }

    @Test
    void timesAndCursorsOutOfRangeAreBadRequests() {
        client.get().uri("/api/v1/bulletins?until={u}", "+999999999-12-31T00:00:00Z").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("until");
        client.get().uri("/api/v1/bulletins?since={s}", "-999999999-01-01T00:00:00Z").exchange()
                .expectStatus().isBadRequest();
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("v1:300000000000000000:" + id).getBytes(StandardCharsets.US_ASCII));
        for (String path : List.of("/api/v1/bulletins?cursor=" + forged, "/?cursor=" + forged)) {
            client.get().uri(path).exchange().expectStatus().isBadRequest();
        }
    }
}
