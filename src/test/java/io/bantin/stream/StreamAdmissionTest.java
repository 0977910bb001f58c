package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.IntegrationTest;

/** New streams are admitted at a bounded rate; past it they get 503 with Retry-After, other reads do not. */
@IntegrationTest
@TestPropertySource(properties = {"bantin.stream.open-rate=0.1", "bantin.stream.open-burst=2"})
class StreamAdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @Test
    void streamsOpeningFasterThanTheRateAreRefusedWith503AndRetryAfter() {
        WebTestClient patient = client.mutate().responseTimeout(WAIT).build();
        double before = meters.counter("bantin.stream.throttled").count();
        for (int i = 0; i < 2; i++) { // the burst
            assertThat(StreamClient.all(patient, "/api/v1/stream").take(1).blockLast(WAIT)).isNotNull();
        }
        patient.get().uri("/api/v1/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, after -> assertThat(Long.parseLong(after)).isBetween(1L, 10L))
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("opening"));
        assertThat(meters.counter("bantin.stream.throttled").count()).isEqualTo(before + 1);
        // Only opening a stream is rationed: the finite changes page and other reads are answered as always.
        patient.get().uri("/api/v1/changes").exchange().expectStatus().isOk();
        patient.get().uri("/api/v1/bulletins?limit=1").exchange().expectStatus().isOk();
    }
}
