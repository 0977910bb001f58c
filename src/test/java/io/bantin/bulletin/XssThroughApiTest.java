package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * Generated hostile input through the real API: bodies are sanitized, plain text is kept as written,
 * and every output (JSON, the reader page, feeds) serves both inert.
 */
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
                    "title", "Tin " + cut(hostile, 250), "summary", hostile, "body", hostile, "author", cut(hostile, 200),
                    "tags", List.of("Thẻ " + cut(hostile, 90)))));
            String id = json.readTree(created).get("id").stringValue();
            for (String served : List.of(created, client.get().uri("/api/v1/bulletins/{id}", id).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())) {
                JsonNode bulletin = json.readTree(served);
                SanitizerProperties.assertSafe(bulletin.get("body").stringValue());
                assertThat(bulletin.get("title").stringValue()).isEqualTo(PlainText.clean("Tin " + cut(hostile, 250)).strip());
                assertThat(bulletin.get("summary").stringValue()).isEqualTo(PlainText.clean(hostile).strip());
            }
            assertPageInert(json.readTree(created));
        }
        Document rss = Jsoup.parse(client.get().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody(), "", Parser.xmlParser());
        assertThat(rss.select("item > title").eachText())
                .containsAll(samples.stream().map(h -> PlainText.clean("Tin " + cut(h, 250)).strip().replaceAll("\\s+", " ")).toList());
        String ndjson = client.get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(ndjson.lines().count()).isEqualTo(samples.size());
        ndjson.lines().map(json::readTree).forEach(b -> SanitizerProperties.assertSafe(b.get("body").stringValue()));
    }

    /** Plain text is kept whole now, so long samples are cut to the field's limit. */
    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** The page shows the plain text as text: the only script is the page's own (JSON-LD is data, escaped), no handlers. */
    private void assertPageInert(JsonNode bulletin) {
        Document page = Jsoup.parse(client.get().uri("/bulletins/{slug}", bulletin.get("slug").stringValue())
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(page.select("script:not([type=application/ld+json])")).hasSize(1);
        page.select("script[type=application/ld+json]").forEach(data -> assertThat(data.data()).doesNotContain("<"));
        assertThat(page.select("h1").text()).isEqualTo(bulletin.get("title").stringValue().strip().replaceAll("\\s+", " "));
        SanitizerProperties.assertSafe(page.select("article").outerHtml());
    }
}
