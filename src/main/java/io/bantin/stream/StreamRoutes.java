package io.bantin.stream;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.web.Negotiation;
import io.bantin.web.ProblemException;

/** The live stream route (SSE or NDJSON, whichever the client prefers; SSE on a tie: what a browser or curl expects) and its finite form {@code /api/v1/changes}. */
@Configuration
class StreamRoutes {

    private static final List<MediaType> OFFERS = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);

    @Bean
    RouterFunction<ServerResponse> streamApi(StreamHandler stream, ChangesHandler changes) {
        return route()
                .GET("/api/v1/changes", changes::changes)
                .HEAD("/api/v1/changes", changes::changes)
                .GET("/api/v1/stream", request -> {
                    MediaType chosen = Negotiation.choose(request.headers().accept(), OFFERS);
                    if (chosen == null) {
                        throw new ProblemException(HttpStatus.NOT_ACCEPTABLE,
                                "The stream is text/event-stream or application/x-ndjson.");
                    }
                    return chosen.equals(MediaType.TEXT_EVENT_STREAM) ? stream.serverSentEvents(request)
                            : stream.ndjson(request);
                })
                .build();
    }
}
