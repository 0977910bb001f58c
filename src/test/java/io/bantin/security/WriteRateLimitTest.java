package io.bantin.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

@IntegrationTest
@TestPropertySource(properties = {"bantin.write-rate.per-second=0.5", "bantin.write-rate.burst=3"})
class WriteRateLimitTest {

    @Autowired
    WebTestClient client;

    @Test
    void aTokenOverItsWriteRateGets429WithRetryAfterWhileOthersWrite() {
        String hasty = Api.issueToken(client, "publisher");
        for (int i = 0; i < 3; i++) {
            Api.create(client, hasty, "{\"title\":\"Tin nhanh " + i + "\"}");
        }
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + hasty)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin thứ tư\"}").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, v -> assertThat(Integer.parseInt(v)).isBetween(1, 3));
        String calm = Api.issueToken(client, "publisher");
        Api.create(client, calm, "{\"title\":\"Tin của người khác\"}");
        client.get().uri("/api/v1/bulletins").exchange().expectStatus().isOk(); // reads are never limited
    }
}
