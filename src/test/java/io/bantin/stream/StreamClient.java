package io.bantin.stream;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Opens streams the way clients do and reads the event log the way tests check it. */
public final class StreamClient {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    private StreamClient() {
    }

    /** The SSE events (comments left out) of {@code GET uri}, once the response headers are in. */
    public static Flux<ServerSentEvent<String>> sse(WebTestClient client, String uri) {
        return all(client, uri).filter(event -> event.event() != null);
    }

    /** Every SSE item, comments included. */
    static Flux<ServerSentEvent<String>> all(WebTestClient client, String uri) {
        return client.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(SSE).getResponseBody();
    }

    /** The sequence numbers in the log, oldest first. */
    static List<Long> seqs(DatabaseClient db) {
        return db.sql("SELECT seq FROM bulletin_events ORDER BY seq").map(row -> row.get("seq", Long.class)).all()
                .collectList().block();
    }

    static long lastSeq(DatabaseClient db) {
        return db.sql("SELECT COALESCE(max(seq), 0) AS seq FROM bulletin_events").map(row -> row.get("seq", Long.class))
                .one().block();
    }
}
