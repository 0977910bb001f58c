package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.Eventually;

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
        // The feeds pick up the write within about a second.
        String etag = Eventually.eventually(Duration.ofSeconds(10), () -> client.get().uri("/feeds/atom.xml?limit=7")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult(),
                result -> result.getResponseBody().contains("Tin được đếm")).getResponseHeaders().getETag();
        assertThat(etag).isNotNull();
        client.get().uri("/feeds/atom.xml?limit=7").exchange().expectStatus().isOk();
        client.get().uri("/feeds/atom.xml?limit=7").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified();

        Eventually.eventually(Duration.ofSeconds(10), () -> metric("bantin_events_total\\{kind=\"published\""),
                count -> count >= published + 1);
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
