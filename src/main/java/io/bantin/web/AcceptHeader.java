package io.bantin.web;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request whose {@code Accept} header is not a list of media types (a quality that is not a
 * number between 0 and 1, a type with stray slashes) with a 400 problem, before any route or handler
 * tries to negotiate with it.
 */
@Component
class AcceptHeader implements WebFilter, Ordered {

    private final ProblemWriter writer;

    AcceptHeader(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<String> accept = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.ACCEPT);
        try {
            MediaType.parseMediaTypes(accept);
        }
        catch (InvalidMediaTypeException e) {
            return writer.write(exchange.getResponse(), Problem.of(HttpStatus.BAD_REQUEST,
                    "The Accept header is not a list of media types: " + e.getMessage(), null), new HttpHeaders());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
