package io.bantin.feed;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;

import io.bantin.system.BantinProperties;
import io.bantin.change.ScopeVersions;
import io.bantin.web.LaterTurnWebFilter;
import io.bantin.websub.WebSubProperties;

/**
 * Answers polls of feeds already rendered for the current generation straight from Reactor Netty,
 * ahead of Spring's filter chain and router. An unchanged feed polled by every reader is the hottest
 * request a portal gets, and the web framework's per-request work costs several times the answer
 * itself. Only the plain case is taken here: GET or HEAD of a feed path without a query string,
 * credentials, CORS or range headers, a trusted generation and a copy in the render cache. Every
 * other request, and every first render, goes through Spring as usual, so the answers are the same
 * bytes and headers either way ({@code RenderedFeedRouteTest} compares them).
 */
@Component
class RenderedFeedRoute implements NettyRouteProvider {

    /** Feed paths whose slug needs no decoding: the only ones whose cache key is the path itself. */
    private static final Pattern FEED = Pattern.compile(
            "/feeds/(?:(?:categories|tags|authors)/[a-z0-9][a-z0-9-]{0,199}/)?(?:rss\\.xml|atom\\.xml|feed\\.json)");
    private static final String OPML_PATH = "/feeds/" + OpmlRenderer.FILE;

    /** Headers that Spring would act on (security, CORS, ranges, preconditions): such requests go there. */
    private static final List<String> SPRING_ONLY = List.of("authorization", "origin", "range", "if-range",
            "if-match", "if-unmodified-since", "cookie");

    /** What Spring Security's header writers add to every answer; the test holds the two lists equal. */
    private static final String[][] SECURITY_HEADERS = {
            {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"},
            {"X-XSS-Protection", "0"}, {"Referrer-Policy", "no-referrer"}};

    private final ScopeVersions generations;
    private final RenderCache cache;
    private final CachedResponses responses;
    private final BantinProperties properties;
    private final WebSubProperties websub;
    private final ObjectProvider<HttpHandler> springHandler;
    private final AtomicLong answered = new AtomicLong();
    private volatile ReactorHttpHandlerAdapter spring;

    RenderedFeedRoute(ScopeVersions generations, RenderCache cache, CachedResponses responses,
            BantinProperties properties, WebSubProperties websub, ObjectProvider<HttpHandler> springHandler,
            MeterRegistry registry) {
        // These answers bypass Spring, so http.server.requests never sees them: they are counted here.
        FunctionCounter.builder("bantin.feed.direct", answered, AtomicLong::get)
                .description("Feed answers given from the render cache ahead of Spring's filter chain").register(registry);
        this.generations = generations;
        this.cache = cache;
        this.responses = responses;
        this.properties = properties;
        this.websub = websub;
        this.springHandler = springHandler;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(request -> (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
                && request.uri().startsWith("/feeds/"), this::serve);
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        String path = request.uri();
        boolean opml = path.equals(OPML_PATH);
        String key = opml ? OPML_PATH : FEED.matcher(path).matches() ? path + "?limit=" + FeedHandler.DEFAULT_LIMIT : null;
        ScopeVersions.Version generation = key == null || needsSpring(request.requestHeaders()) ? null
                : generations.fresh(CachedResponses.SITE);
        RenderCache.Rendered rendered = generation == null ? null : cache.peek(key, generation.id());
        if (rendered == null) {
            return spring().apply(request, response);
        }
        HttpHeaders asked = request.requestHeaders();
        String etag = CachedResponses.etag(generation, key);
        boolean notModified = CachedResponses.notModified(asked.getAll(HttpHeaderNames.IF_NONE_MATCH),
                asked.get(HttpHeaderNames.IF_MODIFIED_SINCE), etag, generation);
        responses.counted(notModified);
        answered.incrementAndGet();
        HttpHeaders headers = response.responseHeaders();
        CachedResponses.validators(headers::set, etag, generation);
        if (!opml) {
            String links = websub.linkHeader(properties.url(path));
            if (links != null) {
                headers.add("Link", links);
            }
        }
        for (String[] header : SECURITY_HEADERS) {
            headers.set(header[0], header[1]);
        }
        // Completing within the dispatching call can leave a keep-alive connection unread (reactor-netty #4361;
        // RenderedFeedRouteTest's keep-alive requests time out without this), as LaterTurnWebFilter explains.
        EventLoop loop = eventLoop(request);
        if (notModified) {
            response.status(HttpResponseStatus.NOT_MODIFIED);
            return LaterTurnWebFilter.laterTurn(loop).then(Mono.defer(() -> response.send().then()));
        }
        boolean gzip = CachedResponses.acceptsGzip(asked.getAll(HttpHeaderNames.ACCEPT_ENCODING));
        byte[] bytes = gzip ? rendered.gzip() : rendered.identity();
        if (gzip) {
            headers.set("Content-Encoding", "gzip");
        }
        headers.set("Content-Length", bytes.length);
        headers.set("Content-Type", opml ? FeedHandler.OPML.toString()
                : FeedFormat.byFile(path.substring(path.lastIndexOf('/') + 1)).orElseThrow().mediaType().toString());
        if (request.method() == HttpMethod.HEAD) {
            return LaterTurnWebFilter.laterTurn(loop).then(Mono.defer(() -> response.send().then()));
        }
        // Wrapping shares the cached array without copying; it is never written to.
        return LaterTurnWebFilter.laterTurn(loop).then(Mono.defer(() -> response.sendObject(Unpooled.wrappedBuffer(bytes)).then()));
    }

    /** How many answers this route gave itself. */
    long answered() {
        return answered.get();
    }

    private static boolean needsSpring(HttpHeaders asked) {
        for (String name : SPRING_ONLY) {
            if (asked.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static EventLoop eventLoop(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
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
