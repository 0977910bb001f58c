package io.bantin.stream;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;

import io.bantin.bulletin.Slugs;
import io.bantin.web.Negotiation;

/**
 * Serves the plain stream request straight from Reactor Netty, ahead of Spring's filter chain and router:
 * an open stream kept every object of Spring's request handling (exchange, attributes, a dozen filters'
 * operators and checkpoints) for its whole life, about 20 KiB of the 26 KiB a stream held. Only the plain
 * case is taken: {@code GET /api/v1/stream} without credentials, cookies, CORS or GRIP, with a valid resume
 * point, while the opening rate and the open-stream cap allow. Everything else goes to Spring, which answers
 * it as before (406, 400, 503, CORS), so the two paths send the same headers and frames ({@code
 * StreamRouteTest} compares them). {@code bantin.stream.direct=false} sends every request to Spring.
 */
@Component
class StreamRoute implements NettyRouteProvider {

    private static final String PATH = "/api/v1/stream";
    private static final List<MediaType> OFFERS = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);
    /** Headers that Spring would act on (security, CORS, GRIP): such requests go there. */
    private static final List<String> SPRING_ONLY = List.of("authorization", "origin", "cookie", "grip-sig");
    /** What Spring adds to a stream's answer (CORS's Vary, Spring Security's header writers); the test holds them equal. */
    private static final String[][] HEADERS = {
            {"Vary", "Origin"}, {"Vary", "Access-Control-Request-Method"}, {"Vary", "Access-Control-Request-Headers"},
            {"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"},
            {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"},
            {"X-XSS-Protection", "0"}, {"Referrer-Policy", "no-referrer"}};

    private final StreamSource events;
    private final StreamFrames frames;
    private final StreamAdmission admission;
    private final StreamProperties properties;
    private final ObjectProvider<HttpHandler> springHandler;
    private final AtomicLong served = new AtomicLong();
    private volatile ReactorHttpHandlerAdapter spring;

    StreamRoute(StreamSource events, StreamFrames frames, StreamAdmission admission, StreamProperties properties,
            ObjectProvider<HttpHandler> springHandler, MeterRegistry registry) {
        // These streams bypass Spring, so http.server.requests never sees them: they are counted here.
        FunctionCounter.builder("bantin.stream.direct", served, AtomicLong::get)
                .description("Streams served ahead of Spring's filter chain").register(registry);
        this.events = events;
        this.frames = frames;
        this.admission = admission;
        this.properties = properties;
        this.springHandler = springHandler;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        if (!properties.direct()) {
            return routes;
        }
        return routes.route(request -> request.method() == HttpMethod.GET && PATH.equals(path(request.uri())),
                this::serve);
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders asked = request.requestHeaders();
        MediaType chosen = needsSpring(asked) ? null : chosen(asked);
        StreamRequest wanted = chosen == null ? null : wanted(request.uri(), asked);
        if (wanted == null || !(response instanceof Connection connection) || !admission.tryAdmit()) {
            return spring().apply(request, response);
        }
        boolean sse = chosen.equals(MediaType.TEXT_EVENT_STREAM);
        Function<StreamEvent, byte[]> encoding = sse ? frames.sse() : frames.ndjson();
        Channel channel = connection.channel();
        int high = (int) properties.writeBuffer().toBytes();
        // The request is read to its end first (a GET's is empty): answered before that, the connection
        // would be closed after the stream rather than kept alive (see UnreadBodyClose).
        return request.receive().then().then(Mono.defer(() -> {
            ChunkWriter chunked = ChunkWriter.of(response, channel, sse ? frames.sseChunks() : frames.ndjsonChunks(), encoding);
            if (chunked != null) {
                Mono<Void> written = events.openedChunked(wanted, encoding, channel, chunked);
                if (written == null) {
                    return Mono.from(spring().apply(request, response)); // at the cap: Spring answers 503
                }
                begin(response, channel, sse, high);
                return written;
            }
            Flux<ByteBuffer> body = events.opened(wanted, encoding, channel, Math.max(1, high / 2));
            if (body == null) {
                return Mono.from(spring().apply(request, response));
            }
            begin(response, channel, sse, high);
            // Each frame is wrapped, not copied: the arrays are shared by every stream and never written to.
            return response.send(body.map(Unpooled::wrappedBuffer)
                    .onErrorResume(SlowClientException.class, dropped -> StreamHandler.disconnect(channel, dropped)))
                    .then();
        }));
    }

    private void begin(HttpServerResponse response, Channel channel, boolean sse, int high) {
        served.incrementAndGet();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        HttpHeaders headers = response.responseHeaders();
        for (String[] header : HEADERS) {
            headers.add(header[0], header[1]);
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, sse ? StreamFrames.SSE.toString() : MediaType.APPLICATION_NDJSON_VALUE);
    }

    private static boolean needsSpring(HttpHeaders asked) {
        for (String name : SPRING_ONLY) {
            if (asked.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The encoding the client prefers, as the router chooses it; null when Spring must answer (406, bad header). */
    private static MediaType chosen(HttpHeaders asked) {
        try {
            return Negotiation.choose(MediaType.parseMediaTypes(asked.getAll(HttpHeaderNames.ACCEPT)), OFFERS);
        }
        catch (InvalidMediaTypeException e) {
            return null;
        }
    }

    /** What the request asks for, as {@link StreamRequest#of} reads it; null when Spring must answer (400). */
    private static StreamRequest wanted(String uri, HttpHeaders asked) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        String resume = asked.get("Last-Event-ID");
        if (resume == null) {
            resume = first(query, "lastEventId");
        }
        Long after = null;
        if (resume != null && !resume.isBlank()) {
            try {
                after = Long.parseLong(resume.trim());
            }
            catch (NumberFormatException e) {
                return null;
            }
            if (after < 0) {
                return null;
            }
        }
        return new StreamRequest(after, slug(first(query, "category")), slug(first(query, "tag")));
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String slug(String name) {
        if (name == null) {
            return null;
        }
        String slug = Slugs.of(name);
        return slug.isEmpty() ? null : slug;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private ReactorHttpHandlerAdapter spring() {
        ReactorHttpHandlerAdapter adapter = spring;
        if (adapter == null) {
            // Resolved on first use: the route is built with the server, before the handler bean exists.
            adapter = new ReactorHttpHandlerAdapter(springHandler.getObject());
            spring = adapter;
        }
        return adapter;
    }
}
