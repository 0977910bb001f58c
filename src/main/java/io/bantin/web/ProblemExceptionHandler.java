package io.bantin.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/** Answers every failure that reaches the web layer with an RFC 9457 problem, never a bare 500 page. */
@Component
@Order(-2) // ahead of Boot's own error handler, which renders its non-RFC error map
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemWriter writer;
    private final JsonBodies bodies;

    ProblemExceptionHandler(ProblemWriter writer, JsonBodies bodies) {
        this.writer = writer;
        this.bodies = bodies;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        HttpHeaders headers = new HttpHeaders();
        Problem problem = toProblem(error, headers, exchange);
        return writer.write(exchange.getResponse(), problem, headers);
    }

    private Problem toProblem(Throwable error, HttpHeaders headers, ServerWebExchange exchange) {
        if (error instanceof ProblemException known) {
            headers.addAll(known.headers());
            return known.problem();
        }
        if (DatabaseErrors.causedBy(error, DataBufferLimitException.class)) {
            return Problem.of(HttpStatus.CONTENT_TOO_LARGE, bodies.overLimit(), null);
        }
        if (error instanceof DecodingException) {
            return Problem.of(HttpStatus.BAD_REQUEST, "The request body could not be read: " + error.getMessage(), null);
        }
        if (error instanceof ErrorResponse response) {
            headers.addAll(response.getHeaders());
            String detail = response.getBody().getDetail();
            return Problem.of(response.getStatusCode(), detail, null);
        }
        if (DatabaseErrors.unavailable(error)) {
            log.warn("Database unavailable for {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error.toString());
            headers.set(HttpHeaders.RETRY_AFTER, "5");
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "The database is unavailable; try again shortly.", null);
        }
        log.error("Unexpected failure for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                error);
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.", null);
    }
}
