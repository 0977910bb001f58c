package io.bantin.stream;

import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/v1/stream}: the event log as Server-Sent Events or NDJSON (API.md, "Streams").
 * Frames are bytes encoded once per event ({@link StreamEvent#sse()}, {@link StreamEvent#ndjson()}) or
 * constants, written without a codec: no per-connection encoding on the fan-out's path.
 */
@Component
class StreamHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);

    private final StreamSource events;
    private final StreamProperties properties;
    private final StreamFrames frames;
    private final StreamHold hold; // GRIP mode (io.bantin.grip): null when off

    StreamHandler(StreamSource events, StreamProperties properties, StreamFrames frames,
            ObjectProvider<StreamHold> hold) {
        this.events = events;
        this.properties = properties;
        this.frames = frames;
        this.hold = hold.getIfAvailable();
    }

    Mono<ServerResponse> serverSentEvents(ServerRequest request) {
        if (hold != null && hold.accepts(request)) {
            return hold.hold(request, StreamWire.Format.sse);
        }
        StreamRequest wanted = StreamRequest.of(request);
        return ok(StreamFrames.SSE).body(frames(request, wanted, frames.sse()));
    }

    Mono<ServerResponse> ndjson(ServerRequest request) {
        if (hold != null && hold.accepts(request)) {
            return hold.hold(request, StreamWire.Format.ndjson);
        }
        StreamRequest wanted = StreamRequest.of(request);
        return ok(MediaType.APPLICATION_NDJSON).body(frames(request, wanted, frames.ndjson()));
    }

    /**
     * Closes the connection of a subscriber dropped for falling behind, at once. Ending the response is not
     * enough: the transport then queues its close behind the writes the client is not reading, so the socket
     * (and its buffers) stayed open until the client read or died. The reset also tells the client, which
     * resumes with Last-Event-ID. The body then ends quietly: a dropped client is expected, not a server error.
     */
    private Mono<DataBuffer> disconnect(ServerRequest request, SlowClientException dropped) {
        Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
        if (!(response instanceof Connection connection)) {
            return Mono.error(dropped); // not reactor-netty: let the server end it its own way
        }
        return disconnect(connection.channel(), dropped);
    }

    /** {@link #disconnect(ServerRequest, SlowClientException)} of a connection's channel. */
    static <T> Mono<T> disconnect(Channel channel, SlowClientException dropped) {
        log.info("stream: closed the connection of {}, past its {}; it may resume with Last-Event-ID",
                channel.remoteAddress(), dropped.budget());
        channel.config().setOption(ChannelOption.SO_LINGER, 0); // discard what it did not read: reset, do not drain
        return Mono.<T>create(closed -> channel.close().addListener(done -> closed.success()));
    }

    /**
     * Writes the stream's frames, each wrapped rather than copied: the arrays are shared by every stream and
     * never written to. The transport flushes whenever it has written all it was given, so a burst of events
     * queued for a client goes out in one flush rather than one per event. Frames go out in slices of half
     * {@code bantin.stream.write-buffer}, and only while the connection is writable: a client that does not
     * read fills its subscriber's queue, which is bounded, and is dropped, while its connection holds no more
     * than that write buffer unsent. One {@link Subscriber} does all of it, so that an idle stream costs one
     * object on top of its connection.
     */
    private BodyInserter<Flux<DataBuffer>, ReactiveHttpOutputMessage> frames(ServerRequest request, StreamRequest wanted,
            Function<StreamEvent, byte[]> encoding) {
        Object response = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
        return (message, context) -> {
            DataBufferFactory buffers = message.bufferFactory();
            Channel channel = null;
            int high = (int) properties.writeBuffer().toBytes();
            if (response instanceof Connection connection) {
                channel = connection.channel();
                channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
            }
            return message.writeWith(events.of(wanted, encoding, channel, Math.max(1, high / 2))
                    .map(buffers::wrap)
                    .onErrorResume(SlowClientException.class, dropped -> disconnect(request, dropped)));
        };
    }

    private static ServerResponse.BodyBuilder ok(MediaType type) {
        return ServerResponse.ok().contentType(type)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no"); // reverse proxies must pass events through unbuffered
    }
}
