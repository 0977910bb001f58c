package io.bantin.answer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
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

import io.bantin.web.LaterTurnWebFilter;

/**
 * Answers cacheable reads already rendered for the current version straight from Reactor Netty, ahead of
 * Spring's filter chain and router: the web framework's per-request work costs several times the answer
 * itself. Only the plain case is taken here: GET or HEAD of a {@link PublicUrls} route without credentials,
 * CORS, range or precondition headers, a trusted version and a copy in the cache ({@link Answers#now}).
 * Every other request, and every first render, goes through Spring, so the answers are the same bytes and
 * headers either way ({@code DirectRouteTest} compares them).
 */
@Component
class DirectRoute implements NettyRouteProvider {

    /**
     * Headers that Spring would act on (security, CORS, ranges, preconditions; a fetch from Varnish that waits
     * for its newest purge, varnish.SeqGate): such requests go there.
     */
    private static final List<String> SPRING_ONLY = List.of("authorization", "origin", "range", "if-range",
            "if-match", "if-unmodified-since", "cookie", "bantin-purged-seq");

    /** What Spring Security's header writers add to every answer; the test holds the two lists equal. */
    private static final String[][] SECURITY_HEADERS = {
            {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"},
            {"X-XSS-Protection", "0"}, {"Referrer-Policy", "no-referrer"}};

    private final Answers answers;
    private final List<DirectAnswers> others;
    private final ObjectProvider<HttpHandler> springHandler;
    private final AtomicLong answered = new AtomicLong();
    private volatile ReactorHttpHandlerAdapter spring;

    DirectRoute(Answers answers, List<DirectAnswers> others, ObjectProvider<HttpHandler> springHandler,
            MeterRegistry registry) {
        // These answers bypass Spring, so http.server.requests never sees them: they are counted here.
        FunctionCounter.builder("bantin.cache.direct", answered, AtomicLong::get)
                .description("Cached answers given ahead of Spring's filter chain").register(registry);
        this.answers = answers;
        this.others = List.copyOf(others);
        this.springHandler = springHandler;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(request -> (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
                && (PublicUrls.mayMatch(request.uri()) || other(request.uri()) != null), this::serve);
    }

    private DirectAnswers other(String uri) {
        for (DirectAnswers other : others) {
            if (other.mayMatch(uri)) {
                return other;
            }
        }
        return null;
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders asked = request.requestHeaders();
        Answer answer = null;
        if (!needsSpring(asked)) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Answer.Asked what = new Answer.Asked(asked.getAll(HttpHeaderNames.IF_NONE_MATCH),
                    asked.get(HttpHeaderNames.IF_MODIFIED_SINCE), Answers.acceptsGzip(asked.getAll(HttpHeaderNames.ACCEPT_ENCODING)));
            DirectAnswers other = other(request.uri());
            answer = other != null ? other.now(uri.path(), what, request.method() == HttpMethod.HEAD)
                    : answers.now(uri.path(), uri.parameters(), what);
        }
        if (answer == null) {
            return spring().apply(request, response);
        }
        answered.incrementAndGet();
        HttpHeaders headers = response.responseHeaders();
        String[] pairs = answer.headers();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        for (String[] header : SECURITY_HEADERS) {
            headers.set(header[0], header[1]);
        }
        response.status(HttpResponseStatus.valueOf(answer.status()));
        // Completing within the dispatching call can leave a keep-alive connection unread (reactor-netty #4361;
        // DirectRouteTest's keep-alive requests time out without this), as LaterTurnWebFilter explains.
        Mono<Void> later = LaterTurnWebFilter.laterTurn(eventLoop(request));
        byte[] body = answer.body();
        if (body == null || request.method() == HttpMethod.HEAD) {
            return later.then(Mono.defer(() -> response.send().then()));
        }
        // Wrapping shares the cached array without copying; it is never written to.
        return later.then(Mono.defer(() -> response.sendObject(Unpooled.wrappedBuffer(body)).then()));
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
        String accept = asked.get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("ndjson"); // the list's export streams; never cached
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
