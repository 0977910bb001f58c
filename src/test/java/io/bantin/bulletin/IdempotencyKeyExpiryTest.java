package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

@IntegrationTest
class IdempotencyKeyExpiryTest {

    @Autowired
    WebTestClient client;

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    DatabaseClient db;

    @Test
    void oldKeysAreForgottenAndRecentOnesKept() {
        String publisher = Api.issueToken(client, "publisher");
        for (String key : new String[] {"cu", "moi"}) {
            client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                    .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"title\":\"Tin khóa " + key + "\"}").exchange().expectStatus().isCreated();
        }
        db.sql("UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key = 'cu'").then().block();

        keys.deleteOlderThan(Duration.ofDays(1)).as(StepVerifier::create).expectNext(1L).verifyComplete();
        assertThat(db.sql("SELECT key FROM idempotency_keys").map(row -> row.get(0, String.class)).all()
                .collectList().block()).containsExactly("moi");
    }
}
