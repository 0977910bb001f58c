package io.bantin.stream;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A connection holder in front of the instances (Pushpin, in GRIP mode: {@code io.bantin.grip}) that keeps
 * streams open itself: a stream request it sent gets its instructions instead of a connection held here.
 */
public interface StreamHold {

    /** True when {@code request} came through the holder; any other request gets the direct stream. */
    boolean accepts(ServerRequest request);

    /** The answer to a stream request the holder sent, in {@code format}. */
    Mono<ServerResponse> hold(ServerRequest request, StreamWire.Format format);
}
