package io.bantin.web;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Starts every request's handling on a later turn of its connection's event loop. An answer that
 * completes within the call that dispatched the request (a 400 found while parsing, say) can leave a
 * keep-alive connection unread when its next request was already buffered (reactor-netty #4361): a
 * test client then waited 30 s for an answer to a plain GET. A task on the same loop avoids that
 * without a thread hop; cached reads answered by {@code answer.DirectRoute} do the same.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LaterTurnWebFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(request instanceof Connection connection)) {
            return chain.filter(exchange);
        }
        return laterTurn(connection.channel().eventLoop()).then(Mono.defer(() -> chain.filter(exchange)));
    }

    /** Completes on a later turn of {@code loop}: whatever follows is no longer within the dispatching call. */
    public static Mono<Void> laterTurn(EventLoop loop) {
        return Mono.create(sink -> loop.execute(sink::success));
    }
}
