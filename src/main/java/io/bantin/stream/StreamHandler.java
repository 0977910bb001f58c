package io.bantin.stream;

import java.nio.charset.StandardCharsets;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.system.OutboundGate;

/**
 * {@code GET /api/v1/stream}: the event log as Server-Sent Events or NDJSON (API.md, "Streams").
 * Frames are bytes encoded once per event ({@link StreamEvent#sse()}, {@link StreamEvent#ndjson()}) or
 * constants, written without a codec: no per-connection encoding on the fan-out's path.
 */
@Component
class StreamHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    /** What Spring's SSE writer announced, kept so that clients see the same header as before. */
    private static final MediaType SSE = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);
    static final byte[] SSE_HEARTBEAT = StreamEvent.utf8(":heartbeat\n\n");
    static final byte[] NDJSON_HEARTBEAT = StreamEvent.utf8("{\"event\":\"heartbeat\"}\n");

    private final StreamSource events;
    private final StreamProperties properties;
    private final byte[] opening;
    private final byte[] stopping;
    private final StreamHold hold; // GRIP mode (io.bantin.grip): null when off

    StreamHandler(StreamSource events, StreamProperties properties, ObjectProvider<StreamHold> hold) {
        this.events = events;
        this.properties = properties;
        // The opening comment flushes the headers and tells the client how soon to reconnect; the last one,
        // sent only when this instance stops, tells clients to come back soon.
        this.opening = opening(properties);
        this.stopping = StreamEvent.utf8("retry:" + properties.retry().toMillis() + "\n:bantin stopping\n\n");
        this.hold = hold.getIfAvailable();
    }

    static byte[] opening(StreamProperties properties) {
        return StreamEvent.utf8("retry:" + properties.retry().toMillis() + "\n:bantin stream\n\n");
    }

    Mono<ServerResponse> serverSentEvents(ServerRequest request) {
        if (hold != null && hold.accepts(request)) {
            return hold.hold(request, StreamFrames.Format.sse);
        }
        StreamRequest wanted = StreamRequest.of(request);
        // The opening goes out once the stream's starting point is fixed. Prefetch 1: the subscriber's
        // bounded queue is the buffer, the merge must not add a second one.
        Flux<byte[]> body = Flux.merge(1,
                events.of(wanted, e -> e.sse().length).map(e -> e.isOpen() ? opening : e.sse()),
                heartbeats(SSE_HEARTBEAT))
                .concatWith(Mono.just(stopping)) // reached only when this instance stops
                .onErrorResume(Subscriber.SlowClientException.class, dropped -> disconnect(request, dropped));
        return ok(SSE).body(frames(request, body));
    }

    Mono<ServerResponse> ndjson(ServerRequest request) {
        if (hold != null && hold.accepts(request)) {
            return hold.hold(request, StreamFrames.Format.ndjson);
        }
        StreamRequest wanted = StreamRequest.of(request);
        Flux<byte[]> body = Flux.merge(1, // a first heartbeat line flushes the headers
                events.of(wanted, e -> e.ndjson().length).map(e -> e.isOpen() ? NDJSON_HEARTBEAT : e.ndjson()),
                heartbeats(NDJSON_HEARTBEAT))
                .onErrorResume(Subscriber.SlowClientException.class, dropped -> disconnect(request, dropped));
        return ok(MediaType.APPLICATION_NDJSON).body(frames(request, body));
    }

    /**
     * Closes the connection of a subscriber dropped for falling behind, at once. Ending the response is not
     * enough: the transport then queues its close behind the writes the client is not reading, so the socket
     * (and its buffers) stayed open until the client read or died. The reset also tells the client, which
     * resumes with Last-Event-ID. The body then ends quietly: a dropped client is expected, not a server error.
     */
    private Mono<byte[]> disconnect(ServerRequest request, Subscriber.SlowClientException dropped) {
        Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
        if (!(response instanceof Connection connection)) {
            return Mono.error(dropped); // not reactor-netty: let the server end it its own way
        }
        Channel channel = connection.channel();
        log.info("stream: closed the connection of {}, past its {}; it may resume with Last-Event-ID",
                channel.remoteAddress(), dropped.budget());
        channel.config().setOption(ChannelOption.SO_LINGER, 0); // discard what it did not read: reset, do not drain
        return Mono.<byte[]>create(closed -> channel.close().addListener(done -> closed.success()));
    }

    private Flux<byte[]> heartbeats(byte[] beat) {
        return Flux.interval(properties.heartbeat()).onBackpressureDrop().map(tick -> beat)
                .takeUntilOther(events.stopping());
    }

    /**
     * Writes ready frames, each wrapped rather than copied: the arrays are shared by every stream and never
     * written to. The transport flushes whenever it has written all it was given, so a burst of events
     * queued for a client goes out in one flush rather than one per event. Frames go out in slices, and
     * only while the connection is writable ({@link OutboundGate}): a client that does not read fills its
     * subscriber's queue, which is bounded, and is dropped, while its connection holds no more than
     * {@code bantin.stream.write-buffer} unsent. (Flushing every frame and waiting for it left the single
     * fan-out thread 1,100 events behind 2,000 streams by the end of the soak.)
     */
    private BodyInserter<Flux<byte[]>, ReactiveHttpOutputMessage> frames(ServerRequest request, Flux<byte[]> frames) {
        Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
        return (message, context) -> {
            if (!(response instanceof Connection connection)) {
                return message.writeWith(frames.map(message.bufferFactory()::wrap));
            }
            int high = (int) properties.writeBuffer().toBytes();
            Channel channel = connection.channel();
            channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
            return message.writeWith(OutboundGate.whenWritable(
                    OutboundGate.slices(frames, Math.max(1, high / 2), message.bufferFactory()), channel));
        };
    }

    private static ServerResponse.BodyBuilder ok(MediaType type) {
        return ServerResponse.ok().contentType(type)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no"); // reverse proxies must pass events through unbuffered
    }
}
