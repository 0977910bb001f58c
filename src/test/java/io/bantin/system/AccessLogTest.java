package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "bantin.access-log=true")
class AccessLogTest {

    @Autowired
    WebTestClient client;

    @Test
    void requestsAreLoggedWithoutTheirTokens(CapturedOutput output) throws InterruptedException {
        String token = Api.issueToken(client, "publisher");
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin ghi nhật ký\"}")
                .exchange().expectStatus().isCreated();
        // The access log line is written after the response.
        Eventually.eventually(Duration.ofSeconds(5), output::getOut,
                out -> out.contains("\"POST /api/v1/bulletins HTTP/1.1\" 201"));
        assertThat(output.getOut()).contains("\"POST /api/v1/bulletins HTTP/1.1\" 201")
                .doesNotContain(token).doesNotContain(Api.ADMIN_TOKEN);
    }
}
