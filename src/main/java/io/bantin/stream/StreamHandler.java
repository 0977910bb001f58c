package io.bantin.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /api/v1/stream}: the event log as Server-Sent Events or NDJSON (API.md, "Streams"). */
@Component
class StreamHandler {

    /** One NDJSON line; {@code data} is the stored JSON text, written as is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(Long id, String event, @JsonRawValue String data) {
    }

    private static final Line HEARTBEAT = new Line(null, "heartbeat", null);

    private final StreamSource events;
    private final StreamProperties properties;

    StreamHandler(StreamSource events, StreamProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    Mono<ServerResponse> serverSentEvents(ServerRequest request) {
        StreamRequest wanted = StreamRequest.of(request);
        // The opening comment flushes the headers and tells the client how soon to reconnect; it goes out
        // once the stream's starting point is fixed. Prefetch 1: the subscriber's bounded queue is the
        // buffer, the merge must not add a second one.
        ServerSentEvent<String> opening = ServerSentEvent.<String>builder().comment("bantin stream")
                .retry(properties.retry()).build();
        Flux<ServerSentEvent<String>> body = Flux.merge(1,
                events.of(wanted).map(e -> e.isOpen() ? opening
                        : ServerSentEvent.builder(e.payload()).id(Long.toString(e.seq())).event(e.kind()).build()),
                heartbeats(ServerSentEvent.<String>builder().comment("heartbeat").build()))
                // Reached only when this instance stops: a last word telling clients to come back soon.
                .concatWith(Mono.fromSupplier(() -> ServerSentEvent.<String>builder().comment("bantin stopping")
                        .retry(properties.retry()).build()));
        return ok(MediaType.TEXT_EVENT_STREAM).body(BodyInserters.fromServerSentEvents(body));
    }

    Mono<ServerResponse> ndjson(ServerRequest request) {
        StreamRequest wanted = StreamRequest.of(request);
        Flux<Line> body = Flux.merge(1, // a first heartbeat line flushes the headers
                events.of(wanted).map(e -> e.isOpen() ? HEARTBEAT : new Line(e.seq(), e.kind(), e.payload())),
                heartbeats(HEARTBEAT));
        return ok(MediaType.APPLICATION_NDJSON).body(body, Line.class);
    }

    private <T> Flux<T> heartbeats(T beat) {
        return Flux.interval(properties.heartbeat()).onBackpressureDrop().map(tick -> beat)
                .takeUntilOther(events.stopping());
    }

    private static ServerResponse.BodyBuilder ok(MediaType type) {
        return ServerResponse.ok().contentType(type)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no"); // reverse proxies must pass events through unbuffered
    }
}
