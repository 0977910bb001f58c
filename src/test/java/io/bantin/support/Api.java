package io.bantin.support;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Shortcuts for tests that talk to the API as a publisher or an admin. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-9c4f1e27b3d8a605";

    private Api() {
    }

    /** Issues a fresh token with {@code role} through the admin API and returns its secret. */
    @SuppressWarnings("unchecked")
    public static String issueToken(WebTestClient client, String role) {
        Map<String, Object> issued = client.post().uri("/api/v1/tokens")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "test " + role, "role", role))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) issued.get("token");
    }

    /** Creates a bulletin from a JSON document and returns the response body as JSON text. */
    public static String create(WebTestClient client, String token, String json) {
        return client.post().uri("/api/v1/bulletins")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange().expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
