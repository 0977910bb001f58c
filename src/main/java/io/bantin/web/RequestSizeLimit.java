package io.bantin.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request whose declared length is over the limit before a byte of its body is read.
 * Bodies without a declared length are capped while they are read ({@link JsonBodies}).
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    private final ProblemWriter writer;

    RequestSizeLimit(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getHeaders().getContentLength() > JsonBodies.MAX_BYTES) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.CONNECTION, "close"); // the unread body must not be taken for the next request
            return writer.write(exchange.getResponse(),
                    Problem.of(HttpStatus.CONTENT_TOO_LARGE, "The request body is over the 1 MiB limit.", null),
                    headers);
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
