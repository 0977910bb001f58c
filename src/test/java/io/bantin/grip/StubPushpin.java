package io.bantin.grip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.bantin.support.Eventually;

/** Pushpin's publish endpoint on 127.0.0.1 and a random port: records every item it is sent, in order. */
final class StubPushpin {

    /** One published item: its channel, id, prev-id and http-stream content. */
    record Item(String channel, long id, long prevId, String content) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final ConcurrentLinkedQueue<Item> items = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
    // Loops of its own: closing an application context disposes Reactor Netty's shared ones.
    private final LoopResources loops = LoopResources.create("stub-pushpin", 1, true);
    private final DisposableServer server;

    StubPushpin() {
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
                    paths.add(request.method().name() + " " + request.uri());
                    for (JsonNode item : json.readTree(body).get("items")) {
                        items.add(new Item(item.get("channel").stringValue(), Long.parseLong(item.get("id").stringValue()),
                                Long.parseLong(item.get("prev-id").stringValue()),
                                item.get("formats").get("http-stream").get("content").stringValue()));
                    }
                    return Mono.from(response.status(200).sendString(Mono.just("Published\n")));
                }).then())
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    void reset() {
        items.clear();
        paths.clear();
    }

    List<Item> items() {
        return new ArrayList<>(items);
    }

    List<String> paths() {
        return new ArrayList<>(paths);
    }

    /** The items so far on {@code channel}, in the order they arrived. */
    List<Item> on(String channel) {
        return items().stream().filter(item -> item.channel().equals(channel)).toList();
    }

    List<Item> await(int seconds, Predicate<List<Item>> done) {
        return Eventually.eventually(Duration.ofSeconds(seconds), this::items, done);
    }

    void stop() {
        server.disposeNow();
        loops.dispose();
    }
}
