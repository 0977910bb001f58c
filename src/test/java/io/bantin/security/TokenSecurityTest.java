package io.bantin.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

@IntegrationTest
class TokenSecurityTest {

    private static final String DOC = "{\"title\":\"Tin cần quyền\"}";

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Test
    void writeWithoutTokenIs401ProblemWithChallenge() {
        client.post().uri("/api/v1/bulletins").contentType(MediaType.APPLICATION_JSON).bodyValue(DOC).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"bantin\"")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(401);
    }

    @Test
    void unknownOrMalformedTokenIs401() {
        for (String header : List.of("Bearer bt_khong-hop-le", "Basic YWRtaW46YWRtaW4=", "Bearer")) {
            client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, header)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(DOC).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"bantin\".*")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void publisherTokenOnTokenEndpointsIs403() {
        String publisher = Api.issueToken(client, "publisher");
        client.get().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange()
                .expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "x", "role", "admin")).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void readsArePublic() {
        client.get().uri("/api/v1/bulletins").exchange().expectStatus().isOk();
        client.get().uri("/api/v1/categories").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void revokedTokenIsRefusedAtOnce() {
        String publisher = Api.issueToken(client, "publisher");
        Api.create(client, publisher, DOC);
        String id = client.get().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody().stream()
                .filter(t -> t.get("revokedAt") == null && "publisher".equals(t.get("role")))
                .map(t -> (String) t.get("id")).reduce((a, b) -> b).orElseThrow();
        client.delete().uri("/api/v1/tokens/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(DOC).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void tokensAreStoredOnlyAsHashesAndListedWithoutSecrets() {
        String secret = Api.issueToken(client, "publisher");
        assertThat(secret).startsWith("bt_").hasSizeGreaterThan(40);
        List<String> stored = db.sql("SELECT encode(token_hash, 'hex') AS h FROM api_tokens")
                .map(row -> row.get("h", String.class)).all().collectList().block();
        assertThat(stored).contains(HexFormat.of().formatHex(Tokens.hash(secret))).noneMatch(h -> h.contains(secret));
        client.get().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(secret).contains("publisher"));
    }

    @Test
    void invalidTokenRequestIs422() {
        client.post().uri("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "x", "role", "superuser")).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.errors[0].field").isEqualTo("role");
    }
}
