package io.bantin.varnish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import io.bantin.support.Eventually;

/** A Varnish node on 127.0.0.1 and a random port that records every purge and answers as told. */
final class StubVarnish {

    /** One request the node received: its method, path, {@code xkey-softpurge} and {@code Bantin-Seq} headers. */
    record Purge(String method, String path, String keys, String seq) {

        List<String> scopes() {
            return keys == null ? List.of() : List.of(keys.split(" "));
        }
    }

    private final ConcurrentLinkedQueue<Purge> purges = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    // Loops of its own: closing an application context disposes Reactor Netty's shared ones.
    private final LoopResources loops = LoopResources.create("stub-varnish", 1, true);
    private final DisposableServer server;

    StubVarnish() {
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().then(Mono.delay(delay)).then(Mono.defer(() -> {
                    purges.add(new Purge(request.method().name(), request.uri(),
                            request.requestHeaders().get(VarnishClient.HEADER), request.requestHeaders().get(VarnishClient.SEQ)));
                    return Mono.from(response.status(status).send());
                })))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Answers every request from now on with {@code status} (200 at first). */
    void answer(int status) {
        this.status = status;
    }

    /** Takes {@code delay} over each request before it records and answers it (none at first). */
    void slow(Duration delay) {
        this.delay = delay;
    }

    void reset() {
        purges.clear();
        status = 200;
        delay = Duration.ZERO;
    }

    List<Purge> purges() {
        return new ArrayList<>(purges);
    }

    /** The purges so far that were answered or not, naming {@code scope}. */
    long count(String scope) {
        return purges.stream().filter(purge -> purge.scopes().contains(scope)).count();
    }

    /** Waits (at most {@code seconds}) until the purges so far satisfy {@code done}. */
    List<Purge> await(int seconds, Predicate<List<Purge>> done) {
        return Eventually.eventually(Duration.ofSeconds(seconds), this::purges, done);
    }

    void stop() {
        server.disposeNow();
        loops.dispose();
    }
}
