package io.bantin.web;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

/** Writes a {@link Problem} straight onto a response, for places that run outside handlers (filters, security). */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerHttpResponse response, Problem problem, HttpHeaders extraHeaders) {
        response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
        response.getHeaders().addAll(extraHeaders);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] document = json.writeValueAsBytes(problem);
        byte[] ended = java.util.Arrays.copyOf(document, document.length + 1); // ends with a newline, like all JSON here
        ended[document.length] = '\n';
        DataBuffer body = response.bufferFactory().wrap(ended);
        return response.writeWith(Mono.just(body));
    }
}
