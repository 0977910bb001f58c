package io.bantin.websub;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import io.bantin.support.Eventually;

/** A WebSub hub on 127.0.0.1 and a random port that records every publish ping and answers as told. */
final class StubHub {

    /**
     * One request the hub received: its content type, its decoded form fields, and the topic as the hub fetched
     * it when pinged (null unless {@link #fetchFrom} was called), as a real hub does before notifying subscribers.
     */
    record Ping(String contentType, Map<String, String> form, String fetched) {

        String topic() {
            return form.get("hub.url");
        }
    }

    private final ConcurrentLinkedQueue<Ping> pings = new ConcurrentLinkedQueue<>();
    private volatile Function<Ping, Integer> answer = ping -> 204;
    private volatile Function<String, String> localUrl;
    // Loops of its own: closing an application context disposes Reactor Netty's shared ones, and the hub outlives contexts.
    private final LoopResources loops = LoopResources.create("stub-hub", 1, true);
    private final HttpClient fetcher = HttpClient.create().runOn(loops);
    private final DisposableServer server;

    StubHub() {
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .route(routes -> routes.post("/hub", (request, response) -> request.receive().aggregate()
                        .asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(body -> fetch(form(body)).flatMap(fetched -> {
                            Map<String, String> form = form(body);
                            Ping ping = new Ping(request.requestHeaders().get("Content-Type"), form,
                                    fetched.isEmpty() ? null : fetched.get());
                            pings.add(ping);
                            return Mono.from(response.status(answer.apply(ping)).send());
                        }))))
                .bindNow();
    }

    /** From now on, fetches each pinged topic first, at the address {@code localUrl} maps it to. */
    void fetchFrom(Function<String, String> localUrl) {
        this.localUrl = localUrl;
    }

    private Mono<Optional<String>> fetch(Map<String, String> form) {
        Function<String, String> local = localUrl;
        String topic = form.get("hub.url");
        if (local == null || topic == null) {
            return Mono.just(Optional.empty());
        }
        return fetcher.get().uri(local.apply(topic)).responseContent().aggregate().asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("").map(Optional::of);
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/hub";
    }

    /** Answers every ping from now on with the status {@code answer} gives it (204 by default). */
    void answer(Function<Ping, Integer> answer) {
        this.answer = answer;
    }

    /** Forgets the pings so far and answers 204 again. */
    void reset() {
        pings.clear();
        answer = ping -> 204;
    }


    List<Ping> pings() {
        return new ArrayList<>(pings);
    }

    long count(String topic) {
        return pings.stream().filter(p -> topic.equals(p.topic())).count();
    }

    /** Waits (at most 10 s) until the pings so far satisfy {@code done}, then half a second for any extra one. */
    List<Ping> await(Predicate<List<Ping>> done) {
        int count = Eventually.eventually(Duration.ofSeconds(10), this::pings, done).size();
        Eventually.throughout(Duration.ofMillis(500), pings::size, now -> now == count);
        return pings();
    }

    void stop() {
        server.disposeNow();
        loops.dispose();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
