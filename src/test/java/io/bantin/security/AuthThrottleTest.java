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

/** An address that keeps sending wrong tokens is told to wait (429), and the right token waits too. */
@IntegrationTest
@TestPropertySource(properties = {"bantin.auth-throttle.burst=3", "bantin.auth-throttle.per-second=0.05"})
class AuthThrottleTest {

    @Autowired
    WebTestClient client;

    @Test
    void wrongTokensPastTheBurstGet429WithRetryAfterWhileReadsGoOn() {
        for (int i = 0; i < 3; i++) {
            post("Bearer wrong-" + i).expectStatus().isUnauthorized();
        }
        post("Bearer wrong-4").expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, wait -> assertThat(Integer.parseInt(wait)).isBetween(1, 20))
                .expectBody().jsonPath("$.status").isEqualTo(429);
        // Even the right token waits: guessing must not be able to tell them apart.
        post("Bearer " + Api.ADMIN_TOKEN).expectStatus().isEqualTo(429);
        client.get().uri("/api/v1/bulletins?limit=1").exchange().expectStatus().isOk(); // reads carry no token
    }

    private WebTestClient.ResponseSpec post(String authorization) {
        return client.post().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, authorization)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"x\",\"role\":\"publisher\"}").exchange();
    }
}
