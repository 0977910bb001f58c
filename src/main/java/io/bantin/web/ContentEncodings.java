package io.bantin.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses request bodies in a content coding (gzip, deflate, br...) with 415 and
 * {@code Accept-Encoding: identity} (RFC 9110, section 15.5.16): the server reads bodies as sent and
 * would otherwise report compressed JSON as "not valid JSON". Only the methods whose bodies are read
 * (POST, PUT, PATCH) are refused, so the 415 is where the document says it is: a coding on a GET or a
 * DELETE describes a body nothing reads.
 */
@Component
class ContentEncodings implements WebFilter, Ordered {

    private static final java.util.Set<HttpMethod> READ_BODIES = java.util.Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH);

    private final ProblemWriter writer;

    ContentEncodings(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!READ_BODIES.contains(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        for (String value : exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.CONTENT_ENCODING)) {
            for (String coding : value.split(",")) {
                if (!coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
                    HttpHeaders headers = new HttpHeaders();
                    headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
                    return writer.write(exchange.getResponse(), Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "Request bodies are read as sent: send them without Content-Encoding (" + coding.strip()
                                    + " is not accepted).", null), headers);
                }
            }
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
