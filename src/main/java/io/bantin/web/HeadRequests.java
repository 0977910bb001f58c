package io.bantin.web;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * HEAD wherever GET works (RFC 9110, section 9.3.2): a HEAD request is routed as the GET it mirrors,
 * so it gets the same status and headers, and its body is dropped. A single body (JSON, a page) is
 * still measured for {@code Content-Length} by the server's own HEAD handling; a streamed body (live
 * streams, NDJSON exports) is never subscribed, so HEAD of an endless stream answers at once.
 */
@Component
class HeadRequests implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.HEAD) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(request -> request.method(HttpMethod.GET))
                .response(new HeadersOnly(exchange.getResponse()))
                .build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1; // right after the request size check, before security and routing
    }

    /** Lets a single buffer through to be measured and released; never opens a stream. */
    private static final class HeadersOnly extends ServerHttpResponseDecorator {

        HeadersOnly(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return body instanceof Mono<? extends DataBuffer> ? super.writeWith(body) : setComplete();
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return setComplete();
        }
    }
}
