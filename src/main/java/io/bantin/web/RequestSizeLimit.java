package io.bantin.web;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.answer.PublicUrls;
import io.bantin.media.MediaProperties;

/**
 * Refuses a request whose declared length is over the limit without ever buffering its body.
 * Bodies without a declared length are capped while they are read ({@link JsonBodies}).
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    private static final long DRAIN_LIMIT = 16L << 20;

    private final ProblemWriter writer;
    private final JsonBodies bodies;
    private final long maxUpload;

    RequestSizeLimit(ProblemWriter writer, JsonBodies bodies, MediaProperties media) {
        this.writer = writer;
        this.bodies = bodies;
        this.maxUpload = media.maxBytes().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        // Photo uploads have a budget of their own (bantin.media.max-bytes), which the media reader also enforces.
        boolean upload = exchange.getRequest().getMethod() == HttpMethod.POST
                && exchange.getRequest().getPath().value().equals(PublicUrls.API + "/media");
        long limit = upload ? maxUpload : bodies.maxBytes();
        if (length <= limit) {
            return chain.filter(exchange);
        }
        Problem problem = Problem.of(HttpStatus.CONTENT_TOO_LARGE, upload
                ? "The upload is over the " + (maxUpload >> 20) + " MiB limit (bantin.media.max-bytes)."
                : bodies.overLimit(), null);
        if (length > DRAIN_LIMIT) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.CONNECTION, "close"); // not worth reading: answer and hang up
            return writer.write(exchange.getResponse(), problem, headers);
        }
        // Discard the body buffer by buffer (memory stays flat) so the client, still sending, gets to read the answer.
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then()
                .then(writer.write(exchange.getResponse(), problem, new HttpHeaders()));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
