package io.bantin.stream;

import static org.springframework.web.reactive.function.server.RequestPredicates.accept;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.web.ProblemException;

/** The live stream route, and its finite form {@code /api/v1/changes}; SSE first, because {@code accept(...)} also matches {@code *}{@code /*} and SSE is what a browser or curl expects. */
@Configuration
class StreamRoutes {

    @Bean
    RouterFunction<ServerResponse> streamApi(StreamHandler stream, ChangesHandler changes) {
        return route()
                .GET("/api/v1/changes", changes::changes)
                .HEAD("/api/v1/changes", changes::changes)
                .GET("/api/v1/stream", accept(MediaType.TEXT_EVENT_STREAM), stream::serverSentEvents)
                .GET("/api/v1/stream", accept(MediaType.APPLICATION_NDJSON), stream::ndjson)
                .GET("/api/v1/stream", request -> {
                    throw new ProblemException(HttpStatus.NOT_ACCEPTABLE,
                            "The stream is text/event-stream or application/x-ndjson.");
                })
                .build();
    }
}
