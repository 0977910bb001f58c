package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** What an operator watches on /actuator/prometheus moves with what the server does. */
@IntegrationTest
class MetricsTest {

    @Autowired
    WebTestClient client;

    @Test
    void publishesRendersCacheHitsAndNotModifiedAreCounted() throws InterruptedException {
        double published = metric("bantin_events_total\\{kind=\"published\"");
        double renders = metric("bantin_cache_renders_total");
        double hits = metric("bantin_cache_hits_total");
        double notModified = metric("bantin_cache_responses_total\\{status=\"304\"");

        Api.create(client, Api.issueToken(client, "publisher"), "{\"title\":\"Tin được đếm\"}");
        String etag = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) { // the feeds pick up the write within about a second
            var result = client.get().uri("/feeds/atom.xml?limit=7").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult();
            if (result.getResponseBody().contains("Tin được đếm")) {
                etag = result.getResponseHeaders().getETag();
                break;
            }
            Thread.sleep(200);
        }
        assertThat(etag).isNotNull();
        client.get().uri("/feeds/atom.xml?limit=7").exchange().expectStatus().isOk();
        client.get().uri("/feeds/atom.xml?limit=7").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified();

        while (metric("bantin_events_total\\{kind=\"published\"") < published + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(metric("bantin_events_total\\{kind=\"published\"")).isEqualTo(published + 1);
        assertThat(metric("bantin_cache_renders_total")).isGreaterThan(renders);
        assertThat(metric("bantin_cache_hits_total")).isGreaterThan(hits);
        assertThat(metric("bantin_cache_responses_total\\{status=\"304\"")).isEqualTo(notModified + 1);
    }

    private double metric(String name) {
        String body = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher value = Pattern.compile("(?m)^" + name + "[^ ]* ([0-9.E+-]+)$").matcher(body);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
