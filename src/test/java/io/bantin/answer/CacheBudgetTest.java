package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.feed.Feeds;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** One anonymous client asking for many distinct URLs never grows the cache past its budget, and every answer succeeds. */
@IntegrationTest
@TestPropertySource(properties = "bantin.cache.max-bytes=256KB")
class CacheBudgetTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    AnswerCache cache;

    @Test
    void manyDistinctVariantsStayWithinTheBudget() {
        client = Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= 12; i++) {
            Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin("Bản tin ngân sách số " + i, "Kinh tế",
                    List.of("Ngân sách"), "Minh Anh", "Ảnh " + i, "<p>" + "Nội dung dài của bản tin. ".repeat(40) + "</p>")));
        }
        assertThat(cache.maxBytes()).isEqualTo(256 * 1024);
        long evictions = cache.evictions();
        for (int limit = 1; limit <= 60; limit++) {
            for (String uri : List.of("/feeds/rss.xml?limit=" + limit, "/feeds/categories/kinh-te/atom.xml?limit=" + limit,
                    "/api/v1/bulletins?limit=" + limit, "/api/v1/bulletins?tag=ngan-sach&limit=" + limit,
                    "/feeds/tags/ngan-sach/feed.json?limit=" + limit)) {
                client.get().uri(uri).exchange().expectStatus().isOk();
                assertThat(cache.bytes()).as(uri).isLessThanOrEqualTo(cache.maxBytes());
            }
        }
        assertThat(cache.evictions()).isGreaterThan(evictions);
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
