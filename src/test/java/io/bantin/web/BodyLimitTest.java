package io.bantin.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** The request body limit is a setting: under it a bulletin is created, over it 413 names the limit. */
@IntegrationTest
@TestPropertySource(properties = "bantin.request.max-body=4KB")
class BodyLimitTest {

    @Autowired
    WebTestClient client;

    @Test
    void bodiesOverTheConfiguredLimitGet413NamingIt() {
        String token = Api.issueToken(client, "publisher");
        Api.create(client, token, "{\"title\":\"Tin ngan\",\"body\":\"<p>" + "x".repeat(3000) + "</p>\"}");
        client.post().uri("/api/v1/bulletins").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Tin dai\",\"body\":\"<p>" + "x".repeat(5000) + "</p>\"}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("4 KiB"));
    }
}
