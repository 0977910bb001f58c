package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Generated hostile input through the real API: what is stored and served carries nothing executable. */
@IntegrationTest
class XssThroughApiTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Test
    void hostileBodiesAndTitlesAreServedInert() {
        String publisher = Api.issueToken(client, "publisher");
        List<String> samples = SanitizerProperties.hostileFragment().list().ofMinSize(1).ofMaxSize(6)
                .map(parts -> String.join("", parts)).sampleStream().limit(40).toList();
        for (String hostile : samples) {
            String created = Api.create(client, publisher, json.writeValueAsString(Map.of(
                    "title", "Tin " + hostile, "summary", hostile, "body", hostile, "author", hostile,
                    "tags", List.of("Thẻ " + hostile))));
            String id = json.readTree(created).get("id").stringValue();
            for (String served : List.of(created, client.get().uri("/api/v1/bulletins/{id}", id).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())) {
                JsonNode bulletin = json.readTree(served);
                SanitizerProperties.assertSafe(bulletin.get("body").stringValue());
                for (String plain : List.of("title", "summary", "author")) {
                    assertThat(bulletin.get(plain).stringValue()).as(plain).doesNotContainPattern("<[a-zA-Z/!]");
                }
            }
        }
        String ndjson = client.get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(ndjson.lines().count()).isEqualTo(samples.size());
        ndjson.lines().map(json::readTree).forEach(b -> SanitizerProperties.assertSafe(b.get("body").stringValue()));
    }
}
