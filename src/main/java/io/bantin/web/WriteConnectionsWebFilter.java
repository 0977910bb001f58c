package io.bantin.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.system.DatabasePools;

/**
 * Sends the database work of every POST, PUT, PATCH and DELETE to the write connections, from the
 * token check on: a publish then never queues behind the reads of feed polls and searches.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // before Spring Security, whose token look-up is part of the write
public class WriteConnectionsWebFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        boolean write = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE;
        return write ? DatabasePools.forWrites(chain.filter(exchange)) : chain.filter(exchange);
    }
}
