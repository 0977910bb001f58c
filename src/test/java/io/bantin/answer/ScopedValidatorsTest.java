package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.feed.Feeds;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/** Validators per scope: a publish in one category leaves another category's feeds and JSON lists unchanged. */
@IntegrationTest
class ScopedValidatorsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Test
    void aPublishInCategoryALeavesCategoryBsFeedsAndJsonListsAt304() {
        client = Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin("Giá cà phê tăng mạnh", "Kinh tế",
                List.of("Cà phê"), "Minh Anh", "Thương lái thu mua", "<p>Giá cà phê nhân xô tăng.</p>")));
        Eventually.eventually(java.time.Duration.ofSeconds(10),
                () -> body("/api/v1/bulletins?category=kinh-te"), body -> body.contains("Giá cà phê tăng mạnh"));
        List<String> unchanged = List.of("/feeds/categories/kinh-te/rss.xml", "/feeds/categories/kinh-te/feed.json",
                "/api/v1/bulletins?category=kinh-te", "/api/v1/bulletins?category=kinh-te&fields=id,title");
        List<String> etags = unchanged.stream().map(this::etag).toList();

        Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin("Hội nghị dân vận khéo", "Dân vận",
                List.of("Hội nghị"), "Hương Lan", "Các đại biểu", "<p>Hội nghị tổng kết.</p>")));
        Eventually.eventually(java.time.Duration.ofSeconds(10),
                () -> body("/api/v1/bulletins?category=dan-van"), body -> body.contains("Hội nghị dân vận khéo"));
        assertThat(body("/feeds/categories/dan-van/rss.xml")).contains("Hội nghị dân vận khéo");

        for (int i = 0; i < unchanged.size(); i++) {
            client.get().uri(unchanged.get(i)).header(HttpHeaders.IF_NONE_MATCH, etags.get(i)).exchange()
                    .expectStatus().isNotModified();
        }
    }

    private String etag(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().returnResult(byte[].class)
                .getResponseHeaders().getETag();
    }

    private String body(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }
}
