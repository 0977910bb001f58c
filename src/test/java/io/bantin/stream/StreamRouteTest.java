package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * Plain stream requests are served ahead of Spring ({@link StreamRoute}); the rest go through Spring. Both
 * paths must answer alike: same headers, same frames.
 */
@IntegrationTest
class StreamRouteTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    String publisher;

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(WAIT).build();
        publisher = Api.issueToken(client, "publisher");
    }

    private double direct() {
        return meters.get("bantin.stream.direct").functionCounter().count();
    }

    /** A stream request; with a cookie, Spring must answer it. */
    private FluxExchangeResult<ServerSentEvent<String>> sse(String uri, boolean throughSpring) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM);
        if (throughSpring) {
            request = request.cookie("seen", "1");
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE);
    }

    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> all = new TreeMap<>();
        for (String name : headers.headerNames()) {
            all.put(name.toLowerCase(), headers.get(name));
        }
        return all;
    }

    @Test
    void plainStreamIsServedAheadOfSpringWithTheSameHeadersAndFrames() {
        double before = direct();
        FluxExchangeResult<ServerSentEvent<String>> direct = sse("/api/v1/stream?category=Thời sự", false);
        assertThat(direct() - before).as("served ahead of Spring").isEqualTo(1);
        FluxExchangeResult<ServerSentEvent<String>> spring = sse("/api/v1/stream?category=Thời sự", true);
        assertThat(direct() - before).as("the one with a cookie went through Spring").isEqualTo(1);

        assertThat(headers(direct.getResponseHeaders())).isEqualTo(headers(spring.getResponseHeaders()))
                .containsEntry("content-type", List.of("text/event-stream;charset=UTF-8"))
                .containsEntry("x-content-type-options", List.of("nosniff"));

        Flux<ServerSentEvent<String>> directEvents = direct.getResponseBody().filter(e -> e.event() != null).take(1).cache();
        Flux<ServerSentEvent<String>> springEvents = spring.getResponseBody().filter(e -> e.event() != null).take(1).cache();
        directEvents.subscribe();
        springEvents.subscribe();
        Api.create(client, publisher, "{\"title\":\"Ngoài danh mục\",\"category\":\"Kinh tế\"}");
        Api.create(client, publisher, "{\"title\":\"Hai đường như một\",\"category\":\"Thời sự\"}");
        ServerSentEvent<String> first = directEvents.blockLast(WAIT);
        ServerSentEvent<String> second = springEvents.blockLast(WAIT);
        assertThat(first.data()).contains("Hai đường như một");
        assertThat(first.id()).isEqualTo(second.id());
        assertThat(first.event()).isEqualTo(second.event()).isEqualTo("published");
        assertThat(first.data()).isEqualTo(second.data());
    }

    @Test
    void ndjsonStreamIsServedAheadOfSpringToo() {
        double before = direct();
        List<String> lines = client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_NDJSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .returnResult(String.class).getResponseBody().take(1).collectList().block(WAIT);
        assertThat(lines).containsExactly("{\"event\":\"heartbeat\"}");
        assertThat(direct() - before).isEqualTo(1);
    }

    @Test
    void requestsSpringMustAnswerStillGetItsAnswers() {
        double before = direct();
        client.get().uri("/api/v1/stream").header("Last-Event-ID", "abc").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("abc"));
        client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(406)
                .expectBody().jsonPath("$.status").isEqualTo(406);
        List<ServerSentEvent<String>> fromBrowser = client.get().uri("/api/v1/stream").accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.ORIGIN, "https://doc-bao.example").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .returnResult(SSE).getResponseBody().take(1).collectList().block(WAIT);
        assertThat(fromBrowser.get(0).retry()).isEqualTo(Duration.ofSeconds(3));
        assertThat(direct()).as("none of them was served ahead of Spring").isEqualTo(before);
    }
}
